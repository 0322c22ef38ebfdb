"""Registry and datasource rules across nodes and files: a 3-node cluster where each
node differs in its own way, the XSDs, stock files and model references."""

from __future__ import annotations

import os
from pathlib import Path

from eilint.api import LintOptions
from eilint.api import lint
from tests.conftest import FIXTURES
from tests.conftest import TESTS
from tests.conftest import lint_case

THREE = TESTS / "clusters" / "three_nodes"


def _rel(path: str, base: Path) -> str:
    return Path(os.path.abspath(path)).relative_to(base).as_posix()


def _findings(base: Path, report) -> dict:
    return {
        (f.rule_id, _rel(f.location.path, base), f.location.line): sorted(
            (_rel(r.path, base), r.line) for r in f.related
        )
        for f in report.findings
    }


def test_three_nodes_each_differing_in_its_own_way() -> None:
    report = lint_case(THREE, select=["REG", "DSR"])
    got = _findings(THREE, report)
    assert got == {
        # node1: same BPEL database, other connection options
        ("DSR007", "node1/datasources/bps-datasources.xml", 14): [
            ("node2/datasources/bps-datasources.xml", 14),
            ("node3/datasources/bps-datasources.xml", 14),
        ],
        # node2: the user store is another server's database
        ("DSR006", "node2/datasources/master-datasources.xml", 38): [
            ("node1/datasources/master-datasources.xml", 38),
            ("node3/datasources/master-datasources.xml", 38),
        ],
        # node3: /_system/config mounted onto another collection
        ("REG006", "node3/registry.xml", 23): [
            ("node1/registry.xml", 23),
            ("node2/registry.xml", 23),
        ],
    }
    nodes = {f.rule_id: f.nodes() for f in report.findings}
    assert nodes["REG006"] == ("node3", "node1", "node2")


def test_dangling_reference_names_both_ends() -> None:
    case = FIXTURES / "DSR003" / "fail_user_mgt_jndi_unknown"
    (finding,) = lint_case(case, select=["DSR003"]).findings
    assert "jdbc/WSO2UserDB" in finding.message
    assert "master-datasources.xml" in finding.message
    assert [_rel(r.path, case) for r in finding.related] == [
        "node1/datasources/master-datasources.xml"
    ]
    assert finding.hint == "did you mean 'jdbc/WSO2UMDB'?"


def test_messages_never_carry_passwords(tmp_path: Path) -> None:
    node = tmp_path / "node1" / "datasources"
    node.mkdir(parents=True)
    source = FIXTURES / "DSR006" / "fail_bpel_database_differs"
    for n in ("node1", "node2"):
        for f in (source / n).rglob("*.xml"):
            target = tmp_path / n / f.relative_to(source / n)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = f.read_text().replace("BPEL_DB2", "BPEL_DB2?password=s3cret")
            target.write_text(text)
    report = lint_case(tmp_path, select=["DSR"])
    assert report.findings
    assert all("s3cret" not in f.message for f in report.findings)


def _lint_one(tmp_path: Path, rel: str, text: str, select: str = "EIL010"):
    path = tmp_path / "node1" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return lint(
        LintOptions(nodes=[f"node1={tmp_path / 'node1'}"], select=select.split(","))
    )


REGISTRY = """<wso2registry>
    <currentDBConfig>wso2registry</currentDBConfig>
    <dbConfig name="wso2registry"><dataSource>jdbc/WSO2CarbonDB</dataSource></dbConfig>
    <remoteInstance url="https://10.0.0.11:9445/registry">
        <id>instanceid</id>
        <readonly>true</readonly>
    </remoteInstance>
</wso2registry>
"""


def test_schema_catches_misspelt_registry_element(tmp_path: Path) -> None:
    (finding,) = _lint_one(tmp_path, "registry.xml", REGISTRY).findings
    assert finding.location.line == 6
    assert finding.hint == "did you mean <readOnly>?"


def test_schema_catches_misspelt_datasource_property(tmp_path: Path) -> None:
    text = (
        (FIXTURES / "DSR001" / "pass_autocommit_true" / "node1")
        .joinpath("datasources", "bps-datasources.xml")
        .read_text()
    )
    text = text.replace("defaultAutoCommit", "defaultAutocommit")
    findings = _lint_one(tmp_path, "datasources/bps-datasources.xml", text).findings
    assert [f.hint for f in findings] == ["did you mean <defaultAutoCommit>?"]


def test_schema_types_booleans_as_ei_reads_them(tmp_path: Path) -> None:
    text = (
        (FIXTURES / "DSR015" / "pass_readable_values" / "node1")
        .joinpath("datasources", "master-datasources.xml")
        .read_text()
    )
    assert not _lint_one(tmp_path, "datasources/m.xml", text).findings
    bad = text.replace(
        "<testOnBorrow> true </testOnBorrow>", "<testOnBorrow>True</testOnBorrow>"
    )
    # The XSD types the value, but the finding that says what EI does with it is
    # DSR015's; EIL010 keeps to structure there so the two never repeat each other.
    assert not _lint_one(tmp_path, "datasources/m.xml", bad).findings
    (finding,) = _lint_one(tmp_path, "datasources/m.xml", bad, "EIL010,DSR").findings
    assert finding.rule_id == "DSR015"
    misplaced = text.replace("<testOnBorrow> true </testOnBorrow>", "<testonborrow/>")
    rules = {
        f.rule_id for f in _lint_one(tmp_path, "datasources/m.xml", misplaced).findings
    }
    assert "EIL010" in rules


def test_stock_files_validate_and_give_no_registry_or_datasource_finding(
    reference: Path,
) -> None:
    # Named: a stock EI_HOME holds several profiles (EIL011 would say which).
    options = LintOptions(
        nodes=[str(reference)], select=["REG", "DSR", "EIL"], profile="business-process"
    )
    report = lint(options)
    assert not report.findings, [f.message for f in report.findings]


def test_good_sample_has_no_registry_or_datasource_finding() -> None:
    good = TESTS.parent / "sample-configs" / "good"
    nodes = [str(good / "ei-node1"), str(good / "ei-node2")]
    report = lint(LintOptions(nodes=nodes, select=["REG", "DSR", "EIL010"]))
    assert not report.findings


def test_broken_sample_shows_registry_and_datasource_rules() -> None:
    broken = TESTS.parent / "sample-configs" / "broken"
    nodes = [str(broken / "ei-node1"), str(broken / "ei-node2")]
    report = lint(LintOptions(nodes=nodes, select=["REG", "DSR"]))
    rules = {f.rule_id for f in report.findings}
    assert {"REG001", "REG006", "REG010", "REG012"} <= rules
    # node2's differing cacheId is REG010's and REG012's finding, not REG011's too.
    assert "REG011" not in rules
    assert {"DSR001", "DSR003", "DSR008"} <= rules
