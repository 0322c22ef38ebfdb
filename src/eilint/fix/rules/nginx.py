"""Fixes for nginx: ``ssl on`` to ``listen ... ssl``, ssl on 443, session affinity,
upstream ports with the node's offset, and proxyPort on the nodes' connectors."""

from __future__ import annotations

import re
from collections.abc import Callable

from eilint.findings import Finding
from eilint.fix.context import FixContext
from eilint.fix.context import Producer
from eilint.fix.edits import Edit
from eilint.fix.edits import Fix
from eilint.fix.edits import whole_lines
from eilint.fix.nginxspans import NgxDirective
from eilint.fix.nginxspans import NgxFile
from eilint.fix.registry import producer
from eilint.fix.xmledit import SAFE
from eilint.fix.xmledit import UNSAFE
from eilint.fix.xmledit import at_element
from eilint.fix.xmledit import attr_edit
from eilint.fix.xmledit import one
from eilint.fix.xmlspans import SpanDoc
from eilint.fix.xmlspans import SpanElement
from eilint.model.carbon import pass_through_ports
from eilint.model.carbon import served_ports
from eilint.model.cluster import Node
from eilint.model.edge import node_addresses
from eilint.model.edge import node_index
from eilint.model.edge import targets
from eilint.model.nginx import Upstream
from eilint.model.nginx import listen_port
from eilint.model.nginx import upstreams
from eilint.model.nginx import walk
from eilint.model.registry import registry

# scheme://host:port in a proxy_pass URL (host group 2, port group 3).
_URL = re.compile(r"^(https?)://([^/:\s]+)(?::(\d+))?")
# EDG003's message starts "node NAME (ADDRESS) is not in upstream".
_NODE_NAMED = re.compile(r"^node (\S+) \(")
# nginx's load-balancing methods of an upstream block.
_BALANCING = frozenset({"least_conn", "hash", "random", "least_time", "ip_hash"})


def _located(
    finding: Finding, ctx: FixContext, name: str
) -> tuple[str, NgxFile, NgxDirective] | None:
    path = finding.location.path
    ngx = ctx.nginx(path)
    line = finding.location.line
    found = ngx.at(line, name) if ngx is not None and line is not None else None
    return (path, ngx, found) if ngx is not None and found is not None else None


NginxProducer = Callable[[Finding, FixContext, str, NgxFile, NgxDirective], Fix | None]


def at_directive(name: str) -> Callable[[NginxProducer], Producer]:
    """Call the producer with the file and the directive ``name`` the finding is on."""

    def wrap(func: NginxProducer) -> Producer:
        def produce(finding: Finding, ctx: FixContext) -> Fix | None:
            found = _located(finding, ctx, name)
            return None if found is None else func(finding, ctx, *found)

        produce.__doc__ = func.__doc__
        return produce

    return wrap


def _parent(ngx: NgxFile, target: NgxDirective) -> NgxDirective | None:
    for d in ngx.all():
        if d.block is not None and any(c is target for c in d.block):
            return d
    return None


def _add_ssl(path: str, d: NgxDirective) -> Edit | None:
    """Add ``ssl`` after a listen's address (None when it already has it)."""
    if not d.args or any(a.text == "ssl" for a in d.args[1:]):
        return None
    return Edit(path, d.args[0].end, d.args[0].end, " ssl")


def _delete(path: str, ngx: NgxFile, d: NgxDirective) -> Edit:
    """Remove a directive; its whole line when nothing else is on it."""
    return Edit(path, *whole_lines(ngx.data, d.name.start, d.end), "")


@producer("NGX002")
@at_directive("ssl")
def fix_ssl_on(
    finding: Finding, ctx: FixContext, path: str, ngx: NgxFile, ssl: NgxDirective
) -> Fix | None:
    """Replace ``ssl on;`` with the ``ssl`` parameter on the server's listens."""
    server = _parent(ngx, ssl)
    listens = (
        [c for c in server.block or () if c.name.text == "listen"] if server else []
    )
    if server is None or server.name.text != "server" or not listens:
        return None
    edits = [e for d in listens if (e := _add_ssl(path, d)) is not None]
    edits.append(_delete(path, ngx, ssl))
    return Fix('replace "ssl on;" with "listen ... ssl"', SAFE, tuple(edits))


def _has_certificate(server: NgxDirective | None) -> bool:
    return server is not None and any(
        c.name.text == "ssl_certificate" for c in server.block or ()
    )


@producer("NGX005")
@at_directive("listen")
def fix_listen_ssl(
    finding: Finding, ctx: FixContext, path: str, ngx: NgxFile, listen: NgxDirective
) -> Fix | None:
    """Add ``ssl`` to ``listen 443`` (unsafe without a certificate in the server)."""
    edit = _add_ssl(path, listen)
    safe = _has_certificate(_parent(ngx, listen))
    return one('write "listen 443 ssl"', edit, SAFE if safe else UNSAFE)


