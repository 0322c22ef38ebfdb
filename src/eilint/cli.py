"""The ``eilint`` command line (typer); thin: parse arguments, call the api."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Annotated

import typer

from eilint import __version__

if TYPE_CHECKING:
    from eilint.loaders.targets import RemoteSettings

app = typer.Typer(
    name="eilint",
    help="Lint WSO2 EI 6.3.0 business-process clusters and the nginx in front of them.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(StrEnum):
    """Output formats."""

    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"


class FailOn(StrEnum):
    """The lowest severity that makes ``eilint check`` exit 1."""

    error = "error"
    warning = "warning"
    note = "note"


JOBS = typer.Option(
    "--jobs", "-j", min=1, help="Remote nodes fetched at once (each one ssh)."
)
TIMEOUT = typer.Option(min=1.0, help="Seconds allowed per remote node.")
SSH_CONFIG = typer.Option(
    help="ssh_config for remote nodes (default: ~/.ssh/config, as ssh does)."
)


def _remote_settings(
    jobs: int, timeout: float, ssh_config: Path | None
) -> RemoteSettings:
    from eilint.loaders.targets import RemoteSettings

    return RemoteSettings(jobs, timeout, ssh_config, progress=sys.stderr.isatty())


def _die(message: str) -> None:
    typer.echo(f"eilint: {message}", err=True)
    raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"eilint {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Lint WSO2 EI 6.3.0 business-process clusters and their nginx load balancer."""


@app.command()
def check(  # noqa: PLR0917 - typer maps each parameter to an option
    nodes: Annotated[
        list[str] | None,
        typer.Argument(
            help="Node trees: PATH or NAME=PATH (an EI_HOME or the profile's conf/), "
            "or [NAME=][user@]host:/path read over ssh. "
            "Default: the nodes of eilint.yaml."
        ),
    ] = None,
    nginx: Annotated[
        Path | None,
        typer.Option(help="nginx.conf, or a directory holding it or vhost files."),
    ] = None,
    fmt: Annotated[
        list[Format] | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format; repeat for several. Default: text, or github "
            "under GitHub Actions.",
        ),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the --format at the same position to FILE.",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(help="Only these rules: ids, prefixes, names, tag:TAG."),
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Skip these rules.")] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            help="Exit 1 when a finding of this severity or worse exists "
            "(default: the manifest's fail-on, else error)."
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="The manifest (default: eilint.yaml here or above)."),
    ] = None,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline", help="Never connect anywhere: a host:/path node is an error."
        ),
    ] = False,
    no_inline_suppressions: Annotated[
        bool,
        typer.Option(
            "--no-inline-suppressions",
            help="Ignore eilint: disable= comments (for audits).",
        ),
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(help="Hide the findings recorded in this baseline file."),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(help="Record today's findings in FILE and exit 0."),
    ] = None,
    sarif_category: Annotated[
        str | None,
        typer.Option(help="SARIF automationDetails.id category (code scanning)."),
    ] = None,
    jobs: Annotated[int, JOBS] = 4,
    timeout: Annotated[float, TIMEOUT] = 60.0,
    ssh_config: Annotated[Path | None, SSH_CONFIG] = None,
    path_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="NAME=DIR: show remote node NAME's files in SARIF and GitHub "
            "annotations as DIR/... (its copy in the repo).",
        ),
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply the safe fixes to the files.")
    ] = False,
    unsafe_fixes: Annotated[
        bool,
        typer.Option(
            "--unsafe-fixes", help="With --fix or --diff, include the unsafe fixes."
        ),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff", help="Print the fixes as a unified diff; write nothing."
        ),
    ] = False,
    show_fixes: Annotated[
        bool,
        typer.Option("--show-fixes", help="List what was fixed (or can be)."),
    ] = False,
) -> None:
    """Check a cluster: every node's config tree and the nginx tree in front of it."""
    from eilint.entry import check_args
    from eilint.entry import run_check_args

    args = check_args(
        nodes,
        nginx,
        [f.value for f in fmt or ()],
        output,
        select,
        ignore,
        fail_on.value if fail_on else None,
        config,
        offline,
        no_inline_suppressions,
        baseline,
        write_baseline,
        sarif_category,
        jobs,
        timeout,
        ssh_config,
        path_map,
        fix,
        unsafe_fixes,
        diff,
        show_fixes,
    )
    raise typer.Exit(run_check_args(args))


@app.command()
def init(
    directory: Annotated[
        Path, typer.Argument(help="The directory holding the node trees.")
    ] = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite eilint.yaml.")] = False,
) -> None:
    """Write a commented eilint.yaml listing the node directories found."""
    from eilint.api import UsageError
    from eilint.workflow import run_init

    try:
        target = run_init(directory, force)
    except (UsageError, OSError) as exc:
        _die(str(exc))
        return
    typer.echo(f"wrote {target}; check it, then run `eilint check`")


@app.command(hidden=True)
def docs(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE.")
    ] = None,
) -> None:
    """Print the rule reference (rules/README.md) generated from the catalog."""
    from eilint.catalog import CatalogError
    from eilint.catalog import load_catalog
    from eilint.report.docs import render_docs

    try:
        text = render_docs(load_catalog())
    except CatalogError as exc:
        _die(str(exc))
        return
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _die(f"{output}: cannot write ({exc.strerror})")


@app.command()
def snapshot(  # noqa: PLR0917 - typer maps each parameter to an option
    nodes: Annotated[
        list[str],
        typer.Argument(help="Nodes: [NAME=][user@]host:/path (or a local PATH)."),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Write DIR/<node>/ for each node.")
    ],
    force: Annotated[
        bool, typer.Option(help="Replace an existing DIR/<node>/.")
    ] = False,
    jobs: Annotated[int, JOBS] = 4,
    timeout: Annotated[float, TIMEOUT] = 60.0,
    ssh_config: Annotated[Path | None, SSH_CONFIG] = None,
) -> None:
    """Copy the files eilint reads from live nodes, to lint them offline later."""
    from eilint.loaders.discover import NodeInputError
    from eilint.loaders.snapshot import take_snapshot

    settings = _remote_settings(jobs, timeout, ssh_config)
    try:
        result = take_snapshot(nodes, output, settings, force)
    except (NodeInputError, OSError) as exc:
        _die(str(exc))
        return
    for name, where, count in result.written:
        typer.echo(f"{name}: {count} files -> {where}")
    for line in (*result.warnings, *result.failures):
        typer.echo(f"eilint: {line}", err=True)
    raise typer.Exit(2 if result.failures else 0)


@app.command()
def rules() -> None:
    """List every rule in the catalog."""
    from eilint.explain import render_rules

    render_rules(sys.stdout)


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="A rule id or name, e.g. REG001.")],
) -> None:
    """Explain a rule: why it matters, what EI really does, how to fix it, examples."""
    from eilint.catalog import load_catalog
    from eilint.explain import render_explain

    meta = load_catalog().get(rule)
    if meta is None:
        _die(f"unknown rule {rule!r}; `eilint rules` lists them")
        return
    render_explain(meta, sys.stdout)


def main() -> None:
    """Console-script entry point (kept for ``eilint.cli:main`` callers)."""
    from eilint.entry import main as entry_main

    entry_main()
