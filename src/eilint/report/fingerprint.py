"""Fingerprints that stay the same when lines move (for SARIF and baselines)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from eilint.findings import Finding
from eilint.report.pathmap import View
from eilint.report.pathmap import render


def _basis(finding: Finding) -> str:
    # Node and node-relative file, not the display path: the same from any
    # working directory, and equal for a remote node and its --map'ped copy.
    loc = finding.location
    anchor = loc.key or finding.message
    file = render(loc, View.IDENTITY)
    return "\x1f".join((finding.rule_id, loc.node or "", file, anchor))


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """Return one stable hash per finding; repeats of one basis get an ordinal."""
    seen: dict[str, int] = {}
    result = []
    for finding in findings:
        digest = hashlib.sha256(_basis(finding).encode("utf-8")).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        result.append(f"{digest}:{seen[digest]}")
    return result
