"""Machine output with a documented, versioned shape (docs/json-format.md)."""

from __future__ import annotations

import json
from typing import Any
from typing import TextIO

from eilint import __version__
from eilint.findings import Finding
from eilint.findings import Location
from eilint.fix.edits import Fix
from eilint.report import Report
from eilint.report.fingerprint import fingerprints
from eilint.report.redact import redact_message

FORMAT_VERSION = 1


def location_dict(loc: Location) -> dict[str, Any]:
    """Return a location as JSON-ready data."""
    return {
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "node": loc.node,
        "key": loc.key,
        # The file relative to its node's tree: the same from any directory.
        "file": loc.file,
    }


def _finding(finding: Finding, fingerprint: str) -> dict[str, Any]:
    return {
        "rule": finding.rule_id,
        "name": finding.rule_name,
        "severity": finding.severity.value,
        "message": redact_message(finding.message),
        "hint": redact_message(finding.hint),
        "node": finding.node,
        "nodes": list(finding.nodes()),
        "location": location_dict(finding.location),
        "related": [location_dict(r) for r in finding.related],
        "fingerprint": fingerprint,
        "fix": fix_dict(finding.fix),
    }


def fix_dict(fix: Fix | None) -> dict[str, Any] | None:
    """Return a finding's fix as JSON-ready data (None when it has none)."""
    if fix is None:
        return None
    return {
        "title": fix.title,
        "applicability": fix.applicability.value,
        "edits": [
            {
                "path": e.path,
                "start": e.start,
                "end": e.end,
                "replacement": e.replacement,
                "create": e.create,
                "region": list(e.region) if e.region else None,
            }
            for e in fix.edits
        ],
    }


def _suppressed(report: Report) -> list[dict[str, Any]]:
    """Return the inline-suppressed findings with the comment and reason (audits)."""
    prints = fingerprints(report.suppressed)
    result = []
    for finding, fingerprint, (where, reason) in zip(
        report.suppressed, prints, report.suppressed_by, strict=False
    ):
        entry = _finding(finding, fingerprint)
        entry["suppression"] = {
            "path": where.path,
            "line": where.line,
            "reason": redact_message(reason),
        }
        result.append(entry)
    return result


def report_dict(report: Report) -> dict[str, Any]:
    """Return the whole report as JSON-ready data."""
    from eilint.report.nodes import node_list  # it imports this package

    prints = fingerprints(report.findings)
    counts = report.counts()
    return {
        "format": "eilint-report",
        "version": FORMAT_VERSION,
        "tool": {"name": "eilint", "version": __version__},
        "summary": {
            **{severity.value: n for severity, n in counts.items()},
            "findings": len(report.findings),
            "nodes": list(report.nodes),
            "nginx": report.nginx,
            "rules_run": list(report.rules_run),
            "suppressed": len(report.suppressed),
            "baselined": len(report.baselined),
        },
        "findings": [
            _finding(f, p) for f, p in zip(report.findings, prints, strict=True)
        ],
        "suppressed_findings": _suppressed(report),
        "coverage": coverage_list(report),
        "nodes": node_list(report),
    }


def coverage_list(report: Report) -> list[dict[str, Any]]:
    """Return per node (sorted by name) what was read and which rules idled."""
    return [
        {
            "node": cov.node,
            "layout": cov.layout,
            "complete": cov.complete,
            "read": list(cov.read),
            "absent": list(cov.absent),
            "failed": list(cov.failed),
            "templates": list(cov.templates),
            "rules_not_run": list(cov.rules_not_run),
            "snapshot_record": cov.snapshot_record,
        }
        for cov in sorted(report.coverage, key=lambda c: c.node)
    ]


def render_json(report: Report, stream: TextIO) -> None:
    """Write the report as indented JSON with sorted keys."""
    json.dump(report_dict(report), stream, indent=2, sort_keys=True)
    stream.write("\n")
