"""Secrets in shown source lines are masked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from eilint.report.redact import may_hold_secret
from eilint.report.redact import redact
from eilint.report.redact import redact_last_line
from eilint.report.redact import redact_message
from eilint.report.redact import redact_text
from eilint.report.redact import secret_flags


@pytest.mark.parametrize(
    "line",
    [
        "<password>S3cr3t-x</password>",
        '    <Password svns:secretAlias="a">S3cr3t-x</Password>',
        '<Connector keystorePass="S3cr3t-x" port="9443"/>',
        "remoteServerPassword=S3cr3t-x",
        '<Property name="ConnectionPassword">S3cr3t-x</Property>',
        "<url>jdbc:mysql://u:S3cr3t-x@db:3306/x</url>",
        "-----BEGIN RSA PRIVATE KEY-----S3cr3t-x",
    ],
)
def test_secret_values_are_masked(line: str) -> None:
    assert "S3cr3t-x" not in redact(line)


def test_plain_lines_are_untouched() -> None:
    line = '<parameter name="localMemberHost">10.0.0.11</parameter>'
    assert redact(line) == line
    assert redact_message("jdbc:mysql://u:pw@db/x") == "jdbc:mysql://u:********@db/x"


# Fragments of config text: secret-named tags, attributes and PEM markers, split
# across lines, with non-ASCII case-folding look-alikes (a long s folds to s).
FRAGMENTS = st.sampled_from(
    [
        "<password>",
        "</password>",
        "<ns:keyStorePassword a='1'",
        ">",
        "<",
        "</x>",
        "<a>",
        "value",
        " s3cr3t ",
        "\n",
        "\n",
        "my password is",
        "PaSSwd",
        "pa\u017f\u017fword",
        "<\u017fecret>",
        "-----BEGIN RSA PRIVATE KEY-----",
        "-----END RSA PRIVATE KEY-----",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
        "private_key=",
        "</Credential >",
        "\t",
        "ü",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(FRAGMENTS, min_size=1, max_size=30))
def test_redact_last_line_equals_redacting_the_whole_window(parts: list[str]) -> None:
    window = "".join(parts).split("\n")
    flags = [may_hold_secret(line) for line in window]
    expected = redact_text("\n".join(window)).split("\n")[-1]
    assert redact_last_line(window, flags) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, min_size=1, max_size=30))
def test_secret_flags_cover_every_secret_bearing_line(parts: list[str]) -> None:
    lines = "".join(parts).split("\n")
    flags = secret_flags(lines)
    assert len(flags) == len(lines)
    for line, flag in zip(lines, flags, strict=True):
        assert flag or not may_hold_secret(line), line
    expected = redact_text("\n".join(lines)).split("\n")[-1]
    assert redact_last_line(lines, flags) == expected
