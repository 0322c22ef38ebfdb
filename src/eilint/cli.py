"""The ``eilint`` command line (typer); thin: parse arguments, call the api."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from typing import TextIO

import typer

from eilint import __version__

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


class FailOn(StrEnum):
    """The lowest severity that makes ``eilint check`` exit 1."""

    error = "error"
    warning = "warning"
    note = "note"


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


def _write(fmt: Format, report: object, stream: TextIO) -> None:
    from eilint.report import Report

    assert isinstance(report, Report)
    if fmt is Format.json:
        from eilint.report.json import render_json

        render_json(report, stream)
    elif fmt is Format.sarif:
        from eilint.report.sarif import render_sarif

        render_sarif(report, stream)
    else:
        from eilint.report.text import render_text

        render_text(report, stream)


@app.command()
def check(  # noqa: PLR0917 - typer maps each parameter to an option
    nodes: Annotated[
        list[str],
        typer.Argument(
            help="Node trees: PATH or NAME=PATH (an EI_HOME or the profile's conf/)."
        ),
    ],
    nginx: Annotated[
        Path | None,
        typer.Option(help="nginx.conf, or a directory holding it or vhost files."),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = Format.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(help="Only these rules: ids, prefixes, names, tag:TAG."),
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Skip these rules.")] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(help="Exit 1 when a finding of this severity or worse exists."),
    ] = FailOn.error,
) -> None:
    """Check a cluster: every node's config tree and the nginx tree in front of it."""
    from eilint.api import LintOptions
    from eilint.api import UsageError
    from eilint.api import exit_code
    from eilint.api import lint
    from eilint.findings import Severity
    from eilint.selection import split_tokens

    options = LintOptions(
        nodes=nodes,
        nginx=nginx,
        select=split_tokens(select),
        ignore=split_tokens(ignore),
    )
    try:
        report = lint(options)
    except UsageError as exc:
        _die(str(exc))
        return
    if output is None:
        _write(fmt, report, sys.stdout)
    else:
        try:
            with output.open("w", encoding="utf-8") as stream:
                _write(fmt, report, stream)
        except OSError as exc:
            _die(f"{output}: cannot write report ({exc.strerror})")
    raise typer.Exit(exit_code(report, Severity(fail_on.value)))


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
    """Console-script entry point."""
    app()
