"""The programmatic entry point used by the CLI and the tests."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct
from msgspec import field
from msgspec.structs import replace

from eilint.catalog import load_catalog
from eilint.catalog_compile import CatalogError
from eilint.findings import Severity
from eilint.model.cluster import Cluster
from eilint.report import Report
from eilint.selection import SelectionError
from eilint.selection import selected

if TYPE_CHECKING:
    from eilint.loaders.resolve import Resolved
    from eilint.loaders.targets import RemoteSettings


class UsageError(Exception):
    """Unusable input: a one-line message, exit code 2."""


class LintOptions(Struct, frozen=True):
    """What to lint and with which rules."""

    nodes: Sequence[str]
    nginx: Path | None = None
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    addresses: Mapping[str, str] = field(default_factory=dict)
    inline_suppressions: bool = True
    # (glob relative to path_root, rule tokens) from the manifest.
    per_path_ignores: Sequence[tuple[str, Sequence[str]]] = ()
    path_root: Path | None = None
    baseline: Path | None = None
    # How to fetch remote NODE arguments (host:/path); None means the defaults.
    remote: RemoteSettings | None = None
    # The EI profile and version to lint as (--profile, --ei-version, manifest);
    # None: found in each node's tree.
    profile: str | None = None
    ei_version: str | None = None
    # NODE arguments declared ``eilint snapshot`` copies: their
    # .eilint-snapshot.json is applied (elsewhere it is an unread file).
    snapshots: Sequence[str] = ()
    # Attach each finding's fix (JSON, SARIF, --fix); costs a span parse per file.
    fixes: bool = False


def lint(options: LintOptions) -> Report:
    """Load the cluster, run the selected rules and return the report."""
    from eilint import engine

    try:
        catalog = load_catalog()
        rule_ids = selected(catalog, list(options.select), list(options.ignore))
    except (CatalogError, SelectionError) as exc:
        raise UsageError(str(exc)) from None
    resolved, cluster = _load(options)
    cluster = _with_addresses(cluster, options.addresses)
    found = engine.run(
        cluster, catalog, rule_ids, options.severities, options.rule_options
    )
    from eilint.baseline import BaselineError
    from eilint.coverage import coverage
    from eilint.coverage import keep_finding
    from eilint.coverage import needed_by
    from eilint.postprocess import postprocess

    # A missing file matters when a selected rule would have read it.
    needed = needed_by(catalog, rule_ids)
    kept = [f for f in found if keep_finding(f, needed)]

    try:
        done = postprocess(cluster, catalog, rule_ids, kept, options)
    except BaselineError as exc:
        raise UsageError(str(exc)) from None
    findings = done.findings
    if options.fixes:
        from eilint.fix.registry import attach

        findings = attach(findings, cluster, options.rule_options)
    return Report(
        findings=findings,
        suppressed=done.suppressed,
        baselined=done.baselined,
        baseline_stale=done.stale,
        suppressed_by=done.suppressed_by,
        roots=done.roots,
        remote={n.name: n.uri for n in cluster.nodes if n.uri is not None},
        catalog=catalog,
        rules_run=tuple(rule_ids),
        nodes=tuple(n.name for n in cluster.nodes),
        nginx=cluster.nginx.main if cluster.nginx else None,
        sources=resolved.sources,
        node_errors=tuple(resolved.failures),
        cluster=cluster,
        coverage=coverage(cluster, catalog, rule_ids),
    )


def _load(options: LintOptions) -> tuple[Resolved, Cluster]:
    """Resolve the NODE arguments, choose profile and version, load the cluster."""
    from eilint.loaders import load_cluster
    from eilint.loaders import profile
    from eilint.loaders import version
    from eilint.loaders.discover import NodeInputError
    from eilint.loaders.nginx import NginxInputError
    from eilint.loaders.resolve import resolve_nodes
    from eilint.loaders.targets import RemoteSettings

    try:
        if options.nginx is not None and not options.nginx.exists():
            raise UsageError(f"{options.nginx}: no such file or directory (--nginx)")
        resolved = resolve_nodes(
            options.nodes, options.remote or RemoteSettings(), options.snapshots
        )
        choice = profile.choose(resolved.specs, options.profile)
        version.check_requested(options.ei_version)
        cluster = profile.apply(load_cluster(list(choice.specs), options.nginx), choice)
        cluster = version.apply(cluster, choice.specs, options.ei_version)
    except (NodeInputError, NginxInputError) as exc:
        raise UsageError(str(exc)) from None
    return resolved, cluster


def _with_addresses(cluster: Cluster, addresses: Mapping[str, str]) -> Cluster:
    """Give manifest nodes their ``address`` (the one nginx and peers use)."""
    if not addresses:
        return cluster
    nodes = tuple(
        replace(n, address=addresses[n.name]) if n.name in addresses else n
        for n in cluster.nodes
    )
    return replace(cluster, nodes=nodes)


def exit_code(report: Report, fail_on: Severity) -> int:
    """Return 2 when a node could not be read, 1 when a finding reaches ``fail_on``."""
    if report.node_errors:
        return 2
    worst = max((f.severity.rank for f in report.findings), default=0)
    return 1 if worst >= fail_on.rank else 0
