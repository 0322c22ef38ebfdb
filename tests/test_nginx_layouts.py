"""The nginx trees operators really keep (tests/nginx_layouts/): no false errors.

Each layout is a cluster (node directories) and its nginx tree, described in
``case.yaml``: what to give ``--nginx``, the nodes' eilint.yaml ``address:``
values, the notes and warnings the correct layout yields, and planted defects
(a text replacement in one file) with the finding each must still produce. The
correct layout must give no error-level finding; every planted defect must be
found at its file and line, on a copy, so the committed tree stays correct.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from eilint.api import LintOptions
from eilint.api import lint
from eilint.findings import Severity
from eilint.report import Report
from tests.conftest import TESTS
from tests.conftest import node_args

LAYOUTS = TESTS / "nginx_layouts"
FAMILIES = ["NGX", "EDG", "EIL"]


def _layouts() -> list[Path]:
    return sorted(p for p in LAYOUTS.iterdir() if (p / "case.yaml").is_file())


def _case(layout: Path) -> dict[str, Any]:
    return YAML(typ="safe").load((layout / "case.yaml").read_text()) or {}


def _lint(layout: Path, case: dict[str, Any], addresses: bool = True) -> Report:
    return lint(
        LintOptions(
            nodes=node_args(layout),
            nginx=layout / case.get("nginx", "nginx"),
            select=FAMILIES,
            addresses=case.get("addresses", {}) if addresses else {},
        )
    )


def _defects() -> list[tuple[Path, dict[str, Any]]]:
    return [(lay, d) for lay in _layouts() for d in _case(lay).get("defects", [])]


def _found(report: Report, root: Path) -> set[tuple[str, str, int | None]]:
    return {
        (f.rule_id, Path(os.path.abspath(f.location.path)).relative_to(root).as_posix(),
         f.location.line)
        for f in report.findings
    }  # fmt: skip


@pytest.mark.parametrize("layout", _layouts(), ids=lambda p: p.name)
def test_correct_layout_gives_no_error(layout: Path) -> None:
    case = _case(layout)
    report = _lint(layout, case)
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    assert errors == [], [
        f"{f.rule_id} {f.location.label()}: {f.message}" for f in errors
    ]
    others = sorted(f.rule_id for f in report.findings)
    assert others == sorted(case.get("notes", []))


def _id(value: Path | dict[str, Any]) -> str:
    return value.name if isinstance(value, Path) else str(value["about"])


@pytest.mark.parametrize(("layout", "defect"), _defects(), ids=_id)
def test_planted_defect_is_found(
    layout: Path, defect: dict[str, Any], tmp_path: Path
) -> None:
    copy = tmp_path / layout.name
    shutil.copytree(layout, copy, symlinks=True)
    target = copy / defect["file"]
    old, new = defect["replace"]
    text = target.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {defect['file']}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    case = _case(layout)
    report = _lint(copy, case, addresses=not defect.get("no_addresses", False))
    want = defect["finding"]
    where = (want["rule"], want.get("path", defect["file"]), want.get("line"))
    got = _found(report, copy.resolve())
    assert where in got, sorted(got, key=str)
    hint = want.get("hint")
    if hint is not None:
        hints = [f.hint or "" for f in report.findings if f.rule_id == want["rule"]]
        assert any(hint in h for h in hints), hints


def _manifest(layout: Path, case: dict[str, Any], target: Path) -> None:
    shutil.copytree(layout, target, symlinks=True)
    lines = ["nodes:"]
    for name in sorted(p.name for p in target.iterdir() if p.name.startswith("node")):
        lines += [f"  - name: {name}", f"    path: {name}"]
        if name in case.get("addresses", {}):
            lines.append(f"    address: {case['addresses'][name]}")
    lines += [f"nginx: {case.get('nginx', 'nginx')}", "select: [NGX, EDG, EIL]", ""]
    (target / "eilint.yaml").write_text("\n".join(lines))


@pytest.mark.parametrize("name", ["dns_upstreams", "colocated_nodes"])
def test_manifest_addresses_through_the_cli(name: str, tmp_path: Path) -> None:
    """The real command with eilint.yaml `address:` values: exit 0, no finding."""
    import subprocess
    import sys

    layout = LAYOUTS / name
    _manifest(layout, _case(layout), tmp_path / name)
    done = subprocess.run(
        [sys.executable, "-m", "eilint", "check", "--format", "json"],
        cwd=tmp_path / name,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"findings": []' in done.stdout
