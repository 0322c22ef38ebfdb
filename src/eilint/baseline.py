"""Baselines: record today's findings, then report only the ones that are new.

An entry is keyed on the rule, the node, the file relative to the node's tree
and the logical thing (an element path, a directive or property name; the
message when a finding has no locator). Line numbers are not part of the key, so
editing a file above a known problem does not turn it into a new one.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eilint import __version__
from eilint.findings import Finding
from eilint.report.pathmap import View
from eilint.report.pathmap import render
from eilint.report.redact import redact_message

FORMAT = "eilint-baseline"
VERSION = 1
# Messages may quote another file's line (``conf/carbon.xml:112``); drop it.
_LINE_REF = re.compile(r":\d+\b")

Key = tuple[str, str, str, str]


class BaselineError(Exception):
    """A baseline file that cannot be read; the message is one line."""


def finding_key(finding: Finding, roots: Mapping[str, str] | None = None) -> Key:
    """Return the line-independent identity of a finding.

    The file is the location's node-relative ``file`` (``Location.identity``):
    the same whatever the working directory or the order of the nodes. ``roots``
    is accepted for callers of the earlier signature and not needed.
    """
    loc = finding.location
    anchor = loc.key or _LINE_REF.sub("", redact_message(finding.message))
    return (finding.rule_id, loc.node or "", render(loc, View.IDENTITY), anchor)


def _entry(key: Key, count: int, message: str) -> dict[str, Any]:
    rule, node, file, anchor = key
    return {
        "rule": rule,
        "node": node,
        "file": file,
        "anchor": anchor,
        "count": count,
        "message": message,
    }


def dump(
    findings: Iterable[Finding], roots: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the baseline document for these findings (sorted, for small diffs)."""
    counts: Counter[Key] = Counter()
    messages: dict[Key, str] = {}
    for finding in findings:
        key = finding_key(finding, roots)
        counts[key] += 1
        messages.setdefault(key, redact_message(finding.message))
    entries = [_entry(k, counts[k], messages[k]) for k in sorted(counts)]
    return {
        "format": FORMAT,
        "version": VERSION,
        "tool": f"eilint {__version__}",
        "findings": entries,
    }


def write(
    path: Path, findings: Iterable[Finding], roots: Mapping[str, str] | None = None
) -> int:
    """Write the baseline file; return the number of findings recorded."""
    doc = dump(findings, roots)
    text = json.dumps(doc, indent=2, sort_keys=True) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline ({exc.strerror})") from None
    return sum(int(e["count"]) for e in doc["findings"])


def load(path: Path) -> Counter[Key]:
    """Read a baseline file into counts per key."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline ({exc.strerror})") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not a baseline file ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BaselineError(f"{path}: not an eilint baseline (no format: {FORMAT})")
    if doc.get("version") != VERSION:
        raise BaselineError(f"{path}: baseline version {doc.get('version')!r} unknown")
    counts: Counter[Key] = Counter()
    try:
        for e in doc["findings"]:
            key = (str(e["rule"]), str(e["node"]), str(e["file"]), str(e["anchor"]))
            counts[key] += int(e.get("count", 1))
    except (KeyError, TypeError, ValueError):
        raise BaselineError(f"{path}: malformed baseline entry") from None
    return counts


def split(
    findings: Iterable[Finding],
    known: Counter[Key],
    roots: Mapping[str, str] | None = None,
) -> tuple[tuple[Finding, ...], tuple[Finding, ...], int]:
    """Return (new findings, known findings, baseline entries left unmatched)."""
    left = Counter(known)
    new: list[Finding] = []
    old: list[Finding] = []
    for finding in findings:
        key = finding_key(finding, roots)
        if left[key] > 0:
            left[key] -= 1
            old.append(finding)
        else:
            new.append(finding)
    return tuple(new), tuple(old), sum(left.values())
