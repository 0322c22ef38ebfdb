"""Secrets in shown source lines are masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from eilint.report import redact as redact_module
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


# Fragments of config text: secret-named tags (namespaces, attributes, spaces
# before '>', broken ones), stray '<', '>' and '</', PEM markers and base64.
ASCII_FRAGMENTS = [
    "<password>",
    "</password>",
    "<Password>",
    "</PASSWORD>",
    "<ns:keyStorePassword a='1'",
    "<ns:keyStorePassword a='1'>",
    "</ns:keyStorePassword>",
    "<svns:Secret>",
    "</a:b:password>",
    "<:password>",
    "</:password>",
    "</password >",
    "</password\n>",
    "</password\t >",
    "<privateKey>",
    "</private_key>",
    '<private.key x="1">',
    "<my-storepass.x>",
    "</x.keypass>",
    "<passphrase/>",
    "<CREDENTIALS>",
    "</Credential >",
    "<Property name='keyPassword'>",
    ">",
    "<",
    "</",
    "</x>",
    "<a>",
    "<a b='>'>",
    "<!-- ",
    " -->",
    "/>",
    ":",
    ".",
    "-",
    "_",
    "value",
    " s3cr3t ",
    "a<b",
    "x>y",
    "=",
    '"',
    " ",
    "\n",
    "\n",
    "\t",
    "\r",
    "\x0b",
    "my password is",
    "PaSSwd",
    "pass",
    "word",
    "key",
    "Store",
    "private",
    "SECRET",
    "passecret",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----END RSA PRIVATE KEY-----",
    "-----BEGIN PRIVATE KEY-----\n",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    "private_key=",
]
# Non-ASCII case-folding look-alikes: re.IGNORECASE matches a long s to s and a
# Kelvin sign to k; a dotted capital I lowers to two characters.
NON_ASCII_FRAGMENTS = [
    "pa\u017f\u017fword",
    "<\u017fecret>",
    "</pa\u017f\u017fword>",
    "<\u212aeypass>",
    "</PR\u0130VATE_KEY>",
    "pr\u0131vate",
    "\u0130",
    "\u0131",
    "\u017f",
    "\u212a",
    "\u00df",
    "\u00fc",
    "\ufffd",
]
FRAGMENTS = st.sampled_from(ASCII_FRAGMENTS + NON_ASCII_FRAGMENTS)
# Single characters join fragments into words and tags no fragment spells out.
ASCII_TEXTS = st.lists(
    st.one_of(
        st.sampled_from(ASCII_FRAGMENTS),
        st.text(alphabet="<>/: \n\tpasWORDkeycrt_.-=x", max_size=3),
    ),
    max_size=40,
).map("".join)
TEXTS = st.lists(FRAGMENTS, max_size=40).map("".join)


def reference_redact_text(text: str) -> str:
    """redact_text as it was: each pattern applied to the whole text."""
    text = redact_module._PEM_BLOCK.sub(
        lambda m: redact_module._mask_lines(m.group(0)), text
    )
    text = redact_module._XML_CLOSING.sub(
        lambda m: redact_module._mask_lines(m.group(1)) + m.group(2), text
    )
    return redact_module._XML_ELEMENT.sub(
        lambda m: m.group(1) + redact_module._mask_lines(m.group(2)), text
    )


@settings(max_examples=1500, deadline=None)
@given(ASCII_TEXTS)
def test_redact_text_equals_the_regex_reference(text: str) -> None:
    assert redact_text(text) == reference_redact_text(text)


@settings(max_examples=1000, deadline=None)
@given(TEXTS)
def test_redact_text_equals_the_regex_reference_beyond_ascii(text: str) -> None:
    assert redact_text(text) == reference_redact_text(text)


@settings(max_examples=500, deadline=None)
@given(ASCII_TEXTS)
def test_each_fast_pass_equals_its_pattern(text: str) -> None:
    closing = redact_module._XML_CLOSING.sub(
        lambda m: redact_module._mask_lines(m.group(1)) + m.group(2), text
    )
    assert redact_module._mask_before_closing_tags(text) == closing
    element = redact_module._XML_ELEMENT.sub(
        lambda m: m.group(1) + redact_module._mask_lines(m.group(2)), text
    )
    assert redact_module._mask_element_text(text) == element


@pytest.mark.parametrize(
    "text",
    [
        "<password>a<b</password>",
        "x>y<z</ns:password >",
        "<a:b:password>v</a:b:password>",
        "<password x='>'>v<password>w</x>",
        "<keypassword>v\n</KeyPassword\n>",
        "<passecret>v</passecret>",
        "<password>\n  v\n</password",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n</password>",
    ],
)
def test_redact_text_examples_equal_the_regex_reference(text: str) -> None:
    assert redact_text(text) == reference_redact_text(text)


def test_sample_configs_redact_as_the_regex_reference() -> None:
    samples = Path(__file__).parent.parent / "sample-configs"
    files = [path for path in sorted(samples.rglob("*")) if path.is_file()]
    assert files
    for path in files:
        text = path.read_text("utf-8", "replace")
        assert redact_text(text) == reference_redact_text(text), path


def test_every_secret_word_holds_a_core() -> None:
    # The fast path finds tags by these cores: a new word must hold one.
    words = redact_module._SECRET_WORDS.removeprefix("(?:").removesuffix(")")
    for word in words.split("|"):
        assert any(core in word for core in redact_module._WORD_CORES), word


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


def reference_redact_message(text: str) -> str:
    """redact_message as it was: both patterns over every message."""
    text = redact_module.printable(text)
    text = redact_module._INLINE_KEY_VALUE.sub(
        lambda m: m.group(1) + redact_module.MASK, text
    )
    return redact_module._URL_CREDENTIALS.sub(
        lambda m: m.group(1) + redact_module.MASK + m.group(3), text
    )


MESSAGES = st.lists(
    st.one_of(
        FRAGMENTS,
        st.sampled_from(["jdbc:mysql://u:pw@db/x", "://", "a://b:c@", " = ", ": "]),
        st.text(alphabet="pasWORD=: x/@\u017f\x1b", max_size=4),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(MESSAGES)
def test_redact_message_equals_applying_both_patterns(text: str) -> None:
    assert redact_message(text) == reference_redact_message(text)
