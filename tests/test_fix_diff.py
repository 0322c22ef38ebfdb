"""``--diff`` shows the whole ``--fix`` (every round) and writes nothing: the
diff applied with ``git apply`` (and ``patch -p1``) gives the bytes ``--fix``
writes, also for multi-round cascades (PRT001 moves an offset, the WKA fixes
follow; CLU014 moves a member port, CLU010/CLU013 follow)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from msgspec.structs import replace

from eilint.fix import run
from eilint.fix.run import FixMode
from eilint.fix.run import fix_cluster
from tests.fixhelp import FIX_FIXTURES
from tests.fixhelp import case_options
from tests.fixhelp import tree_bytes

CASES = [
    "PRT001/fail_same_host_same_offset",
    "CLU014/fail_two_nodes_one_port",
    "CLU010/fail_hazelcast_xml_moves_port",
    "CLU002/fail_all_disabled",
    "CLU008/fail_host_name",
    "REG012/fail_query_string_differs",
    "DSR001/fail_autocommit_false",
    "NGX002/fail_ssl_on",
    "EDG002/fail_guide_integrator_ports",
]


def _copy(case: Path, dest: Path) -> Path:
    shutil.copytree(case / "before", dest)
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    return dest


def _apply(diff: bytes, tree: Path, tool: list[str]) -> None:
    patch = tree.parent / f"{tree.name}.diff"
    patch.write_bytes(diff)
    subprocess.run([*tool, str(patch)], cwd=tree, check=True, capture_output=True)


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("tool", [["git", "apply"], ["patch", "-p1", "-s", "-i"]])
def test_diff_applied_equals_fix(
    name: str, tool: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = FIX_FIXTURES / name
    fixed = _copy(case, tmp_path / "fixed")
    shown = _copy(case, tmp_path / "shown")
    # Every rule: the cascades of fixes other rules' findings start.
    fix_cluster(case_options(case, fixed, []), FixMode(unsafe=True))
    before = tree_bytes(shown)
    monkeypatch.chdir(shown)
    outcome = fix_cluster(
        case_options(case, shown, []), FixMode(unsafe=True, diff=True)
    )
    monkeypatch.chdir(tmp_path)
    assert outcome.converged and outcome.diff
    assert tree_bytes(shown) == before  # --diff wrote nothing
    _apply(outcome.diff, shown, tool)
    assert tree_bytes(shown) == tree_bytes(fixed)


@pytest.mark.parametrize("name", CASES[3:6])
def test_these_cases_take_two_rounds(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The equality above proves little unless some diffs span several rounds.
    case = FIX_FIXTURES / name
    tree = _copy(case, tmp_path / "t")
    rounds: list[list[str]] = []
    write_all = run.write_all

    def counted(contents: dict[str, bytes], originals: dict[str, bytes | None]) -> None:
        rounds.append(sorted(contents))
        write_all(contents, originals)

    monkeypatch.setattr(run, "write_all", counted)
    fix_cluster(case_options(case, tree, []), FixMode(unsafe=True, diff=True))
    assert len(rounds) >= 2


def test_diff_leaves_the_working_directory_and_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = FIX_FIXTURES / "DSR001" / "fail_autocommit_false"
    tree = _copy(case, tmp_path / "t")
    monkeypatch.chdir(tree)
    mtimes = {p: p.stat().st_mtime_ns for p in tree.rglob("*")}
    outcome = fix_cluster(case_options(case, tree, []), FixMode(diff=True))
    assert Path.cwd() == tree
    assert {p: p.stat().st_mtime_ns for p in tree.rglob("*")} == mtimes
    assert b"+++ b/node1/datasources/bps-datasources.xml" in outcome.diff
    assert not any(str(tmp_path) in line for line in outcome.errors)


def test_diff_of_a_tree_outside_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = FIX_FIXTURES / "DSR001" / "fail_autocommit_false"
    tree = _copy(case, tmp_path / "t")
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    outcome = fix_cluster(case_options(case, tree, []), FixMode(diff=True))
    assert b"+++ b/../t/node1/datasources/bps-datasources.xml" in outcome.diff
    assert b"eilint-diff-" not in outcome.diff


def test_a_symlinked_tree_and_an_in_tree_absolute_link(tmp_path: Path) -> None:
    case = FIX_FIXTURES / "DSR001" / "fail_autocommit_false"
    real = _copy(case, tmp_path / "real")
    ds = real / "node1" / "datasources"
    os.replace(ds / "bps-datasources.xml", real / "node1" / "shared.xml")
    (ds / "bps-datasources.xml").symlink_to(real / "node1" / "shared.xml")
    link = tmp_path / "link"
    link.symlink_to(real)
    before = tree_bytes(real)
    result = subprocess.run(
        [sys.executable, "-m", "eilint", "check", "--diff", "node1"],
        cwd=link,
        capture_output=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 1, result.stderr
    assert tree_bytes(real) == before
    # The file fixed is the link's target, as --fix writes it.
    assert b"+++ b/node1/shared.xml" in result.stdout


def test_a_tree_holding_the_temporary_directory_is_not_copied_into_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = FIX_FIXTURES / "DSR001" / "fail_autocommit_false"
    tree = _copy(case, tmp_path / "t")
    inner = tree / "node1" / "scratch"
    inner.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(inner))
    monkeypatch.chdir(tree)
    outcome = fix_cluster(case_options(case, tree, []), FixMode(diff=True))
    assert b"+++ b/node1/datasources/bps-datasources.xml" in outcome.diff
    assert list(inner.iterdir()) == []


def test_an_nginx_dump_is_copied_alone_and_never_edited(tmp_path: Path) -> None:
    case = FIX_FIXTURES / "NGX002" / "fail_ssl_on"
    tree = _copy(case, tmp_path / "t")
    conf = tree / "nginx" / "nginx.conf"
    dump = tmp_path / "dump.txt"
    dump.write_text(f"# configuration file /etc/nginx/nginx.conf:\n{conf.read_text()}")
    (tmp_path / "big").mkdir()  # beside the dump: not copied
    options = replace(case_options(case, tree, []), nginx=dump)
    outcome = fix_cluster(options, FixMode(unsafe=True, diff=True))
    assert outcome.converged and outcome.diff
    assert b"nginx.conf" not in outcome.diff and b"dump.txt" not in outcome.diff
    assert dump.read_text().startswith("# configuration file")
