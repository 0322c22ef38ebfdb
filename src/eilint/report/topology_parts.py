"""What each part of the cluster adds to the topology graph (see topology.py)."""

from __future__ import annotations

from collections import defaultdict

from eilint.checks.datasources_shared import ROLE_NAMES
from eilint.model.carbon import HTTP_PORT
from eilint.model.carbon import HTTPS_PORT
from eilint.model.carbon import pass_through_ports
from eilint.model.carbon import port_offset
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.clustering import Membership
from eilint.model.clustering import expand_host
from eilint.model.clustering import membership
from eilint.model.datasources import Datasource
from eilint.model.datasources import by_jndi
from eilint.model.datasources import datasource_refs
from eilint.model.datasources import datasources
from eilint.model.edge import KnownAddress
from eilint.model.edge import node_index
from eilint.model.jdbc import parse_jdbc_url
from eilint.model.nginx import Address
from eilint.model.nginx import Directive
from eilint.model.nginx import NginxConfig
from eilint.model.nginx import enclosing_server
from eilint.model.nginx import proxy_passes
from eilint.model.nginx import server_names
from eilint.model.nginx import servers
from eilint.model.nginx import upstreams
from eilint.model.registry import registry
from eilint.model.values import Setting
from eilint.report.topology import Element
from eilint.report.topology import Span
from eilint.report.topology import _Builder
from eilint.report.topology import directive_span
from eilint.report.topology import jdbc_shown
from eilint.report.topology import last_line
from eilint.report.topology import line_span
from eilint.report.topology import node_id
from eilint.report.topology import shown

# --- EI nodes ---------------------------------------------------------------


def add_nodes(b: _Builder, cluster: Cluster) -> None:
    """Add one element per EI node with what an operator draws next to it."""
    for node in cluster.nodes:
        m = membership(node)
        registry_line, writer = _registry(node)
        lines = (_address(node, m), _member(m), _ports(node), registry_line)
        marks = ("writer",) if writer else ()
        b.element(
            Element(node_id(node), "node", node.name, (*lines, *_engine(node)), marks)
        )


def _address(node: Node, m: Membership | None) -> str:
    host = node.address or (m.host.value if m is not None and m.host else None)
    return f"address {shown(host)}" if host else "address unknown"


def _member(m: Membership | None) -> str:
    if m is None:
        return "clustering off"
    port = m.port.value if m.port.value is not None else m.port.raw.strip() or "?"
    return f"member port {shown(str(port))} ({shown(m.scheme.value)})"


def _ports(node: Node) -> str:
    offset = port_offset(node)
    if offset is None:
        return "ports unknown (no carbon.xml)"
    n = offset.value
    integrator = pass_through_ports(node)
    if integrator is not None:
        http, https = integrator
        return f"pass-through {http + n}/{https + n} (offset {n})"
    return f"HTTP/HTTPS {HTTP_PORT + n}/{HTTPS_PORT + n} (offset {n})"


def _engine(node: Node) -> list[str]:
    from eilint.model.bps import bps_facts
    from eilint.model.bps import task_server_facts

    facts = bps_facts(node)
    if facts is None:
        node_line = "NodeId unknown (no bps.xml)"
    elif facts.node_id is None:
        node_line = "NodeId blank (random)"
    else:
        node_line = f"NodeId {shown(facts.node_id.value.strip())}"
    tasks = task_server_facts(node)
    mode = "taskServerMode unknown" if tasks is None else f"taskServerMode {tasks.mode}"
    return [node_line, mode]


def _registry(node: Node) -> tuple[str, bool]:
    facts = registry(node)
    if facts is None:
        return "registry unknown (no registry.xml)", False
    mounted = facts.mounted_instances()
    if not mounted:
        return "registry local only (no mount)", False
    if any(i.writes for i in mounted):
        return "registry mount READ-WRITE", True
    return "registry mount read-only", False


# --- nginx ------------------------------------------------------------------


def _listen(server: Directive) -> str:
    return ", ".join(" ".join(d.args) for d in server.children("listen")) or "80"


def _vhost_ids(config: NginxConfig) -> dict[int, str]:
    """Name each server block by its server_name and listen (path:line if repeated)."""
    named: dict[str, list[Directive]] = defaultdict(list)
    for server in servers(config):
        names = ",".join(server_names(server)) or "_"
        named[f"vhost:{names} {_listen(server)}"].append(server)
    ids: dict[int, str] = {}
    for key, group in named.items():
        for server in group:
            suffix = f"@{server.where.label()}" if len(group) > 1 else ""
            ids[id(server)] = key + suffix
    return ids


