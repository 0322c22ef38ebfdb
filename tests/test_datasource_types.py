"""Non-RDBMS datasource definitions are understood, not schema errors (issue 17)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from tests.conftest import FIXTURES
from tests.conftest import REFERENCE

CUSTOM = FIXTURES / "EIL010" / "pass_custom_datasource_types" / "node1"


def _ids(node: Path) -> list[tuple[str, int | None]]:
    # A datasource-only fixture: the absent carbon.xml etc. (EIL030) are not the point.
    report = lint(
        LintOptions(nodes=[f"n1={node}"], select=("EIL", "DSR"), ignore=("EIL030",))
    )
    return [(f.rule_id, f.location.line) for f in report.findings]


def test_custom_types_need_no_rdbms_properties() -> None:
    # DS_CUSTOM_* and an unknown reader's configuration: no EIL010, no DSR015.
    assert _ids(CUSTOM) == []


def test_custom_definition_beside_a_broken_rdbms_one(tmp_path: Path) -> None:
    node = tmp_path / "n1"
    shutil.copytree(CUSTOM, node)
    path = node / "datasources" / "custom-datasources.xml"
    text = path.read_text().replace(
        "<maxActive>20</maxActive>", "<maxActive>x</maxActive>"
    )
    path.write_text(text)
    # The RDBMS datasource is still judged (its value by DSR015, as before).
    assert [rule for rule, _ in _ids(node)] == ["DSR015"]


def test_stock_custom_datasources_file(tmp_path: Path) -> None:
    stock = REFERENCE / "conf" / "datasources" / "custom-datasources.xml"
    if not stock.is_file():
        pytest.skip("no stock custom-datasources.xml in ../shared/ei-reference")
    node = tmp_path / "n1" / "datasources"
    node.mkdir(parents=True)
    shutil.copy(stock, node)
    assert [r for r, _ in _ids(node.parent) if r == "EIL010"] == []
