"""WKA fixes in ``etc/hazelcast.xml``: the ``<tcp-ip>`` member list of a node
whose membership Carbon takes from that file (``model.clustering.membership``).

Members are ``host`` or ``host:port`` texts, in ``<member-list>``, directly under
``<tcp-ip>``, or comma-separated in ``<members>``. A member on a node's host
with a port no node there uses gets the node's port (when one node is there);
a node no member names is added as ``<member>host:port</member>``, laid out like
the list's last member.
"""

from __future__ import annotations

from eilint.fix.edits import Edit
from eilint.fix.edits import Fix
from eilint.fix.xmledit import SAFE
from eilint.fix.xmledit import child_indent
from eilint.fix.xmledit import text_edit
from eilint.fix.xmlspans import SpanDoc
from eilint.fix.xmlspans import SpanElement
from eilint.model.clustering import expand_host

Endpoint = tuple[str, int]


def _entries(doc: SpanDoc, tcp: SpanElement) -> list[tuple[SpanElement, list[str]]]:
    """Return each member-holding element with its entries (split as Hazelcast
    splits them: commas, semicolons, blanks)."""
    holders = [
        m for c in tcp.children if c.tag == "member-list" for m in c.children
    ] + [c for c in tcp.children if c.tag in ("member", "members")]
    out = []
    for el in holders:
        if el.tag not in {"member", "members"}:
            continue
        text = doc.text(el).replace(";", ",")
        out.append((el, [p for p in text.replace(",", " ").split() if p]))
    return out


def _split(entry: str) -> tuple[str, int | None]:
    host, sep, port = entry.rpartition(":")
    if sep and host and port.isdigit() and "]" not in port:
        return host.strip("[]").lower(), int(port)
    return entry.strip("[]").lower(), None


def _port_edits(
    path: str,
    doc: SpanDoc,
    entries: list[tuple[SpanElement, list[str]]],
    ports: dict[str, set[int]],
) -> tuple[list[Edit], set[Endpoint]]:
    """Correct the port of single-entry members on a node's host; return what
    the list names (a member without a port names every port on its host)."""
    edits: list[Edit] = []
    listed: set[Endpoint] = set()
    for el, parts in entries:
        for part in parts:
            host, port = _split(part)
            for name in expand_host(host):
                own = ports.get(name, set())
                if port is None or port in own:
                    listed.update((name, p) for p in own if port in (None, p))
                elif len(own) == 1 and len(parts) == 1 and name == host:
                    (new,) = own
                    edit = text_edit(
                        path, doc, el, _keep_space(doc, el, f"{host}:{new}")
                    )
                    if edit is not None:
                        edits.append(edit)
                        listed.add((host, new))
    return edits, listed


def _keep_space(doc: SpanDoc, el: SpanElement, value: str) -> str:
    raw = doc.text(el)
    lead = raw[: len(raw) - len(raw.lstrip())]
    trail = raw[len(raw.rstrip()) :]
    return f"{lead}{value}{trail}"


def _new_member(doc: SpanDoc, parent: SpanElement, host: str, port: int) -> str:
    last = next((m for m in reversed(parent.children) if m.tag == "member"), None)
    if last is not None and last.close_start is not None and not last.children:
        head = doc.data[last.start : last.head_end].decode(doc.encoding)
        tail = doc.data[last.close_start : last.end].decode(doc.encoding)
        return head + _keep_space(doc, last, f"{host}:{port}") + tail
    return f"<member>{host}:{port}</member>"


def _insert(
    path: str, doc: SpanDoc, tcp: SpanElement, missing: list[Endpoint]
) -> Edit | None:
    parent = tcp.child("member-list") or tcp
    if parent.close_start is None:
        return None
    line = doc.line_start(parent.close_start)
    if doc.data[line : parent.close_start].strip():
        return None  # the closing tag shares its line: no layout to follow
    indent = child_indent(doc, parent)
    text = "".join(
        f"{indent}{_new_member(doc, parent, h, p)}{doc.newline}" for h, p in missing
    )
    return Edit(path, line, line, text)


def hazelcast_members_fix(
    path: str, doc: SpanDoc, endpoints: list[Endpoint]
) -> Fix | None:
    """Make the tcp-ip member list of ``doc`` name every node at its port."""
    tcp = doc.root.find("network", "join", "tcp-ip")
    if tcp is None:
        return None
    ports: dict[str, set[int]] = {}
    for host, port in endpoints:
        ports.setdefault(host, set()).add(port)
    edits, listed = _port_edits(path, doc, _entries(doc, tcp), ports)
    missing = [e for e in endpoints if e not in listed]
    insert = _insert(path, doc, tcp, missing) if missing else None
    if missing and insert is None:
        return None
    all_edits = (*edits, *([insert] if insert else []))
    title = "list every node at its member port in hazelcast.xml's tcp-ip members"
    return Fix(title, SAFE, all_edits) if all_edits else None