def add_nginx(b: _Builder, cluster: Cluster) -> None:
    """Add vhosts, upstreams and the node ports nginx sends requests to."""
    config = cluster.nginx
    if config is None:
        return
    index = node_index(cluster)
    vhosts = _vhost_ids(config)
    for server in servers(config):
        names = ", ".join(server_names(server)) or "(default server)"
        lines = (f"listen {shown(_listen(server))}", shown(server.where.label()))
        b.element(
            Element(
                vhosts[id(server)],
                "vhost",
                shown(names),
                lines,
                spans=(directive_span(server),),
            )
        )
    ups = _add_upstreams(b, cluster, config, index)
    for proxy in proxy_passes(config):
        site = enclosing_server(proxy.ancestors)
        if site is None or id(site) not in vhosts:
            continue
        location = next(
            (a for a in reversed(proxy.ancestors) if a.name == "location"), None
        )
        path = " ".join(location.args) if location is not None else "/"
        label = shown(f"{path} {proxy.scheme}")
        target = ups.get(proxy.address.host)
        if target is None:
            port = proxy.address.port or (443 if proxy.scheme == "https" else 80)
            target = _backend(b, index, Address(proxy.address.host, port))
        b.edge(
            "proxy",
            vhosts[id(site)],
            target,
            label,
            (line_span(proxy.directive.where),),
        )


def _add_upstreams(
    b: _Builder, cluster: Cluster, config: NginxConfig, index: dict[str, KnownAddress]
) -> dict[str, str]:
    ids: dict[str, str] = {}
    seen: dict[str, int] = defaultdict(int)
    for up in upstreams(config):
        key = up.name.lower()
        seen[key] += 1
        up_id = (
            f"upstream:{key}"
            if seen[key] == 1
            else f"upstream:{key}@{up.directive.where.label()}"
        )
        ids.setdefault(key, up_id)
        balancing = " ".join(" ".join((d.name, *d.args)) for d in up.balancing)
        lines = (
            f"balancing {shown(balancing or 'round-robin')}",
            shown(up.directive.where.label()),
        )
        b.element(
            Element(
                up_id,
                "upstream",
                shown(up.name),
                lines,
                spans=(directive_span(up.directive),),
            )
        )
        for server in up.servers:
            if server.address is None:
                continue
            target = _backend(b, index, server.address)
            b.edge(
                "server",
                up_id,
                target,
                _port_label(cluster, target, server.address.port),
                (line_span(server.directive.where),),
            )
    return ids


def _backend(b: _Builder, index: dict[str, KnownAddress], address: Address) -> str:
    """Return the node an address stands for, else add an element for the stranger."""
    known = index.get(address.host)
    if known is not None:
        return node_id(known.node)
    label = address.label()
    return b.element(
        Element(
            f"target:{label}",
            "target",
            shown(label),
            ("no EI node has this address",),
            ("unknown",),
        )
    )


def _port_label(cluster: Cluster, target: str, port: int | None) -> str:
    """Render ``:9445 = 9443 + offset 2`` (or what the node serves instead)."""
    if port is None:
        return ""
    node = next((n for n in cluster.nodes if node_id(n) == target), None)
    offset = None if node is None else port_offset(node)
    if node is None or offset is None:
        return f":{port}"
    n = offset.value
    bases = pass_through_ports(node) or (HTTP_PORT, HTTPS_PORT)
    for base in (*bases, HTTP_PORT, HTTPS_PORT):
        if port == base + n:
            return f":{port} = {base} + offset {n}"
    return f":{port} (node serves {bases[0] + n}/{bases[1] + n})"


# --- databases --------------------------------------------------------------


def add_databases(b: _Builder, cluster: Cluster) -> None:
    """Add each database (by what its JDBC URL reaches) and the datasources there."""
    users: dict[str, set[str]] = defaultdict(set)
    urls: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, str] = {}
    for node in cluster.nodes:
        roles = _roles(node)
        for ds in datasources(node):
            setting = ds.get("url")
            if setting is None or not setting.raw.strip():
                continue
            db, kinds[db] = _database(node, setting)
            users[db].add(node.name)
            urls[db].add(jdbc_shown(setting.raw))
            used_for = roles.get(id(ds))
            label = ds.label + (f" ({', '.join(used_for)})" if used_for else "")
            span = Span(ds.where.path, ds.where.line or 0, last_line_of(ds))
            b.edge("datasource", node_id(node), db, label, (span,))
    for db, names in users.items():
        b.element(_database_element(db, kinds[db], sorted(names), sorted(urls[db])))


def _database_element(db: str, kind: str, names: list[str], urls: list[str]) -> Element:
    notes = tuple(f"url {url}" for url in urls)
    if kind == "server" and len(names) > 1:
        line, mark = f"shared by {len(names)} nodes", "shared"
    elif kind == "server":
        line, mark = f"used by {names[0]} only", "local"
    else:
        line, mark = DB_KINDS[kind].format(node=names[0]), kind
    title = db.split("|", 1)[-1].removeprefix("db:")
    return Element(db, "db", title, (line,), (mark,), notes=notes)


