"""Fixes for the process engine: ODE pool, distributed lock, NodeId, task servers."""

from __future__ import annotations

from msgspec.structs import replace

from eilint.findings import Finding
from eilint.fix.context import FixContext
from eilint.fix.edits import Fix
from eilint.fix.registry import producer
from eilint.fix.xmledit import element_at
from eilint.fix.xmledit import insert_child
from eilint.fix.xmledit import one
from eilint.fix.xmledit import text_edit
from eilint.fix.xmlspans import SpanElement
from eilint.model.bps import TASK_MODES
from eilint.model.bps import bps_facts
from eilint.model.bps import humantask_facts
from eilint.model.cluster import Node
from eilint.model.datasources import bps_datasource
from eilint.model.values import datasource_int

# The Tomcat JDBC pool's maxActive when the datasource does not set it.
MAX_ACTIVE_DEFAULT = 100
# The pool size eilint writes when maxActive leaves room for it (EI's guide
# tunes the scheduler pool well below the datasource's connections).
ODE_POOL_TARGET = 50


def _prefix(el: SpanElement) -> str:
    head, colon, _ = el.qname.rpartition(":")
    return f"{head}{colon}"


def _set_or_add(
    finding: Finding, ctx: FixContext, tag: str, value: str, title: str
) -> Fix | None:
    """Set ``tag`` when the finding points at it; else add it to the root."""
    path = finding.location.path
    doc = ctx.xml(path)
    el = element_at(doc, finding)
    if doc is None or el is None:
        return None
    if el.tag == tag:
        return one(title, text_edit(path, doc, el, value))
    if el is not doc.root or doc.root.child(tag) is not None:
        return None
    prefix = _prefix(doc.root)
    snippet = f"<{prefix}{tag}>{value}</{prefix}{tag}>"
    return one(title, insert_child(path, doc, doc.root, snippet))


def ode_pool_size(node: Node) -> int | None:
    """Return a scheduler pool that, with HumanTask's share, stays below maxActive."""
    ds, ref = bps_datasource(node)
    if ds is None:
        return None
    raw = ds.get("maxActive")
    max_active = datasource_int(raw.raw) if raw is not None else None
    max_active = MAX_ACTIVE_DEFAULT if max_active is None else max_active
    ht = humantask_facts(node)
    ht_ds = ht.data_source if ht is not None else None
    same = ref is not None and ht_ds is not None and ht_ds.value == ref.name.strip()
    shared = (ht.pool_size or 0) if ht is not None and same else 0
    room = max_active - shared - 1
    size = min(ODE_POOL_TARGET, room if shared else max_active // 2)
    return size if size >= 1 else None


@producer("BPS001")
def fix_ode_pool(finding: Finding, ctx: FixContext) -> Fix | None:
    """Write an ODESchedulerThreadPoolSize below the BPS datasource's maxActive."""
    node = ctx.node(finding.node)
    size = ode_pool_size(node) if node is not None else None
    if size is None:
        return None
    title = f"set ODESchedulerThreadPoolSize to {size}"
    return _set_or_add(finding, ctx, "ODESchedulerThreadPoolSize", str(size), title)


@producer("BPS003")
def fix_distributed_lock(finding: Finding, ctx: FixContext) -> Fix | None:
    """Turn UseDistributedLock on."""
    title = "set UseDistributedLock to true"
    return _set_or_add(finding, ctx, "UseDistributedLock", "true", title)


@producer("BPS004")
def fix_node_id(finding: Finding, ctx: FixContext) -> Fix | None:
    """Give the node a NodeId no other node uses: its own name."""
    node = ctx.node(finding.node)
    if node is None:
        return None
    taken = set()
    for other in ctx.cluster.nodes:
        facts = bps_facts(other)
        if facts is not None and facts.node_id is not None and other is not node:
            taken.add(facts.node_id.value.strip())
    new = node.name
    suffix = 2
    while new in taken:
        new, suffix = f"{node.name}-{suffix}", suffix + 1
    return _set_or_add(finding, ctx, "NodeId", new, f"set NodeId to {new!r}")


@producer("BPS005", "BPS006")
def fix_task_server_count(finding: Finding, ctx: FixContext) -> Fix | None:
    """Keep AUTO and set taskServerCount 1, as the clustering guide advises.

    An unknown mode is reported at its own line: a mode in the wrong case
    (``Standalone``) is written in capitals; any other typo keeps reading as
    AUTO, so the count (the related place) is set instead.
    """
    doc = ctx.xml(finding.location.path)
    el = element_at(doc, finding)
    if doc is not None and el is not None and el.tag == "taskServerMode":
        meant = doc.text(el).strip().upper()
        if meant in TASK_MODES:
            title = f"write taskServerMode {meant} in capitals"
            return one(title, text_edit(finding.location.path, doc, el, meant))
        if not finding.related:
            return None
        finding = replace(finding, location=finding.related[0], related=())
    return _set_or_add(finding, ctx, "taskServerCount", "1", "set taskServerCount to 1")
