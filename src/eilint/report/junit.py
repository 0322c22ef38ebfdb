"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure).

One test case per rule that ran and found nothing, and one per finding. A
finding at or above ``--fail-on`` is a ``<failure>``; a lower one passes and
carries its text in ``<system-out>``, so the report agrees with the exit code.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from eilint.coverage import idle_by_rule
from eilint.findings import Finding
from eilint.findings import Severity
from eilint.report import Report
from eilint.report.redact import printable
from eilint.report.redact import redact_message


def _details(finding: Finding) -> str:
    lines = [
        f"{finding.rule_id} {finding.rule_name} ({finding.severity.value})",
        f"{finding.location.label()}: {redact_message(finding.message)}",
    ]
    if finding.node:
        lines.append(f"node: {finding.node}")
    if finding.hint:
        lines.append(f"hint: {redact_message(finding.hint)}")
    lines += [
        f"also: {loc.node or ''} {loc.label()}".strip() for loc in finding.related
    ]
    return "\n".join(lines)


def _finding_case(suite: ET.Element, finding: Finding, fail_on: Severity) -> bool:
    loc = finding.location
    case = ET.SubElement(
        suite,
        "testcase",
        classname=f"eilint.{finding.rule_id}",
        name=f"{finding.rule_id} {loc.label()}",
    )
    if loc.path != "<eilint>":
        case.set("file", loc.path)
        if loc.line is not None:
            case.set("line", str(loc.line))
    failed = finding.severity.rank >= fail_on.rank
    if failed:
        failure = ET.SubElement(
            case,
            "failure",
            type=finding.severity.value,
            message=redact_message(finding.message),
        )
        failure.text = _details(finding)
    else:
        ET.SubElement(case, "system-out").text = _details(finding)
    return failed


def junit_tree(report: Report, fail_on: Severity = Severity.ERROR) -> ET.Element:
    """Return the ``<testsuites>`` element for the report."""
    root = ET.Element("testsuites", name="eilint")
    suite = ET.SubElement(root, "testsuite", name="eilint")
    fired = {f.rule_id for f in report.findings}
    idle = idle_by_rule(report.coverage)
    for rule_id in report.rules_run:
        if rule_id not in fired:
            meta = report.catalog.rules[rule_id]
            case = ET.SubElement(
                suite, "testcase", classname=f"eilint.{rule_id}", name=meta.name
            )
            if rule_id in idle:
                # Found nothing, but could not look everywhere: not a pass.
                nodes = ", ".join(printable(c.node) for c in idle[rule_id])
                message = f"could not check {nodes} (files absent)"
                ET.SubElement(case, "skipped", message=message)
    failures = sum(_finding_case(suite, f, fail_on) for f in report.findings)
    tests = len(suite)
    for element in (root, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", "0")
    suite.set("skipped", str(len(set(idle) - fired)))
    return root


def render_junit(
    report: Report, stream: TextIO, fail_on: Severity = Severity.ERROR
) -> None:
    """Write the JUnit XML document."""
    root = junit_tree(report, fail_on)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
