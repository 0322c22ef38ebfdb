"""SARIF ``invocations[0]``: whether the run succeeded and what it covered.

Per SARIF 2.1.0 (3.20), ``toolExecutionNotifications`` hold runtime
conditions: a node that could not be read at all (exit 2), and each node
eilint could not fully check (files absent, not parsed, templates).
``toolConfigurationNotifications`` name, per selected rule, the nodes it
could not check, with ``associatedRule`` pointing into ``tool.driver.rules``.
The whole coverage (docs/json-format.md, ``coverage``) rides in the
invocation's property bag for machines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eilint.coverage import gaps
from eilint.coverage import idle_by_rule
from eilint.coverage import missing_inputs
from eilint.report import Report
from eilint.report.json import coverage_list
from eilint.report.nodes import node_list
from eilint.report.redact import printable
from eilint.report.redact import redact_message


def _execution(report: Report) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = [
        {"level": "error", "message": {"text": redact_message(error)}}
        for error in report.node_errors
    ]
    for cov in sorted(report.coverage, key=lambda c: c.node):
        if cov.complete:
            continue
        text = printable(
            f"{cov.node} was not fully checked ({'; '.join(gaps(cov, 6))})"
        )
        notes.append(
            {
                "level": "warning",
                "message": {"text": text},
                "properties": {"node": cov.node},
            }
        )
    return notes


def _configuration(report: Report, index: Mapping[str, int]) -> list[dict[str, Any]]:
    notes = []
    for rule_id, covs in idle_by_rule(report.coverage).items():
        applies_to = report.catalog.rules[rule_id].applies_to
        where = "; ".join(
            f"{c.node} lacks {', '.join(missing_inputs(c, applies_to))}" for c in covs
        )
        notes.append(
            {
                "level": "note",
                "message": {
                    "text": printable(f"{rule_id} could not check every node ({where})")
                },
                "associatedRule": {"id": rule_id, "index": index[rule_id]},
                "properties": {"nodes": [c.node for c in covs]},
            }
        )
    return notes


def invocation(report: Report, index: Mapping[str, int]) -> dict[str, Any]:
    """Return the run's single invocation object."""
    return {
        "executionSuccessful": not report.node_errors,
        "toolExecutionNotifications": _execution(report),
        "toolConfigurationNotifications": _configuration(report, index),
        "properties": {"coverage": coverage_list(report), "nodes": node_list(report)},
    }
