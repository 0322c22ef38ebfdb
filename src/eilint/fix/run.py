"""The ``--fix`` loop: lint, apply the wanted fixes, lint again, up to 10 rounds."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from msgspec import Struct
from msgspec.structs import replace

from eilint.api import LintOptions
from eilint.api import UsageError
from eilint.api import lint
from eilint.findings import Finding
from eilint.fix.apply import plan
from eilint.fix.apply import write_all
from eilint.fix.diff import unified
from eilint.fix.edits import Applicability
from eilint.report import Report

MAX_ROUNDS = 10


class FixMode(Struct, frozen=True):
    """What to fix: unsafe fixes too or not, diff only, the manifest's rule lists."""

    unsafe: bool = False
    diff: bool = False
    fixable: Sequence[str] = ()
    unfixable: Sequence[str] = ()


class FixOutcome(Struct, frozen=True):
    """The report after the last round, what was fixed, errors, the diff."""

    report: Report
    applied: tuple[Finding, ...]
    errors: tuple[str, ...]
    diff: bytes = b""
    converged: bool = True


def refuse_remote(nodes: Sequence[str]) -> None:
    """Raise a usage error when a node is read over SSH: fixes edit local files."""
    from eilint.config import is_remote
    from eilint.loaders.discover import split_arg

    for arg in nodes:
        if is_remote(split_arg(arg)[1]):
            raise UsageError(
                f"{arg}: a remote node; --fix and --diff edit local files only "
                "(fix a copy from `eilint snapshot`, then deploy it)"
            )


def _allowed(mode: FixMode) -> frozenset[str]:
    from eilint.catalog import load_catalog
    from eilint.selection import SelectionError
    from eilint.selection import selected

    try:
        ids = selected(load_catalog(), list(mode.fixable), list(mode.unfixable))
    except SelectionError as exc:
        raise UsageError(f"fixable/unfixable: {exc}") from None
    return frozenset(ids)


def wanted(finding: Finding, mode: FixMode, allowed: frozenset[str]) -> bool:
    """Say whether this run applies the finding's fix."""
    fix = finding.fix
    if fix is None or finding.rule_id not in allowed:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return mode.unsafe and fix.applicability is Applicability.UNSAFE


def fix_cluster(options: LintOptions, mode: FixMode) -> FixOutcome:
    """Apply fixes round by round until nothing wanted is left (or 10 rounds)."""
    refuse_remote(options.nodes)
    options = replace(options, fixes=True)
    allowed = _allowed(mode)
    applied: list[Finding] = []
    errors: list[str] = []
    for _ in range(MAX_ROUNDS):
        report = lint(options)
        todo = [f for f in report.findings if wanted(f, mode, allowed)]
        planned = plan(todo)
        errors.extend(e for e in planned.errors if e not in errors)
        if mode.diff:
            diff, notes = unified(planned.contents, planned.originals)
            errors.extend(notes)
            return FixOutcome(report, planned.applied, tuple(errors), diff)
        if not planned.contents:
            converged = not planned.applied
            return FixOutcome(report, tuple(applied), tuple(errors), b"", converged)
        try:
            write_all(planned.contents, planned.originals)
        except OSError as exc:
            # Nothing of this round was written (write_all puts files back).
            where = exc.filename or "a fixed file"
            why = (exc.strerror or type(exc).__name__).lower()
            raise UsageError(f"{where}: cannot write the fixes ({why})") from None
        applied.extend(planned.applied)
    report = lint(options)
    left = any(wanted(f, mode, allowed) for f in report.findings)
    return FixOutcome(report, tuple(applied), tuple(errors), b"", not left)


def print_fixed(outcome: FixOutcome, show: bool) -> None:
    """Say on stderr how many findings were fixed, and which with ``show``."""
    for error in outcome.errors:
        print(f"eilint: {error}", file=sys.stderr)
    if not outcome.converged:
        print(
            f"eilint: failed to converge after {MAX_ROUNDS} rounds of fixes; "
            "the remaining fixes undo each other (please report it)",
            file=sys.stderr,
        )
    count = len(outcome.applied)
    print(f"eilint: fixed {count} finding{'s' if count != 1 else ''}", file=sys.stderr)
    if show:
        print_fix_list(outcome.applied, "fixed")


def print_fix_list(findings: Sequence[Finding], verb: str) -> None:
    """List findings with their fix titles, by file (``--show-fixes``)."""
    for finding in sorted(findings, key=Finding.sort_key):
        if finding.fix is None:
            continue
        where = finding.location.label()
        kind = finding.fix.applicability.value
        print(
            f"  {where}: {finding.rule_id} {verb} ({kind}): {finding.fix.title}",
            file=sys.stderr,
        )
