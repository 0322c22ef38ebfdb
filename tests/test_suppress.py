"""Inline suppressions through the real CLI, and the pure matching underneath."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eilint.catalog import load_catalog
from eilint.findings import Finding
from eilint.findings import Location
from eilint.findings import Severity
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.properties import PropertiesFile
from eilint.model.properties import Property
from eilint.suppress import apply
from eilint.suppress import collect
from eilint.suppress import unused
from tests.workflow_helpers import eilint
from tests.workflow_helpers import findings
from tests.workflow_helpers import make_repo
from tests.workflow_helpers import set_read_only

COMMENT = "<!-- eilint: disable=REG001 node2 mirrors node1 during the migration -->"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "cluster")
    set_read_only(root / "node2" / "registry.xml", "false")
    return root


def _comment_before(path: Path, marker: str, comment: str) -> None:
    text = path.read_text()
    at = text.index(marker)
    start = text.rfind("\n", 0, at) + 1
    path.write_text(text[:start] + text[start:at] + comment + "\n" + text[start:])


def test_xml_suppression_hides_the_finding_and_is_counted(repo: Path) -> None:
    before = eilint("check", "-f", "json", cwd=repo)
    assert before.exit_code == 1
    _comment_before(repo / "node1" / "registry.xml", "<remoteInstance", COMMENT)
    after = eilint("check", "-f", "json", cwd=repo)
    assert after.exit_code == 0, after.stdout
    assert findings(after) == []
    report = json.loads(after.stdout)
    assert report["summary"]["suppressed"] == 1
    (audit,) = report["suppressed_findings"]
    assert audit["rule"] == "REG001"
    assert audit["suppression"] == {
        "path": "node1/registry.xml",
        "line": 16,
        "reason": "node2 mirrors node1 during the migration",
    }
    text = eilint("check", cwd=repo)
    assert "1 suppressed inline" in text.stdout


def test_no_inline_suppressions_for_auditors(repo: Path) -> None:
    _comment_before(repo / "node1" / "registry.xml", "<remoteInstance", COMMENT)
    audit = eilint("check", "--no-inline-suppressions", "-f", "json", cwd=repo)
    assert audit.exit_code == 1
    assert [f[0] for f in findings(audit)] == ["REG001"]


@pytest.mark.parametrize(
    "order", [("node1", "node2", "node3"), ("node2", "node1", "node3")]
)
def test_suppression_at_a_related_location_applies_in_any_order(
    repo: Path, order: tuple[str, ...]
) -> None:
    # node2 is a related place of the cross-node finding (node1 is primary): the
    # README's example on node2 must work whatever the order of the NODE arguments.
    _comment_before(repo / "node2" / "registry.xml", "<remoteInstance", COMMENT)
    result = eilint("check", *order, "-f", "json", cwd=repo)
    assert result.exit_code == 0, result.stdout
    assert findings(result) == []
    assert json.loads(result.stdout)["summary"]["suppressed"] == 1


def test_suppression_at_an_uninvolved_place_does_not_apply(repo: Path) -> None:
    # node3 takes no part in the two-writer finding: its comment suppresses nothing.
    _comment_before(repo / "node3" / "registry.xml", "<remoteInstance", COMMENT)
    result = eilint("check", "-f", "json", cwd=repo)
    assert result.exit_code == 1
    assert [f[0] for f in findings(result)] == ["EIL020", "REG001"]


def test_suppression_without_reason_is_flagged_and_not_honoured(repo: Path) -> None:
    bare = "<!-- eilint: disable=REG001 -->"
    _comment_before(repo / "node1" / "registry.xml", "<remoteInstance", bare)
    result = eilint("check", "-f", "json", cwd=repo)
    assert result.exit_code == 1
    assert [f[:3] for f in findings(result)] == [
        ("EIL021", "node1/registry.xml", 16),
        ("REG001", "node1/registry.xml", 20),
    ]


def test_unused_suppression_is_reported(repo: Path) -> None:
    set_read_only(repo / "node2" / "registry.xml", "true")  # fixed: no finding
    _comment_before(repo / "node1" / "registry.xml", "<remoteInstance", COMMENT)
    result = eilint("check", "-f", "json", cwd=repo)
    assert result.exit_code == 0  # EIL020 is a warning
    assert findings(result) == [("EIL020", "node1/registry.xml", 16, "node1")]


def test_unused_is_judged_even_when_the_rule_is_not_selected(repo: Path) -> None:
    _comment_before(repo / "node1" / "registry.xml", "<remoteInstance", COMMENT)
    result = eilint("check", "--select", "EIL", "-f", "json", cwd=repo)
    assert findings(result) == []


def test_whole_file_suppression(repo: Path) -> None:
    path = repo / "node1" / "registry.xml"
    whole = "<!-- eilint: disable-file=registry-writer-count accepted risk, CHG-12 -->"
    _comment_before(path, "<wso2registry>", whole)
    result = eilint("check", "-f", "json", cwd=repo)
    assert result.exit_code == 0
    assert findings(result) == []


def test_nginx_suppression_covers_the_next_directive_block(repo: Path) -> None:
    (repo / "nginx" / "nginx.conf").write_text(
        "events {}\nhttp {\n"
        "    # eilint: disable=REG001 nothing to suppress here\n"
        "    upstream bps { server 10.0.0.11:9445; }\n}\n"
    )
    for extra in list((repo / "nginx").glob("*")):
        if extra.name != "nginx.conf" and extra.is_file():
            extra.unlink()
    result = eilint("check", "--select", "EIL020", "-f", "json", cwd=repo)
    assert ("EIL020", "nginx/nginx.conf", 3, "nginx") in findings(result)


def _finding(rule: str, path: str, line: int) -> Finding:
    loc = Location(path, line, None, "n1", "k")
    return Finding(rule, "x", Severity.ERROR, "m", "h", loc)


def test_properties_suppression_covers_the_next_entry_only() -> None:
    path = "n1/hazelcast.properties"
    entries = (
        Property("a", "1", Location(path, 3, None, "n1", "a")),
        Property("b", "2", Location(path, 4, None, "n1", "b")),
    )
    props = PropertiesFile(
        path, entries, ((1, " eilint: disable=REG001, EIL002 known issue"),)
    )
    node = Node("n1", "n1", "conf", "n1", props={"hazelcast.properties": props})
    sups, problems = collect(Cluster((node,)), load_catalog())
    assert problems == [] and sups[0].rules == ("REG001", "EIL002")
    applied = apply([_finding("REG001", path, 3), _finding("REG001", path, 4)], sups)
    assert [f.location.line for f in applied.suppressed] == [3]
    assert [f.location.line for f in applied.kept] == [4]
    assert [h.location.line for h in unused(sups, applied.used)] == [1]


def test_suppression_matching_is_pure() -> None:
    from tests.test_purity import test_module_is_pure

    test_module_is_pure(Path(__file__).parent.parent / "src/eilint/suppress.py")
