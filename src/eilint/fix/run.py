"""The ``--fix`` loop: lint, apply the wanted fixes, lint again, up to 10 rounds."""

from __future__ import annotations

import os
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
from eilint.fix.kinds import FixMode
from eilint.fix.kinds import allowed_rules
from eilint.fix.kinds import wanted
from eilint.report import Report

MAX_ROUNDS = 10


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


def fix_cluster(options: LintOptions, mode: FixMode) -> FixOutcome:
    """Apply fixes round by round until nothing wanted is left (or 10 rounds);
    with ``mode.diff`` on a private copy of the trees, returning the diff of
    the last round's files against the real ones."""
    refuse_remote(options.nodes)
    options = replace(options, fixes=True)
    allowed = allowed_rules(mode)
    if not mode.diff:
        done = _rounds(options, mode, allowed, None)
        return FixOutcome(done.report, done.applied, done.errors, b"", done.converged)
    from eilint.fix.private import final_bytes
    from eilint.fix.private import private_copy

    with private_copy(options) as (moved, mirror):
        outcome = _rounds(moved, mode, allowed, mirror.base)
        final = final_bytes(sorted(outcome.written), mirror)
        errors = [mirror.unmask(e) for e in outcome.errors]
    return _with_diff(outcome, final, errors)


class _Rounds(Struct, frozen=True):
    report: Report
    applied: tuple[Finding, ...]
    errors: tuple[str, ...]
    converged: bool
    # Real paths of every file written.
    written: frozenset[str] = frozenset()


def _rounds(
    options: LintOptions, mode: FixMode, allowed: frozenset[str], private: str | None
) -> _Rounds:
    """Lint, write the round's fixes, lint again, ...; ``private``: the only
    directory a write may land in (the ``--diff`` copy)."""
    applied: list[Finding] = []
    errors: list[str] = []
    written: set[str] = set()
    for _ in range(MAX_ROUNDS):
        report = lint(options)
        todo = [f for f in report.findings if wanted(f, mode, allowed)]
        planned = plan(todo)
        errors.extend(e for e in planned.errors if e not in errors)
        if not planned.contents:
            converged = not planned.applied
            return _Rounds(
                report, tuple(applied), tuple(errors), converged, frozenset(written)
            )
        reals = {os.path.realpath(p) for p in planned.contents}
        if private is not None and any(not r.startswith(private + "/") for r in reals):
            # A file reached through a link out of the copied trees: previewing
            # it would mean writing the real one.
            raise UsageError(
                "--diff: a fixed file lies outside the node and nginx trees "
                "(a symlink); run --fix on a copy instead"
            )
        try:
            write_all(planned.contents, planned.originals)
        except OSError as exc:
            # Nothing of this round was written (write_all puts files back).
            where = exc.filename or "a fixed file"
            why = (exc.strerror or type(exc).__name__).lower()
            raise UsageError(f"{where}: cannot write the fixes ({why})") from None
        applied.extend(planned.applied)
        written |= reals
    report = lint(options)
    left = any(wanted(f, mode, allowed) for f in report.findings)
    return _Rounds(report, tuple(applied), tuple(errors), not left, frozenset(written))


def _with_diff(done: _Rounds, final: dict[str, bytes], errors: list[str]) -> FixOutcome:
    """Diff the real files against their fixed copies (paths as users see them)."""
    from pathlib import Path

    from eilint.loaders.files import display_path

    contents: dict[str, bytes] = {}
    originals: dict[str, bytes | None] = {}
    for path, new in final.items():
        try:
            old: bytes | None = Path(path).read_bytes()
        except FileNotFoundError:
            old = None
        if old != new:
            shown = display_path(Path(path))
            contents[shown], originals[shown] = new, old
    diff, notes = unified(contents, originals)
    return FixOutcome(
        done.report, done.applied, (*errors, *notes), diff, done.converged
    )


def print_fixed(outcome: FixOutcome, show: bool) -> None:
    """Say on stderr how many findings were fixed, and which with ``show``."""
    print_errors(outcome)
    count = len(outcome.applied)
    print(f"eilint: fixed {count} finding{'s' if count != 1 else ''}", file=sys.stderr)
    if show:
        print_fix_list(outcome.applied, "fixed")


def print_errors(outcome: FixOutcome) -> None:
    """Print the fixes refused and whether the rounds converged, on stderr."""
    for error in outcome.errors:
        print(f"eilint: {error}", file=sys.stderr)
    if not outcome.converged:
        print(
            f"eilint: failed to converge after {MAX_ROUNDS} rounds of fixes; "
            "the remaining fixes undo each other (please report it)",
            file=sys.stderr,
        )


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
