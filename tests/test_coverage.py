"""Coverage stated (issue 14, point 1): no false green on a partial tree.

Each report says per node which of the profile's files were read, which are
absent or unparsed, which templates stand in, and which rules could not run;
a missing key file is an EIL030 warning, unrendered templates one EIL031 per
node, a tree with none of the profile's files a usage error. The rules that
read a missing file say nothing false about it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from eilint.api import LintOptions
from eilint.api import UsageError
from eilint.api import lint
from eilint.report import Report
from eilint.report.sarif import sarif_dict
from tests.conftest import REPO
from tests.conftest import SARIF_SCHEMA
from tests.workflow_helpers import eilint

GOOD = REPO / "sample-configs" / "good"
CONF = Path("wso2/business-process/conf")
PARTIAL = ("bps.xml", "etc/tasks-config.xml", "datasources/bps-datasources.xml")


def _good(root: Path) -> Path:
    shutil.copytree(GOOD, root, dirs_exist_ok=True)
    return root


def _lint(root: Path, **kw: object) -> Report:
    nodes = [str(root / "ei-node1"), str(root / "ei-node2")]
    return lint(LintOptions(nodes=nodes, nginx=root / "nginx", **kw))  # type: ignore[arg-type]


def _rules(report: Report) -> list[tuple[str, str | None, str]]:
    return sorted((f.rule_id, f.node, f.message) for f in report.findings)


def test_a_complete_cluster_is_complete_and_quiet(tmp_path: Path) -> None:
    root = _good(tmp_path / "c")
    report = _lint(root)
    assert report.findings == ()
    assert [c.complete for c in report.coverage] == [True, True]
    done = eilint("check", "ei-node1", "ei-node2", "--nginx", "nginx", cwd=root)
    assert done.exit_code == 0
    assert "not fully checked" not in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("0 errors, 0 warnings")


def test_missing_key_files_are_named_and_stated(tmp_path: Path) -> None:
    root = _good(tmp_path / "c")
    for rel in PARTIAL:
        (root / "ei-node2" / CONF / rel).unlink()
    report = _lint(root)
    got = _rules(report)
    assert [r for r, _, _ in got] == ["EIL030"] * 3, got
    messages = " ".join(m for _, _, m in got)
    for rel in PARTIAL:
        assert f"{rel} is absent from ei-node2" in messages
    cov = {c.node: c for c in report.coverage}
    assert cov["ei-node1"].complete
    assert cov["ei-node2"].absent == PARTIAL
    assert {"BPS001", "BPS004", "BPS005", "DSR001"} <= set(
        cov["ei-node2"].rules_not_run
    )
    assert "REG001" not in cov["ei-node2"].rules_not_run

    done = eilint("check", "ei-node1", "ei-node2", "--nginx", "nginx", cwd=root)
    tail = done.stdout.strip().splitlines()[-2:]
    assert tail[0] == "not fully checked:"
    assert tail[1].startswith("  ei-node2: absent bps.xml, etc/tasks-config.xml, ")
    assert "rules could not check it (BPS001" in tail[1]

    js = eilint("check", "ei-node1", "ei-node2", "-f", "json", cwd=root)
    node2 = json.loads(js.stdout)["coverage"][1]
    assert node2["node"] == "ei-node2" and node2["complete"] is False
    assert node2["absent"] == list(PARTIAL)
    assert "bps.xml" not in node2["read"] and "carbon.xml" in node2["read"]


def test_sarif_states_coverage_in_its_invocation(tmp_path: Path) -> None:
    root = _good(tmp_path / "c")
    (root / "ei-node2" / CONF / "bps.xml").unlink()
    doc = sarif_dict(_lint(root), cwd=root)
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(doc)
    run = doc["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "warning"
    assert "ei-node2 was not fully checked (absent bps.xml" in note["message"]["text"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    config = invocation["toolConfigurationNotifications"]
    assert config and all(
        rules[n["associatedRule"]["index"]] == n["associatedRule"]["id"] for n in config
    )
    bps004 = next(n for n in config if n["associatedRule"]["id"] == "BPS004")
    assert bps004["message"]["text"] == (
        "BPS004 could not check every node (ei-node2 lacks bps.xml)"
    )
    coverage = invocation["properties"]["coverage"]
    assert [c["complete"] for c in coverage] == [True, False]


def test_only_the_selected_rules_files_are_asked_for(tmp_path: Path) -> None:
    root = _good(tmp_path / "c")
    for rel in PARTIAL:
        (root / "ei-node2" / CONF / rel).unlink()
    report = _lint(root, select=["REG", "EIL"])
    assert [f.rule_id for f in report.findings] == []
    report = _lint(root, select=["BPS004", "EIL"])
    assert [f.location.key for f in report.findings] == ["bps.xml"]


def test_rules_about_a_missing_file_say_nothing_false(tmp_path: Path) -> None:
    root = _good(tmp_path / "c")
    for node in ("ei-node1", "ei-node2"):
        tasks = root / node / CONF / "etc/tasks-config.xml"
        text = tasks.read_text().replace(">STANDALONE<", ">AUTO<")
        tasks.write_text(text.replace("<taskServerCount>1<", "<taskServerCount>2<"))
    (root / "ei-node2" / CONF / "axis2/axis2.xml").unlink()
    got = _rules(_lint(root))
    # ei-node2's clustering and address are unknown: it may be the second
    # task server, the WKA member 10.0.0.12 and nginx's server 10.0.0.12.
    assert {r for r, _, _ in got} == {"BPS006", "EIL030"}, got
    assert ("EIL030", "ei-node2") in {(r, n) for r, n, _ in got}


def test_a_tree_without_any_profile_file_is_a_usage_error(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name / CONF).mkdir(parents=True)
    with pytest.raises(UsageError, match="none of the business-process profile's"):
        lint(LintOptions(nodes=[str(tmp_path / "a"), str(tmp_path / "b")]))
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "datasources").mkdir()
    done = eilint("check", "a", "c", cwd=tmp_path)
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("eilint: a (a): none of the")


def test_a_conf_of_templates_is_one_finding_per_node(tmp_path: Path) -> None:
    for name in ("n1", "n2"):
        conf = tmp_path / name
        (conf / "axis2").mkdir(parents=True)
        for rel in ("carbon.xml", "registry.xml", "axis2/axis2.xml"):
            (conf / f"{rel}.j2").write_text("<x>{{ value }}</x>\n")
    done = eilint("check", "n1", "n2", "-f", "json", cwd=tmp_path)
    assert done.exit_code == 1, done.output
    doc = json.loads(done.stdout)
    assert [(f["rule"], f["node"]) for f in doc["findings"]] == [
        ("EIL031", "n1"),
        ("EIL031", "n2"),
    ]
    message = doc["findings"][0]["message"]
    assert "3 config file(s) are unrendered templates" in message
    assert "absent as well: bps.xml" in message
    assert doc["coverage"][0]["templates"] == [
        "axis2/axis2.xml.j2",
        "carbon.xml.j2",
        "registry.xml.j2",
    ]


def test_sarif_says_when_a_node_could_not_be_read(tmp_path: Path) -> None:
    import msgspec.structs

    root = _good(tmp_path / "c")
    report = msgspec.structs.replace(
        _lint(root), node_errors=("node3 (ops@node3:/opt/ei): connection refused",)
    )
    doc = sarif_dict(report, cwd=root)
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(doc)
    (invocation,) = doc["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {
            "level": "error",
            "message": {"text": "node3 (ops@node3:/opt/ei): connection refused"},
        }
    ]
    assert invocation["toolConfigurationNotifications"] == []


def test_junit_skips_rules_that_could_not_look_everywhere(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    root = _good(tmp_path / "c")
    (root / "ei-node2" / CONF / "bps.xml").unlink()
    done = eilint("check", "ei-node1", "ei-node2", "-f", "junit", cwd=root)
    suite = ET.fromstring(done.stdout).find("testsuite")
    assert suite is not None
    skipped = {
        case.get("classname"): case.find("skipped").get("message")  # type: ignore[union-attr]
        for case in suite.iter("testcase")
        if case.find("skipped") is not None
    }
    assert skipped["eilint.BPS004"] == "could not check ei-node2 (files absent)"
    assert "eilint.REG001" not in skipped
    assert suite.get("skipped") == str(len(skipped))


def test_the_guides_integrator_copy_is_named(tmp_path: Path) -> None:
    root = _good(tmp_path / "c")
    master = Path("datasources/master-datasources.xml")
    node2 = root / "ei-node2"
    (node2 / "conf" / "datasources").mkdir(parents=True)
    (node2 / CONF / master).rename(node2 / "conf" / master)
    report = _lint(root)
    (finding,) = [f for f in report.findings if f.rule_id == "EIL030"]
    assert finding.location.path.endswith(f"ei-node2/{CONF}/{master}")
    assert "EI_HOME/conf/datasources/master-datasources.xml is the integrator" in (
        finding.message
    )
    assert finding.hint == f"move the settings into {CONF}/{master}"


def test_github_output_states_coverage_without_commands(tmp_path: Path) -> None:
    root = _good(tmp_path / "c")
    (root / "ei-node2" / CONF / "bps.xml").unlink()
    (root / "ei-node2").rename(root / "::error::x")
    done = eilint("check", "ei-node1", "::error::x", "-f", "github", cwd=root)
    lines = done.stdout.splitlines()
    assert lines[-2].startswith("not fully checked: ::error::x: absent bps.xml")
    assert lines[-1].startswith("0 errors, 1 warning")
    assert all(
        not line.lstrip().startswith("::") or line.startswith(("::warning", "::error"))
        for line in lines
    )
