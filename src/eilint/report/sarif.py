"""SARIF 2.1.0 output with what GitHub code scanning reads."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from typing import TextIO

import msgspec.structs

from eilint import REPOSITORY
from eilint import __version__
from eilint.catalog import RuleMeta
from eilint.findings import Finding
from eilint.findings import Location
from eilint.findings import Severity
from eilint.fix.edits import Fix
from eilint.report import Report
from eilint.report.docs import help_uri
from eilint.report.fingerprint import fingerprints
from eilint.report.pathmap import sarif_uri
from eilint.report.redact import redact_message
from eilint.report.sarif_invocation import invocation

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = REPOSITORY
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
        "helpUri": help_uri(meta),
        "shortDescription": {"text": _clip(meta.title)},
        "fullDescription": {"text": _clip(meta.rationale)},
        "help": {
            "text": f"{meta.remediation}\n\nSee `eilint explain {meta.id}`.",
            "markdown": _help_markdown(meta),
        },
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": properties,
    }


def _artifact(loc: Location, report: Report) -> dict[str, Any]:
    uri, relative = sarif_uri(loc, report.remote, report.maps)
    if loc.file == "." and not uri.endswith("/"):
        uri += "/"
    return {"uri": uri, "uriBaseId": SRCROOT} if relative else {"uri": uri}


def _physical(loc: Location, report: Report) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": loc.line or 1}
    if loc.column:
        region["startColumn"] = loc.column
    return {"artifactLocation": _artifact(loc, report), "region": region}


def _absent_dir(loc: Location, report: Report, cwd: Path) -> Location | None:
    """The node's directory, for a finding about a file the node does not have.

    Pointing at the missing file's line 1 would name a file that is not there;
    code scanning shows the node's directory instead, the message names the file.
    """
    root = report.roots.get(loc.node or "")
    if loc.line is not None or not root or loc.file in (None, "."):
        return None
    local = Path(report.sources.get(loc.path, loc.path))
    if os.path.lexists(local if local.is_absolute() else cwd / local):
        return None
    return msgspec.structs.replace(loc, path=root, file=".")


def _location(
    loc: Location, report: Report, cwd: Path, index: int | None = None
) -> dict[str, Any]:
    folder = _absent_dir(loc, report, cwd)
    if folder is not None:
        located: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": _artifact(folder, report)},
            "message": {"text": f"{loc.file} is absent from node {loc.node}"},
        }
        if index is not None:
            located["id"] = index
        return located
    out: dict[str, Any] = {"physicalLocation": _physical(loc, report)}
    if index is not None:
        out["id"] = index
        out["message"] = {"text": f"node {loc.node}" if loc.node else loc.path}
    if loc.key:
        out["logicalLocations"] = [{"fullyQualifiedName": loc.key, "kind": "element"}]
    return out


def _result(
    finding: Finding, index: int, fingerprint: str, report: Report, cwd: Path
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
        result["locations"] = [_location(finding.location, report, cwd)]
    if finding.related:
        result["relatedLocations"] = [
            _location(loc, report, cwd, i + 1) for i, loc in enumerate(finding.related)
        ]
    if finding.fix is not None:
        result["fixes"] = [_fix(finding.fix, report)]
    return result


def _edit_location(path: str, report: Report) -> Location:
    """The Location of an edited file: its node (the longest root holding it)."""
    from eilint.engine import tree_file

    for node, root in sorted(report.roots.items(), key=lambda i: -len(i[1])):
        file = tree_file(path, root)
        if file is not None:
            return Location(path, node=node, file=file)
    return Location(path)


def _fix(fix: Fix, report: Report) -> dict[str, Any]:
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
            {
                "artifactLocation": _artifact(_edit_location(path, report), report),
                "replacements": replacements,
            }
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
            _result(f, index[f.rule_id], p, report, cwd)
            for f, p in zip(report.findings, prints, strict=True)
        ],
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation(report, index)],
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
