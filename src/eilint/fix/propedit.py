"""Edits on Java ``.properties`` files: a value's byte span on its line, or a new
line at the end. Entries continued over several lines are left to a person."""

from __future__ import annotations

from eilint.fix.edits import Edit

_SEPARATORS = b"=:"
_BLANKS = b" \t\f"


def _line_span(data: bytes, line: int) -> tuple[int, int] | None:
    """Return the span of line ``line`` (1-based) without its line ending."""
    start = 0
    for _ in range(line - 1):
        start = data.find(b"\n", start) + 1
        if start == 0:
            return None
    end = data.find(b"\n", start)
    end = len(data) if end < 0 else end
    if end > start and data[end - 1 : end] == b"\r":
        end -= 1
    return start, end


def _key_end(data: bytes, at: int, end: int) -> int:
    while at < end:
        byte = data[at : at + 1]
        if byte == b"\\":
            at += 2
            continue
        if byte in _SEPARATORS or byte in _BLANKS:
            break
        at += 1
    return at


def value_span(data: bytes, line: int) -> tuple[int, int] | None:
    """Return the span of the value of the entry starting on ``line``."""
    span = _line_span(data, line)
    if span is None:
        return None
    start, end = span
    body = data[start:end]
    trailing = len(body) - len(body.rstrip(b"\\"))
    if trailing % 2:
        return None  # continued on the next line
    at = start
    while at < end and data[at : at + 1] in _BLANKS:
        at += 1
    at = _key_end(data, at, end)
    while at < end and data[at : at + 1] in _BLANKS:
        at += 1
    if at < end and data[at : at + 1] in _SEPARATORS:
        at += 1
        while at < end and data[at : at + 1] in _BLANKS:
            at += 1
    return at, end


def newline_of(data: bytes) -> str:
    """Return the file's line ending."""
    return "\r\n" if b"\r\n" in data else "\n"


def append_line(path: str, data: bytes, text: str) -> Edit:
    """Add ``text`` as a new last line (after a line ending the file may lack)."""
    newline = newline_of(data)
    lead = newline if data and not data.endswith(b"\n") else ""
    return Edit(path, len(data), len(data), f"{lead}{text}{newline}")


def set_value(path: str, data: bytes, line: int, value: str) -> Edit | None:
    """Replace the value of the entry on ``line``."""
    span = value_span(data, line)
    return Edit(path, span[0], span[1], value) if span is not None else None


def delete_line(path: str, data: bytes, line: int) -> Edit | None:
    """Remove line ``line`` with its line ending (a shadowed entry)."""
    span = _line_span(data, line)
    if span is None or value_span(data, line) is None:
        return None  # continued lines: deleting the first would orphan the rest
    start, end = span
    stop = data.find(b"\n", end)
    return Edit(path, start, len(data) if stop < 0 else stop + 1, "")
