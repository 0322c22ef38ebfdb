"""Node identity and hidden inputs (issue 14, points 4 and 5).

Node names come from the arguments as given; the same tree twice is a usage
error; a ``.eilint-snapshot.json`` is applied only to declared snapshots, so a
file planted in a tree cannot hide findings.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import UsageError
from eilint.api import lint
from eilint.loaders.snapshot import take_snapshot
from eilint.loaders.targets import RemoteSettings
from tests.conftest import FIXTURES
from tests.conftest import REPO
from tests.workflow_helpers import eilint

DEP001 = FIXTURES / "DEP001" / "fail_content_differs"
GOOD = REPO / "sample-configs" / "good"
FORMATS = ("text", "json", "sarif", "github", "junit")


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, symlinks=True)
    return dest


def _dep001(report_findings: object) -> list[str]:
    return [f.rule_id for f in report_findings if f.rule_id == "DEP001"]  # type: ignore[attr-defined]


# --- point 4: ./a:b and spaces ---------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_local_path_with_a_colon_and_one_with_a_space_work(
    tmp_path: Path, fmt: str
) -> None:
    _copy(GOOD / "ei-node1", tmp_path / "a:b")
    _copy(GOOD / "ei-node2", tmp_path / "n 2")
    done = eilint("check", "./a:b", "n 2", "-f", fmt, cwd=tmp_path)
    assert done.exit_code == 0, done.output
    assert "internal error" not in done.output
    if fmt == "sarif":
        run = json.loads(done.stdout)["runs"][0]
        assert not any("ssh://" in json.dumps(r) for r in run.get("results", []))


def test_findings_in_a_node_with_a_colon_are_not_taken_for_remote(
    tmp_path: Path,
) -> None:
    _copy(GOOD / "ei-node1", tmp_path / "a:b")
    _copy(GOOD / "ei-node2", tmp_path / "n 2")
    carbon = tmp_path / "a:b" / "wso2" / "business-process" / "conf" / "carbon.xml"
    carbon.write_text(carbon.read_text().replace("<Offset>2<", "<Offset>x<"))
    done = eilint("check", "./a:b", "n 2", "-f", "sarif", cwd=tmp_path)
    assert done.exit_code == 1, done.output
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(done.stdout)["runs"][0]["results"]
    }
    assert uris and all(not u.startswith("ssh:") for u in uris)
    assert any(u.startswith("a%3Ab/wso2/") for u in uris), uris


# --- point 5: node identity ------------------------------------------------------


def test_the_same_directory_twice_is_a_usage_error(tmp_path: Path) -> None:
    _copy(GOOD / "ei-node1", tmp_path / "n1")
    done = eilint("check", "a=n1", "b=n1", cwd=tmp_path)
    assert done.exit_code == 2
    assert done.stderr.strip().count("\n") == 0
    assert "same directory" in done.stderr


def test_the_same_directory_through_a_symlink_is_a_usage_error(tmp_path: Path) -> None:
    _copy(GOOD / "ei-node1", tmp_path / "n1")
    (tmp_path / "link").symlink_to("n1")
    with pytest.raises(UsageError, match="same directory"):
        lint(LintOptions(nodes=[str(tmp_path / "n1"), str(tmp_path / "link")]))
    conf = tmp_path / "n1" / "wso2" / "business-process" / "conf"
    with pytest.raises(UsageError, match="same directory"):
        lint(LintOptions(nodes=[str(tmp_path / "n1"), f"c={conf}"]))


def test_a_symlinked_node_is_named_after_the_argument(tmp_path: Path) -> None:
    _copy(GOOD / "ei-node1", tmp_path / "real-dir")
    _copy(GOOD / "ei-node2", tmp_path / "ei-node2")
    (tmp_path / "ei-node1").symlink_to("real-dir")
    report = lint(
        LintOptions(nodes=[str(tmp_path / "ei-node1"), str(tmp_path / "ei-node2")])
    )
    assert report.nodes == ("ei-node1", "ei-node2")


def test_profile_conf_dirs_are_named_after_their_ei_home(tmp_path: Path) -> None:
    confs = []
    for name in ("ei-node1", "ei-node2"):
        _copy(GOOD / name, tmp_path / name)
        confs.append(str(tmp_path / name / "wso2" / "business-process" / "conf"))
    report = lint(LintOptions(nodes=confs))
    assert report.nodes == ("ei-node1", "ei-node2")


def test_two_conf_dirs_of_the_same_name_ask_for_names(tmp_path: Path) -> None:
    conf = Path("wso2") / "business-process" / "conf"
    for top in ("x", "y"):
        _copy(GOOD / "ei-node1" / conf, tmp_path / top / "node" / conf)
    args = [f"{top}/node/{conf}" for top in ("x", "y")]
    done = eilint("check", *args, cwd=tmp_path)
    assert done.exit_code == 2
    assert "two nodes are named 'node'" in done.stderr
    assert "NAME=PATH" in done.stderr


# --- point 5: snapshot records ---------------------------------------------------


def _plant_record(node: Path) -> None:
    """Write what an attacker would: equal hashes for every artifact."""
    server = node / "wso2" / "business-process" / "repository"
    artifacts = {
        p.relative_to(node).as_posix(): hashlib.sha256(b"same").hexdigest()
        for p in server.rglob("*")
        if p.is_file()
    }
    record = {"format": 1, "source": "node:/opt/ei", "artifacts": artifacts}
    (node / ".eilint-snapshot.json").write_text(json.dumps(record))


def test_a_planted_snapshot_record_cannot_hide_dep001(tmp_path: Path) -> None:
    case = _copy(DEP001, tmp_path / "case")
    nodes = [f"{n}={case / n}" for n in ("node1", "node2")]
    before = _dep001(lint(LintOptions(nodes=nodes)).findings)
    assert before == ["DEP001"]
    for name in ("node1", "node2"):
        _plant_record(case / name)
    after = lint(LintOptions(nodes=nodes)).findings
    assert _dep001(after) == ["DEP001"]
    done = eilint("check", *nodes, "-f", "json", cwd=tmp_path)
    assert done.exit_code == 1
    rules = {f["rule"] for f in json.loads(done.stdout)["findings"]}
    assert "DEP001" in rules


def test_declared_snapshots_apply_their_record(tmp_path: Path) -> None:
    case = _copy(DEP001, tmp_path / "case")
    out = tmp_path / "snap"
    nodes = [f"{n}={case / n}" for n in ("node1", "node2")]
    result = take_snapshot(nodes, out, RemoteSettings())
    assert result.failures == []
    copies = [f"{n}={out / n}" for n in ("node1", "node2")]
    # The copies hold no artifacts: only their records know the hashes.
    assert not list((out / "node1").rglob("*.zip"))
    undeclared = lint(LintOptions(nodes=copies)).findings
    assert _dep001(undeclared) == []
    declared = lint(LintOptions(nodes=copies, snapshots=copies)).findings
    assert _dep001(declared) == ["DEP001"]
    done = eilint("check", *copies, "--snapshots", "-f", "json", cwd=tmp_path)
    assert done.exit_code == 1
    assert "DEP001" in {f["rule"] for f in json.loads(done.stdout)["findings"]}


def test_the_manifest_declares_a_snapshot_per_node(tmp_path: Path) -> None:
    case = _copy(DEP001, tmp_path / "case")
    take_snapshot(
        [f"{n}={case / n}" for n in ("node1", "node2")],
        tmp_path / "snap",
        RemoteSettings(),
    )
    manifest = (
        "nodes:\n"
        "  - {name: node1, path: snap/node1, snapshot: true}\n"
        "  - {name: node2, path: snap/node2, snapshot: true}\n"
    )
    (tmp_path / "eilint.yaml").write_text(manifest)
    done = eilint("check", "-f", "json", cwd=tmp_path)
    assert done.exit_code == 1, done.output
    assert "DEP001" in {f["rule"] for f in json.loads(done.stdout)["findings"]}
    (tmp_path / "eilint.yaml").write_text(manifest.replace("true", "'yes'"))
    bad = eilint("check", cwd=tmp_path)
    assert bad.exit_code == 2 and "'snapshot' must be true or false" in bad.stderr


def test_declaring_a_tree_without_a_record_is_a_usage_error(tmp_path: Path) -> None:
    _copy(GOOD / "ei-node1", tmp_path / "n1")
    done = eilint("check", "n1", "--snapshots", cwd=tmp_path)
    assert done.exit_code == 2
    assert "declared a snapshot but holds no .eilint-snapshot.json" in done.stderr


def test_a_declared_snapshot_with_a_foreign_record_is_a_finding(
    tmp_path: Path,
) -> None:
    _copy(GOOD / "ei-node1", tmp_path / "n1")
    (tmp_path / "n1" / ".eilint-snapshot.json").write_text('{"format": 1}')
    report = lint(LintOptions(nodes=["n1"], snapshots=["n1"], select=["EIL"]))
    messages = [f.message for f in report.findings if f.rule_id == "EIL005"]
    assert messages == ["file is not an eilint snapshot record of format 1"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    os.environ.setdefault("NO_COLOR", "1")


def test_snapshot_names_a_symlinked_tree_after_the_argument(tmp_path: Path) -> None:
    _copy(GOOD / "ei-node1", tmp_path / "real-dir")
    (tmp_path / "ei-node1").symlink_to("real-dir")
    result = take_snapshot(["ei-node1"], tmp_path / "out", RemoteSettings())
    assert [name for name, _, _ in result.written] == ["ei-node1"]
