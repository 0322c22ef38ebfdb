"""The ``eilint`` console script: ``eilint check`` parsed without importing typer.

typer and its vendored click take ~0.1 s to import, as long as parsing every
file of a 2-node cluster, and pre-commit starts eilint on every commit. The
typer app in ``cli.py`` stays the one definition of the command line (help,
errors, every other command); this module only recognises a well-formed
``eilint check`` from ``CHECK_OPTIONS``, a table that tests/test_entry.py holds
equal to typer's. Anything else (``--help``, an unknown option, a bad value, a
value that looks like an option) goes to typer, which answers as it always did.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from typing import NamedTuple

if TYPE_CHECKING:
    from eilint.workflow import CheckArgs

FORMATS = ("text", "json", "sarif", "github", "junit")
FAIL_ON = ("error", "warning", "note")


class Opt(NamedTuple):
    """One option of ``eilint check``: how it is spelt and what it holds."""

    dest: str
    kind: str  # flag, str, path, int, float, or choice
    multiple: bool = False
    choices: tuple[str, ...] = ()


_OPTS = (
    (("--nginx",), Opt("nginx", "path")),
    (("--format", "-f"), Opt("fmt", "choice", True, FORMATS)),
    (("--output", "-o"), Opt("output", "path", True)),
    (("--select",), Opt("select", "str", True)),
    (("--ignore",), Opt("ignore", "str", True)),
    (("--fail-on",), Opt("fail_on", "choice", False, FAIL_ON)),
    (("--config",), Opt("config", "path")),
    (("--offline",), Opt("offline", "flag")),
    (("--no-inline-suppressions",), Opt("no_inline_suppressions", "flag")),
    (("--baseline",), Opt("baseline", "path")),
    (("--write-baseline",), Opt("write_baseline", "path")),
    (("--sarif-category",), Opt("sarif_category", "str")),
    (("--jobs", "-j"), Opt("jobs", "int")),
    (("--timeout",), Opt("timeout", "float")),
    (("--ssh-config",), Opt("ssh_config", "path")),
    (("--map",), Opt("path_map", "str", True)),
    (("--fix",), Opt("fix", "flag")),
    (("--unsafe-fixes",), Opt("unsafe_fixes", "flag")),
    (("--diff",), Opt("diff", "flag")),
    (("--show-fixes",), Opt("show_fixes", "flag")),
)
CHECK_OPTIONS: dict[str, Opt] = {name: opt for names, opt in _OPTS for name in names}
# The check command's defaults, as its typer signature declares them.
CHECK_DEFAULTS: dict[str, object] = {
    "nginx": None,
    "fmt": None,
    "output": None,
    "select": None,
    "ignore": None,
    "fail_on": None,
    "config": None,
    "offline": False,
    "no_inline_suppressions": False,
    "baseline": None,
    "write_baseline": None,
    "sarif_category": None,
    "jobs": 4,
    "timeout": 60.0,
    "ssh_config": None,
    "path_map": None,
    "fix": False,
    "unsafe_fixes": False,
    "diff": False,
    "show_fixes": False,
}


def _int(text: str) -> int | None:
    # Plain digits only: anything cleverer is typer's to accept or refuse.
    return int(text) if text.isascii() and text.isdigit() and int(text) >= 1 else None


def _float(text: str) -> float | None:
    whole, _, fraction = text.partition(".")
    digits = (
        whole.isascii() and whole.isdigit() and (not fraction or fraction.isdigit())
    )
    return float(text) if digits and fraction.isascii() and float(text) >= 1.0 else None


_CONVERT: dict[str, Callable[[str], object]] = {
    "str": lambda text: text,
    "path": lambda text: Path(text) if text else None,
    "int": _int,
    "float": _float,
}


def _convert(opt: Opt, text: str) -> object:
    if opt.kind == "choice":
        return text if text in opt.choices else None
    return _CONVERT[opt.kind](text)


def parse_check(argv: Sequence[str]) -> dict[str, object] | None:
    """Return check's keyword arguments for ``argv`` (after ``check``), or None.

    None means "not simple enough here": typer parses it instead.
    """
    values = dict(CHECK_DEFAULTS)
    nodes: list[str] = []
    rest = list(argv)
    while rest:
        token = rest.pop(0)
        if token == "--":
            nodes.extend(rest)
            break
        if token == "-" or not token.startswith("-"):
            nodes.append(token)
            continue
        if not _take_option(token, rest, values):
            return None
    values["nodes"] = nodes or None
    return values


def _take_option(token: str, rest: list[str], values: dict[str, object]) -> bool:
    if token.startswith("--"):
        name, equals, text = token.partition("=")
        attached = bool(equals)
    else:
        name, text = token[:2], token[2:]
        attached = bool(text)
    opt = CHECK_OPTIONS.get(name)
    if opt is None:
        return False
    if opt.kind == "flag":
        values[opt.dest] = True
        return not attached  # --offline=yes: typer's to refuse
    if not attached:
        if not rest or rest[0].startswith("-"):
            return False
        text = rest.pop(0)
    value = _convert(opt, text)
    if value is None:
        return False
    if opt.multiple:
        values[opt.dest] = [*(values[opt.dest] or ()), value]  # type: ignore[misc]
    else:
        values[opt.dest] = value
    return True


def check_args(  # noqa: PLR0917 - check's options, one each
    nodes: Sequence[str] | None,
    nginx: Path | None,
    fmt: Sequence[str] | None,
    output: Sequence[Path] | None,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    fail_on: str | None,
    config: Path | None,
    offline: bool,
    no_inline_suppressions: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    sarif_category: str | None,
    jobs: int,
    timeout: float,
    ssh_config: Path | None,
    path_map: Sequence[str] | None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    diff: bool = False,
    show_fixes: bool = False,
) -> CheckArgs:
    """Turn check's options (from typer or ``parse_check``) into CheckArgs."""
    from eilint.loaders.targets import RemoteSettings
    from eilint.selection import split_tokens
    from eilint.workflow import CheckArgs

    return CheckArgs(
        nodes=nodes or (),
        nginx=nginx,
        formats=list(fmt or ()),
        outputs=output or (),
        select=split_tokens(select),
        ignore=split_tokens(ignore),
        fail_on=fail_on,
        config=config,
        offline=offline,
        inline_suppressions=not no_inline_suppressions,
        baseline=baseline,
        write_baseline=write_baseline,
        sarif_category=sarif_category,
        remote=RemoteSettings(jobs, timeout, ssh_config, progress=sys.stderr.isatty()),
        maps=path_map or (),
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        diff=diff,
        show_fixes=show_fixes,
    )


