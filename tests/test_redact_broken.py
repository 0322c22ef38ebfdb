"""Broken lines: everything after a secret-named tag or attribute is masked.

Issue 14, point 7. ``<Password hint="SECRET>`` (an unterminated attribute)
makes the rest of the line the secret's value as far as anyone can tell; a
libxml2 message may quote a name taken from such a line. The corpus case
``xml_secret_unterminated`` runs the real CLI on these shapes in every format.
"""

from __future__ import annotations

import re

import pytest

from eilint.report.redact import MASK
from eilint.report.redact import continues_secret_tag
from eilint.report.redact import malformed
from eilint.report.redact import mask_line
from eilint.report.redact import redact
from eilint.report.redact import redact_broken
from eilint.report.redact import redact_parser_message

SECRET = re.compile(r"SECRET\w*")


@pytest.mark.parametrize(
    "line",
    [
        '<Password hint="SECRET>',
        "<Password hint='SECRET>",
        '<Password hint="SECRET',
        '<Password hint="a" other="SECRET>',
        '<Password "SECRET"',
        "<Password\tSECRET>",
        "<Password SECRET>x</Password>",
        '<Property name="Password" x="SECRET',
        '<ns:KeyPassword a="SECRET <b>',
        '  <a x="1"><Password hint="SECRET></a>',
    ],
)
def test_a_malformed_line_is_masked_after_the_secret_name(line: str) -> None:
    assert malformed(line)
    shown = redact(line)
    assert not SECRET.search(shown), shown
    assert shown.endswith(MASK)


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ('<Password hint="x">pw</Password>', f'<Password hint="x">{MASK}</Password>'),
        (
            '<Property name="Password">pw</Property>',
            f'<Property name="Password">{MASK}</Property>',
        ),
        ("<Offset>2</Offset>", "<Offset>2</Offset>"),
        (
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<?xml version="1.0" encoding="UTF-8"?>',
        ),
    ],
)
def test_a_well_formed_line_keeps_its_shape(line: str, shown: str) -> None:
    assert not malformed(line)
    assert redact(line) == shown


def test_the_line_an_xml_error_names_is_masked_even_when_it_looks_fine() -> None:
    for line in (
        '<Password a:b="SECRET">x</Password>',
        "<Password>&SECRET;</Password>",
    ):
        assert not SECRET.search(redact_broken(line))
    assert redact_broken("<Offset>2</Offset>") == "<Offset>2</Offset>"


@pytest.mark.parametrize(
    ("message", "line"),
    [
        ("Entity 'SECRET1' not defined", "<Password>&SECRET1;</Password>"),
        (
            "Specification mandates value for attribute SECRET1",
            "<Password SECRET1>x</Password>",
        ),
        ("Attribute SECRET1 redefined", '<Password SECRET1="a" SECRET1="b">'),
    ],
)
def test_parser_messages_lose_what_the_broken_line_hides(
    message: str, line: str
) -> None:
    masked = redact_parser_message(message, line)
    assert not SECRET.search(masked)
    assert MASK in masked


def test_parser_messages_about_lines_without_secrets_are_kept() -> None:
    message = "Entity 'nbsp' not defined"
    assert redact_parser_message(message, "<Offset>&nbsp;</Offset>") == message
    tags = "Opening and ending tag mismatch: Password line 4 and Passwrd"
    assert "Password line 4" in redact_parser_message(tags, "<Password>x</Passwrd>")


def test_a_line_continuing_a_secret_tag_is_masked() -> None:
    window = ['<Property name="Password"', '    value="SECRET <x/>']
    assert continues_secret_tag(window, [True, False])
    shown = mask_line(window[-1])
    assert not SECRET.search(shown)
    assert shown.startswith("    ")  # indentation kept
    closed = ['<Property name="Password">x</Property>', "    <Offset>2</Offset>"]
    assert not continues_secret_tag(closed, [True, False])
    plain = ['<Property name="Offset"', '    value="2" />']
    assert not continues_secret_tag(plain, [False, False])
