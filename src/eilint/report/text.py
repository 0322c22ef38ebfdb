"""Human output: findings grouped by node and file, the offending line, a summary."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from collections.abc import Mapping
from itertools import groupby
from pathlib import Path
from typing import TextIO

from eilint.coverage import gaps
from eilint.findings import Finding
from eilint.findings import Location
from eilint.findings import Severity
from eilint.report import Report
from eilint.report.redact import continues_secret_tag
from eilint.report.redact import mask_line
from eilint.report.redact import printable
from eilint.report.redact import redact
from eilint.report.redact import redact_broken
from eilint.report.redact import redact_last_line
from eilint.report.redact import redact_message
from eilint.report.redact import secret_flags

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
MAX_SHOWN = 200
MAX_SOURCE_BYTES = 16 * 1024 * 1024
# A 4096-bit PEM key body is about 50 lines; each line is cut before redaction so
# a hostile 4 MB line costs no more than a short one.
CONTEXT_LINES = 64
MAX_REDACTED = 8 * MAX_SHOWN

LineReader = Callable[[str, int], str | None]
# What ``--fix`` would do with a finding: "fix" (marked ``[*]``), "unsafe" (only
# with ``--unsafe-fixes``) or None; the workflow knows the manifest and flags.
FixKind = Callable[[Finding], str | None]
FIX_MARK = "[*]"
# A line of output: (text, rich style) parts; "" is unstyled.
Line = list[tuple[str, str]]
# rich.control.STRIP_CONTROL_CODES: bell, backspace, VT, FF, CR.
_STRIP_CONTROL = dict.fromkeys((7, 8, 11, 12, 13))


def file_line_reader(sources: dict[str, str]) -> LineReader:
    """Return a reader of one source line per (display path, line), cached per file."""
    cache: dict[str, tuple[list[str], list[bool]]] = {}

    def read(path: str, line: int) -> str | None:
        if path not in cache:
            cache[path] = _load_lines(Path(sources.get(path, path)))
        lines, flags = cache[path]
        if not 0 < line <= len(lines):
            return None
        # Redact the line with the lines before it: a secret's tag (or a PEM
        # header) may sit a few lines up. Bounded: CONTEXT lines, each cut.
        start = max(0, line - CONTEXT_LINES)
        if continues_secret_tag(lines[start:line], flags[start:line]):
            return mask_line(lines[line - 1])
        return redact_last_line(lines[start:line], flags[start:line])

    return read


def _load_lines(local: Path) -> tuple[list[str], list[bool]]:
    try:
        data = _read_regular(local)
    except OSError:
        return [], []
    lines = [
        text[:MAX_REDACTED] for text in data.decode("utf-8", "replace").splitlines()
    ]
    return lines, secret_flags(lines)


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


def _header(finding: Finding, fixable: bool) -> Line:
    loc = finding.location
    where = f"{loc.line}:{loc.column}" if loc.column else f"{loc.line or '-'}"
    # Like ruff: the mark follows the rule id, on findings --fix would fix.
    mark = [(f"{FIX_MARK} ", "bold")] if fixable else []
    return [
        (f"  {where:>7}  ", ""),
        (f"{finding.severity.value:<7}", STYLES[finding.severity]),
        (f" {finding.rule_id}  ", "bold"),
        *mark,
        (redact_message(finding.message), ""),
    ]


def _source(finding: Finding, read: LineReader) -> Line | None:
    loc = finding.location
    if loc.line is None:
        return None
    line = read(loc.path, loc.line)
    if line is None:
        return None
    # The line an XML error names is broken: a quote or tag left open there
    # makes the rest of the line a secret's value as far as anyone can tell.
    broken = finding.rule_id == "EIL001"
    shown = (redact_broken if broken else redact)(line.rstrip())[:MAX_SHOWN]
    return [(f"{'':9}{loc.line:>5} | ", "dim"), (shown.expandtabs(4), "")]


def _related(loc: Location) -> Line:
    node = f"{loc.node} " if loc.node else ""
    return [(f"{'':17}also: {node}{loc.label()}", "dim")]


def _finding_lines(
    finding: Finding, read: LineReader, fixes: FixKind | None = None
) -> list[Line]:
    lines = [_header(finding, fixes is not None and fixes(finding) == "fix")]
    source = _source(finding, read)
    if source is not None:
        lines.append(source)
    lines.append([(f"{'':17}hint: ", "dim"), (redact_message(finding.hint), "")])
    lines.extend(_related(loc) for loc in finding.related)
    return lines


def _clean(lines: list[Line]) -> list[Line]:
    """Drop the control characters rich drops, and expand tabs (every 8 columns).

    Done before either writer so both print the same: rich expands tabs by
    terminal cells, which a wide character before a tab would make differ.
    """
    return [_clean_line(line) for line in lines]


def _clean_line(line: Line) -> Line:
    out: Line = []
    column = 0
    for raw, style in line:
        part = raw.translate(_STRIP_CONTROL)
        if "\t" in part:
            part = ("x" * column + part).expandtabs(8)[column:]
        newline = part.rfind("\n")
        column = column + len(part) if newline < 0 else len(part) - newline - 1
        out.append((part, style))
    return out


class _PlainWriter:
    """Write lines as text: what rich prints without a terminal, without rich.

    rich costs ~0.1 s to import and ~0.8 ms per finding; output to a file, a pipe
    or CI needs neither.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, lines: list[Line]) -> None:
        text = "\n".join("".join(part for part, _ in line) for line in _clean(lines))
        self.stream.write(text + "\n")


