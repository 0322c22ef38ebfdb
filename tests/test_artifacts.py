"""Artifact hashing: streaming, links never followed, bounds, conf-only nodes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from eilint.loaders import artifacts
from eilint.loaders.artifacts import ArtifactLimit
from eilint.loaders.artifacts import scan_artifacts

SERVER = "wso2/business-process/repository/deployment/server"


def _home(tmp: Path, name: str = "ei") -> Path:
    home = tmp / name
    (home / "wso2/business-process/conf").mkdir(parents=True)
    (home / "wso2/business-process/conf/registry.xml").write_text("<wso2registry/>\n")
    (home / SERVER / "bpel").mkdir(parents=True)
    return home


def test_hashes_are_sha256_of_the_content(tmp_path: Path) -> None:
    home = _home(tmp_path)
    data = os.urandom(3 * 1024 * 1024 + 17)  # several chunks
    (home / SERVER / "bpel/a.zip").write_bytes(data)
    scan = scan_artifacts(home)
    want = "sha256:" + hashlib.sha256(data).hexdigest()
    assert scan.hashes == {f"{SERVER}/bpel/a.zip": want}


def test_symlink_loops_and_links_out_are_recorded_not_followed(tmp_path: Path) -> None:
    home = _home(tmp_path)
    (home / SERVER / "bpel/loop").symlink_to("..")
    (home / SERVER / "bpel/out").symlink_to("/etc/passwd")
    scan = scan_artifacts(home)
    assert scan.hashes[f"{SERVER}/bpel/loop"] == "link:.."
    assert scan.hashes[f"{SERVER}/bpel/out"] == "link:/etc/passwd"
    assert len(scan.hashes) == 2


def test_tenant_artifacts_are_included(tmp_path: Path) -> None:
    home = _home(tmp_path)
    tenant = home / "wso2/business-process/repository/tenants/1/bpel"
    tenant.mkdir(parents=True)
    (tenant / "t.zip").write_text("t")
    assert any("/tenants/1/bpel/t.zip" in k for k in scan_artifacts(home).hashes)


def test_file_bound_stops_the_scan(tmp_path: Path, monkeypatch) -> None:
    home = _home(tmp_path)
    for i in range(5):
        (home / SERVER / f"bpel/{i}.zip").write_text(str(i))
    monkeypatch.setattr(artifacts, "MAX_ARTIFACT_FILES", 3)
    with pytest.raises(ArtifactLimit):
        scan_artifacts(home)


def test_oversized_tree_is_not_compared(tmp_path: Path, monkeypatch) -> None:
    one, two = _home(tmp_path, "one"), _home(tmp_path, "two")
    for i in range(5):
        (one / SERVER / f"bpel/{i}.zip").write_text(str(i))
    monkeypatch.setattr(artifacts, "MAX_ARTIFACT_FILES", 3)
    report = lint(LintOptions(nodes=[str(one), str(two)], select=["DEP", "EIL005"]))
    got = [(f.rule_id, f.node) for f in report.findings]
    assert got == [("EIL005", "one")]


def test_conf_only_nodes_have_no_artifacts(tmp_path: Path) -> None:
    confs = [tmp_path / "a" / "conf", tmp_path / "b" / "conf"]
    for conf in confs:
        conf.mkdir(parents=True)
        (conf / "registry.xml").write_text("<wso2registry/>\n")
    nodes = [f"{c.parent.name}={c}" for c in confs]
    report = lint(LintOptions(nodes=nodes, select=["DEP"]))
    assert report.findings == ()
