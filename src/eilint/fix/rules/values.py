"""Fixes that rewrite one value: misread flags and numbers, a value copied from
the nodes that agree, a reference to the name it most likely means, a BPS element
put into its namespace, a start-script option Java ignores."""

from __future__ import annotations

import difflib
import re

from eilint.findings import Finding
from eilint.fix.context import FixContext
from eilint.fix.edits import Edit
from eilint.fix.edits import Fix
from eilint.fix.registry import producer
from eilint.fix.xmledit import SAFE
from eilint.fix.xmledit import UNSAFE
from eilint.fix.xmledit import at_element
from eilint.fix.xmledit import attr_edit
from eilint.fix.xmledit import element_at
from eilint.fix.xmledit import hinted_port
from eilint.fix.xmledit import one
from eilint.fix.xmledit import set_hinted_port
from eilint.fix.xmledit import text_edit
from eilint.fix.xmlspans import SpanDoc
from eilint.fix.xmlspans import SpanElement
from eilint.model.datasources import by_jndi

_PERM_SIZE = re.compile(rb"[ \t]*-XX:(?:Max)?PermSize=[^\s\"']+")
# How alike a name must be to the one it replaces (difflib ratio): a typo, not
# another database (jdbc/BPMNDB is not jdbc/WSO2UMDB at 0.67).
CLOSE = 0.8


