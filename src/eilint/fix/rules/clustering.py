"""Fixes for Hazelcast clustering: member host, WKA lists, hazelcast.properties and
the com.hazelcast log4j logger."""

from __future__ import annotations

import ipaddress

from eilint.findings import Finding
from eilint.fix.context import FixContext
from eilint.fix.edits import Edit
from eilint.fix.edits import Fix
from eilint.fix.edits import whole_lines
from eilint.fix.propedit import append_line
from eilint.fix.propedit import delete_line
from eilint.fix.propedit import set_value
from eilint.fix.registry import producer
from eilint.fix.rules.hazelcast_wka import hazelcast_members_fix
from eilint.fix.xmledit import SAFE
from eilint.fix.xmledit import UNSAFE
from eilint.fix.xmledit import at_element
from eilint.fix.xmledit import attr_edit
from eilint.fix.xmledit import child_indent
from eilint.fix.xmledit import hinted_port
from eilint.fix.xmledit import one
from eilint.fix.xmledit import set_hinted_port
from eilint.fix.xmledit import text_edit
from eilint.fix.xmlspans import SpanDoc
from eilint.fix.xmlspans import SpanElement
from eilint.model.cluster import Node
from eilint.model.clustering import AXIS2
from eilint.model.clustering import HAZELCAST_AGENT
from eilint.model.clustering import HAZELCAST_XML
from eilint.model.clustering import membership

HZ_PROPS = "hazelcast.properties"
LOG4J = "log4j.properties"
# The two keys the clustering guide puts in conf/hazelcast.properties.
HZ_PROPERTIES_TEXT = (
    "hazelcast.shutdownhook.enabled=false\nhazelcast.logging.type=log4j\n"
)


def _usable_ip(text: str | None) -> str | None:
    """Return a unicast, non-loopback IP address, else None."""
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    if address.is_loopback or address.is_unspecified or address.is_multicast:
        return None
    return str(address)


def node_endpoint(node: Node) -> tuple[str, int] | None:
    """Return (host, member port) the other members reach a node at."""
    m = membership(node)
    if m is None or m.custom or m.port.value is None:
        return None
    host = _usable_ip(m.host.value if m.host and not m.host.placeholder else None)
    host = host or _usable_ip(node.address)
    return (host, m.port.value) if host else None


