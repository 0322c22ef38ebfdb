"""``eilint new-rule``: a new rule's files, in a copy of the source checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from eilint.catalog_compile import compile_dir
from tests.conftest import REPO


def test_new_rule_writes_entry_fixtures_and_regenerated_files(tmp_path: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("src", "rules"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=ignore)
    (tmp_path / "pyproject.toml").write_text("")

    def new_rule(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "eilint", "new-rule", *args],
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path / "src")},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    done = new_rule("NGX099", "upstream-without-keepalive", "--severity", "note")
    assert done.returncode == 0, done.stderr
    rules = {r["id"]: r for r in compile_dir(tmp_path / "rules")["rules"]}
    assert rules["NGX099"]["name"] == "upstream-without-keepalive"
    assert rules["NGX099"]["severity"] == "note"
    assert rules["NGX099"]["source"] == "rules/nginx.yaml"
    fixtures = tmp_path / "tests" / "fixtures" / "NGX099"
    assert (fixtures / "fail_basic" / "expected.yaml").is_file()
    assert (fixtures / "pass_basic" / "node1").is_dir()
    compiled = (tmp_path / "src" / "eilint" / "_data" / "catalog.json").read_text()
    assert '"NGX099"' in compiled
    assert (
        "## NGX099 upstream-without-keepalive"
        in (tmp_path / "rules" / "README.md").read_text()
    )
    assert "def upstream_without_keepalive(" in done.stdout
    assert "src/eilint/checks/nginx.py" in done.stdout
    again = new_rule("NGX099", "other-name")
    assert again.returncode == 2 and "exists" in again.stderr
    unknown = new_rule("ZZZ001", "z-z")
    assert unknown.returncode == 2 and "prefix: ZZZ" in unknown.stderr
