"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` each.

GitHub turns these lines into annotations on the pull request's files. Escaping
follows @actions/core: ``%``, CR and LF in the message; also ``:`` and ``,`` in
property values (file, title).
"""

from __future__ import annotations

from typing import TextIO

from eilint.findings import Finding
from eilint.findings import Severity
from eilint.report import Report
from eilint.report.redact import redact_message
from eilint.report.text import coverage_lines
from eilint.report.text import summary_line

COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.NOTE: "notice",
}


def escape_data(text: str) -> str:
    """Escape a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """Return the workflow command for one finding."""
    loc = finding.location
    props = []
    if loc.path != "<eilint>":
        props.append(f"file={escape_property(loc.path)}")
        if loc.line is not None:
            props.append(f"line={loc.line}")
            if loc.column is not None:
                props.append(f"col={loc.column}")
    title = f"{finding.rule_id} {finding.rule_name}"
    props.append(f"title={escape_property(title)}")
    message = redact_message(finding.message)
    if finding.node:
        message = f"[{finding.node}] {message}"
    if finding.hint:
        message += f"\nhint: {redact_message(finding.hint)}"
    for other in finding.related:
        node = f"{other.node} " if other.node else ""
        message += f"\nalso: {node}{other.label()}"
    command = COMMANDS[finding.severity]
    return f"::{command} {','.join(props)}::{escape_data(message)}"


def render_github(report: Report, stream: TextIO) -> None:
    """Write one annotation per finding, worst first, then the summary line."""
    # GitHub shows only the first 10 annotations of each kind per step, in the
    # order printed: errors first, so none of them is crowded out by notes.
    ordered = sorted(report.findings, key=lambda f: (-f.severity.rank, f.sort_key()))
    for finding in ordered:
        stream.write(annotation(finding) + "\n")
    # Plain log lines; the runner trims leading blanks before looking for
    # "::", so each starts with words of ours, never with a node's name.
    for line in coverage_lines(report)[1:]:
        stream.write(f"not fully checked: {line.strip()}\n")
    stream.write(summary_line(report) + "\n")
