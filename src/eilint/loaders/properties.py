"""Read Java ``.properties`` files with javaproperties, keeping each entry's line."""

from __future__ import annotations

import io
import re

from eilint.findings import Location
from eilint.loaders.files import SourceFile
from eilint.loaders.files import Unreadable
from eilint.loaders.files import read_source
from eilint.model.cluster import LoadProblem
from eilint.model.properties import PropertiesFile
from eilint.model.properties import Property


def parse_properties(
    src: SourceFile, node: str | None
) -> tuple[PropertiesFile | None, list[LoadProblem]]:
    """Parse one file the way ``java.util.Properties.load(InputStream)`` does."""
    try:
        data = read_source(src)
    except Unreadable as exc:
        where = Location(src.display, None, None, node)
        return None, [LoadProblem("EIL005", f"file {exc}", where)]
    # Properties.load(InputStream) reads ISO-8859-1; \uXXXX escapes carry the rest.
    text = data.decode("latin-1")
    if "\\" not in text:
        return _parse_plain(text, src.display, node), []
    # Imported here: javaproperties pulls in xml.sax, urllib and ssl (~0.1 s).
    import javaproperties

    entries: list[Property] = []
    comments: list[tuple[int, str]] = []
    line = 1
    try:
        for item in javaproperties.parse(io.StringIO(text)):
            if isinstance(item, javaproperties.KeyValue):
                where = Location(src.display, line, None, node, item.key)
                entries.append(Property(item.key, item.value, where))
            elif isinstance(item, javaproperties.Comment):
                comments.append((line, item.value))
            line += (
                item.source.count("\n")
                + item.source.count("\r")
                - (item.source.count("\r\n"))
            )
    except (ValueError, UnicodeError) as exc:
        where = Location(src.display, line, None, node)
        reason = type(exc).__name__
        message = f"properties file cannot be read past this line ({reason})"
        return None, [LoadProblem("EIL002", message, where)]
    return PropertiesFile(src.display, tuple(entries), tuple(comments)), []


# javaproperties.reading.SEPARATOR_RGX without its escape handling (no backslash
# can occur here), ([ \t\f]*[=:]|[ \t\f])[ \t\f]*, matches from the first '=',
# ':' or blank: blanks, at most one '=' or ':', blanks. Only its start is found
# with re: a one-character class is scanned quickly, while the whole pattern was
# tried at each position of the key (2 us a line).
_SEPARATOR_START = re.compile(r"[ \t\f=:]")
_BLANK = " \t\f"


def _lines(text: str) -> list[str]:
    """Split at \\r\\n, \\r or \\n, as Java does (not str.splitlines: \\v, \\x85...)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _parse_plain(text: str, display: str, node: str | None) -> PropertiesFile:
    """Parse a file without backslashes: exactly javaproperties, 5-10x faster.

    With no backslash there are no escapes and no continuation lines, so each
    natural line is one element and javaproperties' rules reduce to these few
    string operations (tests/test_properties_fast.py checks the equivalence).
    """
    entries: list[Property] = []
    comments: list[tuple[int, str]] = []
    for number, natural in enumerate(_lines(text), start=1):
        line = natural.lstrip(_BLANK)
        if not line:
            continue
        if line[0] in "#!":
            comments.append((number, line[1:]))
            continue
        key, value = _split_entry(line)
        entries.append(Property(key, value, Location(display, number, None, node, key)))
    return PropertiesFile(display, tuple(entries), tuple(comments))


def _split_entry(line: str) -> tuple[str, str]:
    """Cut a line that starts with neither a blank nor a comment mark."""
    match = _SEPARATOR_START.search(line)
    if match is None:
        return line, ""
    at = match.start()
    value = line[at:].lstrip(_BLANK)
    if value[:1] in ("=", ":"):
        value = value[1:].lstrip(_BLANK)
    return line[:at], value
