"""Placeholders are unknown values (issue 14, point 2).

``{{ x }}``, ``{% ... %}``, ``${x}`` and ``@x@`` are filled in later (by a
template engine or by Carbon at start-up): no rule compares them as literal
hosts, ports, booleans or numbers, and DSR016 lists them once per node.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from eilint.findings import Severity
from eilint.model.values import is_placeholder
from eilint.report import Report
from tests.conftest import REPO

GOOD = REPO / "sample-configs" / "good"
CONF = Path("wso2/business-process/conf")
NODES = ("ei-node1", "ei-node2", "ei-node3")


def _cluster(root: Path) -> Path:
    """The good sample with a third node (its own local registry database)."""
    for name in ("ei-node1", "ei-node2"):
        shutil.copytree(GOOD / name, root / name)
    shutil.copytree(GOOD / "ei-node2", root / "ei-node3")
    conf = root / "ei-node3" / CONF
    for rel, old, new in (
        ("datasources/master-datasources.xml", "REGISTRY_LOCAL2", "REGISTRY_LOCAL3"),
        ("bps.xml", ">node2<", ">node3<"),
        ("axis2/axis2.xml", ">10.0.0.12<", ">10.0.0.13<"),
    ):
        (conf / rel).write_text((conf / rel).read_text().replace(old, new, 1))
    member = "<member><hostName>10.0.0.13</hostName><port>4100</port></member>"
    for node in NODES:
        axis2 = root / node / CONF / "axis2/axis2.xml"
        axis2.write_text(axis2.read_text().replace("</members>", member + "</members>"))
    shutil.copytree(GOOD / "nginx", root / "nginx")
    for name, port in (("ei.http.conf", 9765), ("ei.https.conf", 9445)):
        vhost = root / "nginx" / "conf.d" / name
        line = f"server 10.0.0.12:{port};\n"
        vhost.write_text(
            vhost.read_text().replace(line, line + line.replace("12", "13"))
        )
    return root


def _sub(path: Path, pattern: str, value: str, count: int = 0) -> None:
    text = path.read_text()
    new, n = re.subn(
        pattern, lambda m: m.group(1) + value + m.group(2), text, count=count
    )
    assert n, f"{pattern} not in {path}"
    path.write_text(new)


def _four_values(root: Path, style: str) -> None:
    """localMemberHost, Offset, NodeId and the mount's readOnly, per ``style``."""
    for node in NODES:
        conf = root / node / CONF
        host = style.format("ansible_default_ipv4.address")
        _sub(conf / "axis2/axis2.xml", r'(name="localMemberHost">)[^<]*(<)', host)
        _sub(conf / "carbon.xml", r"(<Offset>)[^<]*(<)", style.format("port_offset"))
        _sub(conf / "bps.xml", r"(<tns:NodeId>)[^<]*(<)", style.format("inventory"))
        registry = conf / "registry.xml"
        text = registry.read_text()
        head, sep, tail = text.partition("<remoteInstance")
        registry.write_text(
            head
            + sep
            + re.sub(
                r"<readOnly>[^<]*<",
                f"<readOnly>{style.format('reg_ro')}<",
                tail,
                count=1,
            )
        )


def _lint(root: Path) -> Report:
    return lint(LintOptions(nodes=[str(root / n) for n in NODES], nginx=root / "nginx"))


def _notes(report: Report) -> list[str]:
    return sorted(f.node or "" for f in report.findings if f.rule_id == "DSR016")


STYLES = ("{{{{ {} }}}}", "{{% if x %}}{{{{ {} }}}}{{% endif %}}", "${{{}}}", "@{}@")


@pytest.mark.parametrize(
    "style", STYLES, ids=["jinja", "jinja-block", "carbon", "maven"]
)
def test_placeholders_in_four_compared_values_are_one_note_per_node(
    tmp_path: Path, style: str
) -> None:
    root = _cluster(tmp_path)
    assert not [f for f in _lint(root).findings], "the base cluster must be clean"
    _four_values(root, style)
    report = _lint(root)
    loud = [
        (f.rule_id, f.node, f.message)
        for f in report.findings
        if f.severity is not Severity.NOTE
    ]
    assert loud == []
    assert _notes(report) == sorted(NODES)
    for finding in report.findings:
        for what in ("localMemberHost", "port Offset", "NodeId", "readOnly"):
            assert what in finding.message
        assert len(finding.related) == 3  # every placeholder's place


def test_templated_ports_booleans_and_members_say_nothing_false(tmp_path: Path) -> None:
    root = _cluster(tmp_path)
    for node in NODES:
        conf = root / node / CONF
        axis2 = conf / "axis2/axis2.xml"
        _sub(axis2, r'(name="localMemberPort">)[^<]*(<)', "{{ hz_port }}")
        _sub(axis2, r"(<hostName>)10\.0\.0\.12(</hostName>)", "{{ peer2 }}")
        _sub(axis2, r"(<port>)4100(</port>)", "@hz.port@")
        _sub(axis2, r'(enable=")true(")', "{{ clustered }}", 1)
        tasks = conf / "etc/tasks-config.xml"
        _sub(tasks, r"(<taskServerMode>)[^<]*(<)", "{{ mode }}")
        _sub(tasks, r"(<taskServerCount>)[^<]*(<)", "{% if ha %}2{% endif %}")
        for ds in (conf / "datasources").glob("*.xml"):
            text = ds.read_text()
            text = re.sub(
                r"<defaultAutoCommit>[^<]*<", "<defaultAutoCommit>{{ ac }}<", text
            )
            ds.write_text(text.replace("db.cluster.internal", "{{ db_host }}"))
        _sub(conf / "carbon.xml", r"(<HostName>)[^<]*(<)", "{{ lb_name }}")
        hazelcast = conf / "hazelcast.properties"
        _sub(hazelcast, r"(logging.type=)log4j(\n)", "{{ hz_logging }}")
    report = _lint(root)
    loud = [(f.rule_id, f.message) for f in report.findings if f.severity.rank > 1]
    assert loud == []
    assert _notes(report) == sorted(NODES)
    note = next(f for f in report.findings if f.node == "ei-node1")
    for what in (
        "localMemberPort",
        "WKA member",
        "clustering enable",
        "taskServerMode",
        "taskServerCount",
        "HostName",
        "url",
        "hazelcast.logging.type",
    ):
        assert what in note.message, what


@pytest.mark.parametrize(
    "text",
    [
        "{{ x }}",
        "a{{x}}b",
        "{% if a %}1{% endif %}",
        "${x}",
        "$sys{x}",
        "$env{X}",
        "@db.host@",
        "jdbc:mysql://{{ h }}:3306/x",
    ],
)
def test_placeholder_shapes(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "10.0.0.1",
        "jdbc:oracle:thin:@db.example.com:1521:ORCL",
        "jdbc:mysql://user:pw@host/db",
        "ops@example.com",
        "{ not }",
        "100%",
        "",
    ],
)
def test_literal_values_are_not_placeholders(text: str) -> None:
    assert not is_placeholder(text)
