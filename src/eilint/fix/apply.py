"""Apply fixes: position order, overlaps skipped, a parse check per changed file,
all files of a round written together (temp files + ``os.replace``) or none."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from msgspec import Struct

from eilint.findings import Finding
from eilint.fix.edits import Edit
from eilint.fix.nginxspans import NginxSyntax
from eilint.fix.nginxspans import parse_nginx


class Planned(Struct, frozen=True):
    """The fixes chosen for one round, the new bytes per file, and rejections."""

    applied: tuple[Finding, ...]
    contents: dict[str, bytes]
    originals: dict[str, bytes | None]
    errors: tuple[str, ...] = ()


def _order(finding: Finding) -> tuple[str, int]:
    first = finding.fix.edits[0] if finding.fix and finding.fix.edits else None
    return (first.path, first.start) if first else ("", 0)


def choose(findings: Iterable[Finding]) -> list[Finding]:
    """Keep fixes in position order, skipping one that overlaps a kept one or
    repeats it (two findings with the same fix: the second is already done)."""
    kept: list[Finding] = []
    edits: list[Edit] = []
    seen: set[tuple[Edit, ...]] = set()
    for finding in sorted(findings, key=_order):
        fix = finding.fix
        if fix is None or not fix.edits:
            continue
        if fix.edits in seen:
            kept.append(finding)
            continue
        if any(e.overlaps(o) for e in fix.edits for o in edits):
            continue
        kept.append(finding)
        seen.add(fix.edits)
        edits.extend(fix.edits)
    return kept


def splice(data: bytes, edits: Iterable[Edit], encoding: str = "utf-8") -> bytes:
    """Return ``data`` with every (non-overlapping) edit applied."""
    out: list[bytes] = []
    at = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(data[at : edit.start])
        out.append(edit.replacement.encode(encoding, "xmlcharrefreplace"))
        at = edit.end
    out.append(data[at:])
    return b"".join(out)


def _encoding(path: str, data: bytes) -> str:
    if path.endswith(".xml"):
        from eilint.fix.xmlspans import encoding_of

        return encoding_of(data) or "utf-8"
    return "latin-1" if path.endswith(".properties") else "utf-8"


def parses(path: str, data: bytes) -> bool:
    """Say whether a changed file still parses as what it is."""
    if path.endswith(".xml"):
        from lxml import etree

        from eilint.loaders.xml import SAFE_XML_PARSER

        try:
            etree.fromstring(data, SAFE_XML_PARSER)
        except etree.XMLSyntaxError:
            return False
        return True
    if path.endswith((".properties", ".sh")):
        return True  # no structure a fix could break beyond its own line
    try:
        parse_nginx(data)
    except NginxSyntax:
        return False
    return True


def _read(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None


def plan(findings: Iterable[Finding]) -> Planned:
    """Compute the new file contents of one round; a fix whose file would stop
    parsing is dropped with an error (and, all-or-nothing, with all its edits)."""
    chosen = choose(findings)
    originals: dict[str, bytes | None] = {}
    errors: list[str] = []
    while True:
        by_file: dict[str, list[Edit]] = {}
        for finding in chosen:
            for edit in finding.fix.edits if finding.fix else ():
                if edit not in by_file.setdefault(edit.path, []):
                    by_file[edit.path].append(edit)
        contents: dict[str, bytes] = {}
        broken: str | None = None
        for path, edits in by_file.items():
            if path not in originals:
                originals[path] = _read(path)
            old = originals[path] or b""
            new = splice(old, edits, _encoding(path, old))
            if not parses(path, new):
                broken = path
                break
            if new != old or originals[path] is None:
                contents[path] = new
        if broken is None:
            return Planned(tuple(chosen), contents, originals, tuple(errors))
        dropped = [f for f in chosen if f.fix and broken in f.fix.paths()]
        errors.extend(
            f"{broken}: the fix for {f.rule_id} would leave the file unparseable; "
            "reverted, fix it by hand"
            for f in dropped
        )
        chosen = [f for f in chosen if f not in dropped]


def write_all(contents: dict[str, bytes], originals: dict[str, bytes | None]) -> None:
    """Write every file of a round, or none: temp files first, then ``os.replace``
    each; a failure part way puts back the files already replaced."""
    temps: dict[str, str] = {}
    try:
        for shown, data in contents.items():
            # A symlinked file (inside the tree: FixContext checked) keeps its
            # link: the file it points at is the one rewritten.
            path = os.path.realpath(shown)
            folder = os.path.dirname(path) or "."
            fd, temp = tempfile.mkstemp(prefix=".eilint-fix-", dir=folder)
            temps[path] = temp
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            if originals.get(shown) is not None:
                os.chmod(temp, os.stat(path).st_mode & 0o7777)
            else:
                os.chmod(temp, 0o666 & ~_umask())
        done: list[str] = []
        try:
            for path, temp in temps.items():
                os.replace(temp, path)
                done.append(path)
        except OSError:
            _restore(done, {os.path.realpath(p): d for p, d in originals.items()})
            raise
    finally:
        for temp in temps.values():
            if os.path.exists(temp):
                os.unlink(temp)


def _restore(done: list[str], originals: dict[str, bytes | None]) -> None:
    for path in done:
        old = originals.get(path)
        if old is None:
            os.unlink(path)
        else:
            Path(path).write_bytes(old)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
