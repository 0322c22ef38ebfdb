"""Fix producers keyed by rule id, and attaching their fixes to findings."""

from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping

from msgspec.structs import replace

from eilint.findings import Finding
from eilint.fix.context import FixContext
from eilint.fix.context import Producer
from eilint.fix.context import valid
from eilint.fix.edits import region
from eilint.model.cluster import Cluster

PRODUCERS: dict[str, Producer] = {}


def producer(*rule_ids: str) -> Callable[[Producer], Producer]:
    """Register a function as the fix producer of these rules."""

    def register(func: Producer) -> Producer:
        for rule_id in rule_ids:
            PRODUCERS[rule_id] = func
        return func

    return register


def producers() -> dict[str, Producer]:
    """Return every producer (the rule modules register on import)."""
    from eilint.fix.rules import bps  # noqa: F401
    from eilint.fix.rules import clustering  # noqa: F401
    from eilint.fix.rules import datasources  # noqa: F401
    from eilint.fix.rules import nginx  # noqa: F401
    from eilint.fix.rules import registry  # noqa: F401
    from eilint.fix.rules import suppressions  # noqa: F401
    from eilint.fix.rules import values  # noqa: F401

    return PRODUCERS


def _produce(func: Producer, finding: Finding, ctx: FixContext) -> Finding:
    try:
        fix = func(finding, ctx)
    except Exception:
        # A producer bug costs the fix, never the lint run.
        if os.environ.get("EILINT_DEBUG"):
            raise
        return finding
    if fix is None or not fix.edits or not valid(fix, ctx):
        return finding
    edits = tuple(
        replace(e, region=region(ctx.data(e.path) or b"", e.start, e.end))
        for e in fix.edits
    )
    return replace(finding, fix=replace(fix, edits=edits))


def attach(
    findings: Iterable[Finding],
    cluster: Cluster,
    options: Mapping[str, Mapping[str, object]] | None = None,
) -> tuple[Finding, ...]:
    """Return the findings, each with its fix when its rule has one that applies."""
    table = producers()
    ctx = FixContext(cluster, options or {})
    return tuple(
        _produce(table[f.rule_id], f, ctx) if f.rule_id in table else f
        for f in findings
    )
