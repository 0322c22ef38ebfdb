"""A unified diff of the planned changes that ``git apply`` and ``patch -p1`` take.

Context lines that may hold a password are left out (a hunk's context may be
shorter on one side; both tools accept that): the diff goes to terminals and CI
logs like every other output. A hunk whose changed lines hold one is not shown.
"""

from __future__ import annotations

import difflib
import os

from msgspec import Struct

from eilint.report.redact import secret_flags

_NO_EOL = b"\n\\ No newline at end of file\n"
CONTEXT = 3


class FileDiff(Struct, frozen=True):
    """One file's diff text and the hunks held back (they would show a secret)."""

    text: bytes
    withheld: int = 0


def _relative(path: str) -> str:
    return os.path.relpath(path).replace(os.sep, "/") if os.path.isabs(path) else path


def _line(prefix: bytes, line: bytes) -> bytes:
    # A last line without a newline needs git's marker, or patch would add one.
    if not line.endswith(b"\n"):
        return prefix + line + _NO_EOL
    return prefix + line


def _flags(lines: list[bytes]) -> list[bool]:
    return secret_flags([ln.decode("latin-1") for ln in lines]) if lines else []


def _trim(
    group: list[tuple[str, int, int, int, int]], old_secret: list[bool]
) -> tuple[int, int] | None:
    """Return the old-side lines of context to keep before and after the changes."""
    _, i1, lead_end, _, _ = group[0]
    lead_start = i1 if group[0][0] == "equal" else lead_end
    lead = lead_end - lead_start
    for at in range(lead_end - 1, lead_start - 1, -1):
        if old_secret[at]:
            lead = lead_end - at - 1
            break
    tag, i1, i2, _, _ = group[-1]
    trail = i2 - i1 if tag == "equal" else 0
    for at in range(i1, i1 + trail):
        if old_secret[at]:
            trail = at - i1
            break
    if trail == 0 and group[-1][0] == "equal" and i2 - i1 > 0:
        return None  # git would anchor a hunk without trailing context at the end
    return lead, trail


def _hunk(
    group: list[tuple[str, int, int, int, int]],
    old: list[bytes],
    new: list[bytes],
    keep: tuple[int, int],
) -> bytes:
    lead, trail = keep
    first, last = group[0], group[-1]
    o_start = (first[2] - lead) if first[0] == "equal" else first[1]
    n_start = (first[4] - lead) if first[0] == "equal" else first[3]
    o_end = (last[1] + trail) if last[0] == "equal" else last[2]
    n_end = (last[3] + trail) if last[0] == "equal" else last[4]
    body: list[bytes] = []
    for tag, i1, i2, j1, j2 in group:
        if tag == "equal":
            lo, hi = max(i1, o_start), min(i2, o_end)
            body.extend(_line(b" ", ln) for ln in old[lo:hi])
            continue
        body.extend(_line(b"-", ln) for ln in old[i1:i2])
        body.extend(_line(b"+", ln) for ln in new[j1:j2])
    o_len, n_len = o_end - o_start, n_end - n_start
    head = (
        f"@@ -{o_start + (1 if o_len else 0)},{o_len} "
        f"+{n_start + (1 if n_len else 0)},{n_len} @@\n"
    ).encode()
    return head + b"".join(body)


def file_diff(path: str, old: bytes | None, new: bytes) -> FileDiff:
    """Return the diff of one file (``old`` None: the file is created)."""
    rel = _relative(path).encode("utf-8", "surrogateescape")
    old_lines = (old or b"").splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    old_secret, new_secret = _flags(old_lines), _flags(new_lines)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    hunks: list[bytes] = []
    withheld = 0
    for group in matcher.get_grouped_opcodes(CONTEXT):
        changed = [g for g in group if g[0] != "equal"]
        secret = any(
            any(old_secret[i1:i2]) or any(new_secret[j1:j2])
            for _, i1, i2, j1, j2 in changed
        )
        keep = None if secret else _trim(group, old_secret)
        if keep is None:
            withheld += 1
            continue
        hunks.append(_hunk(group, old_lines, new_lines, keep))
    if not hunks:
        return FileDiff(b"", withheld)
    head = b"--- a/" + rel + b"\n"
    if old is None:
        head = b"diff --git a/" + rel + b" b/" + rel + b"\nnew file mode 100644\n"
        head += b"--- /dev/null\n"
    head += b"+++ b/" + rel + b"\n"
    return FileDiff(head + b"".join(hunks), withheld)


def unified(
    contents: dict[str, bytes], originals: dict[str, bytes | None]
) -> tuple[bytes, list[str]]:
    """Return the diff of every changed file in path order, and a note per file
    whose hunks were held back."""
    out: list[bytes] = []
    notes: list[str] = []
    for path in sorted(contents):
        diff = file_diff(path, originals.get(path), contents[path])
        out.append(diff.text)
        if diff.withheld:
            notes.append(
                f"{path}: {diff.withheld} change(s) not shown in the diff: the lines "
                "around them may hold a password (run --fix, then review the file)"
            )
    return b"".join(out), notes
