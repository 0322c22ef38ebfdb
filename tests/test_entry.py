"""``eilint check`` without typer: the fast parser must agree with typer's.

The typer app is the one definition of the command line. ``eilint.entry``
parses a well-formed ``eilint check`` itself (typer's import is ~0.1 s, as
long as parsing a 2-node cluster) and hands everything else to typer. These
tests hold the option table equal to typer's command, and check on generated
command lines that whatever the fast parser accepts, typer accepts with the
same meaning.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import NamedTuple
from unittest.mock import patch

import pytest
import typer.main
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from eilint.cli import app
from eilint.entry import CHECK_DEFAULTS
from eilint.entry import CHECK_OPTIONS
from eilint.entry import check_args
from eilint.entry import parse_check
from eilint.workflow import CheckArgs

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-configs" / "broken"
KINDS = {
    "path": "path",
    "choice": "choice",
    "str": "str",
    "boolean": "flag",
    "int range": "int",
    "float range": "float",
}


def _typer_check() -> typer.main.TyperCommand:
    return typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]


def test_option_table_is_typers() -> None:
    names = set()
    for param in _typer_check().params:
        if param.param_type_name == "argument":
            assert (param.name, param.nargs) == ("nodes", -1)
            continue
        assert not param.secondary_opts
        for name in param.opts:
            opt = CHECK_OPTIONS[name]
            names.add(name)
            assert opt.dest == param.name
            assert opt.multiple == param.multiple, name
            assert opt.kind == KINDS[param.type.name], name
            assert opt.choices == tuple(getattr(param.type, "choices", ())), name
            assert CHECK_DEFAULTS[param.name] == param.default, name
    assert names == set(CHECK_OPTIONS)
    assert set(CHECK_DEFAULTS) == {opt.dest for opt in CHECK_OPTIONS.values()}


def _typer_args(argv: list[str]) -> CheckArgs | int:
    """What typer makes of ``check ARGV``: the CheckArgs, or its exit code."""
    seen: list[CheckArgs] = []

    def capture(args: CheckArgs) -> int:
        seen.append(args)
        return 0

    with patch("eilint.entry.run_check_args", capture):
        result = CliRunner().invoke(app, ["check", *argv])
    return seen[0] if seen else result.exit_code


VALUES = {
    "path": st.sampled_from(["nginx", "a b/c.conf", "-", "", "x=y", "ü/ß"]),
    "str": st.sampled_from(["REG001", "REG,DSR001", "tag:nginx", "", "a=b", "ä"]),
    "int": st.sampled_from(["1", "4", "0", "-1", "+2", "x", "1.5", "٣", " 3"]),
    "float": st.sampled_from(["1", "60", "2.5", "0.5", "1e3", "inf", "nan", "x", "1."]),
    "flag": st.just(""),
}


@st.composite
def _option(draw: st.DrawFn) -> list[str]:
    name = draw(st.sampled_from(sorted(CHECK_OPTIONS)))
    opt = CHECK_OPTIONS[name]
    if opt.kind == "choice":
        value = draw(st.sampled_from([*opt.choices, "TEXT", "bogus", ""]))
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


@settings(max_examples=400, deadline=None)
@given(st.lists(TOKENS, max_size=6))
def test_fast_parser_agrees_with_typer(groups: list[list[str]]) -> None:
    argv = [token for group in groups for token in group]
    fast = parse_check(argv)
    if fast is None:
        return  # typer parses it; nothing to compare
    assert _typer_args(argv) == check_args(**fast)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "argv",
    [
        ["--format", "json", "-o", "out.json", "-fsarif", "--output=x.sarif"],
        ["a", "--offline", "b=c", "--jobs=2", "--timeout", "5.5", "--", "-d"],
        ["--select", "REG,DSR001", "--ignore=tag:nginx", "--fail-on", "note"],
        ["--map", "n=dir", "--map=m=d2", "--ssh-config", "cfg", "--nginx", "ng"],
    ],
)
def test_typical_command_lines_take_the_fast_path(argv: list[str]) -> None:
    fast = parse_check(argv)
    assert fast is not None
    assert _typer_args(argv) == check_args(**fast)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "argv", [["--help"], ["--jobs", "0"], ["--format", "xml"], ["--nginx"]]
)
def test_anything_else_goes_to_typer(argv: list[str]) -> None:
    assert parse_check(argv) is None


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


def test_typer_answers_help_and_bad_values() -> None:
    helped = _run("check", "--help")
    assert helped.returncode == 0
    assert "--nginx" in helped.stdout
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
