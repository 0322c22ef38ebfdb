"""The wheel carries the catalog and the schemas (they live outside src/)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_contains_rules_and_schemas(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("eilint-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for rules in (REPO / "rules").glob("*.yaml"):
        assert f"eilint/_data/rules/{rules.name}" in names
    for xsd in (REPO / "schemas").glob("*.xsd"):
        assert f"eilint/_data/schemas/{xsd.name}" in names
    assert "eilint/cli.py" in names
