"""The command line: one declaration (commands.py), two parsers that agree.

``eilint.entry`` runs a well-formed command line without importing typer
(typer's import is ~0.1 s, as long as parsing a 2-node cluster); the typer app
answers the rest. Both are built from ``eilint.commands``; these tests hold
them to the same meaning on generated command lines, and check the refusals
(empty values, repeated single-valued options) on both paths.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any
from typing import NamedTuple
from unittest.mock import patch

import pytest
import typer.main
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from eilint.cli import app
from eilint.commands import COMMANDS
from eilint.commands import Arg
from eilint.commands import Opt
from eilint.entry import UsageProblem
from eilint.entry import parse

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-configs" / "broken"
CHECK = COMMANDS["check"]


def _typer_command(name: str) -> Any:
    return typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_typer_app_is_built_from_the_declaration(name: str) -> None:
    command = COMMANDS[name]
    params = {p.name: p for p in _typer_command(name).params}
    assert set(params) == {p.dest for p in command.params}
    for spec in command.params:
        param = params[spec.dest]
        assert param.required == spec.required, spec.dest
        if isinstance(spec, Opt):
            assert tuple(param.opts) == spec.names and not param.secondary_opts
            assert param.multiple == spec.multiple
            assert tuple(getattr(param.type, "choices", ())) == spec.choices
        else:
            assert isinstance(spec, Arg) and param.nargs == (-1 if spec.multiple else 1)


def _typer_values(name: str, argv: list[str]) -> dict[str, Any] | int:
    """What typer makes of ``NAME ARGV``: the handler's values, or its exit code."""
    seen: list[dict[str, Any]] = []

    def capture(command: object, values: dict[str, Any]) -> int:
        seen.append(values)
        return 0

    with patch("eilint.entry.dispatch", capture):
        result = CliRunner().invoke(app, [name, *argv])
    return seen[0] if seen else result.exit_code


VALUES = {
    "path": st.sampled_from(["nginx", "a b/c.conf", "-", "x=y", "ü/ß"]),
    "str": st.sampled_from(["REG001", "REG,DSR001", "tag:nginx", "a=b", "ä"]),
    "int": st.sampled_from(["1", "4", "0", "-1", "+2", "x", "1.5", "٣", " 3"]),
    "float": st.sampled_from(["1", "60", "2.5", "0.5", "1e3", "inf", "nan", "x", "1."]),
    "flag": st.just(""),
}


@st.composite
def _option(draw: st.DrawFn) -> list[str]:
    options = CHECK.options()
    name = draw(st.sampled_from(sorted(options)))
    opt = options[name]
    if opt.kind == "choice":
        value = draw(st.sampled_from([*opt.choices, "TEXT", "bogus"]))
    else:
        value = draw(VALUES[opt.kind])
    if opt.kind == "flag":
        return [draw(st.sampled_from([name, f"{name}=1"]))]
    form = draw(st.sampled_from(["apart", "equals", "attached"]))
    if form == "equals" and name.startswith("--"):
        return [f"{name}={value}"]
    if form == "attached" and not name.startswith("--"):
        return [f"{name}{value}"]
    return [name, value]


TOKENS = st.one_of(
    _option(),
    st.lists(
        st.sampled_from(["node1", "n2=dir", "host:/opt/ei", "-", "--"]), max_size=2
    ),
    st.sampled_from([["--help"], ["-h"], ["--bogus"], ["-x"], ["--nginx"]]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=6))
def test_fast_parser_agrees_with_typer(groups: list[list[str]]) -> None:
    argv = [token for group in groups for token in group]
    try:
        fast = parse(CHECK, argv)
    except UsageProblem:
        return  # refused before typer: see the tests below
    if fast is None:
        return  # typer parses it; nothing to compare
    assert _typer_values("check", argv) == fast


@pytest.mark.parametrize(
    ("name", "argv"),
    [
        ("check", ["--format", "json", "-o", "out.json", "-fsarif", "--output=x"]),
        (
            "check",
            ["a", "--offline", "b=c", "--jobs=2", "--timeout", "5.5", "--", "-d"],
        ),
        (
            "check",
            ["--select", "REG,DSR001", "--ignore=tag:nginx", "--fail-on", "note"],
        ),
        ("check", ["--map", "n=dir", "--ssh-config", "cfg", "--nginx", "ng", "-q"]),
        ("check", ["--color", "never", "--statistics", "--exit-zero"]),
        ("init", []),
        ("init", ["configs", "--force"]),
        ("rules", ["--format", "json"]),
        ("explain", ["REG001"]),
        ("snapshot", ["h:/opt/ei", "-o", "out", "-j", "2"]),
        ("docs", ["-o", "x.md"]),
        ("new-rule", ["NGX099", "a-b", "--severity", "note"]),
    ],
)
def test_typical_command_lines_take_the_fast_path(name: str, argv: list[str]) -> None:
    fast = parse(COMMANDS[name], argv)
    assert fast is not None
    assert _typer_values(name, argv) == fast