@producer("NGX006")
@at_directive("upstream")
def fix_affinity(
    finding: Finding, ctx: FixContext, path: str, ngx: NgxFile, upstream: NgxDirective
) -> Fix | None:
    """Add ``ip_hash;`` to an upstream without a balancing method."""
    children = upstream.block or ()
    servers = [c for c in children if c.name.text == "server"]
    others = [c for c in children if c.name.text != "server"]
    if not servers or any(any(a.text == "backup" for a in c.args) for c in servers):
        return None  # ip_hash refuses backup servers
    balancing = [c for c in others if c.name.text in _BALANCING]
    if len(balancing) == 1:
        # Another method (least_conn, hash $request_uri): replacing it is a choice.
        old = balancing[0]
        edit = Edit(path, old.name.start, old.end, "ip_hash;")
        return one(f"replace {old.name.text} with ip_hash;", edit, UNSAFE)
    if others:
        return None
    first = children[0]
    line = ngx.data.rfind(b"\n", 0, first.name.start) + 1
    if ngx.data[line : first.name.start].strip():
        edit = Edit(path, first.name.start, first.name.start, "ip_hash; ")
    else:
        indent = ngx.indent_of(first.name.start)
        edit = Edit(path, line, line, f"{indent}ip_hash;{ngx.newline}")
    return one("add ip_hash; for session affinity", edit)


def _expected_port(finding: Finding, ctx: FixContext) -> tuple[str, int, int] | None:
    """Return (host, wrong port, right port) of a backend EDG002 points at."""
    config = ctx.cluster.nginx
    if config is None:
        return None
    index = node_index(ctx.cluster)
    loc = finding.location
    for t in targets(config):
        where = t.directive.where
        label = t.address.label()
        if (where.path, where.line) != (loc.path, loc.line):
            continue
        if not finding.message.startswith(f"{label}:"):
            continue
        known = index.get(t.address.host)
        if known is None or pass_through_ports(known.node) is not None:
            return None  # integrator nodes and unknown hosts: left to a person
        ports = served_ports(known.node)
        port = t.address.port
        if ports is None or port is None:
            return None
        offset = ports[0] - 9763
        https = t.scheme == "https" or (
            t.scheme is None and port in (8243 + offset, 8243, 443, 9443)
        )
        return t.address.host, port, ports[1] if https else ports[0]
    return None


@producer("EDG002")
def fix_upstream_port(finding: Finding, ctx: FixContext) -> Fix | None:
    """Point a backend at the servlet port the node serves (its offset included)."""
    expected = _expected_port(finding, ctx)
    loc = finding.location
    found = None
    for name in ("server", "proxy_pass"):
        found = found or _located(finding, ctx, name)
    if expected is None or found is None:
        return None
    host, wrong, right = expected
    path, ngx, d = found
    token = d.args[0] if d.args else None
    if token is None:
        return None
    raw = ngx.data[token.start : token.end]
    needle = host.encode() + f":{wrong}".encode()
    at = raw.lower().find(needle)
    if at < 0 or loc.path != path:
        return None
    start = token.start + at + len(host)
    edit = Edit(path, start, start + len(f":{wrong}"), f":{right}")
    return one(f"use port {right} (the node's servlet port with its offset)", edit)


def _listen_ports(ctx: FixContext) -> set[int]:
    config = ctx.cluster.nginx
    ports: set[int] = set()
    for _, d in walk(config.directives) if config else ():
        port = listen_port(d) if d.name == "listen" else None
        if port is not None:
            ports.add(port)
    return ports