@producer("DSR015", "REG009")
@at_element(text_only=True)
def fix_misread_value(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Write a flag as lowercase true/false and a number without blanks, when
    the meaning is plain (``True``, `` 20 ``); anything else is left to a person."""
    text = doc.text(el)
    plain = text.strip()
    if plain.lower() in ("true", "false"):
        value = plain.lower()
    elif plain.isascii() and plain.isdigit():
        value = plain
    else:
        return None
    if value == text:
        return None
    return one(f"write {value!r}", text_edit(path, doc, el, value))


def _same_setting(a: SpanElement, b: SpanElement) -> bool:
    return a.tag == b.tag and a.key.rsplit("/", 1)[-1] == b.key.rsplit("/", 1)[-1]


@producer("CLU006", "CLU007", "REG006")
def fix_copy_majority(finding: Finding, ctx: FixContext) -> Fix | None:
    """Copy the value the other nodes agree on (the first related place holds it);
    unsafe: the majority is not always right."""
    if not finding.related:
        return None
    ref = finding.related[0]
    path = finding.location.path
    doc, ref_doc = ctx.xml(path), ctx.xml(ref.path)
    el = element_at(doc, finding)
    ref_el = ref_doc.by_key.get(ref.key or "") if ref_doc is not None else None
    if doc is None or ref_doc is None or el is None or ref_el is None:
        return None
    if not _same_setting(el, ref_el) or el.children or ref_el.children:
        return None
    value = ref_doc.text(ref_el).strip()
    if "&" in value or "<" in value:
        return None  # an entity or markup: copying its text would change it
    edit = text_edit(path, doc, el, value)
    return one(f"use {value!r} as the other nodes do", edit, UNSAFE)


@producer("DSR003")
@at_element(text_only=True)
def fix_jndi_reference(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Point a JNDI reference at the defined name it most likely means (unsafe)."""
    node = ctx.node(finding.node)
    if node is None:
        return None
    names = list(by_jndi(node))
    value_attr = el.attrs.get("value")
    if value_attr is not None:
        wrong = doc.data[value_attr.value_start : value_attr.value_end].decode()
    else:
        wrong = doc.text(el).strip()
    close = difflib.get_close_matches(wrong.strip(), names, n=1, cutoff=CLOSE)
    if not close:
        return None
    if value_attr is not None:
        edit: Edit | None = attr_edit(path, doc, el, "value", close[0])
    else:
        edit = text_edit(path, doc, el, close[0])
    return one(f"use the datasource {close[0]!r}", edit, UNSAFE)


@producer("BPS007")
@at_element()
def fix_bps_namespace(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Write a stray bps.xml element with the root's BPS prefix (``tns:``)."""
    if ":" not in doc.root.qname:
        return None
    if any(name == "xmlns" or name.startswith("xmlns:") for name in el.attrs):
        return None  # it declares namespaces of its own: a person decides
    prefix = doc.root.qname.split(":", 1)[0]
    old = el.qname.split(":", 1)[0] + ":" if ":" in el.qname else ""
    edits = [Edit(path, el.start + 1, el.start + 1 + len(old), f"{prefix}:")]
    if el.close_start is not None:
        at = el.close_start + 2
        edits.append(Edit(path, at, at + len(old), f"{prefix}:"))
    return Fix(f"write it as <{prefix}:{el.tag}>", SAFE, tuple(edits))


@producer("SEC006")
def fix_perm_size(finding: Finding, ctx: FixContext) -> Fix | None:
    """Drop -XX:MaxPermSize/-XX:PermSize from a start-script line."""
    path = finding.location.path
    data = ctx.data(path)
    line = finding.location.line
    if data is None or line is None or not path.endswith(".sh"):
        return None
    start = 0
    for _ in range(line - 1):
        start = data.find(b"\n", start) + 1
    end = data.find(b"\n", start)
    end = len(data) if end < 0 else end
    match = _PERM_SIZE.search(data, start, end)
    if match is None:
        return None
    edit = Edit(path, match.start(), match.end(), "")
    return one(f"remove {match.group(0).strip().decode()}", edit)


def _sibling_key(key: str, tag: str) -> str:
    return f"{key.rsplit('/', 1)[0]}/{tag}[1]"


@producer("REG012")
def fix_registry_user_url(finding: Finding, ctx: FixContext) -> Fix | None:
    """Copy the shared registry datasource's url text from the nodes that agree
    (unsafe). Not when the user differs: the password goes with the user, and
    eilint never writes one; nor when the URL carries credentials."""
    ref = finding.related[0] if finding.related else None
    path = finding.location.path
    doc = ctx.xml(path)
    ref_doc = ctx.xml(ref.path) if ref is not None else None
    key, ref_key = finding.location.key or "", (ref.key if ref else None) or ""
    if doc is None or ref_doc is None or not key.endswith("/url[1]"):
        return None
    edits = []
    for tag in ("url", "username"):
        el = doc.by_key.get(_sibling_key(key, tag))
        src = ref_doc.by_key.get(_sibling_key(ref_key, tag))
        if el is None or src is None or el.children or src.children:
            return None
        value = ref_doc.text(src).strip()
        if "&" in value or "<" in value or "password" in value.lower():
            return None
        if tag == "username" and doc.text(el).strip() != value:
            return None
        if doc.text(el).strip() != value:
            edit = text_edit(path, doc, el, value)
            if edit is None:
                return None
            edits.append(edit)
    title = "use the url text the other nodes use"
    return Fix(title, UNSAFE, tuple(edits)) if edits else None


_USE_CLASS = re.compile(r"^use ([A-Za-z_][\w.$]*)$")


@producer("DSR012")
@at_element(text_only=True)
def fix_driver_class(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Write the driver class the URL's database takes (unsafe: the URL may be the
    wrong half); the finding's hint names it."""
    match = _USE_CLASS.match(finding.hint)
    if match is None or el.tag != "driverClassName":
        return None
    edit = text_edit(path, doc, el, match.group(1))
    return one(f"use {match.group(1)}", edit, UNSAFE)


def _new_value(
    finding: Finding, ctx: FixContext, current: int, taken: set[int]
) -> int | None:
    """Return a value no node uses for a node that shares one with earlier nodes.

    The first node of the group keeps its value; the k-th later one moves k
    values up (skipping any in use), so one round separates the whole group.
    """
    order = [n.name for n in ctx.cluster.nodes]
    group = [loc.node for loc in (finding.location, *finding.related) if loc.node]
    group = sorted(
        set(group), key=lambda name: order.index(name) if name in order else 0
    )
    rank = group.index(finding.node) if finding.node in group else 0
    if rank == 0:
        return None
    value = current
    for _ in range(rank):
        value += 1
        while value in taken:
            value += 1
    return value


def _taken_ports(ctx: FixContext) -> set[int]:
    from eilint.model.clustering import membership

    ports = set()
    for node in ctx.cluster.nodes:
        m = membership(node)
        if m is not None and m.port.value is not None:
            ports.add(m.port.value)
    return ports


def _taken_offsets(ctx: FixContext) -> set[int]:
    from eilint.model.carbon import port_offset

    return {o.value for n in ctx.cluster.nodes if (o := port_offset(n)) is not None}


@producer("CLU014", "PRT001")
@at_element(text_only=True)
def fix_collision(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Give a node that shares a member port or port offset with an earlier node
    on its host the next free one (unsafe: firewalls and peers must follow; the
    WKA and upstream fixes catch up in the next rounds)."""
    if finding.rule_id == "CLU014" and hinted_port(finding) is not None:
        return set_hinted_port(finding, ctx)
    kind = "member port" if finding.rule_id == "CLU014" else "port offset"
    taken = _taken_ports(ctx) if finding.rule_id == "CLU014" else _taken_offsets(ctx)
    text = doc.text(el).strip()
    value = _new_value(finding, ctx, int(text), taken) if text.isdigit() else None
    if value is None:
        return None
    edit = text_edit(path, doc, el, str(value))
    return one(f"use {kind} {value} on {finding.node}", edit, UNSAFE)
