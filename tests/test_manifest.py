"""eilint.yaml through the real CLI: manifest runs, errors with lines, init."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.workflow_helpers import MANIFEST
from tests.workflow_helpers import eilint
from tests.workflow_helpers import findings
from tests.workflow_helpers import make_repo
from tests.workflow_helpers import set_read_only


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "cluster")
    set_read_only(root / "node2" / "registry.xml", "false")  # two writers: REG001
    return root


def test_no_args_reports_the_same_as_the_explicit_command(repo: Path) -> None:
    implicit = eilint("check", "-f", "json", cwd=repo)
    explicit = eilint(
        "check",
        "node1=node1",
        "node2=node2",
        "node3=node3",
        "--nginx",
        "nginx",
        "-f",
        "json",
        cwd=repo,
    )
    assert implicit.exit_code == explicit.exit_code == 1
    assert findings(implicit) == findings(explicit)
    assert ("REG001", "node1/registry.xml", 19, "node1") in findings(implicit)


def test_manifest_is_found_from_a_subdirectory(repo: Path) -> None:
    result = eilint("check", "-f", "json", cwd=repo / "node3")
    assert result.exit_code == 1
    assert {f[0] for f in findings(result)} == {"REG001"}


def test_explicit_config_option(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    result = eilint("check", "--config", str(repo / "eilint.yaml"), cwd=other)
    assert result.exit_code == 1, result.stderr
    assert "REG001" in result.stdout


def test_rule_settings_apply(repo: Path) -> None:
    text = MANIFEST + "severity:\n  REG001: warning\n"
    (repo / "eilint.yaml").write_text(text)
    result = eilint("check", "-f", "json", cwd=repo)
    assert result.exit_code == 0
    assert {f[0] for f in findings(result)} == {"REG001"}
    (repo / "eilint.yaml").write_text(text + "fail-on: warning\n")
    assert eilint("check", cwd=repo).exit_code == 1
    (repo / "eilint.yaml").write_text(MANIFEST + "ignore: [registry-writer-count]\n")
    assert eilint("check", "-f", "json", cwd=repo).exit_code == 0


def test_per_path_ignores(repo: Path) -> None:
    (repo / "eilint.yaml").write_text(
        MANIFEST + "per-path-ignores:\n  node1/registry.xml: [REG]\n"
    )
    result = eilint("check", "-f", "json", cwd=repo)
    assert result.exit_code == 0, result.stdout
    assert findings(result) == []


def test_cli_select_replaces_the_manifest_selection(repo: Path) -> None:
    (repo / "eilint.yaml").write_text(MANIFEST.replace("[REG, EIL]", "[EIL]"))
    assert eilint("check", cwd=repo).exit_code == 0
    assert eilint("check", "--select", "REG001", cwd=repo).exit_code == 1
    (repo / "eilint.yaml").write_text(MANIFEST + "ignore: [REG001]\n")
    assert eilint("check", cwd=repo).exit_code == 0
    assert eilint("check", "--select", "REG001", cwd=repo).exit_code == 1


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        ("colour: red\n", 12, "unknown key 'colour'"),
        ("ignore:\n  - REG001\n  - XYZ123\n", 14, "unknown rule, prefix, name or tag"),
        ("severity:\n  NOPE01: warning\n", 13, "unknown rule 'NOPE01'"),
        ("severity:\n  REG001: fatal\n", 13, "unknown severity 'fatal'"),
        ("options:\n  REG001: {bogus: 1}\n", 13, "unknown option 'bogus'"),
        ("ignore: REG001\n", 12, "'ignore' must be a list"),
        ("baseline: [a\n", 13, "not valid YAML"),
        ("per-path-ignores:\n  a/*: [ZZZ]\n", 13, "unknown rule"),
        ("nginx: other\n", 12, "found duplicate key"),
    ],
)
def test_config_errors_name_the_manifest_line(
    repo: Path, extra: str, line: int, message: str
) -> None:
    (repo / "eilint.yaml").write_text(MANIFEST + extra)
    result = eilint("check", cwd=repo)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"eilint: eilint.yaml:{line}: "), result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_node_key_is_an_error(repo: Path) -> None:
    (repo / "eilint.yaml").write_text(MANIFEST.replace("path: node2", "pth: node2"))
    result = eilint("check", cwd=repo)
    assert result.exit_code == 2
    assert "eilint.yaml:" in result.stderr and "needs 'path'" in result.stderr


def test_missing_node_directory_is_a_usage_error(repo: Path) -> None:
    (repo / "eilint.yaml").write_text(MANIFEST.replace("path: node3", "path: gone"))
    result = eilint("check", cwd=repo)
    assert result.exit_code == 2
    assert "gone" in result.stderr


def test_offline_refuses_remote_nodes(repo: Path) -> None:
    (repo / "eilint.yaml").write_text(
        MANIFEST.replace("path: node3", "path: ei3.example:/opt/ei")
    )
    result = eilint("check", "--offline", cwd=repo)
    assert result.exit_code == 2
    assert "--offline never connects" in result.stderr


def test_no_manifest_and_no_nodes(tmp_path: Path) -> None:
    result = eilint("check", cwd=tmp_path)
    assert result.exit_code == 2
    assert "eilint init" in result.stderr


def test_init_writes_a_manifest_that_check_uses(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "c", manifest=None)
    result = eilint("init", cwd=root)
    assert result.exit_code == 0, result.stderr
    text = (root / "eilint.yaml").read_text()
    assert "name: node1" in text and "nginx: nginx/" in text and "# select:" in text
    checked = eilint("check", "-f", "json", cwd=root)
    assert checked.exit_code in (0, 1), checked.stderr
    summary = json.loads(checked.stdout)["summary"]
    assert summary["nodes"] == ["node1", "node2", "node3"] and summary["nginx"]
    again = eilint("init", cwd=root)
    assert again.exit_code == 2 and "--force" in again.stderr