@pytest.mark.parametrize(
    ("name", "argv"),
    [
        ("check", ["--help"]),
        ("check", ["-h"]),
        ("check", ["--jobs", "0"]),
        ("check", ["--format", "xml"]),
        ("check", ["--nginx"]),
        ("explain", []),
        ("explain", ["A", "B"]),
        ("snapshot", ["h:/opt/ei"]),  # --output is required
    ],
)
def test_anything_else_goes_to_typer(name: str, argv: list[str]) -> None:
    assert parse(COMMANDS[name], argv) is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--select", ""], "--select: empty value"),
        (["--ignore=,"], "--ignore: empty value"),
        (["--nginx="], "--nginx: empty value"),
        (["--nginx", "a", "--nginx", "b"], "--nginx given twice"),
        (["--fail-on", "note", "--fail-on=error"], "--fail-on given twice"),
        # After a value typer would refuse: still refused here, in one line.
        (["--jobs", "0", "--config", "a", "--config", "b"], "--config given twice"),
    ],
)
def test_empty_and_repeated_values_are_refused(argv: list[str], message: str) -> None:
    with pytest.raises(UsageProblem, match=message):
        parse(CHECK, argv)


class Ran(NamedTuple):
    """A finished ``python -m eilint`` and the modules it imported."""

    returncode: int
    stdout: str
    stderr: str
    modules: set[str]


def _run(*argv: str) -> Ran:
    # -X importtime lists every import as it happens: a check ends with os._exit,
    # so nothing can be asked of the process afterwards.
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "eilint", *argv],
        cwd=SAMPLE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    modules = set()
    stderr = []
    for line in done.stderr.splitlines(keepends=True):
        if line.startswith("import time:"):
            modules.add(line.rsplit("|", 1)[1].strip())
        else:
            stderr.append(line)
    return Ran(done.returncode, done.stdout, "".join(stderr), modules)


def test_check_runs_without_typer_and_exits_as_before() -> None:
    done = _run("check", "--fail-on", "error")
    assert "eilint.entry" in done.modules
    assert "typer" not in done.modules
    assert done.returncode == 1
    assert "errors" in done.stdout


def test_refusals_are_one_line_and_exit_2() -> None:
    for argv in (["--select", ""], ["--nginx", "a", "--nginx", "b"]):
        done = _run("check", *argv)
        assert done.returncode == 2
        assert done.stderr.startswith("eilint: ") and done.stderr.count("\n") == 1
        assert "typer" not in done.modules


def test_rules_and_explain_run_without_typer() -> None:
    done = _run("explain", "REG001")
    assert done.returncode == 0 and "registry-writer-count" in done.stdout
    assert "typer" not in done.modules


def test_typer_answers_help_and_bad_values() -> None:
    for flag in ("--help", "-h"):
        helped = _run("check", flag)
        assert helped.returncode == 0
        assert "--nginx" in helped.stdout and "--exit-zero" in helped.stdout
        assert "typer" in helped.modules
    refused = _run("check", "--jobs", "0")
    assert refused.returncode == 2
    assert "Invalid value" in refused.stderr


def test_usage_errors_are_one_line_and_exit_2() -> None:
    done = _run("check", "--config", "no-such-manifest.yaml")
    assert done.returncode == 2
    assert done.stderr.startswith("eilint: "), done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert "typer" not in done.modules


def test_a_profiled_run_writes_its_profile(tmp_path: Path) -> None:
    # bench/hotspots.py: cProfile writes at exit, so no hard exit under it.
    stats = tmp_path / "check.prof"
    profiler = [sys.executable, "-m", "cProfile", "-o", str(stats)]
    done = subprocess.run(
        [*profiler, "-m", "eilint", "check", "--fail-on", "error"],
        cwd=SAMPLE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # cProfile swallows SystemExit (exit 0); what matters is the profile.
    assert "errors" in done.stdout, done.stderr
    assert stats.is_file() and stats.stat().st_size > 0
