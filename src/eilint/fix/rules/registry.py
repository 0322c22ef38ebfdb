"""Fixes for registry.xml: the writer choice, mount and instance references, cacheId."""

from __future__ import annotations

import difflib
from urllib.parse import urlsplit

from eilint.findings import Finding
from eilint.fix.context import FixContext
from eilint.fix.edits import Edit
from eilint.fix.edits import Fix
from eilint.fix.registry import producer
from eilint.fix.xmledit import SAFE
from eilint.fix.xmledit import UNSAFE
from eilint.fix.xmledit import at_element
from eilint.fix.xmledit import insert_child
from eilint.fix.xmledit import one
from eilint.fix.xmledit import text_edit
from eilint.fix.xmlspans import SpanDoc
from eilint.fix.xmlspans import SpanElement
from eilint.model.cluster import Node
from eilint.model.datasources import by_jndi
from eilint.model.jdbc import parse_jdbc_url
from eilint.model.registry import RegistryFacts
from eilint.model.registry import RemoteInstance
from eilint.model.registry import registry

REGISTRY = "registry.xml"
# A typo, not another name (difflib ratio), as for JNDI references.
CLOSE = 0.8


def _pointed_at(ctx: FixContext, nodes: list[Node]) -> Node | None:
    """Return the node most remoteInstance URLs name (the guide points every
    node's remoteInstance at the writer), when the majority is clear."""
    from collections import Counter

    from eilint.model.edge import node_index

    hosts: Counter[str] = Counter()
    for node in nodes:
        facts = registry(node)
        for inst in facts.mounted_instances() if facts else ():
            host = urlsplit(inst.url or "").hostname
            if host:
                hosts[host.lower()] += 1
    ranked = hosts.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    known = node_index(ctx.cluster).get(ranked[0][0])
    return known.node if known is not None and known.node in nodes else None


def _writer(ctx: FixContext, nodes: list[Node]) -> Node:
    """The node eilint.yaml names (REG001 option ``writer``), else the one most
    remoteInstance URLs point at, else the first, as the guide makes Node 1 the
    writer."""
    chosen = ctx.options.get("REG001", {}).get("writer")
    named = next((n for n in nodes if n.name == chosen), None)
    return named or _pointed_at(ctx, nodes) or nodes[0]


def _read_only_edits(
    ctx: FixContext, node: Node, facts: RegistryFacts, value: str
) -> list[Edit] | None:
    path = f"{node.conf}/{REGISTRY}"
    doc = ctx.xml(path)
    if doc is None:
        return None
    edits = []
    for inst in facts.mounted_instances():
        el = doc.by_key.get(inst.where.key or "")
        if el is None:
            return None
        current = el.child("readOnly")
        if current is not None and doc.text(current) == value:
            continue
        if current is not None:
            edit = text_edit(path, doc, current, value)
        else:
            edit = insert_child(path, doc, el, f"<readOnly>{value}</readOnly>")
        if edit is None:
            return None
        edits.append(edit)
    return edits


@producer("REG001")
def fix_registry_writer(finding: Finding, ctx: FixContext) -> Fix | None:
    """Make one node the registry writer and every other node read-only (unsafe:
    which node writes is a decision)."""
    participants = []
    for node in ctx.cluster.nodes:
        facts = registry(node)
        if facts is None or not facts.mounted_instances():
            continue
        if any(
            i.read_only and i.read_only.placeholder for i in facts.mounted_instances()
        ):
            return None
        participants.append((node, facts))
    if not participants:
        return None
    writer = _writer(ctx, [n for n, _ in participants])
    edits: list[Edit] = []
    for node, facts in participants:
        value = "false" if node is writer else "true"
        found = _read_only_edits(ctx, node, facts, value)
        if found is None:
            return None
        edits.extend(found)
    title = f"make {writer.name} the registry writer, every other node read-only"
    return Fix(title, UNSAFE, tuple(edits)) if edits else None


def _pick(wrong: str, names: list[str]) -> tuple[str, bool] | None:
    """Return the name to use and whether that is certain (the only candidate)."""
    if len(set(names)) == 1:
        return names[0], True
    close = difflib.get_close_matches(wrong, names, n=1, cutoff=CLOSE)
    return (close[0], False) if close else None


def _rename(
    path: str, doc: SpanDoc, el: SpanElement, names: list[str], what: str
) -> Fix | None:
    picked = _pick(doc.text(el).strip(), names) if names else None
    if picked is None:
        return None
    name, certain = picked
    edit = text_edit(path, doc, el, name)
    return one(f"use {what} {name!r}", edit, SAFE if certain else UNSAFE)


def _names(finding: Finding, ctx: FixContext, kind: str) -> list[str]:
    """Return the dbConfig names or remoteInstance ids of the finding's node."""
    node = ctx.node(finding.node)
    facts = registry(node) if node is not None else None
    if facts is None:
        return []
    if kind == "dbConfig":
        return [c.name for c in facts.db_configs]
    return [i.id.value for i in facts.remote_instances if i.id and i.id.value.strip()]


@producer("REG002")
@at_element(text_only=True)
def fix_instance_db_config(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Point a remoteInstance at the defined dbConfig it most likely means."""
    return _rename(path, doc, el, _names(finding, ctx, "dbConfig"), "dbConfig")


@producer("REG004")
@at_element(text_only=True)
def fix_mount_instance(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Point a mount at the remoteInstance id it most likely means."""
    return _rename(path, doc, el, _names(finding, ctx, "instanceId"), "instanceId")


def cache_key(node: Node, facts: RegistryFacts, inst: RemoteInstance) -> str | None:
    """Return the mounted datasource's ``user@url`` as Carbon builds the cache key;
    None when unknown, or when the URL carries credentials (never written out)."""
    if inst.db_config is None:
        return None
    cfg = next(
        (c for c in facts.db_configs if c.name == inst.db_config.value.strip()), None
    )
    if cfg is None or cfg.data_source is None:
        return None
    ds = by_jndi(node).get(cfg.data_source.value.strip())
    url = ds.get("url") if ds is not None else None
    user = ds.get("username") if ds is not None else None
    if url is None or url.placeholder or (user is not None and user.placeholder):
        return None
    parsed = parse_jdbc_url(url.raw.strip())
    if parsed is None or parsed.redacted() != url.raw.strip():
        return None
    return f"{(user.raw if user else '').strip()}@{url.raw.strip()}"


@producer("REG010")
def fix_cache_id(finding: Finding, ctx: FixContext) -> Fix | None:
    """Write the mounted datasource's user@url as the remoteInstance's cacheId."""
    node = ctx.node(finding.node)
    facts = registry(node) if node is not None else None
    key = finding.location.key or ""
    inst_key = key.rsplit("/", 1)[0] if key.endswith("cacheId[1]") else key
    inst = (
        next((i for i in facts.remote_instances if i.where.key == inst_key), None)
        if facts is not None
        else None
    )
    value = cache_key(node, facts, inst) if node and facts and inst else None
    path = finding.location.path
    doc = ctx.xml(path)
    el = doc.by_key.get(inst_key) if doc is not None else None
    if value is None or doc is None or el is None:
        return None
    title = f"set cacheId to {value}"
    current = el.child("cacheId")
    if current is not None:
        return one(title, text_edit(path, doc, current, value))
    return one(title, insert_child(path, doc, el, f"<cacheId>{value}</cacheId>"))
