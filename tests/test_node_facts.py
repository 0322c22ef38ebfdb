"""Each node's profile and EI release in the reports: text, JSON, SARIF."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from eilint.report.nodes import node_line
from tests.conftest import REPO
from tests.workflow_helpers import eilint

SAMPLES = REPO / "sample-configs"


def _text(sample: Path, *args: str) -> list[str]:
    result = eilint("check", *args, cwd=sample)
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("sample", "line"),
    [
        ("good", "profile business-process, EI 6.3.0 (carbon.xml)"),
        ("integrator-good", "profile integrator, EI 6.3.0 (carbon.xml)"),
    ],
)
def test_good_samples_say_profile_and_release_in_one_line(
    sample: str, line: str
) -> None:
    lines = _text(SAMPLES / sample)
    # Compact: the profile line, then the summary (the last line), nothing else.
    assert lines == [
        line,
        "0 errors, 0 warnings, 0 notes in 2 nodes and nginx (109 rules)",
    ]


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Two integrator nodes: one states 6.5.0 in carbon.xml, one says nothing."""
    for name in ("esb-node1", "esb-node2"):
        shutil.copytree(SAMPLES / "integrator-good" / name, tmp_path / name)
    carbon1 = tmp_path / "esb-node1" / "conf" / "carbon.xml"
    carbon1.write_text(
        carbon1.read_text().replace("<Version>6.3.0<", "<Version>6.5.0<")
    )
    carbon2 = tmp_path / "esb-node2" / "conf" / "carbon.xml"
    carbon2.write_text(carbon2.read_text().replace("<Version>6.3.0</Version>", ""))
    return tmp_path


def test_differing_nodes_are_named_one_by_one(mixed: Path) -> None:
    report = lint(
        LintOptions(nodes=[str(mixed / "esb-node1"), str(mixed / "esb-node2")])
    )
    assert node_line(report) == (
        "esb-node1: profile integrator, EI 6.5.0 (carbon.xml); "
        "esb-node2: profile integrator, EI 6.3.0 (assumed: the tree does not say)"
    )


def test_json_and_sarif_carry_a_per_node_entry(mixed: Path) -> None:
    args = ("esb-node1", "esb-node2")
    expected = [
        {
            "node": "esb-node1",
            "profile": "integrator",
            "ei_version": "6.5.0",
            "ei_version_from": "carbon.xml",
        },
        {
            "node": "esb-node2",
            "profile": "integrator",
            "ei_version": "6.3.0",
            "ei_version_from": "assumed",
        },
    ]
    doc = json.loads(eilint("check", *args, "-f", "json", cwd=mixed).stdout)
    assert doc["nodes"] == expected
    sarif = json.loads(eilint("check", *args, "-f", "sarif", cwd=mixed).stdout)
    props = sarif["runs"][0]["invocations"][0]["properties"]
    assert props["nodes"] == expected


def test_a_requested_release_says_so(mixed: Path) -> None:
    lines = _text(mixed, "esb-node1", "esb-node2", "--ei-version", "6.6.0")
    assert "profile integrator, EI 6.6.0 (as requested)" in lines
    doc = json.loads(
        eilint(
            "check", "esb-node1", "--ei-version", "6.6.0", "-f", "json", cwd=mixed
        ).stdout
    )
    assert doc["nodes"][0]["ei_version_from"] == "requested"


def test_statistics_and_quiet_leave_the_line_out() -> None:
    folder = SAMPLES / "integrator-good"
    for flag in ("--statistics", "--quiet"):
        assert not any(line.startswith("profile ") for line in _text(folder, flag))


def test_integrator_coverage_lists_no_process_engine_file(tmp_path: Path) -> None:
    # The integrator's stock conf has no bps.xml: neither absent nor starving
    # the business-process-only rules (they do not run on it).
    node = tmp_path / "esb-node1"
    shutil.copytree(SAMPLES / "integrator-good" / "esb-node1", node)
    (node / "conf" / "log4j.properties").unlink()
    doc = json.loads(eilint("check", "esb-node1", "-f", "json", cwd=tmp_path).stdout)
    cov = doc["coverage"][0]
    assert cov["absent"] == ["log4j.properties"]
    assert not any(r.startswith("BPS") for r in cov["rules_not_run"])
    assert "CLU020" in cov["rules_not_run"]


def test_a_6_6_0_node_lacks_no_log4j_properties(tmp_path: Path) -> None:
    # EI 6.6.0 ships log4j2.properties: log4j.properties is no stock file there.
    node = tmp_path / "esb-node1"
    shutil.copytree(SAMPLES / "integrator-good" / "esb-node1", node)
    (node / "conf" / "log4j.properties").unlink()
    args = ("check", "esb-node1", "--ei-version", "6.6.0", "-f", "json")
    cov = json.loads(eilint(*args, cwd=tmp_path).stdout)["coverage"][0]
    assert cov["absent"] == [] and cov["complete"]
