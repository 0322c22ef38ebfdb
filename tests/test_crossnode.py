"""Cross-node grouping (majority reference, ties, duplicates) and datasource roles."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from eilint.checks.crossnode import MAX_RELATED
from eilint.checks.crossnode import Seen
from eilint.checks.crossnode import deviations
from eilint.checks.crossnode import duplicates
from eilint.findings import Location
from eilint.model.cluster import Node
from eilint.model.datasources import datasource_refs
from eilint.model.xml import XmlDoc
from eilint.model.xml import XmlElement
from tests.conftest import FIXTURES


def _seen(node: str, key: str) -> Seen:
    return Seen(node, key, key, Location(f"{node}/f.xml", 1, node=node))


def test_majority_is_the_reference() -> None:
    devs = list(deviations([_seen("a", "x"), _seen("b", "y"), _seen("c", "y")]))
    assert [(d.seen.node, d.ref.node, d.groups) for d in devs] == [("a", "b", 2)]
    assert [loc.node for loc in devs[0].related()] == ["b", "c"]
    assert devs[0].others() == "b, c"


def test_tie_keeps_the_earliest_node_as_reference() -> None:
    devs = list(deviations([_seen("a", "x"), _seen("b", "y")]))
    assert [(d.seen.node, d.ref.node) for d in devs] == [("b", "a")]


def test_all_equal_gives_nothing() -> None:
    assert not list(deviations([_seen(n, "x") for n in "abc"]))
    assert not list(deviations([]))


def test_related_is_bounded_for_large_clusters() -> None:
    seen = [_seen(f"n{i:03}", "x") for i in range(500)] + [_seen("odd", "y")]
    (dev,) = deviations(seen)
    assert len(dev.related()) == MAX_RELATED
    assert dev.others().endswith(f"and {500 - MAX_RELATED} more")


def test_duplicates_report_each_shared_value_once() -> None:
    # A collision is symmetric: one item per value, at the second holder (the
    # copy), with every other holder; a value held once yields nothing.
    seen = [_seen("a", "x"), _seen("b", "x"), _seen("c", "z"), _seen("d", "x")]
    got = [(s.node, [o.node for o in others]) for s, others in duplicates(seen)]
    assert got == [("b", ["a", "d"])]


def _element(el: ElementTree.Element, path: str) -> XmlElement:
    tag = el.tag.rpartition("}")[2]
    ns = el.tag[1:].partition("}")[0] if el.tag.startswith("{") else None
    children = tuple(_element(c, path) for c in el)
    attrs = tuple(el.attrib.items())
    return XmlElement(tag, ns, attrs, el.text, children, Location(path))


def _node(case: Path) -> Node:
    """Build a node straight from a fixture's files (no loader involved)."""
    xml = {}
    for file in sorted(case.rglob("*.xml")):
        rel = file.relative_to(case).as_posix()
        root = _element(ElementTree.parse(file).getroot(), rel)
        xml[rel] = XmlDoc(rel, root)
    return Node(name=case.name, root=str(case), layout="conf", conf=str(case), xml=xml)


def test_references_carry_their_roles() -> None:
    case = FIXTURES / "DSR003" / "pass_all_resolve"
    roles = {(r.role, r.name) for r in datasource_refs(_node(case / "node1"))}
    assert roles == {
        ("registry-local", "jdbc/WSO2CarbonDB"),
        ("registry-shared", "jdbc/WSO2RegistryDB"),
        ("user-store", "jdbc/WSO2UMDB"),
        ("bpel", "bpsds"),
        ("humantask", "bpsds"),
        ("bpmn", "jdbc/ActivitiDB"),
    }
