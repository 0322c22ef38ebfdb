"""model/carbon.py: port offset, host names, served ports."""

from __future__ import annotations

from pathlib import Path

from eilint.loaders import load_cluster
from eilint.loaders.discover import node_specs
from eilint.model.carbon import host_name
from eilint.model.carbon import mgt_host_name
from eilint.model.carbon import offset_value
from eilint.model.carbon import port_offset
from eilint.model.carbon import served_ports

NS = "http://wso2.org/projects/carbon/carbon.xml"


def _node(tmp_path: Path, body: str):
    conf = tmp_path / "node1"
    conf.mkdir()
    (conf / "carbon.xml").write_text(f'<Server xmlns="{NS}">\n{body}\n</Server>\n')
    return load_cluster(node_specs([f"node1={conf}"])).nodes[0]


def test_offset_read(tmp_path: Path) -> None:
    node = _node(
        tmp_path,
        "<HostName> 10.0.0.11 </HostName>\n<Ports><Offset> 3 </Offset></Ports>",
    )
    offset = port_offset(node)
    assert offset is not None and offset.value == 3 and offset.where.line == 3
    assert served_ports(node) == (9766, 9446)
    name = host_name(node)
    assert name is not None and name.value == "10.0.0.11"
    assert mgt_host_name(node) is None


def test_absent_offset_is_zero(tmp_path: Path) -> None:
    node = _node(tmp_path, "<Ports><JMX/></Ports>")
    offset = port_offset(node)
    assert offset is not None and offset.value == 0 and offset.raw == ""
    assert served_ports(node) == (9763, 9443)


def test_no_carbon_xml(tmp_path: Path) -> None:
    conf = tmp_path / "node1" / "axis2"
    conf.mkdir(parents=True)
    (conf / "axis2.xml").write_text("<axisconfig/>\n")
    node = load_cluster(node_specs([f"node1={conf.parent}"])).nodes[0]
    assert port_offset(node) is None


def test_offset_value() -> None:
    assert offset_value(" 2 ") == 2
    assert offset_value("+1") == 1
    assert offset_value("two") is None
    assert offset_value("${portOffset}") is None


def test_stock_offset(reference: Path) -> None:
    conf = reference / "wso2" / "business-process" / "conf"
    node = load_cluster(node_specs([f"stock={conf}"])).nodes[0]
    offset = port_offset(node)
    assert offset is not None and offset.value == 2
