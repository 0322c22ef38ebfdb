"""Hatch build hook: compile rules/*.yaml into the wheel's eilint/_data/catalog.json.

The compiled catalog is data fixed per release: the wheel carries it, so no
installed eilint ever parses the YAML (or writes a cache) at run time. Every
``rules/*.yaml`` present at build time is compiled; a broken catalog fails the
build with the file and line.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TARGET = "eilint/_data/catalog.json"


def _compiler(root: Path) -> Any:
    # Loaded by path: the build environment need not hold eilint's dependencies.
    path = root / "src" / "eilint" / "catalog_compile.py"
    spec = importlib.util.spec_from_file_location("_eilint_catalog_compile", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"{path}: cannot load the catalog compiler")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CatalogHook(BuildHookInterface):  # type: ignore[type-arg]
    """Write the compiled catalog into the wheel (not for editable installs).

    An editable install runs from src/, where the committed copy is read and
    checked against rules/ on every run (see eilint.catalog).
    """

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._tmp = Path(tempfile.mkdtemp(prefix="eilint-catalog-"))
        out = _compiler(Path(self.root)).write(Path(self.root), self._tmp / "c.json")
        build_data["force_include"][str(out)] = TARGET

    def finalize(
        self, version: str, build_data: dict[str, Any], artifact_path: str
    ) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