# How a database that no other node can share is described.
DB_KINDS = {
    "loopback": "on {node}'s own host (a loopback address)",
    "embedded": "embedded in {node} (H2 file or memory)",
    "placeholder": "a placeholder, resolved at start-up",
    "unreadable": "URL not understood",
}


def _database(node: Node, url: Setting[str]) -> tuple[str, str]:
    """Return the database's id and kind (server, loopback, embedded, ...)."""
    raw = url.raw.strip()
    if url.placeholder:
        # Every node that writes the same placeholder gets the same box.
        return f"db:{jdbc_shown(raw)}", "placeholder"
    parsed = parse_jdbc_url(raw)
    identity = None if parsed is None else parsed.identity
    if parsed is not None and parsed.embedded:
        return f"{node.name}|db:{jdbc_shown(raw)}", "embedded"
    if parsed is None or identity is None:
        return f"{node.name}|db:{jdbc_shown(raw)}", "unreadable"
    family, hosts, database = identity
    where = ",".join(h if p is None else f"{h}:{p}" for h, p in hosts)
    db = f"db:{family}://{where}/{database}"
    if parsed.local:
        # localhost on each node is that node's own server: never shared.
        return f"{node.name}|{db}", "loopback"
    return db, "server"


def last_line_of(ds: Datasource) -> int:
    """Return the last line of a datasource's element."""
    return max([ds.where.line or 0, *(last_line(e) for e in ds.config_elements)])


def _roles(node: Node) -> dict[int, list[str]]:
    """Map each referenced datasource (by object id) to what it is used for."""
    table = by_jndi(node)
    roles: dict[int, list[str]] = defaultdict(list)
    for ref in datasource_refs(node):
        ds = table.get(ref.name.strip())
        name = ROLE_NAMES.get(ref.role, ref.role)
        if ds is not None and name not in roles[id(ds)]:
            roles[id(ds)].append(name)
    return roles


# --- WKA membership ---------------------------------------------------------


def add_wka(b: _Builder, cluster: Cluster) -> None:
    """Add an edge from each wka node to every node its member list reaches.

    Nodes that all list each other and nothing else (a full mesh of three or
    more) share one "WKA group" box instead: 50 nodes would draw 2,450 arrows.
    """
    links = _wka_links(b, cluster)
    keys = {source: frozenset({source, *targets}) for source, targets in links.items()}
    for source, targets in sorted(links.items()):
        group = keys[source]
        mesh = len(group) >= 3 and all(keys.get(n) == group for n in group)
        if mesh:
            hub = _wka_group(b, group)
            spans = [span for found in targets.values() for span in found]
            b.edge("wka", source, hub, f"lists all {len(group) - 1}", spans)
            continue
        for target, spans in targets.items():
            b.edge("wka", source, target, "wka", spans)


def _wka_group(b: _Builder, group: frozenset[str]) -> str:
    names = sorted(n.removeprefix("node:") for n in group)
    title = f"WKA group of {len(names)} nodes"
    lines = (f"{names[0]} .. {names[-1]}", "each lists every other")
    return b.element(
        Element(f"wka:{names[0]} +{len(names) - 1}", "wkagroup", title, lines)
    )


def _wka_links(b: _Builder, cluster: Cluster) -> dict[str, dict[str, list[Span]]]:
    """Map each wka node to what its members reach (nodes, else unknown members)."""
    from eilint.checks.clustering_base import Clustered
    from eilint.checks.clustering_base import clustered

    nodes = clustered(cluster)
    hosts: dict[str, list[Clustered]] = defaultdict(list)
    for c in nodes:
        if c.host is not None:
            hosts[c.host.value].append(c)
    links: dict[str, dict[str, list[Span]]] = {}
    for c in nodes:
        if c.m.scheme.value != "wka":
            continue
        mine = links.setdefault(b.element_id(node_id(c.node)), defaultdict(list))
        for member in c.m.members:
            if member.host.startswith("$"):
                continue
            reached = [
                o
                for h in expand_host(member.host)
                for o in hosts.get(h, ())
                if member.port in (None, o.m.port.value)
            ]
            span = line_span(member.where)
            for other in reached:
                if other.node is not c.node:
                    mine[b.element_id(node_id(other.node))].append(span)
            if not reached:
                label = member.label()
                target = b.element(
                    Element(
                        f"member:{label}",
                        "member",
                        label,
                        ("WKA member: no node here",),
                        ("unknown",),
                    )
                )
                mine[target].append(span)
    return links
