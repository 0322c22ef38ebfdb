"""What a fix is: edits (file, byte span, replacement) and how safe applying them is."""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct


class Applicability(StrEnum):
    """How safe a fix is: ``--fix`` applies safe ones, ``--unsafe-fixes`` both."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


class Edit(Struct, frozen=True):
    """Replace the bytes ``start:end`` of ``path`` by ``replacement``.

    ``path`` is the display path the finding carries. ``start == end`` inserts;
    ``create`` marks the edit that writes a file which does not exist yet (its
    span is then 0:0).
    """

    path: str
    start: int
    end: int
    replacement: str
    create: bool = False
    # 1-based (start line, start column, end line, end column), the end column
    # exclusive, columns in characters: filled in when the fix is attached.
    region: tuple[int, int, int, int] | None = None

    def overlaps(self, other: Edit) -> bool:
        """Say whether two edits of one file touch the same bytes (or one point)."""
        if self.path != other.path:
            return False
        if self.start == self.end or other.start == other.end:
            return self.start <= other.end and other.start <= self.end
        return self.start < other.end and other.start < self.end


def whole_lines(data: bytes, start: int, end: int) -> tuple[int, int]:
    """Widen ``start:end`` to its whole lines (line ending included) when nothing
    else is on them, so removing it leaves no blank line behind."""
    line = data.rfind(b"\n", 0, start) + 1
    stop = data.find(b"\n", end)
    stop = len(data) if stop < 0 else stop + 1
    if data[line:start].strip() or data[end:stop].strip():
        return start, end
    return line, stop


def region(data: bytes, start: int, end: int) -> tuple[int, int, int, int]:
    """Return the line/column region of a byte span (UTF-8, else one char a byte)."""

    def point(offset: int) -> tuple[int, int]:
        line_start = data.rfind(b"\n", 0, offset) + 1
        prefix = data[line_start:offset]
        try:
            width = len(prefix.decode("utf-8"))
        except UnicodeDecodeError:
            width = len(prefix)
        return data.count(b"\n", 0, offset) + 1, width + 1

    return (*point(start), *point(end))


class Fix(Struct, frozen=True):
    """A titled set of edits, applied all together or not at all."""

    title: str
    applicability: Applicability
    edits: tuple[Edit, ...]

    def paths(self) -> tuple[str, ...]:
        """Return the files the fix touches, without repeats."""
        return tuple(dict.fromkeys(e.path for e in self.edits))
