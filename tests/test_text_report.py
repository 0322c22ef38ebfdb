"""The text report: the plain writer (no terminal) prints what rich would.

Output to a file, a pipe or CI skips rich (its import and per-finding cost were
a third of a cold run); a terminal, or colour forced, goes through rich. These
tests hold the two paths to the same bytes, and check which one is taken.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from eilint.fix.kinds import FixMode
from eilint.fix.kinds import fix_kind
from eilint.report import text as text_report
from eilint.report.text import _PlainWriter
from eilint.report.text import _RichWriter
from eilint.report.text import render_text
from eilint.report.text import wants_color
from tests.conftest import FIXTURES
from tests.conftest import lint_case

ROOT = Path(__file__).resolve().parent.parent
STYLES = st.sampled_from(["", "bold", "dim", "bold red", "yellow", "bold underline"])
# Control characters, tabs, markup look-alikes, wide and combining characters.
PARTS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30
) | st.sampled_from(["\t", "\r", "\x07\x08\x0b\x0c", "[bold]x[/]", "\x1b[31m", "宽字"])
LINES = st.lists(st.lists(st.tuples(PARTS, STYLES), max_size=5), max_size=4)


def _plain(lines: list[list[tuple[str, str]]]) -> str:
    out = io.StringIO()
    _PlainWriter(out).write(lines)
    return out.getvalue()


def _rich(lines: list[list[tuple[str, str]]]) -> str:
    out = io.StringIO()
    _RichWriter(out, color=False).write(lines)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(LINES)
def test_plain_writer_prints_what_rich_prints(
    lines: list[list[tuple[str, str]]],
) -> None:
    assert _plain(lines) == _rich(lines)


def _render(report: object, rich: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    out = io.StringIO()
    with monkeypatch.context() as patch:
        patch.setattr(text_report, "_wants_rich", lambda stream, color: rich)
        # With the [*] marks and the fixable count, as `eilint check` prints.
        marks = fix_kind(FixMode(), exact=False)
        render_text(report, out, color=False, fixes=marks)  # type: ignore[arg-type]
    return out.getvalue()


def _fail_cases() -> list[Path]:
    # Cases with generated keys need tests/keygen.py first; the rest are enough.
    return sorted(
        p
        for p in FIXTURES.glob("*/fail_*")
        if p.is_dir() and not (p / "generate-keys.yaml").exists()
    )


@pytest.mark.parametrize("case", _fail_cases()[::7], ids=lambda p: p.parent.name)
def test_reports_are_the_same_either_way(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = lint_case(case, select=[case.parent.name])
    assert report.findings
    plain = _render(report, False, monkeypatch)
    assert plain == _render(report, True, monkeypatch)
    assert case.parent.name in plain


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "env", "tty", "expected"),
    [
        ("auto", {}, False, False),
        ("auto", {}, True, True),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),  # empty: not set (no-color.org)
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_colour_choice(
    choice: str, env: dict[str, str], tty: bool, expected: bool
) -> None:
    stream = _Tty() if tty else io.StringIO()
    assert wants_color(choice, stream, env) is expected


def test_no_color_on_a_terminal_prints_no_escapes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = _Tty()
    render_text(lint_case(FIXTURES / "REG001" / _first_fail("REG001")), out)
    assert "REG001" in out.getvalue()
    assert "\x1b[" not in out.getvalue()


def test_statistics_and_quiet() -> None:
    report = lint_case(FIXTURES / "REG001" / _first_fail("REG001"), ["REG001"])
    out = io.StringIO()
    render_text(report, out, False, quiet=True, statistics=True)
    count = sum(1 for f in report.findings if f.rule_id == "REG001")
    assert out.getvalue().splitlines()[0].split() == [
        str(count),
        "REG001",
        "error",
        "registry-writer-count",
    ]
    assert "in 1 node" not in out.getvalue() and " nodes" not in out.getvalue()


def test_forced_colour_is_styled() -> None:
    out = io.StringIO()
    render_text(lint_case(FIXTURES / "REG001" / _first_fail("REG001")), out, True)
    assert "\x1b[" in out.getvalue()


def _first_fail(rule: str) -> str:
    return next(p.name for p in sorted((FIXTURES / rule).glob("fail_*")))


def test_check_to_a_pipe_does_not_import_rich() -> None:
    # -X importtime lists every import as it happens (a check ends with os._exit).
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "eilint", "check"],
        cwd=ROOT / "sample-configs" / "broken",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "eilint.report.text" in imported
    assert not {m for m in imported if m.split(".")[0] == "rich"}
    assert "errors" in done.stdout
