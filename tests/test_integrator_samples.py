"""The integrator sample clusters (issue 17): the correct one is clean, the
broken one shows the ESB guide's mistakes, with and without the manifest."""

from __future__ import annotations

import json

from eilint.api import LintOptions
from eilint.api import lint
from tests.conftest import REPO
from tests.workflow_helpers import eilint

SAMPLES = REPO / "sample-configs"
BROKEN_RULES = {
    "CLU001",
    "CLU010",
    "CLU030",
    "CLU031",
    "CLU032",
    "DEP020",
    "DSR006",
    "EDG020",
    "EDG021",
    "EIL010",
    "NGX006",
    "REG001",
}


def _lint(sample: str) -> set[str]:
    folder = SAMPLES / sample
    nodes = [str(folder / "esb-node1"), str(folder / "esb-node2")]
    report = lint(LintOptions(nodes=nodes, nginx=folder / "nginx"))
    return {f.rule_id for f in report.findings}


def test_correct_integrator_cluster_has_no_finding() -> None:
    # Detected as integrator EI_HOMEs (conf/ beside lib/ and repository/).
    assert _lint("integrator-good") == set()


def test_broken_integrator_cluster_shows_the_guide_mistakes() -> None:
    assert _lint("integrator-broken") >= BROKEN_RULES


def test_integrator_manifests_run() -> None:
    for sample, code in (("integrator-good", 0), ("integrator-broken", 1)):
        result = eilint("check", "-f", "json", cwd=SAMPLES / sample)
        assert result.exit_code == code, result.stderr
        report = json.loads(result.stdout)
        assert report["summary"]["nodes"] == ["esb-node1", "esb-node2"]


def test_integrator_coverage_asks_for_no_process_engine_file() -> None:
    # The integrator profile has no bps.xml or BPEL datasources: the coverage
    # neither lists them as absent nor counts the BPS rules as starved.
    folder = SAMPLES / "integrator-good"
    nodes = [str(folder / "esb-node1"), str(folder / "esb-node2")]
    report = lint(LintOptions(nodes=nodes, nginx=folder / "nginx"))
    assert [c.complete for c in report.coverage] == [True, True]
    assert not any("bps.xml" in c.read for c in report.coverage)
