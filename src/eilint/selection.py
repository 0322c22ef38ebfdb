"""Rule selection: ``--select``/``--ignore`` by id, prefix, name or tag.

As in flake8's DecisionEngine, the more specific match wins: an exact id or
name beats a prefix, a longer prefix beats a shorter one, a tag is the weakest.
"""

from __future__ import annotations

from collections.abc import Iterable

from eilint.catalog import Catalog
from eilint.catalog import RuleMeta

EXACT = 1000


class SelectionError(Exception):
    """A token that matches no rule (a usage error, never silently dropped)."""


def split_tokens(values: Iterable[str] | None) -> list[str]:
    """Split repeated, comma-separated option values into tokens."""
    tokens: list[str] = []
    for value in values or ():
        tokens.extend(t.strip() for t in value.split(",") if t.strip())
    return tokens


def _score(token: str, rule: RuleMeta) -> int:
    """Return how specifically ``token`` matches ``rule`` (0: no match)."""
    upper = token.upper()
    if upper in ("ALL", "*"):
        return 1
    if token.startswith("tag:"):
        return 2 if token[4:] in rule.tags else 0
    if upper == rule.id or token == rule.name:
        return EXACT
    if rule.id.startswith(upper) and upper.isalnum():
        return 10 + len(upper)
    return 0


def _check(tokens: list[str], catalog: Catalog) -> None:
    for token in tokens:
        if not any(_score(token, r) for r in catalog.rules.values()):
            raise SelectionError(f"unknown rule, prefix, name or tag: {token!r}")


def selected(catalog: Catalog, select: list[str], ignore: list[str]) -> list[str]:
    """Return the ids of the rules to run, in id order."""
    _check(select, catalog)
    _check(ignore, catalog)
    chosen = []
    for rule in catalog.rules.values():
        if rule.deprecated:
            continue
        keep = max((_score(t, rule) for t in select), default=1)
        drop = max((_score(t, rule) for t in ignore), default=0)
        if keep and keep > drop:
            chosen.append(rule.id)
    return chosen
