"""Baselines through the real CLI: adopt on a dirty cluster, fail only on new."""

from __future__ import annotations

import json
from pathlib import Path

from tests.workflow_helpers import MANIFEST
from tests.workflow_helpers import eilint
from tests.workflow_helpers import findings
from tests.workflow_helpers import make_repo
from tests.workflow_helpers import set_read_only


def _dirty(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "cluster")
    set_read_only(root / "node2" / "registry.xml", "false")
    return root


def test_baseline_hides_existing_and_a_new_defect_still_fails(tmp_path: Path) -> None:
    repo = _dirty(tmp_path)
    wrote = eilint("check", "--write-baseline", "eilint-baseline.json", cwd=repo)
    assert wrote.exit_code == 0, wrote.stderr
    assert "wrote 1 finding to" in wrote.stderr
    doc = json.loads((repo / "eilint-baseline.json").read_text())
    assert doc["format"] == "eilint-baseline"
    assert doc["findings"][0]["rule"] == "REG001"
    assert "line" not in doc["findings"][0]

    quiet = eilint(
        "check", "--baseline", "eilint-baseline.json", "-f", "json", cwd=repo
    )
    assert quiet.exit_code == 0, quiet.stdout
    assert findings(quiet) == []
    assert json.loads(quiet.stdout)["summary"]["baselined"] == 1

    # A new defect: node3's registry.xml no longer parses.
    (repo / "node3" / "registry.xml").write_text("<wso2registry>\n<readOnly>\n")
    loud = eilint("check", "--baseline", "eilint-baseline.json", "-f", "json", cwd=repo)
    assert loud.exit_code == 1
    assert [f[:2] for f in findings(loud)] == [("EIL001", "node3/registry.xml")]


def test_lines_moving_above_does_not_churn_the_baseline(tmp_path: Path) -> None:
    repo = _dirty(tmp_path)
    eilint("check", "--write-baseline", "b.json", cwd=repo)
    path = repo / "node1" / "registry.xml"
    text = path.read_text().replace(
        "<wso2registry>", "<wso2registry>\n\n\n<!-- moved -->"
    )
    path.write_text(text)
    result = eilint("check", "--baseline", "b.json", "-f", "json", cwd=repo)
    assert result.exit_code == 0 and findings(result) == []
    assert eilint("check", "--write-baseline", "c.json", cwd=repo).exit_code == 0
    assert (repo / "b.json").read_text() == (repo / "c.json").read_text()


def test_baseline_from_the_manifest(tmp_path: Path) -> None:
    repo = _dirty(tmp_path)
    eilint("check", "--write-baseline", "known.json", cwd=repo)
    (repo / "eilint.yaml").write_text(MANIFEST + "baseline: known.json\n")
    assert eilint("check", cwd=repo).exit_code == 0
    assert eilint("check", "--baseline", "missing.json", cwd=repo).exit_code == 2


def test_bad_baseline_is_a_one_line_usage_error(tmp_path: Path) -> None:
    repo = _dirty(tmp_path)
    (repo / "b.json").write_text("{not json")
    result = eilint("check", "--baseline", "b.json", cwd=repo)
    assert result.exit_code == 2
    assert result.stderr.startswith("eilint: b.json: not a baseline file")
    assert len(result.stderr.strip().splitlines()) == 1


def test_fixed_problems_make_the_baseline_stale(tmp_path: Path) -> None:
    repo = _dirty(tmp_path)
    eilint("check", "--write-baseline", "b.json", cwd=repo)
    set_read_only(repo / "node2" / "registry.xml", "true")  # fixed
    result = eilint("check", "--baseline", "b.json", cwd=repo)
    assert result.exit_code == 0
    assert "1 baseline entry matches nothing" in result.stderr
