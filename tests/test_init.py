"""``eilint init``: trees found a few levels down, real addresses, exit 2 on nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import REPO
from tests.test_cli import run

GOOD = REPO / "sample-configs" / "good"


def test_nodes_and_nginx_deeper_down_with_their_addresses(tmp_path: Path) -> None:
    root = tmp_path / "cluster"
    shutil.copytree(GOOD / "ei-node1", root / "nodes" / "ei1")
    # A bare conf/ two levels down, named after its parent.
    shutil.copytree(
        GOOD / "ei-node2" / "wso2" / "business-process" / "conf",
        root / "ei2" / "conf",
    )
    shutil.copytree(GOOD / "nginx", root / "lb" / "etc" / "nginx")
    done = run("init", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "2 nodes and nginx" in done.stdout
    text = (root / "eilint.yaml").read_text()
    assert "name: ei1\n    path: nodes/ei1/\n    address: 10.0.0.11" in text
    assert "name: ei2\n    path: ei2/conf/\n    address: 10.0.0.12" in text
    assert "nginx: lb/etc/nginx/" in text
    # HostName is the load balancer's name on both: it names neither node.
    assert "ei.example.com" not in text
    # Only documentation pip installs or a URL: no path into this repository.
    assert "Reference: https://" in text
    checked = run("check", "-f", "json", cwd=root)
    assert checked.returncode in (0, 1), checked.stderr
    summary = json.loads(checked.stdout)["summary"]
    assert sorted(summary["nodes"]) == ["ei1", "ei2"] and summary["nginx"]


def test_host_name_alone_is_used_when_it_names_one_node(tmp_path: Path) -> None:
    root = tmp_path / "cluster"
    for i in (1, 2):
        conf = root / f"n{i}" / "conf"
        conf.mkdir(parents=True)
        (conf / "carbon.xml").write_text(
            f'<Server xmlns="http://wso2.org/projects/carbon/carbon.xml">'
            f"<HostName>ei{i}.example.com</HostName></Server>\n"
        )
    assert run("init", cwd=root).returncode == 0
    text = (root / "eilint.yaml").read_text()
    assert "address: ei1.example.com" in text and "address: ei2.example.com" in text


def test_nothing_found_is_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("no nodes here\n")
    done = run("init", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("eilint: ") and done.stderr.count("\n") == 1
    assert "no EI node directory found" in done.stderr
    assert not (tmp_path / "eilint.yaml").exists()


def test_same_names_in_two_places_are_told_apart(tmp_path: Path) -> None:
    for site in ("dc1", "dc2"):
        shutil.copytree(GOOD / "ei-node1", tmp_path / site / "node1")
    assert run("init", cwd=tmp_path).returncode == 0
    text = (tmp_path / "eilint.yaml").read_text()
    assert "name: dc1-node1" in text and "name: dc2-node1" in text
