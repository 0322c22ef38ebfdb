"""The string-method plain properties parser equals its regex-based original.

tests/test_properties_fast.py holds both to javaproperties itself; this one
compares with the previous regex implementation on more and longer inputs.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from eilint.findings import Location
from eilint.loaders.properties import _lines
from eilint.loaders.properties import _parse_plain
from eilint.model.properties import PropertiesFile
from eilint.model.properties import Property

_EOL = re.compile(r"\r\n?|\n")
_SEPARATOR = re.compile(r"([ \t\f]*[=:]|[ \t\f])[ \t\f]*")


def _reference(text: str, display: str, node: str | None) -> PropertiesFile:
    """The original: lines split and separators found by regular expressions."""
    entries: list[Property] = []
    comments: list[tuple[int, str]] = []
    for number, natural in enumerate(_EOL.split(text), start=1):
        line = natural.lstrip(" \t\f")
        if not line:
            continue
        if line[0] in "#!":
            comments.append((number, line[1:]))
            continue
        match = _SEPARATOR.search(line)
        key, value = (
            (line[: match.start(1)], line[match.end() :]) if match else (line, "")
        )
        entries.append(Property(key, value, Location(display, number, None, node, key)))
    return PropertiesFile(display, tuple(entries), tuple(comments))


# The grammar's characters (no backslash: the plain path never sees one), line
# break look-alikes Java does not break at, and ordinary text.
ALPHABET = " \t\f\r\n#!=:ab.\x0b\x0c\x1c\x85\u2028\xe9"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=200))
def test_plain_parser_matches_the_regex_original(text: str) -> None:
    assert _parse_plain(text, "p", "n") == _reference(text, "p", "n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="\r\na", max_size=40))
def test_lines_split_as_the_regex(text: str) -> None:
    assert _lines(text) == _EOL.split(text)


def test_separator_forms() -> None:
    text = "a=b\na = b\na :b\na b\na  =  = b\na:\n a\t\f: b :\na=\na\n=b\n:b\n a"
    assert _parse_plain(text, "p", None) == _reference(text, "p", None)
    got = [(e.key, e.value) for e in _parse_plain(text, "p", None).entries]
    assert got[4] == ("a", "= b")
