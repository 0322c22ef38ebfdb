"""Render findings as text, JSON or SARIF."""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import Struct
from msgspec import field

from eilint.catalog import Catalog
from eilint.coverage import NodeCoverage
from eilint.findings import Finding
from eilint.findings import Location
from eilint.findings import Severity
from eilint.model.cluster import Cluster


class Report(Struct, frozen=True):
    """What every renderer gets: findings, the catalog, which rules ran, the nodes."""

    findings: tuple[Finding, ...]
    catalog: Catalog
    rules_run: tuple[str, ...]
    nodes: tuple[str, ...]
    nginx: str | None = None
    sources: Mapping[str, str] = field(default_factory=dict)
    # Left out of every output (SARIF included); counted in the text summary.
    suppressed: tuple[Finding, ...] = ()
    baselined: tuple[Finding, ...] = ()
    # Baseline entries that matched nothing this time (fixed, or moved elsewhere).
    baseline_stale: int = 0
    # Aligned with ``suppressed``: where the suppression comment is, and its reason.
    suppressed_by: tuple[tuple[Location, str], ...] = ()
    roots: Mapping[str, str] = field(default_factory=dict)
    # Remote node name → ``ssh://host/path``; ``--map`` node name → repo dir.
    # Read only through report/pathmap.py, the one renderer of file names.
    remote: Mapping[str, str] = field(default_factory=dict)
    maps: Mapping[str, str] = field(default_factory=dict)
    # One line per node that could not be read at all (remote nodes); exit 2.
    node_errors: tuple[str, ...] = ()
    # The loaded model, for the topology formats (html, dot, mermaid).
    cluster: Cluster | None = None
    # Per node: the files read, absent, failed, and the rules left idle.
    coverage: tuple[NodeCoverage, ...] = ()

    def counts(self) -> dict[Severity, int]:
        """Count findings per severity."""
        counts = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts
