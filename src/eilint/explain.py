"""Render the catalog for the terminal: ``eilint rules`` and ``eilint explain``."""

from __future__ import annotations

import json
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from eilint.catalog import FIX_TEXT
from eilint.catalog import Example
from eilint.catalog import RuleMeta
from eilint.catalog import load_catalog
from eilint.report.text import STYLES
from eilint.report.text import plural
from eilint.report.text import wants_color

COLUMNS = ("id", "name", "severity", "scope", "profiles", "versions", "fix", "title")
# Covered profiles, as loaders/profile.py names them (not imported: start-up).
PROFILES = ("business-process", "integrator")


def _console(stream: TextIO) -> Console:
    # Off a terminal nothing is wrapped: `eilint explain X | grep` sees whole
    # lines, as the catalog has them. Colour as `--color auto` decides.
    isatty = getattr(stream, "isatty", None)
    tty = bool(isatty and isatty())
    color = wants_color("auto", stream)
    return Console(
        file=stream,
        highlight=False,
        soft_wrap=not tty,
        emoji=False,
        force_terminal=color,
        no_color=not color,
    )


def _row(meta: RuleMeta) -> tuple[str, ...]:
    fix = "-" if meta.fix == "none" else meta.fix
    profiles = ",".join(meta.profiles) or "all"
    return (
        meta.id,
        meta.name,
        meta.severity.value,
        meta.scope,
        profiles,
        version_span(meta.versions),
        fix,
        meta.title,
    )


def version_span(versions: tuple[str, ...]) -> str:
    """Say a rule's EI releases compactly: ``all``, ``6.6.0``, ``6.1.0-6.5.0``."""
    from eilint.model.versions import known_versions

    known = known_versions()
    if not versions or set(known) <= set(versions):
        return "all"
    runs: list[list[str]] = []
    for version in sorted(versions, key=lambda v: _order(known, v)):
        last = runs[-1][-1] if runs else None
        if last is not None and _order(known, version) == _order(known, last) + 1:
            runs[-1].append(version)
        else:
            runs.append([version])
    return ",".join(r[0] if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def _order(known: tuple[str, ...], version: str) -> int:
    # A release unknown to the facts sorts last and never joins a run.
    return known.index(version) if version in known else len(known) + 1


def render_rules(stream: TextIO, fmt: str = "text") -> None:
    """Print the catalog: a table on a terminal, whole lines off it, or JSON."""
    metas = list(load_catalog().rules.values())
    if fmt == "json":
        from eilint.model.versions import known_versions

        rows: list[dict[str, object]] = [
            dict(zip(COLUMNS, _row(m), strict=True)) for m in metas
        ]
        for row, meta in zip(rows, metas, strict=True):
            row["tags"] = list(meta.tags)
            # Explicit lists (never "all") for filtering with jq.
            row["profiles"] = list(meta.profiles or PROFILES)
            row["versions"] = list(meta.versions or known_versions())
        json.dump(rows, stream, indent=2)
        stream.write("\n")
        return
    if not wants_color("auto", stream):
        _plain_rules(stream, metas)
        return
    table = Table(title=f"eilint rules ({plural(len(metas), 'rule')})")
    for column in COLUMNS:
        table.add_column(column, overflow="fold")
    for meta in metas:
        severity = Text(meta.severity.value, style=STYLES[meta.severity])
        cells = _row(meta)
        table.add_row(*cells[:2], severity, *cells[3:])
    _console(stream).print(table)


def _plain_rules(stream: TextIO, metas: list[RuleMeta]) -> None:
    """One rule per line, columns padded, never wrapped (for grep and cut)."""
    rows = [COLUMNS, *(_row(m) for m in metas)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        stream.write("  ".join([*cells, row[-1]]) + "\n")


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
    if meta.scope_note():
        console.print(Text(f"{meta.scope_note()}.", style="dim"))
