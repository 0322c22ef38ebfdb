"""schemas/axis2-clustering.xsd and carbon.xsd: typos caught, stock files clean."""

from __future__ import annotations

from pathlib import Path

from eilint.loaders import load_cluster
from eilint.loaders.discover import node_specs
from tests.conftest import FIXTURES
from tests.conftest import REPO

AXIS2 = FIXTURES / "CLU002" / "pass_all_enabled" / "node1" / "axis2" / "axis2.xml"
CARBON = FIXTURES / "PRT001" / "fail_same_host_same_offset" / "node1" / "carbon.xml"


def _problems(conf: Path) -> list[tuple[str, int | None, str | None]]:
    cluster = load_cluster(node_specs([f"n1={conf}"]))
    # EIL030 (a key file absent) is coverage, not these files' validity.
    problems = [p for p in cluster.problems if p.rule_id != "EIL030"]
    return sorted((p.rule_id, p.where.line, p.hint) for p in problems)


def _node(tmp_path: Path, axis2: str, carbon: str) -> Path:
    (tmp_path / "axis2").mkdir()
    (tmp_path / "axis2" / "axis2.xml").write_text(axis2)
    (tmp_path / "carbon.xml").write_text(carbon)
    return tmp_path


def test_typos_in_clustering_and_ports(tmp_path: Path) -> None:
    axis2 = AXIS2.read_text()
    axis2 = axis2.replace("<hostName>10.0.0.12</hostName>", "<hostname>x</hostname>")
    axis2 = axis2.replace(
        '<parameter name="domain">wso2.bps.domain</parameter>',
        '<paramter name="domain">wso2.bps.domain</paramter>',
    )
    carbon = CARBON.read_text().replace("<Offset>2</Offset>", "<Ofset>2</Ofset>")
    assert _problems(_node(tmp_path, axis2, carbon)) == [
        ("EIL010", 4, "did you mean <Offset>?"),
        ("EIL010", 5, "did you mean <parameter>?"),
        ("EIL010", 14, "did you mean <hostName>?"),
    ]


def test_correct_files_validate(tmp_path: Path) -> None:
    assert _problems(_node(tmp_path, AXIS2.read_text(), CARBON.read_text())) == []


def test_samples_validate() -> None:
    for name in ("good/ei-node1", "broken/ei-node1", "broken/ei-node2"):
        assert _problems(REPO / "sample-configs" / name) == [], name


def test_stock_files_validate(reference: Path) -> None:
    conf = reference / "wso2" / "business-process" / "conf"
    cluster = load_cluster(node_specs([f"stock={conf}"]))
    assert [p for p in cluster.problems if p.rule_id == "EIL010"] == []


def test_hazelcast_xml_join_typos(tmp_path: Path) -> None:
    case = FIXTURES / "CLU021" / "fail_hazelcast_xml_present" / "node1"
    (tmp_path / "etc").mkdir()
    (tmp_path / "axis2").mkdir()
    (tmp_path / "axis2" / "axis2.xml").write_text(
        (case / "axis2" / "axis2.xml").read_text()
    )
    text = (case / "etc" / "hazelcast.xml").read_text()
    text = text.replace('<tcp-ip enabled="true">', '<tcp-ip enable="true">')
    text = text.replace("<member>10.0.0.11:4100</member>", "<memebr>x</memebr>")
    (tmp_path / "etc" / "hazelcast.xml").write_text(text)
    assert _problems(tmp_path) == [
        ("EIL010", 9, None),
        ("EIL010", 10, "did you mean <member>?"),
    ]
    assert _problems(case) == []
