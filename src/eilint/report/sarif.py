"""SARIF 2.1.0 output with what GitHub code scanning reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from typing import TextIO
from urllib.parse import quote

from eilint import __version__
from eilint.catalog import RuleMeta
from eilint.findings import Finding
from eilint.findings import Location
from eilint.findings import Severity
from eilint.fix.edits import Fix
from eilint.report import Report
from eilint.report.fingerprint import fingerprints
from eilint.report.redact import redact_message

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/eilint/eilint"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
SECURITY_SEVERITY = {
    Severity.ERROR: "8.0",
    Severity.WARNING: "5.0",
    Severity.NOTE: "2.0",
}
MAX_DESCRIPTION = 1000


def _clip(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def _help_markdown(meta: RuleMeta) -> str:
    parts = [
        f"**{meta.title}**",
        "",
        meta.rationale,
        "",
        f"**Fix:** {meta.remediation}",
    ]
    if meta.guide:
        parts += ["", f"**Guide:** {meta.guide}"]
    if meta.runtime:
        parts += ["", f"**At runtime:** {meta.runtime}"]
    parts += ["", f"Run `eilint explain {meta.id}` for examples."]
    return "\n".join(parts)


def _rule(meta: RuleMeta) -> dict[str, Any]:
    properties: dict[str, Any] = {"tags": list(meta.tags)[:20], "precision": "high"}
    if "security" in meta.tags:
        properties["security-severity"] = SECURITY_SEVERITY[meta.severity]
    return {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": _clip(meta.title)},
        "fullDescription": {"text": _clip(meta.rationale)},
        "help": {
            "text": f"{meta.remediation}\n\nSee `eilint explain {meta.id}`.",
            "markdown": _help_markdown(meta),
        },
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": properties,
    }


def _artifact(path: str, cwd: Path) -> dict[str, Any]:
    candidate = Path(path)
    if candidate.is_absolute() or ":" in path.split("/", 1)[0]:
        if candidate.is_absolute():
            return {"uri": candidate.as_uri()}
        return {"uri": quote(path, safe="/:@")}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _physical(loc: Location, cwd: Path) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": loc.line or 1}
    if loc.column:
        region["startColumn"] = loc.column
    return {"artifactLocation": _artifact(loc.path, cwd), "region": region}


def _location(loc: Location, cwd: Path, index: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"physicalLocation": _physical(loc, cwd)}
    if index is not None:
        out["id"] = index
        out["message"] = {"text": f"node {loc.node}" if loc.node else loc.path}
    if loc.key:
        out["logicalLocations"] = [{"fullyQualifiedName": loc.key, "kind": "element"}]
    return out


def _result(
    finding: Finding, index: int, fingerprint: str, cwd: Path
) -> dict[str, Any]:
    nodes = finding.nodes()
    message = redact_message(finding.message)
    if finding.hint:
        message += f". Fix: {redact_message(finding.hint)}"
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": message},
        "partialFingerprints": {"eilintFingerprint/v1": fingerprint},
        "properties": {"node": finding.node, "nodes": list(nodes)},
    }
    if finding.location.path != "<eilint>":
        result["locations"] = [_location(finding.location, cwd)]
    if finding.related:
        result["relatedLocations"] = [
            _location(loc, cwd, i + 1) for i, loc in enumerate(finding.related)
        ]
    if finding.fix is not None:
        result["fixes"] = [_fix(finding.fix, cwd)]
    return result


def _fix(fix: Fix, cwd: Path) -> dict[str, Any]:
    """Return a SARIF fix: one artifactChange per file, line/column regions."""
    changes: dict[str, list[dict[str, Any]]] = {}
    for edit in fix.edits:
        sl, sc, el, ec = edit.region or (1, 1, 1, 1)
        deleted = {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}
        changes.setdefault(edit.path, []).append(
            {"deletedRegion": deleted, "insertedContent": {"text": edit.replacement}}
        )
    return {
        "description": {"text": fix.title},
        "artifactChanges": [
            {"artifactLocation": _artifact(path, cwd), "replacements": replacements}
            for path, replacements in changes.items()
        ],
        "properties": {"applicability": fix.applicability.value},
    }


def sarif_dict(
    report: Report, cwd: Path | None = None, category: str | None = None
) -> dict[str, Any]:
    """Return the SARIF log as JSON-ready data (suppressed findings left out)."""
    cwd = cwd or Path.cwd()
    rule_ids = sorted(set(report.rules_run) | {f.rule_id for f in report.findings})
    index = {rid: i for i, rid in enumerate(rule_ids)}
    prints = fingerprints(report.findings)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "eilint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFO_URI,
                "rules": [_rule(report.catalog.rules[r]) for r in rule_ids],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": cwd.as_uri().rstrip("/") + "/"}},
        "results": [
            _result(f, index[f.rule_id], p, cwd)
            for f, p in zip(report.findings, prints, strict=True)
        ],
        "columnKind": "unicodeCodePoints",
    }
    if category:
        # GitHub reads the part up to the last "/" as the analysis category, so
        # uploads for two clusters (or nginx alone) do not replace each other.
        run["automationDetails"] = {"id": category.rstrip("/") + "/"}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render_sarif(report: Report, stream: TextIO, category: str | None = None) -> None:
    """Write the SARIF log."""
    json.dump(sarif_dict(report, category=category), stream, indent=2, sort_keys=True)
    stream.write("\n")
