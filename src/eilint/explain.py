"""Render the catalog for the terminal: ``eilint rules`` and ``eilint explain``."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from eilint.catalog import FIX_TEXT
from eilint.catalog import Example
from eilint.catalog import RuleMeta
from eilint.catalog import load_catalog
from eilint.report.text import STYLES


def _console(stream: TextIO) -> Console:
    return Console(file=stream, highlight=False, soft_wrap=False, emoji=False)


def render_rules(stream: TextIO) -> None:
    """Print the catalog as a table."""
    table = Table(title="eilint rules", show_lines=False)
    for column in ("id", "name", "severity", "scope", "fix", "title"):
        table.add_column(column, overflow="fold")
    for meta in load_catalog().rules.values():
        severity = Text(meta.severity.value, style=STYLES[meta.severity])
        fix = "-" if meta.fix == "none" else meta.fix
        table.add_row(meta.id, meta.name, severity, meta.scope, fix, meta.title)
    _console(stream).print(table)


def _section(console: Console, title: str, body: str | None) -> None:
    if not body:
        return
    console.print(Text(title, style="bold"))
    console.print(Text(body))
    console.print()


def _example(console: Console, title: str, example: Example | None) -> None:
    if example is None:
        return
    console.print(Text(f"{title} ({example.file})", style="bold"))
    for line in example.code.rstrip("\n").splitlines():
        console.print(Text(f"    {line}"))
    console.print()


def _options_text(meta: RuleMeta) -> str | None:
    if not meta.options:
        return None
    lines = []
    for option in meta.options:
        default = "unset" if option.default is None else repr(option.default)
        doc = f": {option.doc}" if option.doc else ""
        lines.append(f"{option.name} ({option.type}, default {default}){doc}")
    return "\n".join(lines)


def render_explain(meta: RuleMeta, stream: TextIO) -> None:
    """Print everything about one rule."""
    console = _console(stream)
    head = Text(f"{meta.id} {meta.name}", style="bold")
    head.append(f"  [{meta.severity.value}, {meta.scope}]", style=STYLES[meta.severity])
    console.print(head)
    console.print(Text(meta.title))
    console.print()
    _section(console, "Why", meta.rationale)
    _section(console, "What the guide says", meta.guide)
    _section(console, "What EI 6.3.0 really does", meta.runtime)
    _section(console, "How to fix", meta.remediation)
    _section(console, "Automatic fix", FIX_TEXT[meta.fix])
    _section(console, "Options (eilint.yaml: options)", _options_text(meta))
    _example(console, "Failing example", meta.fail_example)
    _example(console, "Passing example", meta.pass_example)
    if meta.applies_to:
        console.print(Text("Files: " + ", ".join(meta.applies_to), style="dim"))