@producer("EDG007")
@at_element("Connector")
def fix_proxy_port(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Set proxyPort on a servlet connector to the port nginx listens on."""
    tls = "HTTPS connector" in finding.message
    want = 443 if tls else 80
    if want not in _listen_ports(ctx):
        return None
    edit = attr_edit(path, doc, el, "proxyPort", str(want))
    return one(f'set proxyPort="{want}"', edit)


def _block_lines(ngx: NgxFile, d: NgxDirective) -> tuple[int, int]:
    """Return the span of a directive with its block, whole lines when alone."""
    start, stop = whole_lines(ngx.data, d.name.start, d.end)
    if start == d.name.start:
        return start, stop
    if ngx.data[stop : stop + 2].strip(b"\r") == b"\n":
        stop += 2 if ngx.data[stop : stop + 1] == b"\r" else 1  # its blank line
    return start, stop


def _body(ngx: NgxFile, d: NgxDirective) -> set[bytes]:
    return {ngx.data[c.name.start : c.end] for c in d.block or ()}


@producer("NGX001")
@at_directive("upstream")
def fix_duplicate_upstream(
    finding: Finding, ctx: FixContext, path: str, ngx: NgxFile, later: NgxDirective
) -> Fix | None:
    """Remove a later upstream block of the same name; safe when the first one
    already holds every directive of it, unsafe otherwise (its servers go)."""
    first = finding.related[0] if finding.related else None
    if first is None or first.path != finding.location.path:
        return None
    earlier = ngx.at(first.line or 0, "upstream")
    if earlier is None or earlier.block is None or later.block is None:
        return None
    start, end = _block_lines(ngx, later)
    covered = _body(ngx, later) <= _body(ngx, earlier)
    title = f"remove the second upstream {later.args[0].text if later.args else ''}"
    return one(title.strip(), Edit(path, start, end, ""), SAFE if covered else UNSAFE)


def _writer(ctx: FixContext) -> Node | None:
    writers = [
        n
        for n in ctx.cluster.nodes
        if (facts := registry(n)) is not None
        and any(i.writes for i in facts.mounted_instances())
    ]
    return writers[0] if len(writers) == 1 else None


def _address_of(ctx: FixContext, node: Node) -> str | None:
    index = node_index(ctx.cluster)
    hosts = [
        (k.source != "address", host) for host, k in index.items() if k.node is node
    ]
    return min(hosts)[1] if hosts else None


@producer("EDG005")
@at_directive("proxy_pass")
def fix_console_backend(
    finding: Finding, ctx: FixContext, path: str, ngx: NgxFile, d: NgxDirective
) -> Fix | None:
    """Send the console's proxy_pass to the registry writer (unsafe: a routing
    decision), at the writer's servlet port of the same kind."""
    writer = _writer(ctx)
    if writer is None:
        return None
    match = _URL.match(d.args[0].text) if d.args else None
    index = node_index(ctx.cluster)
    known = index.get(match.group(2).lower()) if match else None
    host = _address_of(ctx, writer)
    if match is None or known is None or host is None or not match.group(3):
        return None
    ports, wanted = served_ports(known.node), served_ports(writer)
    port = int(match.group(3))
    if ports is None or wanted is None or port not in ports:
        return None
    new_port = wanted[ports.index(port)]
    token = d.args[0]
    start = token.start + (1 if ngx.data[token.start] in b"\"'" else 0) + match.start(2)
    end = token.start + (1 if ngx.data[token.start] in b"\"'" else 0) + match.end(3)
    edit = Edit(path, start, end, f"{host}:{new_port}")
    return one(f"proxy the console to {writer.name} ({host}:{new_port})", edit, UNSAFE)


def _upstream_at(ctx: FixContext, finding: Finding) -> Upstream | None:
    config = ctx.cluster.nginx
    loc = finding.location
    for up in upstreams(config) if config else ():
        where = up.directive.where
        if (where.path, where.line) == (loc.path, loc.line):
            return up
    return None


def _server_for(ctx: FixContext, up: Upstream, node: Node) -> str | None:
    """Return ``host:port`` for ``node`` in ``up``: its address, and the servlet
    port of the kind (HTTP or HTTPS) the upstream's other nodes are on."""
    index = node_index(ctx.cluster)
    address = node_addresses(index).get(node.name)
    wanted = served_ports(node)
    for server in up.servers:
        known = index.get(server.address.host) if server.address else None
        ports = served_ports(known.node) if known else None
        port = server.address.port if server.address else None
        if ports is not None and port in ports and wanted and address:
            return f"{address}:{wanted[ports.index(port)]}"
    return None


@producer("EDG003")
@at_directive("upstream")
def fix_missing_server(
    finding: Finding, ctx: FixContext, path: str, ngx: NgxFile, d: NgxDirective
) -> Fix | None:
    """Add a server line for the node left out, after the upstream's last one."""
    up = _upstream_at(ctx, finding)
    related = finding.related[0] if finding.related else None
    named = _NODE_NAMED.match(finding.message)
    # The node's own setting is the related place; a manifest address has none.
    name = related.node if related is not None else named and named.group(1)
    node = ctx.node(name or None)
    servers = [c for c in d.block or () if c.name.text == "server"]
    if up is None or node is None or not servers:
        return None
    target = _server_for(ctx, up, node)
    last = servers[-1]
    if target is None or ngx.data[last.end : last.end + 1] not in (b"\n", b"\r"):
        return None
    line_end = ngx.data.find(b"\n", last.end) + 1
    indent = ngx.indent_of(last.name.start)
    edit = Edit(path, line_end, line_end, f"{indent}server {target};{ngx.newline}")
    return one(f"add server {target} ({node.name})", edit)
