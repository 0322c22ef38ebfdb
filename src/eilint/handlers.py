"""What each command does with its values (declared in ``commands.py``).

Called alike from the start-up parser (``entry.py``) and the typer app
(``cli.py``); each returns the exit code and writes errors as one
``eilint: ...`` line on stderr. Heavy modules are imported inside.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    from eilint.workflow import CheckArgs

Values = dict[str, Any]


def fail(message: str) -> int:
    """Write one ``eilint:`` line on stderr; return the usage-error code."""
    sys.stderr.write(f"eilint: {message}\n")
    return 2


def check_args(values: Values) -> CheckArgs:
    """Turn check's values into CheckArgs."""
    from eilint.selection import split_tokens
    from eilint.workflow import CheckArgs

    progress = sys.stderr.isatty() and not values["quiet"]
    return CheckArgs(
        nodes=values["nodes"] or (),
        nginx=values["nginx"],
        formats=list(values["fmt"] or ()),
        outputs=values["output"] or (),
        select=split_tokens(values["select"]),
        ignore=split_tokens(values["ignore"]),
        fail_on=values["fail_on"],
        config=values["config"],
        offline=values["offline"],
        inline_suppressions=not values["no_inline_suppressions"],
        baseline=values["baseline"],
        write_baseline=values["write_baseline"],
        sarif_category=values["sarif_category"],
        remote=_remote(values, progress),
        maps=values["path_map"] or (),
        color=values["color"],
        quiet=values["quiet"],
        statistics=values["statistics"],
        profile=values["profile"],
        ei_version=values["ei_version"],
        snapshots=values["snapshots"],
        fix=values["fix"],
        unsafe_fixes=values["unsafe_fixes"],
        diff=values["diff"],
        show_fixes=values["show_fixes"],
    )


def _remote(values: Values, progress: bool) -> Any:
    from eilint.loaders.targets import RemoteSettings

    return RemoteSettings(
        values["jobs"], values["timeout"], values["ssh_config"], progress=progress
    )


def check(values: Values) -> int:
    """``eilint check``."""
    from eilint.api import UsageError
    from eilint.workflow import run_check

    try:
        code = run_check(check_args(values))
    except UsageError as exc:
        return fail(str(exc))
    return 0 if values["exit_zero"] and code == 1 else code


def init(values: Values) -> int:
    """``eilint init``."""
    from eilint.api import UsageError
    from eilint.init import run_init

    try:
        target, found = run_init(values["directory"], values["force"])
    except (UsageError, OSError) as exc:
        return fail(str(exc))
    sys.stdout.write(f"wrote {target} ({found}); check it, then run `eilint check`\n")
    return 0


def docs(values: Values) -> int:
    """``eilint docs``: the generated rule reference."""
    from eilint.catalog import load_catalog
    from eilint.catalog_compile import CatalogError
    from eilint.report.docs import render_docs

    try:
        text = render_docs(load_catalog())
    except CatalogError as exc:
        return fail(str(exc))
    output: Path | None = values["output"]
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        return fail(f"{output}: cannot write ({exc.strerror})")
    return 0


def snapshot(values: Values) -> int:
    """``eilint snapshot``."""
    from eilint.loaders.discover import NodeInputError
    from eilint.loaders.snapshot import take_snapshot

    settings = _remote(values, sys.stderr.isatty())
    nodes: Sequence[str] = values["nodes"]
    try:
        result = take_snapshot(nodes, values["output"], settings, values["force"])
    except (NodeInputError, OSError) as exc:
        return fail(str(exc))
    for name, where, count in result.written:
        sys.stdout.write(f"{name}: {count} files -> {where}\n")
    for line in (*result.warnings, *result.failures):
        sys.stderr.write(f"eilint: {line}\n")
    return 2 if result.failures else 0


def rules(values: Values) -> int:
    """``eilint rules``."""
    from eilint.explain import render_rules

    render_rules(sys.stdout, values["fmt"])
    return 0


def explain(values: Values) -> int:
    """``eilint explain RULE``."""
    from eilint.catalog import load_catalog
    from eilint.explain import render_explain

    meta = load_catalog().get(values["rule"])
    if meta is None:
        return fail(f"unknown rule {values['rule']!r}; `eilint rules` lists them")
    render_explain(meta, sys.stdout)
    return 0


def new_rule(values: Values) -> int:
    """``eilint new-rule ID NAME``: scaffold a rule in a source checkout."""
    from eilint.scaffold import ScaffoldError
    from eilint.scaffold import scaffold

    try:
        made = scaffold(
            values["rule"],
            values["name"],
            values["title"],
            values["severity"],
            values["scope"],
        )
    except ScaffoldError as exc:
        return fail(str(exc))
    sys.stdout.write("".join(f"{line}\n" for line in made))
    return 0
