"""``eilint check`` behind the CLI: manifest, outputs, baseline."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING
from typing import TextIO

from msgspec import Struct
from msgspec import field
from msgspec.structs import replace

from eilint.api import LintOptions
from eilint.api import UsageError
from eilint.api import exit_code
from eilint.api import lint
from eilint.catalog import load_catalog
from eilint.catalog_compile import CatalogError
from eilint.config import Config
from eilint.config import ConfigError
from eilint.config import find_manifest
from eilint.config import is_remote
from eilint.config import load_config
from eilint.findings import Finding
from eilint.findings import Severity
from eilint.loaders.discover import split_arg
from eilint.loaders.files import display_path
from eilint.report import Report

if TYPE_CHECKING:
    from eilint.loaders.targets import RemoteSettings

TOPOLOGY_SUFFIXES = {".html": "html", ".htm": "html", ".dot": "dot", ".gv": "dot"}
TOPOLOGY_SUFFIXES[".mmd"] = "mermaid"


class CheckArgs(Struct, frozen=True):
    """Everything ``eilint check`` was given (None/empty: not given)."""

    nodes: Sequence[str] = ()
    nginx: Path | None = None
    formats: Sequence[str] = ()
    outputs: Sequence[Path] = ()
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    fail_on: str | None = None
    config: Path | None = None
    offline: bool = False
    inline_suppressions: bool = True
    baseline: Path | None = None
    write_baseline: Path | None = None
    sarif_category: str | None = None
    # Remote nodes: how to reach them, and NAME=DIR maps of their SARIF paths.
    remote: RemoteSettings | None = None
    maps: Sequence[str] = ()
    # The text report: auto/always/never; no summary; per-rule counts only.
    color: str = "auto"
    quiet: bool = False
    statistics: bool = False
    # The EI profile / version to lint as (None: the manifest's, else detected).
    profile: str | None = None
    ei_version: str | None = None
    # --snapshots: every local NODE is an `eilint snapshot` copy.
    snapshots: bool = False
    # --fix, --unsafe-fixes, --diff, --show-fixes (eilint.fix).
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    show_fixes: bool = False


def load_manifest(explicit: Path | None, cwd: Path | None = None) -> Config:
    """Load ``--config`` or the nearest ``eilint.yaml``; an empty Config if none."""
    path = explicit
    if path is None:
        path = find_manifest(cwd or Path.cwd())
        if path is None:
            return Config()
    elif not path.is_file():
        raise UsageError(f"{path}: no such manifest (--config)")
    try:
        return load_config(path, load_catalog(), display_path(path))
    except CatalogError as exc:
        raise UsageError(str(exc)) from None
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _node_args(args: CheckArgs, config: Config) -> list[str]:
    if args.nodes:
        return list(args.nodes)
    if config.nodes:
        return [n.arg() for n in config.nodes]
    if config.source:
        raise UsageError(f"{config.source}: no 'nodes' listed, and no NODE given")
    raise UsageError(
        "no NODE given and no eilint.yaml found here or above "
        "(give node directories, or run `eilint init`)"
    )


def _check_offline(nodes: Sequence[str]) -> None:
    for arg in nodes:
        _, path = split_arg(arg)
        if is_remote(path):
            raise UsageError(
                f"{arg}: a remote node; --offline never connects "
                "(lint a local copy, e.g. from `eilint snapshot`)"
            )


def build_options(args: CheckArgs, config: Config) -> LintOptions:
    """Merge CLI arguments over the manifest (CLI wins) into lint options."""
    nodes = _node_args(args, config)
    if args.offline:
        _check_offline(nodes)
    use_manifest_nodes = not args.nodes
    nginx = args.nginx or (config.nginx if use_manifest_nodes else None)
    addresses = {n.name: n.address for n in config.nodes if n.name and n.address}
    baseline = None if args.write_baseline else (args.baseline or config.baseline)
    snapshots = list(nodes) if args.snapshots else []
    if use_manifest_nodes:
        snapshots += [n.arg() for n in config.nodes if n.snapshot]
    return LintOptions(
        nodes=nodes,
        nginx=nginx,
        select=list(args.select) or list(config.select),
        # As in ruff, a --select on the command line is not undone by the
        # manifest's ignore list: the manifest's selection is replaced whole.
        ignore=list(args.ignore) or ([] if args.select else list(config.ignore)),
        severities=config.severities,
        rule_options=config.options,
        addresses=addresses if use_manifest_nodes else {},
        inline_suppressions=args.inline_suppressions,
        per_path_ignores=config.per_path_ignores,
        path_root=config.root,
        baseline=baseline,
        remote=args.remote,
        profile=args.profile or config.profile,
        ei_version=args.ei_version or config.ei_version,
        snapshots=snapshots,
    )


def plan_outputs(
    formats: Sequence[str], outputs: Sequence[Path], env: Mapping[str, str]
) -> list[tuple[str, Path | None]]:
    """Pair each format with the --output at the same position (else stdout)."""
    suffixes = [TOPOLOGY_SUFFIXES.get(p.suffix.lower()) for p in outputs]
    if not formats and outputs and all(suffixes):
        # `-o topology.html` alone says which format it wants.
        formats = [s for s in suffixes if s]
    if not formats:
        formats = ["github" if env.get("GITHUB_ACTIONS") == "true" else "text"]
    if len(outputs) > len(formats):
        raise UsageError(
            "more --output than --format options; each --output belongs to the "
            "--format at the same position"
        )
    pairs = [
        (f, outputs[i] if i < len(outputs) else None) for i, f in enumerate(formats)
    ]
    if sum(1 for _, out in pairs if out is None) > 1:
        raise UsageError(
            "only one format can go to standard output; give the others an --output "
            "(--format sarif --output a.sarif --format text)"
        )
    return pairs


def render(fmt: str, report: Report, stream: TextIO, extra: _RenderExtra) -> None:
    """Write one report format to a stream."""
    if fmt == "json":
        from eilint.report.json import render_json

        render_json(report, stream)
    elif fmt == "sarif":
        from eilint.report.pathmap import sarif_view
        from eilint.report.sarif import render_sarif

        render_sarif(sarif_view(report, extra.maps), stream, extra.sarif_category)
    elif fmt == "github":
        from eilint.report.github import render_github
        from eilint.report.pathmap import mapped_view

        render_github(mapped_view(report, extra.maps), stream)
    elif fmt == "junit":
        from eilint.report.junit import render_junit

        render_junit(report, stream, extra.fail_on)
    elif fmt in ("html", "dot", "mermaid"):
        from eilint.report.topology import render_topology

        render_topology(fmt, report, stream)
    else:
        from eilint.report.text import render_text
        from eilint.report.text import wants_color

        color = wants_color(extra.color, stream)
        render_text(
            report, stream, color, extra.quiet, extra.statistics, fixes=extra.fixes
        )


class _RenderExtra(Struct, frozen=True):
    fail_on: Severity
    sarif_category: str | None
    maps: Mapping[str, str] = field(default_factory=dict)
    color: str = "auto"
    quiet: bool = False
    statistics: bool = False
    # The text report's [*] marks and fixable count (eilint.fix.run.fix_kind).
    fixes: Callable[[Finding], str | None] | None = None


def write_outputs(
    pairs: list[tuple[str, Path | None]], report: Report, extra: _RenderExtra
) -> None:
    """Write every requested format (all files are opened first, so a bad path
    stops the run before any report is written)."""
    with ExitStack() as stack:
        streams: list[TextIO] = []
        for _, path in pairs:
            if path is None:
                streams.append(sys.stdout)
                continue
            try:
                streams.append(stack.enter_context(path.open("w", encoding="utf-8")))
            except OSError as exc:
                message = f"{path}: cannot write report ({exc.strerror})"
                raise UsageError(message) from None
        for (fmt, _), stream in zip(pairs, streams, strict=True):
            render(fmt, report, stream, extra)


def run_check(args: CheckArgs, env: Mapping[str, str] | None = None) -> int:
    """Run ``eilint check``; return the exit code (raise UsageError for 2)."""
    config = load_manifest(args.config)
    options = build_options(args, config)
    pairs = plan_outputs(args.formats, args.outputs, env or os.environ)
    maps = _maps(args.maps)
    fixing = args.fix or args.diff
    formats = {f for f, _ in pairs}
    if fixing or args.show_fixes or {"json", "sarif"} & formats:
        options = replace(options, fixes=True)
    if fixing:
        report, code = _fix(args, config, options)
        if code is not None:
            return code
    else:
        report = lint(options)
        if args.show_fixes:
            _show_available(report)
    for error in report.node_errors:
        print(f"eilint: {error}", file=sys.stderr)
    if args.write_baseline is not None:
        if report.node_errors:
            return 2  # a baseline without those nodes' findings would be wrong
        return _write_baseline(args.write_baseline, report)
    fail_on = Severity.parse(args.fail_on) if args.fail_on else None
    fail_on = fail_on or config.fail_on or Severity.ERROR
    category = args.sarif_category or (
        f"eilint/{config.cluster}" if config.cluster else None
    )
    _check_maps(report, maps)
    extra = _RenderExtra(
        fail_on,
        category,
        maps,
        args.color,
        args.quiet,
        args.statistics,
        _fix_kinds(args, config, options.fixes) if "text" in formats else None,
    )
    write_outputs(pairs, report, extra)
    if report.baseline_stale:
        # Fixed problems left in the baseline would hide their return unnoticed.
        print(
            "eilint: "
            + _count(
                report.baseline_stale,
                "baseline entry matches",
                "baseline entries match",
            )
            + " nothing any more; refresh the file with --write-baseline",
            file=sys.stderr,
        )
    return exit_code(report, fail_on)


def _fix_kinds(
    args: CheckArgs, config: Config, exact: bool
) -> Callable[[Finding], str | None]:
    from eilint.fix.kinds import FixMode
    from eilint.fix.kinds import fix_kind

    mode = FixMode(args.unsafe_fixes, False, config.fixable, config.unfixable)
    return fix_kind(mode, exact)


def _fix(
    args: CheckArgs, config: Config, options: LintOptions
) -> tuple[Report, int | None]:
    """Run the fix loop; with --diff print the diff and return its exit code."""
    from eilint.fix.kinds import FixMode
    from eilint.fix.run import fix_cluster
    from eilint.fix.run import print_errors
    from eilint.fix.run import print_fixed

    mode = FixMode(
        unsafe=args.unsafe_fixes,
        diff=args.diff,
        fixable=config.fixable,
        unfixable=config.unfixable,
    )
    outcome = fix_cluster(options, mode)
    if args.diff:
        print_errors(outcome)
        sys.stdout.flush()
        sys.stdout.buffer.write(outcome.diff)
        sys.stdout.flush()
        if not outcome.converged:
            return outcome.report, 2
        return outcome.report, 1 if outcome.diff else 0
    print_fixed(outcome, args.show_fixes)
    return outcome.report, (2 if not outcome.converged else None)


def _show_available(report: Report) -> None:
    from eilint.fix.run import print_fix_list

    fixable = [f for f in report.findings if f.fix is not None]
    print(f"eilint: {len(fixable)} findings have a fix", file=sys.stderr)
    print_fix_list(fixable, "fixable")


def _maps(items: Sequence[str]) -> dict[str, str]:
    from eilint.report.pathmap import MapError
    from eilint.report.pathmap import parse_maps

    try:
        return parse_maps(list(items))
    except MapError as exc:
        raise UsageError(str(exc)) from None


def _check_maps(report: Report, maps: Mapping[str, str]) -> None:
    from eilint.report.pathmap import MapError
    from eilint.report.pathmap import remote_prefixes

    try:
        remote_prefixes(report, maps)
    except MapError as exc:
        raise UsageError(str(exc)) from None


def _write_baseline(path: Path, report: Report) -> int:
    from eilint.baseline import BaselineError
    from eilint.baseline import write

    try:
        count = write(path, report.findings, report.roots)
    except BaselineError as exc:
        raise UsageError(str(exc)) from None
    found = _count(count, "finding", "findings")
    print(f"eilint: wrote {found} to the baseline {path}", file=sys.stderr)
    return 0


def _count(n: int, one: str, many: str) -> str:
    """Return e.g. ``1 finding`` or ``3 findings``."""
    return f"{n} {one if n == 1 else many}"
