"""Fix for a stale suppression (EIL020): remove the comment, as ruff's RUF100 does.

Only a comment that disables one rule is removed; one naming several rules is
left to a person (the others may still be needed).
"""

from __future__ import annotations

import re

from eilint.findings import Finding
from eilint.fix.context import FixContext
from eilint.fix.edits import Edit
from eilint.fix.edits import Fix
from eilint.fix.edits import whole_lines
from eilint.fix.registry import producer
from eilint.fix.xmledit import one

_DISABLE = re.compile(rb"eilint\s*:\s*disable(?:-file)?\s*=\s*(\S+(?:\s*,\s*\S+)*)")


def _line_span(data: bytes, line: int) -> tuple[int, int]:
    start = 0
    for _ in range(line - 1):
        start = data.find(b"\n", start) + 1
    end = data.find(b"\n", start)
    return start, len(data) if end < 0 else end


def _comment(path: str, data: bytes, line: int) -> tuple[int, int] | None:
    """Return the span of the eilint comment that starts on ``line``."""
    start, end = _line_span(data, line)
    if path.endswith(".xml"):
        at = data.find(b"<!--", start, end)
        close = data.find(b"-->", at) if at >= 0 else -1
        return (at, close + 3) if close >= 0 else None
    text = data[start:end]
    at = text.find(b"#")
    if path.endswith(".properties"):
        stripped = text.lstrip()
        at = len(text) - len(stripped) if stripped[:1] in (b"#", b"!") else -1
    if at < 0:
        return None
    stop = end - 1 if data[end - 1 : end] == b"\r" else end
    return start + at, stop


@producer("EIL020")
def fix_unused_suppression(finding: Finding, ctx: FixContext) -> Fix | None:
    """Remove a suppression comment that suppresses nothing."""
    path = finding.location.path
    data = ctx.data(path)
    line = finding.location.line
    span = _comment(path, data, line) if data is not None and line else None
    if data is None or span is None:
        return None
    match = _DISABLE.search(data, span[0], span[1])
    if match is None or b"," in match.group(1):
        return None
    start, end = whole_lines(data, *span)
    if start == span[0]:
        while start > 0 and data[start - 1 : start] in (b" ", b"\t"):
            start -= 1  # the blanks before a comment at a line's end go with it
    return one("remove the unused suppression", Edit(path, start, end, ""))
