"""The typer app, built from the one declaration of the CLI in ``commands.py``.

The console script (``entry.py``) runs well-formed command lines itself; typer
answers the rest: ``--help``/``-h``, unknown options, bad values. Both call the
same handlers (``handlers.py``) with the same values.
"""

from __future__ import annotations

import inspect
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from typing import Any

import typer

from eilint import __version__
from eilint.commands import APP_HELP
from eilint.commands import COMMANDS
from eilint.commands import HELP_NAMES
from eilint.commands import Arg
from eilint.commands import Command
from eilint.commands import Opt

app = typer.Typer(
    name="eilint",
    help=APP_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": list(HELP_NAMES)},
)

_TYPES: dict[str, type] = {
    "flag": bool,
    "str": str,
    "path": Path,
    "int": int,
    "float": float,
}


def _choices(param: Opt) -> type:
    # typer offers a fixed set of values through an Enum; its values are ours.
    # (mypy types the functional Enum API's result as a member, not a class.)
    return StrEnum(f"{param.dest.title()}Choice", {c: c for c in param.choices})  # type: ignore[return-value]


def _annotation(param: Opt | Arg) -> Any:
    base = _choices(param) if isinstance(param, Opt) and param.choices else None
    kind: Any = base or _TYPES[param.kind]
    if param.multiple:
        kind = list[kind]
    if not param.required and param.default is None:
        kind = kind | None
    if isinstance(param, Arg):
        info = typer.Argument(help=param.help, show_default=param.default is not None)
    else:
        info = typer.Option(*param.names, help=param.help, min=param.minimum)
    return Annotated[kind, info]


def _default(param: Opt | Arg) -> Any:
    if param.required:
        return inspect.Parameter.empty
    if isinstance(param, Arg) and param.kind == "path" and param.default is not None:
        return Path(str(param.default))
    return param.default


def _plain(value: Any) -> Any:
    """Enum members back to the strings the start-up parser gives."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _command(command: Command) -> None:
    def run(**values: Any) -> None:
        from eilint.entry import dispatch

        plain = {name: _plain(value) for name, value in values.items()}
        raise typer.Exit(dispatch(command, plain))

    params = [
        inspect.Parameter(
            p.dest,
            inspect.Parameter.KEYWORD_ONLY,
            default=_default(p),
            annotation=_annotation(p),
        )
        for p in command.params
    ]
    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params}
    run.__doc__ = command.help
    run.__name__ = command.name.replace("-", "_")
    app.command(name=command.name, hidden=command.hidden, help=command.help)(run)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"eilint {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Lint WSO2 EI 6.3.0 business-process clusters and their nginx load balancer."""


for _spec in COMMANDS.values():
    _command(_spec)


def main() -> None:
    """Console-script entry point (kept for ``eilint.cli:main`` callers)."""
    from eilint.entry import main as entry_main

    entry_main()
