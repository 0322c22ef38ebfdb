"""Which findings a run's ``--fix`` applies: the manifest's ``fixable`` /
``unfixable`` lists, ``--unsafe-fixes``, and the text report's ``[*]`` marks.

Kept light (no span parser, no producers): a plain ``eilint check`` marks its
findings from the catalog's ``fix:`` kind without computing a single fix.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence

from msgspec import Struct
from msgspec.structs import replace

from eilint.api import UsageError
from eilint.config import is_remote
from eilint.findings import Finding
from eilint.fix.edits import Applicability


class FixMode(Struct, frozen=True):
    """What to fix: unsafe fixes too or not, diff only, the manifest's rule lists."""

    unsafe: bool = False
    diff: bool = False
    fixable: Sequence[str] = ()
    unfixable: Sequence[str] = ()


def allowed_rules(mode: FixMode) -> frozenset[str]:
    """Return the rule ids whose fixes may be applied (``fixable``/``unfixable``)."""
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


def fix_kind(mode: FixMode, exact: bool) -> Callable[[Finding], str | None]:
    """Return what ``--fix`` would do with a finding: "fix", "unsafe" (only with
    ``--unsafe-fixes``) or None.

    ``exact``: the findings carry their computed fixes. Otherwise the catalog's
    ``fix:`` kind of the rule decides, for findings in local files: computing
    every fix costs about a fifth of a warm check (spans, producers).
    """
    from eilint.catalog import load_catalog

    allowed = allowed_rules(mode)
    unsafe = replace(mode, unsafe=True)
    rules = load_catalog().rules

    def kind(finding: Finding) -> str | None:
        if exact:
            if wanted(finding, mode, allowed):
                return "fix"
            return "unsafe" if wanted(finding, unsafe, allowed) else None
        meta = rules.get(finding.rule_id)
        path = finding.location.path
        if meta is None or finding.rule_id not in allowed or meta.fix == "none":
            return None
        if path.startswith("<") or is_remote(path):
            return None  # an nginx -T dump or a remote node: never edited
        return "fix" if meta.fix == "safe" or mode.unsafe else "unsafe"

    return kind
