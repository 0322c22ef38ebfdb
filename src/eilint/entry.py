"""The ``eilint`` console script: a well-formed command line runs without typer.

typer and its vendored click take ~0.1 s to import, as long as parsing every
file of a 2-node cluster, and pre-commit starts eilint on every commit. The
command line is declared once, in ``commands.py``; ``parse`` reads a command
line from that table and the typer app in ``cli.py`` is built from it too.
What ``parse`` cannot settle (``--help``, an unknown option, a bad value, a
missing argument) goes to typer, which answers with help or its error.

Two mistakes click would let pass are refused here for both paths, with one
``eilint:`` line and exit 2: an empty value (``--select ""`` would select
everything) and a single-valued option given twice (click keeps the last).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from collections.abc import Sequence
from pathlib import Path

from eilint.commands import COMMANDS
from eilint.commands import HELP_NAMES
from eilint.commands import Arg
from eilint.commands import Command
from eilint.commands import Opt

Values = dict[str, object]


class UsageProblem(Exception):
    """A command line refused before typer sees it (one line, exit 2)."""


def _int(text: str) -> int | None:
    # Plain digits only: anything cleverer is typer's to accept or refuse.
    return int(text) if text.isascii() and text.isdigit() else None


def _float(text: str) -> float | None:
    whole, _, fraction = text.partition(".")
    digits = (
        whole.isascii() and whole.isdigit() and (not fraction or fraction.isdigit())
    )
    return float(text) if digits and fraction.isascii() else None


_CONVERT: dict[str, Callable[[str], object]] = {
    "str": lambda text: text,
    "path": Path,
    "int": _int,
    "float": _float,
}


def convert(param: Opt | Arg, text: str) -> object:
    """Return the value of ``text`` for ``param``, or None if typer must judge."""
    if isinstance(param, Opt) and param.kind == "choice":
        return text if text in param.choices else None
    value = _CONVERT[param.kind](text)
    minimum = getattr(param, "minimum", None)
    if minimum is not None and (value is None or value < minimum):
        return None  # typer words the error
    return value


def _split(token: str) -> tuple[str, str | None]:
    if token.startswith("--"):
        name, equals, text = token.partition("=")
        return name, text if equals else None
    return token[:2], token[2:] or None


def _refuse_empty(name: str, opt: Opt, text: str) -> None:
    # A comma-separated list of nothing would select, ignore or map nothing
    # silently; an empty path names no file.
    if not text or (opt.kind == "str" and not text.strip(" ,")):
        raise UsageProblem(f"{name}: empty value")


class _Parse:
    """One pass over a command's arguments (see ``parse``)."""

    def __init__(self, command: Command) -> None:
        self.command = command
        self.options = command.options()
        self.values: Values = {}
        self.positional: list[str] = []
        self.unsure = False

    def option(self, token: str, rest: list[str]) -> bool:
        """Take one option (and its value); False: typer must parse the line."""
        name, text = _split(token)
        opt = self.options.get(name)
        if opt is None or name in HELP_NAMES:
            return False
        if opt.kind == "flag":
            self.values[opt.dest] = True
            return text is None  # --offline=yes: typer's to refuse
        if text is None:
            if not rest:
                return False
            text = rest.pop(0)  # as click does, even when it looks like an option
            self.unsure |= text.startswith("-")
        _refuse_empty(name, opt, text)
        if opt.dest in self.values and not opt.multiple:
            raise UsageProblem(f"{name} given twice; it takes one value")
        value = convert(opt, text)
        self.unsure |= value is None
        if opt.multiple:
            before: list[object] = self.values.get(opt.dest) or []  # type: ignore[assignment]
            self.values[opt.dest] = [*before, value]
        else:
            self.values[opt.dest] = value
        return True

    def finish(self) -> Values | None:
        values = {p.dest: _default(p) for p in self.command.params}
        values.update(self.values)
        for arg in self.command.arguments():
            if arg.multiple:
                taken, self.positional = self.positional, []
            else:
                taken, self.positional = self.positional[:1], self.positional[1:]
            if not taken:
                self.unsure |= arg.required
                continue
            converted = [convert(arg, text) for text in taken]
            values[arg.dest] = converted if arg.multiple else converted[0]
        missing = any(
            isinstance(p, Opt) and p.required and p.dest not in self.values
            for p in self.command.params
        )
        if self.unsure or self.positional or missing:
            return None
        return values


def _default(param: Opt | Arg) -> object:
    if isinstance(param, Arg) and param.kind == "path" and param.default is not None:
        return Path(str(param.default))
    return param.default


def parse(command: Command, argv: Sequence[str]) -> Values | None:
    """Return ``command``'s values for ``argv`` (after the command's name).

    None means "not for this parser": typer parses the line and answers
    (help, or an error). Raise UsageProblem for an empty value or a
    single-valued option given twice, which typer would accept.
    """
    state = _Parse(command)
    rest = list(argv)
    bail = False
    while rest:
        token = rest.pop(0)
        if token == "--":
            state.positional.extend(rest)
            break
        if token == "-" or not token.startswith("-"):
            state.positional.append(token)
        elif not state.option(token, rest):
            bail = True  # --help, or an option unknown here: typer answers
            break
    return None if bail else state.finish()


def dispatch(command: Command, values: Values) -> int:
    """Run ``command``'s handler (``eilint.handlers``); return the exit code."""
    from eilint import handlers

    handler: Callable[[Values], int] = getattr(handlers, command.handler)
    return handler(values)


def _tune_gc() -> None:
    # The model is hundreds of thousands of small objects that live until exit,
    # and no cycles worth collecting: with the default gen-0 threshold (700) the
    # collector ran thousands of times, a quarter of a 100-node run. mypy's CLI
    # sets the same kind of threshold for the same reason.
    import gc

    gc.set_threshold(200_000, 30, 30)


def _fast(argv: Sequence[str]) -> int | None:
    """Run a well-formed command line; None when typer must take it."""
    if not argv or argv[0] not in COMMANDS:
        return None
    command = COMMANDS[argv[0]]
    try:
        values = parse(command, argv[1:])
    except UsageProblem as exc:
        sys.stderr.write(f"eilint: {exc}\n")
        return 2
    return None if values is None else dispatch(command, values)


def _exit_now(code: int) -> None:
    """Exit without tearing the interpreter down, as mypy's hard_exit does.

    Freeing the model object by object at exit took ~30 ms of a 2-node run.
    Only after a local check: a remote one leaves a temporary copy of the
    nodes' files whose finalizer must run. Nor under a profiler or tracer
    (``python -m cProfile``, coverage): it writes its data at exit.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    traced = sys.getprofile() is not None or sys.gettrace() is not None
    if "eilint.loaders.remote" in sys.modules or traced:
        raise SystemExit(code)
    os._exit(code)


def _run(argv: Sequence[str]) -> None:
    code = _fast(argv)
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
