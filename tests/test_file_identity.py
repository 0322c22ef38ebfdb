"""File identity (issue 14, point 4): node + node-relative file, one renderer.

Fingerprints and baselines come from the node and the file relative to its tree,
so they do not change with the working directory, the spelling of the NODE
paths, or a directory name holding ':' or spaces; SARIF URIs are rendered from
the same identity (tests/test_remote.py covers ssh:// and --map).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from eilint.baseline import load
from eilint.baseline import split
from eilint.baseline import write
from eilint.engine import tree_file
from eilint.findings import Location
from eilint.report import Report
from eilint.report.json import report_dict
from eilint.report.pathmap import MapError
from eilint.report.pathmap import View
from eilint.report.pathmap import render
from eilint.report.pathmap import sarif_view
from eilint.report.sarif import sarif_dict
from tests.conftest import FIXTURES

CASE = FIXTURES / "REG001" / "fail_two_writers"


@pytest.fixture
def odd(tmp_path: Path) -> Path:
    """The two-writer case under a directory whose name holds ':' and spaces."""
    root = tmp_path / "repo" / "a:b c"
    shutil.copytree(CASE, root)
    return root


def _report(root: Path, cwd: Path, spelled: str = "") -> Report:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        nodes = [f"{n}={spelled or root}/{n}" for n in ("node1", "node2")]
        # The fixture holds registry.xml alone: its absent key files (EIL030) aside.
        return lint(LintOptions(nodes=nodes, ignore=["EIL030"]))
    finally:
        os.chdir(old)


def _prints(report: Report) -> list[tuple[str, str]]:
    data = report_dict(report)
    return [(f["rule"], f["fingerprint"]) for f in data["findings"]]


def test_locations_name_the_node_relative_file(odd: Path) -> None:
    report = _report(odd, odd.parent)
    (finding,) = report.findings
    assert finding.location.path == "a:b c/node1/registry.xml"
    assert finding.location.file == "registry.xml"
    assert [r.file for r in finding.related] == ["registry.xml"]


def test_fingerprints_and_baselines_do_not_depend_on_the_working_directory(
    odd: Path, tmp_path: Path
) -> None:
    inside = _report(odd, odd.parent)
    outside = _report(odd, tmp_path)
    dotted = _report(odd, odd, spelled=".")
    assert {f.location.path for f in outside.findings} != {
        f.location.path for f in inside.findings
    }
    assert _prints(inside) == _prints(outside) == _prints(dotted)
    baseline = tmp_path / "baseline.json"
    write(baseline, inside.findings)
    entry = json.loads(baseline.read_text())["findings"][0]
    assert (entry["node"], entry["file"]) == ("node1", "registry.xml")
    for report in (outside, dotted):
        new, known, stale = split(report.findings, load(baseline))
        assert (new, len(known), stale) == ((), 1, 0)


def test_a_baseline_written_before_file_identity_is_still_read(
    odd: Path, tmp_path: Path
) -> None:
    # The shape eilint wrote before: file relative to the node's tree.
    old = {
        "format": "eilint-baseline",
        "version": 1,
        "tool": "eilint 0.9.0",
        "findings": [
            {
                "rule": "REG001",
                "node": "node1",
                "file": "registry.xml",
                "anchor": "/wso2registry/remoteInstance[1]/readOnly[1]",
                "count": 1,
                "message": "two writers",
            }
        ],
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    report = _report(odd, tmp_path)
    assert report.findings[0].location.key == old["findings"][0]["anchor"]
    new, known, stale = split(report.findings, load(path))
    assert (new, len(known), stale) == ((), 1, 0)


def test_sarif_uri_of_a_local_directory_with_a_colon_and_a_space(odd: Path) -> None:
    report = _report(odd, odd.parent)
    run = sarif_dict(report, cwd=odd.parent)["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    # %3A: 'a:b' must not read as a URI scheme; a local node is not remote.
    assert artifact == {"uri": "a%3Ab%20c/node1/registry.xml", "uriBaseId": "%SRCROOT%"}
    with pytest.raises(MapError, match="a local node"):
        sarif_view(report, {"node1": "configs/node1"})


def test_one_renderer_for_every_view() -> None:
    loc = Location("n2:/opt/ei/conf/x y.xml", 3, None, "n2", None, "conf/x y.xml")
    remote = {"n2": "ssh://n2/opt/ei"}
    maps = {"n2": "configs/n2"}
    assert render(loc, View.TERMINAL) == "n2:/opt/ei/conf/x y.xml"
    assert render(loc, View.IDENTITY) == "conf/x y.xml"
    assert render(loc, View.SARIF, remote) == "ssh://n2/opt/ei/conf/x%20y.xml"
    assert render(loc, View.SARIF, remote, maps) == "configs/n2/conf/x%20y.xml"
    assert render(loc, View.ANNOTATION, remote, maps) == "configs/n2/conf/x y.xml"
    assert render(loc, View.ANNOTATION, remote) == loc.path


@pytest.mark.parametrize(
    ("path", "root", "file"),
    [
        ("configs/n1/registry.xml", "configs/n1", "registry.xml"),
        ("configs/n1", "configs/n1", "."),
        ("registry.xml", ".", "registry.xml"),
        ("/abs/n1/conf/x.xml", "/abs/n1", "conf/x.xml"),
        ("n2:/opt/ei/wso2/x.xml", "n2:/opt/ei", "wso2/x.xml"),
        ("a:b/x.xml", "a:b", "x.xml"),
        ("configs/n10/x.xml", "configs/n1", None),
        ("../elsewhere/x.xml", ".", None),
    ],
)
def test_tree_file(path: str, root: str, file: str | None) -> None:
    assert tree_file(path, root) == file
