"""The sample clusters and the stock EI files, seen by the CLU and PRT rules."""

from __future__ import annotations

from pathlib import Path

from eilint.api import LintOptions
from eilint.api import lint
from tests.conftest import REPO

SAMPLES = REPO / "sample-configs"
RULES = ("CLU", "PRT")


def _lint(*paths: Path) -> list[tuple[str, str, str, int | None]]:
    report = lint(LintOptions(nodes=[str(p) for p in paths], select=RULES))
    return sorted(
        (f.rule_id, f.severity.value, f.location.node or "", f.location.line)
        for f in report.findings
    )


def test_good_sample_is_clean() -> None:
    good = SAMPLES / "good"
    assert _lint(good / "ei-node1", good / "ei-node2") == []


def test_broken_sample_findings() -> None:
    broken = SAMPLES / "broken"
    got = _lint(broken / "ei-node1", broken / "ei-node2")
    rules = {(rule, node) for rule, _, node, _ in got}
    # README: localMemberHost localhost; node2 lists node1 on port 4000; node2 has no
    # hazelcast.properties and no com.hazelcast logger.
    assert ("CLU001", "ei-node1") in rules
    assert ("CLU010", "ei-node2") in rules
    assert ("CLU015", "ei-node2") in rules
    assert ("CLU018", "ei-node2") in rules


def test_stock_files_have_no_findings(reference: Path) -> None:
    assert _lint(reference) == []
