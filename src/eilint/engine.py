"""Run the selected checks over a cluster and turn hits into sorted findings."""

from __future__ import annotations

import os
from collections.abc import Iterable
from collections.abc import Mapping

from msgspec.structs import replace

from eilint.catalog import Catalog
from eilint.checks import CHECKS
from eilint.findings import Finding
from eilint.findings import Hit
from eilint.findings import Location
from eilint.findings import Severity
from eilint.model.cluster import Cluster


class CatalogMismatch(Exception):
    """A selected rule has no check (the catalog and the code disagree)."""


def tree_roots(cluster: Cluster) -> dict[str, str]:
    """Return each tree's root as shown in paths: node name (or ``nginx``) → root."""
    roots = {n.name: n.root for n in cluster.nodes}
    if cluster.nginx is not None:
        roots["nginx"] = os.path.dirname(cluster.nginx.main)
    return roots


def tree_file(path: str, root: str | None) -> str | None:
    """Return ``path`` relative to its tree's ``root``, or None when not below it.

    The one place that relates a display path to its tree: both strings are made
    by the same loader function (``NodeSpec.display``), so the root is a prefix
    of every path of the tree, except that a tree shown as ``.`` (the working
    directory) gives bare relative paths.
    """
    if root is None:
        return None
    if root in ("", "."):
        relative = not path.startswith(("/", "../")) and path not in ("", "..")
        return (path or ".") if relative else None
    if path == root:
        return "."
    top = root.rstrip("/") + "/"
    return path[len(top) :] if path.startswith(top) else None


def placed(loc: Location, roots: Mapping[str, str]) -> Location:
    """Return the location with ``file`` (its node-relative identity) filled."""
    if loc.file is not None or loc.node is None:
        return loc
    file = tree_file(loc.path, roots.get(loc.node))
    return loc if file is None else replace(loc, file=file)


def _finding(
    meta_id: str,
    catalog: Catalog,
    hit: Hit,
    severity: Severity,
    roots: Mapping[str, str],
) -> Finding:
    meta = catalog.rules[meta_id]
    location = placed(hit.location, roots)
    related = {placed(loc, roots) for loc in hit.related} - {location}
    return Finding(
        rule_id=meta.id,
        rule_name=meta.name,
        severity=severity,
        message=hit.message,
        hint=hit.hint or meta.hint,
        location=location,
        related=tuple(sorted(related)),
    )


def finding(
    rule_id: str,
    catalog: Catalog,
    hit: Hit,
    severity: Severity,
    roots: Mapping[str, str] | None = None,
) -> Finding:
    """Build a finding for a hit made outside the checks (suppression problems)."""
    return _finding(rule_id, catalog, hit, severity, roots or {})


def _crash(rule_id: str, exc: Exception) -> Hit:
    # Only the exception type: its text could quote a config value (a password).
    message = f"check {rule_id} failed with {type(exc).__name__}; please report it"
    return Hit(message, Location("<eilint>", None, None, None, rule_id))


def _run_one(
    rule_id: str, cluster: Cluster, options: Mapping[str, object]
) -> list[Hit]:
    check = CHECKS.get(rule_id)
    if check is None:
        raise CatalogMismatch(f"rule {rule_id} is in the catalog but has no check")
    try:
        return list(check(cluster, options))
    except Exception as exc:
        if os.environ.get("EILINT_DEBUG"):
            raise
        return [_crash(rule_id, exc)]


def _of_versions(
    versions: tuple[str, ...],
    cluster: Cluster,
    opts: Mapping[str, object],
    rule_id: str,
) -> list[Hit]:
    """Run a check, keeping the hits on nodes of the releases the rule is for."""
    hits = _run_one(rule_id, cluster, opts)
    if not versions:
        return hits
    of = {n.name: n.ei_version for n in cluster.nodes}
    # A hit on no node (the cluster, nginx) stands when any node is of them.
    any_node = any(v in versions for v in of.values())
    return [
        h
        for h in hits
        if (of.get(h.location.node or "") in versions)
        or (h.location.node not in of and any_node)
    ]


def run(
    cluster: Cluster,
    catalog: Catalog,
    rule_ids: Iterable[str],
    severities: Mapping[str, Severity] | None = None,
    options: Mapping[str, Mapping[str, object]] | None = None,
) -> list[Finding]:
    """Run each rule's check; the engine, not the check, sets id and severity."""
    findings: set[Finding] = set()
    roots = tree_roots(cluster)
    for rule_id in rule_ids:
        if not catalog.rules[rule_id].judges(cluster.profile):
            continue  # a rule of another EI profile (catalog "profiles")
        severity = (severities or {}).get(rule_id, catalog.rules[rule_id].severity)
        defaults = {o.name: o.default for o in catalog.rules[rule_id].options}
        opts = {**defaults, **(options or {}).get(rule_id, {})}
        for hit in _of_versions(
            catalog.rules[rule_id].versions, cluster, opts, rule_id
        ):
            crashed = hit.location.path == "<eilint>"
            target = "EIL900" if crashed else rule_id
            level = Severity.ERROR if crashed else severity
            findings.add(_finding(target, catalog, hit, level, roots))
    return sorted(findings, key=Finding.sort_key)
