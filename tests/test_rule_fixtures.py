"""Every tests/fixtures/<RULE>/<case>/ is linted with only that rule selected.

fail_* cases must produce exactly the findings listed in expected.yaml
(rule, path relative to the case, line); pass_* cases must produce none.
Cases with a generate-keys.yaml are linted from a temporary copy holding
freshly generated private keys (tests/keygen.py): no key is ever committed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import FIXTURES
from tests.conftest import lint_case
from tests.keygen import materialise


def _cases() -> list[Path]:
    return sorted(
        p
        for p in FIXTURES.glob("*/*")
        if p.is_dir() and p.name.startswith(("fail_", "pass_"))
    )


def _relative(path: str, case: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(case).as_posix()
    except ValueError:
        return path


def _expected(case: Path) -> set[tuple[str, str, int | None]]:
    data = YAML(typ="safe").load((case / "expected.yaml").read_text()) or []
    return {(e["rule"], e["path"], e.get("line")) for e in data}


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(case: Path, tmp_path: Path) -> None:
    rule = case.parent.name
    expected_from = case
    case = materialise(case, tmp_path)
    report = lint_case(case, select=[rule])
    got = {
        (f.rule_id, _relative(f.location.path, case), f.location.line)
        for f in report.findings
    }
    # File identity: every place of a node names its file within the node's tree.
    places = [loc for f in report.findings for loc in (f.location, *f.related)]
    assert all(loc.file for loc in places if loc.node), "a location without file"
    if case.name.startswith("pass_"):
        assert got == set(), f"pass case produced findings: {sorted(got, key=str)}"
    else:
        assert got == _expected(expected_from)
