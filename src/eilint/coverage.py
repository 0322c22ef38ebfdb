"""What each node's check covered: files read, absent, failed; rules left idle.

A rule says nothing about a file that is not there. So that a quiet report is
not taken for a verified node, every report states per node which of the
profile's files were read, which are absent or could not be parsed, which
templates stand in for files, and which selected rules could not check it
(their input is among the missing files). Rules name their inputs in the
catalog's ``applies-to``.
"""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct

from eilint.catalog import Catalog
from eilint.catalog import RuleMeta
from eilint.findings import Finding
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.profile import OPTIONAL_FILES
from eilint.model.profile import PROFILE_FILES
from eilint.model.profile import profile_files
from eilint.model.versions import release

_CONF = "conf/"
_DATASOURCES = "datasources/*.xml"


class NodeCoverage(Struct, frozen=True):
    """One node: conf-relative files read, absent, failed; idle rules."""

    node: str
    layout: str
    read: tuple[str, ...]
    absent: tuple[str, ...]
    failed: tuple[str, ...]
    templates: tuple[str, ...]
    rules_not_run: tuple[str, ...]
    # "applied", "ignored" (a .eilint-snapshot.json of an undeclared tree), None.
    snapshot_record: str | None = None

    @property
    def complete(self) -> bool:
        """True when every file of the profile was read and every rule ran."""
        return not (self.absent or self.failed or self.templates or self.rules_not_run)


def _listed(items: Sequence[str], limit: int | None) -> str:
    if limit is None or len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])} and {len(items) - limit} more"


def gaps(cov: NodeCoverage, limit: int | None = None) -> list[str]:
    """Describe what ``cov``'s node lacks, in words (file lists cut at ``limit``)."""
    parts = []
    if cov.absent:
        parts.append(f"absent {_listed(cov.absent, limit)}")
    if cov.failed:
        parts.append(f"not parsed {_listed(cov.failed, limit)}")
    if cov.templates:
        parts.append(f"{len(cov.templates)} unrendered template(s)")
    if cov.rules_not_run:
        ids = _listed(cov.rules_not_run, None if limit is None else limit + 2)
        parts.append(f"{len(cov.rules_not_run)} rules could not check it ({ids})")
    if cov.snapshot_record == "ignored":
        parts.append(".eilint-snapshot.json not applied (not declared a snapshot)")
    return parts


def idle_by_rule(
    coverages: Sequence[NodeCoverage],
) -> dict[str, list[NodeCoverage]]:
    """Map each rule left idle somewhere to those nodes, by rule then node name."""
    idle: dict[str, list[NodeCoverage]] = {}
    for cov in sorted(coverages, key=lambda c: c.node):
        for rule_id in cov.rules_not_run:
            idle.setdefault(rule_id, []).append(cov)
    return dict(sorted(idle.items()))


def _inputs(applies_to: Sequence[str]) -> list[str]:
    """Return the conf-relative files a rule needs (optional files left out)."""
    found = []
    for entry in applies_to:
        if not entry.startswith(_CONF):
            continue
        rel = entry[len(_CONF) :]
        if rel not in OPTIONAL_FILES:
            found.append(rel)
    return found


def _missing(rel: str, unavailable: set[str], node: Node) -> bool:
    if rel == _DATASOURCES:
        return not any(r.startswith("datasources/") for r in node.xml)
    return rel in unavailable


def needed_by(catalog: Catalog, rule_ids: Sequence[str]) -> set[str] | None:
    """Return the conf-relative files the selected (non-EIL) rules read.

    None (every missing key file is wanted) when only the coverage rules are
    selected (``--select EIL030``); ``--select EIL`` asks about the files that
    are there, so it gets no EIL030.
    """
    if set(rule_ids) <= {"EIL030", "EIL031"}:
        return None
    needed: set[str] = set()
    for rule_id in rule_ids:
        if not rule_id.startswith("EIL"):
            needed.update(_inputs(catalog.rules[rule_id].applies_to))
    if _DATASOURCES in needed:
        needed.update(f for f in PROFILE_FILES if f.startswith("datasources/"))
    return needed


def keep_finding(finding: Finding, needed: set[str] | None) -> bool:
    """Drop an EIL030 about a file no selected rule reads (``--select REG,EIL``)."""
    if needed is None or finding.rule_id != "EIL030":
        return True
    return finding.location.key in needed


def missing_inputs(cov: NodeCoverage, applies_to: Sequence[str]) -> list[str]:
    """Return the inputs of a rule that ``cov``'s node lacks (absent or failed)."""
    unavailable = {*cov.absent, *cov.failed}
    found = []
    for rel in _inputs(applies_to):
        if rel == _DATASOURCES:
            if not any(r.startswith("datasources/") for r in cov.read):
                found.append(rel)
        elif rel in unavailable:
            found.append(rel)
    return found


def _applies(meta: RuleMeta, node: Node) -> bool:
    return meta.judges(node.profile) and (
        not meta.versions or node.ei_version in meta.versions
    )


def node_coverage(
    node: Node, catalog: Catalog, rule_ids: Sequence[str]
) -> NodeCoverage:
    """Return what eilint read of ``node`` and which selected rules it starved."""
    known = {*PROFILE_FILES, *OPTIONAL_FILES}
    parsed = {*node.xml, *node.props}
    read = sorted(r for r in parsed if r in known or r.startswith("datasources/"))
    failed = sorted(
        r
        for r in node.present
        if (r in known or r.startswith("datasources/")) and r not in parsed
    )
    stock = profile_files(node.profile, release(node.ei_version).log4j)
    absent = [r for r in stock if r not in node.present]
    unavailable = {*absent, *failed}
    idle = [
        rule_id
        for rule_id in rule_ids
        # EIL rules report the loading itself: they ran, and say what was missing.
        if not rule_id.startswith("EIL")
        # A rule of another profile or release does not judge this node at all.
        and _applies(catalog.rules[rule_id], node)
        and any(
            _missing(rel, unavailable, node)
            for rel in _inputs(catalog.rules[rule_id].applies_to)
        )
    ]
    return NodeCoverage(
        node=node.name,
        layout=node.layout,
        read=tuple(read),
        absent=tuple(absent),
        failed=tuple(failed),
        templates=node.templates,
        rules_not_run=tuple(sorted(idle)),
        snapshot_record=node.record,
    )


def coverage(
    cluster: Cluster, catalog: Catalog, rule_ids: Sequence[str]
) -> tuple[NodeCoverage, ...]:
    """Return every node's coverage, in the cluster's node order."""
    return tuple(node_coverage(n, catalog, rule_ids) for n in cluster.nodes)
