"""One root cause, one finding (issue 14, point 6): cascades collapse to the cause."""

from __future__ import annotations

import shutil
from pathlib import Path

from eilint.api import LintOptions
from eilint.api import lint
from tests.conftest import REPO

GOOD = REPO / "sample-configs" / "good"
BROKEN = REPO / "sample-configs" / "broken"
AXIS2 = "wso2/business-process/conf/axis2/axis2.xml"


def _good_copy(tmp_path: Path) -> list[str]:
    for name in ("ei-node1", "ei-node2"):
        shutil.copytree(GOOD / name, tmp_path / name)
    return [f"{n}={tmp_path / n}" for n in ("ei-node1", "ei-node2")]


def test_a_host_name_as_local_member_host_is_one_finding(tmp_path: Path) -> None:
    nodes = _good_copy(tmp_path)
    axis2 = tmp_path / "ei-node1" / AXIS2
    text = axis2.read_text()
    old = '<parameter name="localMemberHost">10.0.0.11</parameter>'
    assert old in text
    axis2.write_text(text.replace(old, old.replace("10.0.0.11", "ei1.example.com")))
    report = lint(LintOptions(nodes=nodes, select=("CLU",)))
    (finding,) = report.findings
    assert finding.rule_id == "CLU008"
    assert finding.location.line == 119
    assert "10.0.0.11:4100" in finding.message
    # Both lists' entry for 10.0.0.11:4100 are the places involved.
    assert sorted((r.node, r.line) for r in finding.related) == [
        ("ei-node1", 130),
        ("ei-node2", 130),
    ]
    assert finding.hint == "set localMemberHost to the node's IP address"


def test_a_wrong_member_port_in_one_list_is_not_repeated_by_clu013() -> None:
    nodes = [str(BROKEN / "ei-node1"), str(BROKEN / "ei-node2")]
    report = lint(LintOptions(nodes=nodes, select=("CLU010", "CLU012", "CLU013")))
    assert [(f.rule_id, f.location.node) for f in report.findings] == [
        ("CLU010", "ei-node2")
    ]


def test_a_list_leaving_out_a_node_is_clu012_alone(tmp_path: Path) -> None:
    from tests.conftest import FIXTURES

    case = FIXTURES / "CLU012" / "fail_node_left_out"
    nodes = [f"{p.name}={p}" for p in sorted(case.iterdir()) if p.is_dir()]
    report = lint(LintOptions(nodes=nodes, select=("CLU012", "CLU013")))
    assert [f.rule_id for f in report.findings] == ["CLU012"]


def _case(rule: str, name: str) -> list[str]:
    from tests.conftest import FIXTURES

    case = FIXTURES / rule / name
    return [f"{p.name}={p}" for p in sorted(case.iterdir()) if p.is_dir()]


def test_mounts_in_the_misplaced_registry_xml_are_one_finding_per_node() -> None:
    nodes = _case("REG013", "fail_mounts_in_repository_conf")
    report = lint(LintOptions(nodes=nodes, select=("REG",)))
    # Not 4x REG005 "add <mount>": one REG013 per node naming the file.
    assert [(f.rule_id, f.location.node) for f in report.findings] == [
        ("REG013", "node1"),
        ("REG013", "node2"),
    ]
    assert all(f.location.file is not None for f in report.findings)
    assert "repository/conf/registry.xml" in report.findings[0].message


def test_a_lib_without_the_jar_is_one_finding_per_driver() -> None:
    nodes = _case("DSR011", "fail_lib_without_jar_one_finding")
    report = lint(LintOptions(nodes=nodes, select=("DSR011", "DSR018")))
    (finding,) = report.findings
    assert "BPS_DS, ACTIVITI_DB" in finding.message
    assert [r.line for r in finding.related] == [27]


def test_user_store_on_the_local_database_is_dsr017_not_dsr006(tmp_path: Path) -> None:
    nodes = _good_copy(tmp_path)
    user_mgt = tmp_path / "ei-node1" / "wso2/business-process/conf/user-mgt.xml"
    text = user_mgt.read_text()
    assert "jdbc/WSO2UMDB" in text
    user_mgt.write_text(text.replace("jdbc/WSO2UMDB", "jdbc/WSO2CarbonDB"))
    report = lint(LintOptions(nodes=nodes, select=("DSR",)))
    assert [(f.rule_id, f.location.node, f.location.file) for f in report.findings] == [
        ("DSR017", "ei-node1", "wso2/business-process/conf/user-mgt.xml")
    ]


def test_an_undefined_user_store_name_is_dsr003_alone() -> None:
    # broken/ei-node2's user-mgt.xml names jdbc/WSO2UserDB, which it does not
    # define: one mistake, reported where the lookup fails, not again as DSR017.
    nodes = [str(BROKEN / "ei-node1"), str(BROKEN / "ei-node2")]
    report = lint(LintOptions(nodes=nodes, select=("DSR003", "DSR017")))
    assert [(f.rule_id, f.location.file) for f in report.findings] == [
        ("DSR003", "user-mgt.xml")
    ]


def test_a_host_name_node_is_not_reported_missing_from_nginx(tmp_path: Path) -> None:
    # ei-node1 known only by a host name, nginx knows it by IP: EDG001 asks for
    # its `address:` once per server; EDG003 does not call it missing (the
    # unplaced server may be it), and an unrelated upstream stays unjudged.
    nodes = _good_copy(tmp_path)
    axis2 = tmp_path / "ei-node1" / AXIS2
    old = '<parameter name="localMemberHost">10.0.0.11</parameter>'
    axis2.write_text(axis2.read_text().replace(old, old.replace("10.0.0.11", "ei1")))
    nginx = tmp_path / "nginx"
    shutil.copytree(GOOD / "nginx", nginx)
    (nginx / "grafana.conf").write_text(
        "upstream grafana {\n    server 10.9.9.9:3000;\n}\n"
        "server {\n    listen 8080;\n    server_name grafana.example.com;\n"
        "    location / {\n        proxy_pass http://grafana;\n    }\n}\n"
    )
    report = lint(LintOptions(nodes=nodes, nginx=nginx, select=("EDG",)))
    rules = sorted({f.rule_id for f in report.findings})
    assert rules == ["EDG001"], [(f.rule_id, f.message) for f in report.findings]
    assert all("ei-node1" in f.message for f in report.findings)
    assert all("address:" in f.hint for f in report.findings)
    assert not any("grafana" in f.location.path for f in report.findings)