def run_check_args(args: CheckArgs) -> int:
    """Run a check; a usage error is one ``eilint:`` line on stderr and exit 2."""
    from eilint.api import UsageError
    from eilint.workflow import run_check

    try:
        return run_check(args)
    except UsageError as exc:
        sys.stderr.write(f"eilint: {exc}\n")
        return 2


def _tune_gc() -> None:
    # The model is hundreds of thousands of small objects that live until exit,
    # and no cycles worth collecting: with the default gen-0 threshold (700) the
    # collector ran thousands of times, a quarter of a 100-node run. mypy's CLI
    # sets the same kind of threshold for the same reason.
    import gc

    gc.set_threshold(200_000, 30, 30)


def _fast_check(argv: Sequence[str]) -> int | None:
    if len(argv) < 1 or argv[0] != "check":
        return None
    values = parse_check(argv[1:])
    if values is None:
        return None
    return run_check_args(check_args(**values))  # type: ignore[arg-type]


def _exit_now(code: int) -> None:
    """Exit without tearing the interpreter down, as mypy's hard_exit does.

    Freeing the model object by object at exit took ~30 ms of a 2-node run.
    Only after a local check: a remote one leaves a temporary copy of the
    nodes' files whose finalizer must run.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    if "eilint.loaders.remote" in sys.modules:
        raise SystemExit(code)
    os._exit(code)


def _run(argv: Sequence[str]) -> None:
    code = _fast_check(argv)
    if code is not None:
        _exit_now(code)
    from eilint.cli import app

    app()


def main() -> None:
    """Console-script entry point."""
    _tune_gc()
    try:
        _run(sys.argv[1:])
    except BrokenPipeError:
        # `eilint check | head`: as click does, stop quietly and exit 1.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        sys.stderr.write("Aborted!\n")
        raise SystemExit(1) from None
    except Exception as exc:
        # Backstop for a bug no test found (issue #8): one line and exit 2, never
        # a traceback that could quote a config value. EILINT_DEBUG shows it.
        if os.environ.get("EILINT_DEBUG"):
            raise
        sys.stderr.write(
            f"eilint: internal error ({type(exc).__name__}); please report it "
            "(EILINT_DEBUG=1 shows the traceback)\n"
        )
        raise SystemExit(2) from None
