"""``eilint check --fix``: fixture pairs byte-exact, silent after, idempotent,
parseable, bytes outside the edited spans unchanged; rules without a fix never
edit; the catalog's fix key matches the producers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eilint.api import lint
from eilint.catalog import load_catalog
from eilint.fix.apply import parses
from eilint.fix.apply import plan
from eilint.fix.registry import producers
from tests.conftest import FIXTURES
from tests.fixhelp import FIX_FIXTURES
from tests.fixhelp import case_options
from tests.fixhelp import run_fix
from tests.fixhelp import tree_bytes

CATALOG = load_catalog()


def _cases() -> list[Path]:
    return sorted(p for p in FIX_FIXTURES.glob("*/*") if (p / "before").is_dir())


def _copy(case: Path, tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(case / "before", tree)
    return tree


CASES = pytest.mark.parametrize(
    "case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}"
)


@CASES
def test_fix_gives_the_after_tree_byte_for_byte(case: Path, tmp_path: Path) -> None:
    tree = _copy(case, tmp_path)
    outcome = run_fix(case, tree, [case.parent.name])
    assert outcome.converged and not outcome.errors
    assert outcome.applied
    assert tree_bytes(tree) == tree_bytes(case / "after")


@CASES
def test_rule_is_silent_after_and_a_second_fix_changes_nothing(
    case: Path, tmp_path: Path
) -> None:
    rule = case.parent.name
    tree = tmp_path / "tree"
    shutil.copytree(case / "after", tree)
    from msgspec.structs import replace

    report = lint(replace(case_options(case, tree, [rule]), fixes=True))
    left = [f for f in report.findings if f.rule_id == rule]
    assert [f for f in left if f.fix is not None] == []
    if not (case / "partial").exists():  # it says which finding has no fix
        assert left == []
    again = run_fix(case, tree, [rule])
    assert again.applied == ()
    assert tree_bytes(tree) == tree_bytes(case / "after")


@CASES
def test_changed_files_parse_and_bytes_outside_spans_stay(
    case: Path, tmp_path: Path
) -> None:
    tree = _copy(case, tmp_path)
    options = case_options(case, tree, [case.parent.name])
    from msgspec.structs import replace

    report = lint(replace(options, fixes=True))
    planned = plan([f for f in report.findings if f.fix is not None])
    assert planned.contents
    for path, new in planned.contents.items():
        assert parses(path, new), path
        old = planned.originals[path] or b""
        edits = sorted(
            (e for f in planned.applied for e in f.fix.edits if e.path == path),  # type: ignore[union-attr]
            key=lambda e: e.start,
        )
        _assert_outside_unchanged(
            old, new, [(e.start, e.end, e.replacement) for e in edits]
        )


def _assert_outside_unchanged(
    old: bytes, new: bytes, edits: list[tuple[int, int, str]]
) -> None:
    """Every byte of ``old`` outside the edit spans is in ``new``, in place."""
    at_old = at_new = 0
    seen: set[tuple[int, int, str]] = set()
    for start, end, text in edits:
        if (start, end, text) in seen:
            continue
        seen.add((start, end, text))
        piece = old[at_old:start]
        assert new[at_new : at_new + len(piece)] == piece
        at_new += len(piece) + len(text.encode("utf-8"))
        at_old = end
    assert new[at_new:] == old[at_old:]


def test_catalog_fix_key_matches_the_producers() -> None:
    table = producers()
    declared = {r.id for r in CATALOG.rules.values() if r.fix != "none"}
    assert declared == set(table)


def _fail_cases_without_fix() -> list[Path]:
    fixable = set(producers())
    return sorted(
        p
        for p in FIXTURES.glob("*/fail_*")
        if p.parent.name not in fixable and not (p / "generate-keys.yaml").exists()
    )


def test_rules_without_a_fix_never_edit(tmp_path: Path) -> None:
    """Every fail fixture of a rule without a fix: --fix changes no byte."""
    for number, case in enumerate(_fail_cases_without_fix()):
        tree = tmp_path / str(number)
        shutil.copytree(case, tree)
        before = tree_bytes(tree)
        outcome = run_fix(tree, tree, [case.parent.name])
        assert outcome.applied == (), case
        assert tree_bytes(tree) == before, case
