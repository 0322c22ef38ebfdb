"""A unified diff of the planned changes that ``git apply`` and ``patch -p1`` take."""

from __future__ import annotations

import difflib
import os

_NO_EOL = b"\n\\ No newline at end of file\n"


def _relative(path: str) -> str:
    return os.path.relpath(path).replace(os.sep, "/") if os.path.isabs(path) else path


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _mark_eol(line: bytes) -> bytes:
    # A last line without a newline needs git's marker, or patch would add one.
    if line[:1] in (b" ", b"-", b"+") and not line.endswith(b"\n"):
        return line + _NO_EOL
    return line


def file_diff(path: str, old: bytes | None, new: bytes) -> bytes:
    """Return the diff of one file (``old`` None: the file is created)."""
    rel = _relative(path).encode("utf-8", "surrogateescape")
    head = b""
    before = b"a/" + rel
    if old is None:
        head = b"diff --git a/" + rel + b" b/" + rel + b"\nnew file mode 100644\n"
        before = b"/dev/null"
    body = difflib.diff_bytes(
        difflib.unified_diff,
        _lines(old or b""),
        _lines(new),
        before,
        b"b/" + rel,
        n=3,
    )
    out = [_mark_eol(line) for line in body]
    if not out:
        return b""
    # difflib ends header lines with '\n' already; hunks keep the file's own endings.
    return head + b"".join(out)


def unified(contents: dict[str, bytes], originals: dict[str, bytes | None]) -> bytes:
    """Return the diff of every changed file, in path order."""
    return b"".join(
        file_diff(path, originals.get(path), contents[path])
        for path in sorted(contents)
    )
