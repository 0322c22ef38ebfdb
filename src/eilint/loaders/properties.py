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


_EOL = re.compile(r"\r\n?|\n")
# javaproperties.reading.SEPARATOR_RGX without its escape handling (no backslash
# can occur here): the first '=', ':' or whitespace, with whitespace around it.
_SEPARATOR = re.compile(r"([ \t\f]*[=:]|[ \t\f])[ \t\f]*")


def _parse_plain(text: str, display: str, node: str | None) -> PropertiesFile:
    """Parse a file without backslashes: exactly javaproperties, 5-10x faster.

    With no backslash there are no escapes and no continuation lines, so each
    natural line is one element and javaproperties' rules reduce to these few
    string operations (tests/test_properties_fast.py checks the equivalence).
    """
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
