"""A 3-node cluster with two nodes on one host: port and member findings everywhere."""

from __future__ import annotations

from pathlib import Path

from eilint.api import LintOptions
from eilint.api import lint
from eilint.report import Report

AGENT = "org.wso2.carbon.core.clustering.hazelcast.HazelcastClusteringAgent"
CARBON_NS = "http://wso2.org/projects/carbon/carbon.xml"
MEMBERS = (("10.0.0.11", 4100), ("10.0.0.11", 4200), ("10.0.0.12", 4100))


def axis2(host: str, port: int) -> str:
    """Render a guide-style clustering section (member port lines: 11, 15, 19)."""
    lines = [
        '<axisconfig name="AxisJava2.0">',
        f'    <clustering class="{AGENT}"',
        '                enable="true">',
        '        <parameter name="membershipScheme">wka</parameter>',
        '        <parameter name="domain">wso2.bps.domain</parameter>',
        f'        <parameter name="localMemberHost">{host}</parameter>',
        f'        <parameter name="localMemberPort">{port}</parameter>',
        "        <members>",
    ]
    for member_host, member_port in MEMBERS:
        lines += [
            "            <member>",
            f"                <hostName>{member_host}</hostName>",
            f"                <port>{member_port}</port>",
            "            </member>",
        ]
    lines += ["        </members>", "    </clustering>", "</axisconfig>", ""]
    return "\n".join(lines)


def carbon(offset: int) -> str:
    """Render carbon.xml with Offset on line 3."""
    return (
        f'<Server xmlns="{CARBON_NS}">\n    <Ports>\n'
        f"        <Offset>{offset}</Offset>\n    </Ports>\n</Server>\n"
    )


def build(tmp_path: Path) -> list[str]:
    """node1 and node2 share 10.0.0.11 with one member port and one offset."""
    layout = {"node1": ("10.0.0.11", 4100), "node2": ("10.0.0.11", 4100)}
    layout["node3"] = ("10.0.0.12", 4100)
    args = []
    for name, (host, port) in layout.items():
        conf = tmp_path / name
        (conf / "axis2").mkdir(parents=True)
        (conf / "axis2" / "axis2.xml").write_text(axis2(host, port))
        (conf / "carbon.xml").write_text(carbon(2))
        args.append(f"{name}={conf}")
    return args


def places(report: Report, rule: str) -> list[tuple[str, int | None, set[str]]]:
    """Return (node, line, related 'node:line') for one rule's findings."""
    return sorted(
        (
            f.location.node or "",
            f.location.line,
            {f"{r.node}:{r.line}" for r in f.related},
        )
        for f in report.findings
        if f.rule_id == rule
    )


def test_shared_host_findings_on_every_node(tmp_path: Path) -> None:
    report = lint(
        LintOptions(nodes=build(tmp_path), select=("CLU010", "CLU014", "PRT001"))
    )
    # A collision is symmetric: one finding, at the second node (the copy).
    # Every list names 10.0.0.11:4200, which no node uses: the one fix is node2's
    # localMemberPort, so CLU014 says so there, with the three list entries, and
    # CLU010 does not repeat it once per list.
    lists = {"node1:15", "node2:15", "node3:15"}
    assert places(report, "CLU014") == [("node2", 7, {"node1:7"} | lists)]
    (collision,) = (f for f in report.findings if f.rule_id == "CLU014")
    assert collision.hint == "set localMemberPort to 4200"
    assert places(report, "CLU010") == []
    assert places(report, "PRT001") == [("node2", 3, {"node1:3"})]
    assert all(f.severity == "error" for f in report.findings)


def test_fixing_the_ports_clears_the_findings(tmp_path: Path) -> None:
    args = build(tmp_path)
    node2 = tmp_path / "node2"
    (node2 / "axis2" / "axis2.xml").write_text(axis2("10.0.0.11", 4200))
    (node2 / "carbon.xml").write_text(carbon(3))
    report = lint(LintOptions(nodes=args, select=("CLU", "PRT")))
    # Only the missing hazelcast.properties warnings remain.
    assert {f.rule_id for f in report.findings} == {"CLU015"}


def test_manifest_address_places_nodes_without_clustering(tmp_path: Path) -> None:
    """Clustering off: the manifest address alone puts two nodes on one host."""
    from msgspec.structs import replace

    from eilint.checks.ports import port_offset_collision
    from eilint.loaders import load_cluster
    from eilint.loaders.discover import node_specs
    from eilint.model.cluster import Cluster

    args = []
    for name in ("node1", "node2"):
        conf = tmp_path / name
        conf.mkdir()
        (conf / "carbon.xml").write_text(carbon(2))
        args.append(f"{name}={conf}")
    nodes = load_cluster(node_specs(args)).nodes
    cluster = Cluster(tuple(replace(n, address="10.0.0.5") for n in nodes))
    hits = list(port_offset_collision(cluster, {}))
    assert [(h.location.node, h.location.line) for h in hits] == [("node2", 3)]
    assert [r.node for h in hits for r in h.related] == ["node1"]


def test_external_members_are_not_reported() -> None:
    from tests.conftest import FIXTURES

    case = FIXTURES / "CLU011" / "fail_stranger"
    nodes = [f"{p.name}={p}" for p in sorted(case.iterdir()) if p.is_dir()]
    plain = lint(LintOptions(nodes=nodes, select=("CLU011",)))
    assert [f.location.line for f in plain.findings] == [19]
    allowed = lint(
        LintOptions(
            nodes=nodes,
            select=("CLU011",),
            rule_options={"CLU011": {"external": ["10.0.0.99:4100"]}},
        )
    )
    assert allowed.findings == ()
