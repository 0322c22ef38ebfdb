"""model/clustering.py: Carbon's reading of axis2.xml and conf/etc/hazelcast.xml."""

from __future__ import annotations

from pathlib import Path

from eilint.loaders import load_cluster
from eilint.loaders.discover import node_specs
from eilint.model.cluster import Node
from eilint.model.clustering import axis2_enabled
from eilint.model.clustering import clustering
from eilint.model.clustering import expand_host
from eilint.model.clustering import member_port
from eilint.model.clustering import membership

FIXTURES = Path(__file__).parent / "fixtures"


def _node(case: str, name: str = "node1") -> Node:
    conf = FIXTURES / case / name
    return load_cluster(node_specs([f"{name}={conf}"])).nodes[0]


def test_enable_attribute_as_axis2_reads_it() -> None:
    assert axis2_enabled(None)  # absent: enabled
    assert axis2_enabled(" TRUE ")
    assert not axis2_enabled("yes")
    assert not axis2_enabled("false")


def test_member_port() -> None:
    assert member_port(" 4100 ") == 4100
    assert member_port("41OO") is None
    assert member_port("70000") is None


def test_last_octet_ranges() -> None:
    assert list(expand_host("10.0.0.2-4")) == ["10.0.0.2", "10.0.0.3", "10.0.0.4"]
    assert len(list(expand_host("10.0.0.*"))) == 256
    assert list(expand_host("10.0.0.11-300")) == []
    assert list(expand_host("10.0.1-2.5")) == ["10.0.1-2.5"]  # not a range: a name
    assert list(expand_host("EI1.Example.com")) == ["ei1.example.com"]


def test_axis2_membership_defaults() -> None:
    m = membership(_node("CLU009/pass_default_port"))
    assert m is not None and m.source == "axis2/axis2.xml"
    assert m.port.value == 4000 and m.scheme.value == "wka"
    m = membership(_node("CLU005/fail_scheme_absent"))
    assert m is not None and m.scheme.value == "multicast"


def test_kubernetes_is_custom_only_with_a_class_name() -> None:
    m = membership(_node("CLU004/pass_kubernetes_with_class"))
    assert m is not None and m.custom and m.scheme.value == "kubernetes"
    m = membership(_node("CLU004/fail_kubernetes_without_class"))
    assert m is not None and not m.custom and m.scheme.value == "invalid"


def test_hazelcast_xml_overrides_axis2() -> None:
    node = _node("CLU021/fail_hazelcast_xml_present")
    m = membership(node)
    assert m is not None and m.source == "etc/hazelcast.xml"
    assert m.scheme.value == "wka" and m.domain.value == "wso2.bps.domain"
    assert m.port.value == 4100
    assert [w.label() for w in m.members] == ["10.0.0.11:4100", "10.0.0.12:4100"]
    assert [w.where.line for w in m.members] == [10, 11]


def test_disabled_clustering_has_no_membership() -> None:
    node = _node("CLU002/pass_single_node_disabled")
    facts = clustering(node)
    assert facts is not None and not facts.enabled.value
    assert membership(node) is None


def test_parameter_location() -> None:
    node = _node("CLU001/fail_localhost")
    facts = clustering(node)
    assert facts is not None
    host = facts.param("localMemberHost")
    assert host is not None and host.where.line == 8


def test_hazelcast_members_split_like_tcp_ip_config(tmp_path: Path) -> None:
    conf = tmp_path / "node1"
    (conf / "axis2").mkdir(parents=True)
    (conf / "etc").mkdir()
    source = FIXTURES / "CLU002" / "pass_all_enabled" / "node1" / "axis2" / "axis2.xml"
    (conf / "axis2" / "axis2.xml").write_text(source.read_text())
    (conf / "etc" / "hazelcast.xml").write_text(
        "<hazelcast><network><join><tcp-ip enabled='yes'>\n"
        "<members>10.0.0.11:4100, 10.0.0.12;10.0.0.13-14:4100</members>\n"
        "</tcp-ip></join></network></hazelcast>\n"
    )
    node = load_cluster(node_specs([f"node1={conf}"])).nodes[0]
    m = membership(node)
    assert m is not None and m.scheme.value == "wka"
    assert m.port.value == 5701 and m.domain.value == "dev"  # Hazelcast defaults
    labels = [w.label() for w in m.members]
    assert labels == ["10.0.0.11:4100", "10.0.0.12", "10.0.0.13-14:4100"]
