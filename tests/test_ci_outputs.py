"""CI outputs through the real CLI: GitHub annotations, JUnit, several outputs."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from eilint.report.github import escape_data
from eilint.report.github import escape_property
from tests.conftest import SARIF_SCHEMA
from tests.workflow_helpers import eilint
from tests.workflow_helpers import make_repo
from tests.workflow_helpers import set_read_only


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "cluster")
    set_read_only(root / "node2" / "registry.xml", "false")
    return root


def test_github_annotations(repo: Path) -> None:
    result = eilint("check", "--format", "github", cwd=repo)
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(
        "::error file=node1/registry.xml,line=19,title=REG001 registry-writer-count::"
    )
    assert "%0Ahint: " in first and "\n" not in first
    assert result.stdout.splitlines()[-1].startswith("1 error, 0 warnings")


def test_github_is_the_default_under_github_actions(repo: Path) -> None:
    result = eilint("check", cwd=repo, env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=node1/registry.xml,line=19")
    plain = eilint("check", cwd=repo)
    assert not plain.stdout.startswith("::")


def test_workflow_command_escaping() -> None:
    assert escape_data("50%\r\nx") == "50%25%0D%0Ax"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def test_junit_agrees_with_the_exit_code(repo: Path) -> None:
    result = eilint("check", "--format", "junit", cwd=repo)
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "1"
    failed = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert [(c.get("file"), c.get("line")) for c in failed] == [
        ("node1/registry.xml", "19")
    ]
    assert int(suite.get("tests", "0")) == len(list(suite.iter("testcase")))


def test_several_outputs_in_one_run(repo: Path) -> None:
    result = eilint(
        "check",
        "--format",
        "sarif",
        "--output",
        "a.sarif",
        "--format",
        "junit",
        "--output",
        "j.xml",
        "--format",
        "text",
        "--sarif-category",
        "prod-bps",
        cwd=repo,
    )
    assert result.exit_code == 1
    assert "REG001" in result.stdout and "1 error" in result.stdout
    sarif = json.loads((repo / "a.sarif").read_text())
    run = sarif["runs"][0]
    assert run["automationDetails"] == {"id": "prod-bps/"}
    assert [r["ruleId"] for r in run["results"]] == ["REG001"]
    ET.parse(repo / "j.xml")


def test_two_formats_on_stdout_is_a_usage_error(repo: Path) -> None:
    result = eilint("check", "-f", "json", "-f", "text", cwd=repo)
    assert result.exit_code == 2
    assert "only one format can go to standard output" in result.stderr


def test_manifest_cluster_names_the_sarif_category(repo: Path) -> None:
    result = eilint("check", "-f", "sarif", cwd=repo)
    run = json.loads(result.stdout)["runs"][0]
    assert run["automationDetails"]["id"] == "eilint/bps-test/"


def test_suppressed_results_are_left_out_of_sarif(repo: Path) -> None:
    path = repo / "node1" / "registry.xml"
    comment = "<!-- eilint: disable=REG001 migration window, CHG-7 -->"
    text = path.read_text().replace(
        "    <remoteInstance", f"    {comment}\n    <remoteInstance", 1
    )
    path.write_text(text)
    result = eilint("check", "-f", "sarif", cwd=repo)
    assert result.exit_code == 0
    run = json.loads(result.stdout)["runs"][0]
    assert run["results"] == []
    if SARIF_SCHEMA.is_file():
        jsonschema = pytest.importorskip("jsonschema")
        schema = json.loads(SARIF_SCHEMA.read_text())
        jsonschema.validate(json.loads(result.stdout), schema)


def test_unwritable_output_is_a_usage_error_before_any_output(repo: Path) -> None:
    result = eilint(
        "check",
        "-f",
        "json",
        "-o",
        "ok.json",
        "-f",
        "sarif",
        "-o",
        "no/such/dir.sarif",
        cwd=repo,
    )
    assert result.exit_code == 2
    assert "no/such/dir.sarif: cannot write report" in result.stderr
    assert (repo / "ok.json").read_text() == ""


def test_github_prints_errors_before_warnings(repo: Path) -> None:
    # A bare suppression is an EIL021 warning on a line above the REG001 error.
    path = repo / "node1" / "registry.xml"
    text = path.read_text().replace(
        "<wso2registry>", "<wso2registry>\n<!-- eilint: disable=REG001 -->", 1
    )
    path.write_text(text)
    lines = eilint("check", "-f", "github", cwd=repo).stdout.splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines if line.startswith("::")]
    assert kinds == ["::error", "::warning"]