@producer("CLU001", "CLU008")
@at_element()
def fix_member_host(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Write the node's address (eilint.yaml) as localMemberHost."""
    node = ctx.node(finding.node)
    address = _usable_ip(node.address) if node is not None else None
    if address is not None and el.tag == "clustering":
        return _add_member_host(path, doc, el, address)  # unset: Carbon guesses
    if address is None or el.tag != "parameter":
        return None
    title = f"set localMemberHost to {address} (the node's address)"
    return one(title, text_edit(path, doc, el, address))


def _text(doc: SpanDoc, el: SpanElement | None) -> str:
    return doc.text(el).strip() if el is not None else ""


def _member_edits(
    path: str, doc: SpanDoc, members: SpanElement, ports: dict[str, set[int]]
) -> tuple[list[Edit], set[tuple[str, int]]]:
    """Correct the port of members on a node's host; return what is listed."""
    edits: list[Edit] = []
    listed: set[tuple[str, int]] = set()
    for member in members.children:
        host_el, port_el = member.child("hostName"), member.child("port")
        host = _text(doc, host_el).lower()
        own = ports.get(host)
        if member.tag != "member" or not own or port_el is None:
            continue
        port_text = _text(doc, port_el)
        if port_text.isdigit() and int(port_text) in own:
            listed.add((host, int(port_text)))
        elif len(own) == 1:
            (port,) = own
            edit = text_edit(path, doc, port_el, str(port))
            if edit is not None:
                edits.append(edit)
                listed.add((host, port))
    return edits, listed


def _new_member(doc: SpanDoc, members: SpanElement, host: str, port: int) -> str:
    """Write a member like the list's last one (its layout), else the guide's."""
    last = next((m for m in reversed(members.children) if m.tag == "member"), None)
    host_el = last.child("hostName") if last is not None else None
    port_el = last.child("port") if last is not None else None
    if last is not None and host_el is not None and port_el is not None:
        spans = sorted(
            [(*doc.text_span(host_el), host), (*doc.text_span(port_el), str(port))]
        )
        out, at = [], last.start
        for start, end, value in spans:
            out.append(doc.data[at:start].decode(doc.encoding))
            out.append(value)
            at = end
        out.append(doc.data[at : last.end].decode(doc.encoding))
        return "".join(out)
    inner = child_indent(doc, members) + "    "
    nl = doc.newline
    return (
        f"<member>{nl}{inner}<hostName>{host}</hostName>{nl}"
        f"{inner}<port>{port}</port>{nl}{child_indent(doc, members)}</member>"
    )


def _endpoints(ctx: FixContext) -> list[tuple[str, int]] | None:
    found = []
    for node in ctx.cluster.nodes:
        m = membership(node)
        if m is None or m.custom:
            continue
        endpoint = node_endpoint(node)
        if endpoint is None:
            return None  # a node's address is unknown: the list cannot be completed
        found.append(endpoint)
    return list(dict.fromkeys(found))


def _insert_members(
    path: str, doc: SpanDoc, members: SpanElement, missing: list[tuple[str, int]]
) -> Edit | None:
    if not missing or members.close_start is None:
        return None
    indent = child_indent(doc, members)
    text = "".join(
        f"{indent}{_new_member(doc, members, h, p)}{doc.newline}" for h, p in missing
    )
    line = doc.line_start(members.close_start)
    if doc.data[line : members.close_start].strip():
        return None
    return Edit(path, line, line, text)


def _majority(ctx: FixContext) -> frozenset[tuple[str, int | None]]:
    """Return the member set most wka nodes list (ties: the first node's)."""
    lists: list[frozenset[tuple[str, int | None]]] = []
    for node in ctx.cluster.nodes:
        m = membership(node)
        if m is not None and m.source == AXIS2 and m.scheme.value == "wka":
            lists.append(frozenset((w.host.lower(), w.port) for w in m.members))
    return max(lists, key=lists.count) if lists else frozenset()


def _extra_edits(
    path: str, doc: SpanDoc, members: SpanElement, keep: set[tuple[str, int | None]]
) -> list[Edit]:
    """Remove members (their whole lines) that no node is and most lists lack."""
    edits = []
    for member in members.children:
        host = _text(doc, member.child("hostName")).lower()
        port_text = _text(doc, member.child("port"))
        port = int(port_text) if port_text.isdigit() else None
        if member.tag != "member" or host.startswith("$") or (host, port) in keep:
            continue
        edits.append(Edit(path, *whole_lines(doc.data, member.start, member.end), ""))
    return edits


def _hazelcast_fix(
    finding: Finding,
    ctx: FixContext,
    node: Node,
    endpoints: list[tuple[str, int]] | None,
) -> Fix | None:
    """The member list of etc/hazelcast.xml (CLU013's removals: axis2.xml only)."""
    if finding.rule_id == "CLU013" or endpoints is None:
        return None
    path = f"{node.conf}/{HAZELCAST_XML}"
    doc = ctx.xml(path)
    return hazelcast_members_fix(path, doc, endpoints) if doc is not None else None


@producer("CLU010", "CLU012", "CLU013")
def fix_wka_members(finding: Finding, ctx: FixContext) -> Fix | None:
    """Make a node's axis2.xml WKA list name every node at its localMemberPort;
    for CLU013 also drop members no node is and most lists lack (unsafe).

    A CLU010 at a localMemberPort (every list names one unused port) is fixed
    on that node alone: its port becomes the listed one."""
    if hinted_port(finding) is not None:
        return set_hinted_port(finding, ctx)
    node = ctx.node(finding.node)
    m = membership(node) if node is not None else None
    if node is None or m is None or m.scheme.value != "wka":
        return None
    endpoints = _endpoints(ctx)
    if m.source != AXIS2:
        return _hazelcast_fix(finding, ctx, node, endpoints)
    path = f"{node.conf}/{AXIS2}"
    doc = ctx.xml(path)
    members = doc.root.find("clustering", "members") if doc is not None else None
    if endpoints is None or doc is None or members is None:
        return None
    ports: dict[str, set[int]] = {}
    for host, port in endpoints:
        ports.setdefault(host, set()).add(port)
    edits, listed = _member_edits(path, doc, members, ports)
    missing = [e for e in endpoints if e not in listed]
    insert = _insert_members(path, doc, members, missing)
    if missing and insert is None:
        return None
    extra: list[Edit] = []
    if finding.rule_id == "CLU013":
        hosts = {h for h, _ in endpoints}
        keep = {(h, p) for h, p in _majority(ctx)} | {(h, p) for h, p in endpoints}
        extra = [
            e
            for e in _extra_edits(path, doc, members, keep)
            if not any(e.overlaps(o) for o in edits) and hosts
        ]
    all_edits = (*edits, *([insert] if insert else []), *extra)
    title = "list every node at its localMemberPort in the WKA members"
    if extra:
        title += f", drop {len(extra)} member(s) no node is and most lists lack"
    return Fix(title, UNSAFE if extra else SAFE, all_edits) if all_edits else None


def _props_fix(
    finding: Finding, ctx: FixContext, key: str, value: str, rel: str
) -> Fix | None:
    """Set ``key`` on the finding's line, or append ``key=value`` to the file."""
    node = ctx.node(finding.node)
    if node is None:
        return None
    path = f"{node.conf}/{rel}"
    data = ctx.data(path)
    if data is None:
        return None
    title = f"set {key}={value}"
    line = finding.location.line
    if line is None:
        return one(title, append_line(path, data, f"{key}={value}"))
    return one(title, set_value(path, data, line, value))


@producer("CLU015")
def fix_hazelcast_properties(finding: Finding, ctx: FixContext) -> Fix | None:
    """Create conf/hazelcast.properties with the guide's two keys."""
    node = ctx.node(finding.node)
    if node is None:
        return None
    path = f"{node.conf}/{HZ_PROPS}"
    edit = Edit(path, 0, 0, HZ_PROPERTIES_TEXT, create=True)
    return Fix("create hazelcast.properties (shutdown hook off, log4j)", SAFE, (edit,))


@producer("CLU016")
def fix_shutdown_hook(finding: Finding, ctx: FixContext) -> Fix | None:
    """Turn Hazelcast's own shutdown hook off."""
    return _props_fix(finding, ctx, "hazelcast.shutdownhook.enabled", "false", HZ_PROPS)


@producer("CLU017")
def fix_logging_type(finding: Finding, ctx: FixContext) -> Fix | None:
    """Make Hazelcast log through log4j."""
    return _props_fix(finding, ctx, "hazelcast.logging.type", "log4j", HZ_PROPS)


@producer("CLU018")
def fix_hazelcast_logger(finding: Finding, ctx: FixContext) -> Fix | None:
    """Add the com.hazelcast logger at INFO."""
    return _props_fix(finding, ctx, "log4j.logger.com.hazelcast", "INFO", LOG4J)


@producer("CLU019")
def fix_hazelcast_level(finding: Finding, ctx: FixContext) -> Fix | None:
    """Set the com.hazelcast logger's level to INFO, keeping its appenders."""
    node = ctx.node(finding.node)
    line = finding.location.line
    data = ctx.data(finding.location.path) if node is not None else None
    if data is None or line is None:
        return None
    from eilint.fix.propedit import value_span

    span = value_span(data, line)
    if span is None:
        return None
    value = data[span[0] : span[1]]
    level_end = span[0] + (value.find(b",") if b"," in value else len(value))
    while level_end > span[0] and data[level_end - 1 : level_end].isspace():
        level_end -= 1
    edit = Edit(finding.location.path, span[0], level_end, "INFO")
    return one("set log4j.logger.com.hazelcast to INFO", edit)


@producer("CLU020")
def fix_shadowed_key(finding: Finding, ctx: FixContext) -> Fix | None:
    """Delete an entry a later one of the same key overrides (Java keeps the last)."""
    data = ctx.data(finding.location.path)
    line = finding.location.line
    if data is None or line is None:
        return None
    edit = delete_line(finding.location.path, data, line)
    return one("remove the shadowed entry (the later one applies)", edit)


@producer("CLU004")
@at_element(text_only=True)
def fix_scheme_case(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Write a known membershipScheme in the lower case Carbon compares with."""
    value = doc.text(el).strip().lower()
    if value not in ("wka", "multicast", "aws"):
        return None  # a class-name scheme without its class: a person decides
    return one(f"write membershipScheme {value!r}", text_edit(path, doc, el, value))


@producer("CLU003")
@at_element("clustering")
def fix_agent_class(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Use Carbon's Hazelcast agent (unsafe: another agent may be deliberate)."""
    edit = attr_edit(path, doc, el, "class", HAZELCAST_AGENT)
    return one("use the HazelcastClusteringAgent", edit, UNSAFE)


def _add_member_host(
    path: str, doc: SpanDoc, el: SpanElement, address: str
) -> Fix | None:
    """Add localMemberHost after localMemberPort (else as the last parameter)."""
    params = [c for c in el.children if c.tag == "parameter"]
    if any(
        doc.data[c.start : c.head_end].find(b'"localMemberHost"') >= 0 for c in params
    ):
        return None
    after = next(
        (c for c in params if b'"localMemberPort"' in doc.data[c.start : c.head_end]),
        params[-1] if params else None,
    )
    if after is None:
        return None
    stop = doc.data.find(b"\n", after.end)
    if stop < 0 or doc.data[after.end : stop].strip():
        return None
    snippet = f'<parameter name="localMemberHost">{address}</parameter>'
    edit = Edit(
        path, stop + 1, stop + 1, f"{doc.indent_of(after)}{snippet}{doc.newline}"
    )
    return one(f"set localMemberHost to {address} (the node's address)", edit)


@producer("CLU002")
@at_element("clustering")
def fix_enable_clustering(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Turn clustering on (unsafe: a node may be kept out of the cluster on purpose)."""
    edit = attr_edit(path, doc, el, "enable", "true")
    return one('set enable="true" on <clustering>', edit, UNSAFE)


@producer("CLU005")
@at_element("parameter", text_only=True)
def fix_scheme_wka(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Use the guide's wka scheme (unsafe: the member lists must then be right;
    the WKA fixes complete them in the next rounds)."""
    span = el.attrs.get("name")
    name = doc.data[span.value_start : span.value_end] if span else b""
    if name != b"membershipScheme":
        return None
    return one("set membershipScheme to wka", text_edit(path, doc, el, "wka"), UNSAFE)
