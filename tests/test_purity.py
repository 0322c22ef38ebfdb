"""checks/ and model/ are pure: no file system, process, network or parser access."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PURE = [REPO / "src" / "eilint" / "checks", REPO / "src" / "eilint" / "model"]
FORBIDDEN = {
    "os",
    "pathlib",
    "io",
    "subprocess",
    "socket",
    "shutil",
    "glob",
    "tempfile",
    "lxml",
    "xmlschema",
    "crossplane",
    "javaproperties",
    "urllib",
    "http",
    "requests",
}


def _modules() -> list[Path]:
    return sorted(p for d in PURE for p in d.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_module_is_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("open", "exec", "eval"), (
                f"{path.name} calls {node.func.id}"
            )
