"""Human output: findings grouped by node and file, the offending line, a summary."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from itertools import groupby
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.text import Text

from eilint.findings import Finding
from eilint.findings import Location
from eilint.findings import Severity
from eilint.report import Report
from eilint.report.redact import printable
from eilint.report.redact import redact
from eilint.report.redact import redact_message
from eilint.report.redact import redact_text

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
MAX_SHOWN = 200
MAX_SOURCE_BYTES = 16 * 1024 * 1024
# A 4096-bit PEM key body is about 50 lines; each line is cut before redaction so
# a hostile 4 MB line costs no more than a short one.
CONTEXT_LINES = 64
MAX_REDACTED = 8 * MAX_SHOWN

LineReader = Callable[[str, int], str | None]


def file_line_reader(sources: dict[str, str]) -> LineReader:
    """Return a reader of one source line per (display path, line), cached per file."""
    cache: dict[str, list[str]] = {}

    def read(path: str, line: int) -> str | None:
        if path not in cache:
            local = Path(sources.get(path, path))
            try:
                data = _read_regular(local)
                cache[path] = data.decode("utf-8", "replace").splitlines()
            except OSError:
                cache[path] = []
        lines = cache[path]
        if not 0 < line <= len(lines):
            return None
        # Redact the line with the lines before it: a secret's tag (or a PEM
        # header) may sit a few lines up. Bounded: CONTEXT lines, each cut.
        start = max(0, line - CONTEXT_LINES)
        window = [text[:MAX_REDACTED] for text in lines[start:line]]
        return redact_text("\n".join(window)).split("\n")[-1]

    return read


def _read_regular(local: Path) -> bytes:
    # O_NONBLOCK + fstat: a FIFO or device at a reported path must not hang us.
    fd = os.open(local, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(MAX_SOURCE_BYTES)
    finally:
        os.close(fd)


def _header(finding: Finding) -> Text:
    loc = finding.location
    text = Text("  ")
    where = f"{loc.line}:{loc.column}" if loc.column else f"{loc.line or '-'}"
    text.append(f"{where:>7}  ")
    text.append(f"{finding.severity.value:<7}", style=STYLES[finding.severity])
    text.append(f" {finding.rule_id}  ", style="bold")
    text.append(redact_message(finding.message))
    return text


def _source(finding: Finding, read: LineReader) -> Text | None:
    loc = finding.location
    if loc.line is None:
        return None
    line = read(loc.path, loc.line)
    if line is None:
        return None
    shown = redact(line.rstrip())[:MAX_SHOWN]
    return Text(f"{'':9}{loc.line:>5} | ", style="dim") + Text(shown.expandtabs(4))


def _related(loc: Location) -> Text:
    node = f"{loc.node} " if loc.node else ""
    return Text(f"{'':17}also: {node}{loc.label()}", style="dim")


def _print_finding(console: Console, finding: Finding, read: LineReader) -> None:
    # One console.print per finding, not per line: rich's per-call overhead was
    # most of the text report's cost (same bytes out, colour or not).
    lines = [_header(finding)]
    source = _source(finding, read)
    if source is not None:
        lines.append(source)
    lines.append(
        Text(f"{'':17}hint: ", style="dim") + Text(redact_message(finding.hint))
    )
    lines.extend(_related(loc) for loc in finding.related)
    console.print(Text("\n").join(lines))


def summary_line(report: Report) -> str:
    """Return e.g. ``2 errors, 1 warning, 0 notes in 2 nodes (15 rules)``."""
    counts = report.counts()
    parts = []
    for severity in Severity:
        n = counts[severity]
        parts.append(f"{n} {severity.value}{'' if n == 1 else 's'}")
    nodes = len(report.nodes)
    scope = f"{nodes} node{'' if nodes == 1 else 's'}"
    if report.nginx:
        scope += " and nginx"
    hidden = ""
    if report.suppressed:
        hidden += f", {len(report.suppressed)} suppressed inline"
    if report.baselined:
        hidden += f", {len(report.baselined)} in the baseline"
    return f"{', '.join(parts)} in {scope} ({len(report.rules_run)} rules){hidden}"


def _group(finding: Finding) -> str:
    return finding.node or "(cluster)"


def render_text(report: Report, stream: TextIO, color: bool | None = None) -> None:
    """Write the report; colour only when ``stream`` is a terminal (or forced)."""
    console = Console(
        file=stream,
        highlight=False,
        soft_wrap=True,
        force_terminal=color,
        no_color=color is False,
        emoji=False,
    )
    read = file_line_reader(dict(report.sources))
    ordered = sorted(report.findings, key=lambda f: (_group(f), *f.sort_key()))
    for node, by_node in groupby(ordered, key=_group):
        console.print(Text(printable(node), style="bold underline"))
        for path, by_file in groupby(by_node, key=lambda f: f.location.path):
            console.print(Text(f" {printable(path)}", style="bold"))
            for finding in by_file:
                _print_finding(console, finding, read)
        console.print()
    console.print(Text(summary_line(report), style="bold"))
