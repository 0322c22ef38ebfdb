"""Process engine, deployment and security rules on whole trees; BPS schemas."""

from __future__ import annotations

from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from eilint.findings import Severity
from tests.conftest import REPO

GOOD = REPO / "sample-configs" / "good"
BROKEN = REPO / "sample-configs" / "broken"
MINE = ["BPS", "DEP", "SEC"]


def _lint(*nodes: Path, select: list[str] | None = None) -> list[tuple[str, str]]:
    opts = LintOptions(nodes=[f"{n.name}={n}" for n in nodes], select=select or ())
    report = lint(opts)
    return [(f.rule_id, f.severity.value) for f in report.findings]


def test_stock_single_node_has_no_error(reference: Path) -> None:
    found = _lint(reference, select=[*MINE, "EIL"])
    assert not [f for f in found if f[1] == Severity.ERROR.value], found
    # EIL011 only says which of the stock EI_HOME's profiles was linted.
    assert not [f for f in found if f[0].startswith("EIL") and f[0] != "EIL011"]


def test_good_sample_has_no_error() -> None:
    found = _lint(GOOD / "ei-node1", GOOD / "ei-node2", select=[*MINE, "EIL"])
    assert not [f for f in found if f[1] == Severity.ERROR.value], found


def test_broken_sample_shows_process_engine_defects() -> None:
    found = {f[0] for f in _lint(BROKEN / "ei-node1", BROKEN / "ei-node2")}
    assert {"BPS001", "BPS003", "BPS004", "BPS006"} <= found


def _write(tmp: Path, rel: str, text: str) -> Path:
    path = tmp / "node1" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return tmp / "node1"


BPS_TYPO = """<tns:WSO2BPS xmlns:tns="http://wso2.org/bps/config">
    <tns:DataBaseConfig><tns:DataSource name="bpsds"/></tns:DataBaseConfig>
    <tns:UseDistributedLok>true</tns:UseDistributedLok>
    <UseInstanceStateCache>true</UseInstanceStateCache>
</tns:WSO2BPS>
"""


def test_bps_typo_is_a_schema_violation_with_a_suggestion(tmp_path: Path) -> None:
    node = _write(tmp_path, "bps.xml", BPS_TYPO)
    (node / "registry.xml").write_text("<wso2registry/>\n")
    report = lint(LintOptions(nodes=[f"node1={node}"], select=["EIL010", "BPS007"]))
    got = sorted((f.rule_id, f.location.line, f.hint) for f in report.findings)
    assert got[0][:2] == ("BPS007", 4)  # un-namespaced: ignored by EI, not EIL010
    assert got[1][:2] == ("EIL010", 3)
    assert "UseDistributedLock" in (got[1][2] or "")
    assert len(got) == 2


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        (
            "humantask.xml",
            '<HumanTaskServerConfig xmlns="http://wso2.org/humantask/schema/server/'
            'config">\n<SchedulerConfig>\n<MaxThreadPoolSise>5</MaxThreadPoolSise>\n'
            "</SchedulerConfig>\n</HumanTaskServerConfig>\n",
        ),
        (
            "etc/tasks-config.xml",
            "<tasks-configuration>\n<taskServerMode>AUTO</taskServerMode>\n"
            "<taskServerCont>1</taskServerCont>\n</tasks-configuration>\n",
        ),
    ],
)
def test_scheduler_and_task_typos_are_caught(
    tmp_path: Path, rel: str, text: str
) -> None:
    node = _write(tmp_path, rel, text)
    (node / "registry.xml").write_text("<wso2registry/>\n")
    report = lint(LintOptions(nodes=[f"node1={node}"], select=["EIL010"]))
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("EIL010", 3)]
