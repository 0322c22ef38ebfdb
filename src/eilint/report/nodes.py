"""Each node's profile and EI release, as the reports state them.

The facts a node is linted with follow from these two, so every report says
them: one line in the text summary, ``nodes`` in JSON, the SARIF invocation's
property bag.
"""

from __future__ import annotations

from typing import Any

from eilint.report import Report
from eilint.report.redact import printable

# How the text summary says where a version came from.
_FROM_TEXT = {"requested": "as requested", "assumed": "assumed: the tree does not say"}


def node_list(report: Report) -> list[dict[str, Any]]:
    """Return per node (sorted by name) its profile, EI version and its source."""
    if report.cluster is None:
        return []
    return [
        {
            "node": node.name,
            "profile": node.profile,
            "ei_version": node.ei_version,
            "ei_version_from": node.ei_version_from,
        }
        for node in sorted(report.cluster.nodes, key=lambda n: n.name)
    ]


def _release(entry: dict[str, Any]) -> str:
    told = entry["ei_version_from"]
    return f"EI {entry['ei_version']} ({_FROM_TEXT.get(told, told)})"


def node_line(report: Report) -> str | None:
    """Return ``profile integrator, EI 6.5.0 (carbon.xml)``, per node when mixed."""
    entries = node_list(report)
    if not entries:
        return None
    profiles = {e["profile"] for e in entries}
    releases = {_release(e) for e in entries}
    if len(profiles) == 1 and len(releases) == 1:
        line = f"profile {entries[0]['profile']}, {releases.pop()}"
    else:
        line = "; ".join(
            f"{e['node']}: profile {e['profile']}, {_release(e)}" for e in entries
        )
    return printable(line).replace("\n", "\ufffd")