class _RichWriter:
    """Write styled lines with rich, when colour is wanted."""

    def __init__(self, stream: TextIO, color: bool = True) -> None:
        from rich.console import Console

        # Colour is decided already (wants_color): rich must not undo it from
        # the environment (NO_COLOR, TERM=dumb) or the stream.
        self.console = Console(
            file=stream,
            highlight=False,
            soft_wrap=True,
            force_terminal=color,
            no_color=not color,
            color_system="standard" if color else None,
            emoji=False,
        )

    def write(self, lines: list[Line]) -> None:
        from rich.text import Text

        # One console.print per finding, not per line: rich's per-call overhead
        # was most of the text report's cost.
        texts = []
        for line in _clean(lines):
            text = Text()
            for part, style in line:
                text.append(part, style=style or None)
            texts.append(text)
        self.console.print(Text("\n").join(texts))


def wants_color(
    choice: str, stream: TextIO, env: Mapping[str, str] | None = None
) -> bool:
    """Decide colour for ``--color auto|always|never``.

    auto: never with NO_COLOR set (no-color.org), always with FORCE_COLOR set
    (force-color.org; NO_COLOR wins when both are), else only on a terminal.
    """
    if choice != "auto":
        return choice == "always"
    environ = os.environ if env is None else env
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:
        return False


def _wants_rich(stream: TextIO, color: bool) -> bool:
    # rich only for colour (~0.1 s to import, ~0.8 ms per finding); a seam for
    # the tests that hold both writers to the same bytes.
    return color


def plural(count: int, word: str) -> str:
    """Return e.g. ``1 rule`` or ``3 rules``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


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
    rules = plural(len(report.rules_run), "rule")
    return f"{', '.join(parts)} in {scope} ({rules}){hidden}"


def fixable_line(report: Report, fixes: FixKind | None) -> str | None:
    """Return e.g. ``[*] 3 fixable with --fix (2 more with --unsafe-fixes)``."""
    if fixes is None:
        return None
    kinds = [fixes(f) for f in report.findings]
    safe, unsafe = kinds.count("fix"), kinds.count("unsafe")
    if not safe and not unsafe:
        return None
    more = f" ({unsafe} more with --fix --unsafe-fixes)" if unsafe else ""
    return f"{FIX_MARK} {safe} fixable with --fix{more}"


def coverage_lines(report: Report) -> list[str]:
    """Return one line per node eilint could not fully check (none when all were)."""
    lines = [
        printable(f"  {cov.node}: {'; '.join(parts)}").replace("\n", "\ufffd")
        for cov in sorted(report.coverage, key=lambda c: c.node)
        if (parts := gaps(cov, 6))
    ]
    return ["not fully checked:", *lines] if lines else []


def _group(finding: Finding) -> str:
    return finding.node or "(cluster)"


def statistics_lines(report: Report) -> list[Line]:
    """One line per rule with findings, most first: count, id, severity, name."""
    counts: dict[str, int] = {}
    severity: dict[str, Severity] = {}
    for finding in report.findings:
        counts[finding.rule_id] = counts.get(finding.rule_id, 0) + 1
        severity[finding.rule_id] = finding.severity
    width = len(str(max(counts.values(), default=0)))
    lines: list[Line] = []
    for rule_id in sorted(counts, key=lambda r: (-counts[r], r)):
        meta = report.catalog.rules.get(rule_id)
        lines.append(
            [
                (f"{counts[rule_id]:>{width}}  ", ""),
                (f"{rule_id}  ", "bold"),
                (f"{severity[rule_id].value:<7}", STYLES[severity[rule_id]]),
                (f"  {meta.name if meta else ''}", ""),
            ]
        )
    return lines


def render_text(
    report: Report,
    stream: TextIO,
    color: bool | None = None,
    quiet: bool = False,
    statistics: bool = False,
    *,
    fixes: FixKind | None = None,
) -> None:
    """Write the report (colour: None decides as ``--color auto`` does).

    ``quiet`` leaves out the summary line; ``statistics`` prints per-rule counts
    instead of the findings, as ruff's ``--statistics`` does; ``fixes`` marks
    the findings ``--fix`` would fix and counts them below the summary.
    """
    if color is None:
        color = wants_color("auto", stream)
    rich = _wants_rich(stream, color)
    writer = _RichWriter(stream, color) if rich else _PlainWriter(stream)
    if statistics:
        lines = statistics_lines(report)
        if lines:
            writer.write(lines)
    else:
        _write_findings(report, writer, fixes)
    if not quiet:
        from eilint.report.nodes import node_line

        # Before the summary, which stays the last line tools look for; not
        # with --statistics, whose lines are counts only.
        facts = None if statistics else node_line(report)
        if facts is not None:
            writer.write([[(facts, "dim")]])
        writer.write([[(summary_line(report), "bold")]])
        if (fixable := fixable_line(report, fixes)) is not None:
            writer.write([[(fixable, "")]])
        gaps = coverage_lines(report)
        if gaps:
            writer.write([[(line, "dim")] for line in gaps])


def _write_findings(
    report: Report, writer: _PlainWriter | _RichWriter, fixes: FixKind | None
) -> None:
    read = file_line_reader(dict(report.sources))
    ordered = sorted(report.findings, key=lambda f: (_group(f), *f.sort_key()))
    for node, by_node in groupby(ordered, key=_group):
        writer.write([[(printable(node), "bold underline")]])
        for path, by_file in groupby(by_node, key=lambda f: f.location.path):
            writer.write([[(f" {printable(path)}", "bold")]])
            for finding in by_file:
                writer.write(_finding_lines(finding, read, fixes))
        writer.write([[]])
