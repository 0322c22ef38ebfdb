"""Read Java ``.properties`` files with javaproperties, keeping each entry's line."""

from __future__ import annotations

import io

import javaproperties

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
