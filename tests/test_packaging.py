"""The wheel: the catalog compiled at build time, the schemas, the project URLs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from eilint.catalog_compile import compile_dir
from tests.conftest import REPO

SAMPLE = REPO / "sample-configs" / "good"
PIP = (sys.executable, "-m", "pip", "-q")
COPIED = ("pyproject.toml", "README.md", "hatch_build.py")


def _build_wheel(source: Path, out: Path) -> Path:
    subprocess.run(
        [
            *PIP,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("eilint-*.whl"))


@pytest.fixture(scope="module")
def edited_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project whose rules/ changed after the committed compile."""
    root = tmp_path_factory.mktemp("source")
    for name in COPIED:
        shutil.copy2(REPO / name, root / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("src", "rules", "schemas"):
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    registry = root / "rules" / "registry.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace(
            "title: Exactly one node must mount the shared registry read-write",
            "title: Exactly one node mounts the shared registry read-write",
        ),
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def wheel(edited_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_wheel(edited_source, tmp_path_factory.mktemp("wheel"))


def test_wheel_holds_the_catalog_compiled_from_rules_at_build_time(
    wheel: Path, edited_source: Path
) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        compiled = json.loads(archive.read("eilint/_data/catalog.json"))
    # Compiled from the rules present at build time, not the committed copy.
    assert compiled == compile_dir(edited_source / "rules")
    reg001 = next(r for r in compiled["rules"] if r["id"] == "REG001")
    assert reg001["title"].startswith("Exactly one node mounts")
    assert names.count("eilint/_data/catalog.json") == 1
    assert not [n for n in names if n.startswith("eilint/_data/rules/")]
    for xsd in (REPO / "schemas").glob("*.xsd"):
        assert f"eilint/_data/schemas/{xsd.name}" in names
    assert "eilint/cli.py" in names


def test_installed_check_parses_no_yaml_and_writes_nothing_home(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [*PIP, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "PYTHONPATH": str(target)}
    nodes = [str(SAMPLE / n) for n in ("ei-node1", "ei-node2")]
    nodes += ["--nginx", str(SAMPLE / "nginx")]
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "eilint", "check", *nodes],
        cwd=home,  # no eilint.yaml here or above: that would be parsed (user input)
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "eilint.catalog" in imported
    assert not {m for m in imported if m.startswith("ruamel")}
    assert list(home.rglob("*")) == []
    explained = subprocess.run(
        [sys.executable, "-m", "eilint", "explain", "REG001"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # The edited title: this ran the wheel's package and its compiled catalog.
    assert "Exactly one node mounts" in explained.stdout


def test_project_urls_name_the_repository() -> None:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert meta["urls"]["Repository"].startswith("https://github.com/")
