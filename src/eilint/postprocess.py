"""After the checks: inline suppressions, per-path ignores and the baseline."""

from __future__ import annotations

import os
from collections.abc import Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct

from eilint import baseline
from eilint import engine
from eilint import suppress
from eilint.catalog import Catalog
from eilint.catalog import RuleMeta
from eilint.findings import Finding
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.selection import _score

if TYPE_CHECKING:
    from eilint.api import LintOptions


class Outcome(Struct, frozen=True):
    """What is reported, and what was hidden and why."""

    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    baselined: tuple[Finding, ...]
    roots: dict[str, str]
    stale: int = 0
    # Aligned with ``suppressed``: the suppression comment's place and reason.
    suppressed_by: tuple[tuple[Location, str], ...] = ()


def postprocess(
    cluster: Cluster,
    catalog: Catalog,
    rule_ids: Sequence[str],
    findings: Sequence[Finding],
    options: LintOptions,
) -> Outcome:
    """Apply suppressions, then per-path ignores, then the baseline."""
    kept = tuple(findings)
    suppressed: tuple[Finding, ...] = ()
    by: tuple[tuple[Location, str], ...] = ()
    if options.inline_suppressions:
        kept, applied = _inline(cluster, catalog, rule_ids, kept, options)
        suppressed = applied.suppressed
        by = tuple((s.where, s.reason) for s in applied.by)
    if options.per_path_ignores:
        root = options.path_root or Path.cwd()
        remote = {n.name for n in cluster.nodes if n.uri is not None}
        kept = tuple(
            f for f in kept if not _path_ignored(f, catalog, root, options, remote)
        )
    roots = node_roots(cluster)
    known: tuple[Finding, ...] = ()
    stale = 0
    if options.baseline is not None:
        recorded = baseline.load(options.baseline)
        kept, known, stale = baseline.split(kept, recorded, roots)
    return Outcome(kept, suppressed, known, roots, stale, by)


def node_roots(cluster: Cluster) -> dict[str, str]:
    """Return each node's tree as shown in paths (see ``engine.tree_roots``)."""
    return engine.tree_roots(cluster)


def _inline(
    cluster: Cluster,
    catalog: Catalog,
    rule_ids: Sequence[str],
    findings: tuple[Finding, ...],
    options: LintOptions,
) -> tuple[tuple[Finding, ...], suppress.Applied]:
    sups, invalid = suppress.collect(cluster, catalog)
    roots = engine.tree_roots(cluster)
    applied = suppress.apply(findings, sups)
    used = set(applied.used)
    # A suppression of a rule that is not selected is judged by running that rule
    # quietly, so EIL020 does not depend on --select.
    extra = sorted({r for s in sups for r in s.rules} - set(rule_ids))
    if extra and suppress.UNUSED in rule_ids:
        probe = engine.run(
            cluster, catalog, extra, options.severities, options.rule_options
        )
        used |= suppress.apply(probe, sups).used
    problems = []
    for rule_id, hits in (
        (suppress.UNUSED, suppress.unused(sups, used)),
        (suppress.INVALID, invalid),
    ):
        if rule_id in rule_ids:
            severity = options.severities.get(rule_id, catalog.rules[rule_id].severity)
            problems += [
                engine.finding(rule_id, catalog, h, severity, roots) for h in hits
            ]
    kept = sorted((*applied.kept, *problems), key=Finding.sort_key)
    return tuple(kept), applied


def _path_ignored(
    finding: Finding,
    catalog: Catalog,
    root: Path,
    options: LintOptions,
    remote: set[str],
) -> bool:
    loc = finding.location
    # A remote node's host:/path is matched as written; a local one (even a
    # directory named 'a:b') relative to the manifest's directory.
    rel = loc.path if loc.node in remote else _relative_to(loc.path, root)
    meta: RuleMeta = catalog.rules[finding.rule_id]
    for raw, tokens in options.per_path_ignores:
        pattern = raw.rstrip("/")
        matched = fnmatchcase(rel, pattern) or fnmatchcase(rel, pattern + "/*")
        if matched and any(_score(t, meta) for t in tokens):
            return True
    return False


def _relative_to(path: str, root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()
