"""EDG checks read on the EI side: console target, proxyPort, host names."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.carbon import host_name
from eilint.model.carbon import mgt_host_name
from eilint.model.carbon import port_offset
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.edge import EdgeFacts
from eilint.model.edge import Target
from eilint.model.edge import edge_facts
from eilint.model.edge import in_cluster_server
from eilint.model.edge import is_console
from eilint.model.edge import locate
from eilint.model.edge import server_key
from eilint.model.edge import with_default_port
from eilint.model.nginx import Address
from eilint.model.nginx import Directive
from eilint.model.nginx import NginxConfig
from eilint.model.nginx import enclosing_server
from eilint.model.nginx import listen_port
from eilint.model.nginx import server_names
from eilint.model.nginx import servers
from eilint.model.nginx import upstreams
from eilint.model.registry import registry
from eilint.model.values import Setting
from eilint.model.xml import XmlElement

CATALINA = "tomcat/catalina-server.xml"


def _registry_role(node: Node) -> tuple[bool, Location] | None:
    """Return (writes, where) for a node that mounts the shared registry."""
    facts = registry(node)
    mounted = facts.mounted_instances() if facts else ()
    if not mounted:
        return None
    inst = next((i for i in mounted if i.writes), mounted[0])
    where = inst.read_only.where if inst.read_only else inst.where
    return inst.writes, where


def _backends(config: NginxConfig) -> dict[str, list[Address]]:
    """Map each upstream name to its servers' addresses (the first block wins)."""
    found: dict[str, list[Address]] = {}
    for up in upstreams(config):
        found.setdefault(up.name.lower(), [s.address for s in up.servers if s.address])
    return found


def console_not_on_registry_writer(
    cluster: Cluster, opts: RuleOptions
) -> Iterator[Hit]:
    """Flag a console virtual host that proxies to a read-only registry node."""
    facts = edge_facts(cluster)
    if facts is None or cluster.nginx is None:
        return
    roles = {n.name: r for n in cluster.nodes if (r := _registry_role(n)) is not None}
    writers = sorted(name for name, (writes, _) in roles.items() if writes)
    if not writers:
        return  # REG001 reports a cluster without a writer
    mgt = {s.value.lower() for n in cluster.nodes if (s := mgt_host_name(n))}
    backends = _backends(cluster.nginx)
    for proxy in facts.proxies:
        server = enclosing_server(proxy.ancestors)
        if server is None or not is_console(server, mgt):
            continue
        direct = with_default_port(proxy.address, proxy.scheme)
        for address in backends.get(proxy.address.host, [direct]):
            found = locate(facts, address)
            # Only a backend that is one node for sure (co-located: by port).
            known = found[0] if len(found) == 1 else None
            role = roles.get(known.node.name) if known else None
            if known is None or role is None or role[0]:
                continue
            message = (
                f"the management console ({', '.join(server_names(server))}) is "
                f"proxied to {known.node.name} ({address.label()}), which mounts the "
                f"shared registry read-only; send it to {', '.join(writers)}, the "
                "read-write node"
            )
            related = (role[1], *(roles[w][1] for w in writers))
            yield Hit(message, proxy.directive.where, related)


def _listen_ports(server: Directive) -> set[int]:
    ports = (listen_port(listen) for listen in server.children("listen"))
    return {port for port in ports if port is not None}


def _reached(cluster: Cluster) -> dict[tuple[str, int], set[int]]:
    """Map (node, port) nginx proxies to, to the ports nginx listens on for it."""
    facts = edge_facts(cluster)
    if facts is None:
        return {}
    pools: dict[str, list[Target]] = {}
    for t in facts.targets:
        if t.upstream is not None:
            pools.setdefault(t.upstream.lower(), []).append(t)
    reached: dict[tuple[str, int], set[int]] = {}
    for proxy in facts.proxies:
        server = enclosing_server(proxy.ancestors)
        if server is None or not in_cluster_server(facts, proxy.ancestors):
            continue
        listens = _listen_ports(server)
        direct = [t for t in facts.targets if t.directive is proxy.directive]
        for t in pools.get(proxy.address.host, direct):
            for node in _nodes_at(facts, t):
                reached.setdefault((node, t.address.port or 0), set()).update(listens)
    return reached


def _nodes_at(facts: EdgeFacts, t: Target) -> list[str]:
    """Return the nodes a backend is (by address), or may be (by port alone)."""
    found = locate(facts, t.address)
    if found:
        return [k.node.name for k in found]
    return [n for n, ports in facts.ports.items() if ports and t.address.port in ports]


def _connectors(node: Node) -> Iterator[tuple[XmlElement, bool]]:
    doc = node.xml.get(CATALINA)
    if doc is None:
        return
    for conn in doc.root.findall("Service", "Connector"):
        port = (conn.attr("port") or "").strip()
        if port in ("9763", "9443"):
            yield conn, port == "9443"


def proxy_port_missing(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag connectors nginx proxies to without a proxyPort nginx listens on."""
    reached = _reached(cluster)
    for node in cluster.nodes:
        offset = port_offset(node)
        if offset is None or offset.placeholder:
            continue
        for conn, tls in _connectors(node):
            # Only a connector some upstream or proxy_pass targets is behind nginx.
            listens = reached.get((node.name, (9443 if tls else 9763) + offset.value))
            if listens:
                yield from _proxy_port_hits(conn, tls, listens)


def _proxy_port_hits(conn: XmlElement, tls: bool, listens: set[int]) -> Iterator[Hit]:
    kind, port = ("HTTPS", 9443) if tls else ("HTTP", 9763)
    usual = 443 if tls else 80
    want = usual if usual in listens or len(listens) != 1 else next(iter(listens))
    shown = ", ".join(str(p) for p in sorted(listens))
    raw = conn.attr("proxyPort")
    if raw is None:
        message = (
            f"{kind} connector (port {port}) has no proxyPort behind nginx: Carbon "
            f'builds redirects and URLs with its own port; set proxyPort="{want}"'
        )
        yield Hit(message, conn.where)
    elif raw.strip().isdigit() and int(raw) not in listens:
        message = (
            f"{kind} connector (port {port}) has proxyPort {raw.strip()}, but nginx "
            f"forwards to it from port {shown}; expected {want}"
        )
        yield Hit(message, conn.where)


def _name_matches(name: str, patterns: tuple[str, ...]) -> bool:
    # server_name wildcards: "*.example.com", "example.*" and ".example.com".
    for pattern in patterns:
        if pattern.startswith("."):
            if name == pattern[1:] or name.endswith(pattern):
                return True
        elif fnmatch.fnmatchcase(name, pattern):
            return True
    return False


def _lb_names(cluster: Cluster) -> tuple[tuple[str, ...], Location | None]:
    """Return the server_names of the sites routing to the cluster (and where)."""
    facts = edge_facts(cluster)
    if facts is None or cluster.nginx is None:
        return (), None
    names: list[str] = []
    first: Location | None = None
    for server in servers(cluster.nginx):
        if server_key(server) not in facts.servers:
            continue
        for directive in server.children("server_name"):
            first = first or directive.where
            names.extend(a.lower() for a in directive.args if not a.startswith("~"))
    return tuple(n for n in names if n not in ("_", '""', "")), first


def host_name_not_lb_name(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag carbon.xml HostName/MgtHostName that nginx serves under no server_name."""
    if cluster.nginx is None:
        return
    names, where = _lb_names(cluster)
    if not names:
        return
    related = () if where is None else (where,)
    shown = ", ".join(sorted(set(names)))
    for node in cluster.nodes:
        for label, setting in (
            ("HostName", host_name(node)),
            ("MgtHostName", mgt_host_name(node)),
        ):
            if setting is not None and _mismatch(setting, names):
                message = (
                    f"{label} {setting.value} is not a server_name of the load "
                    f"balancer ({shown}); URLs EI generates then bypass nginx"
                )
                yield Hit(message, setting.where, related)


def _mismatch(setting: Setting[str], names: tuple[str, ...]) -> bool:
    if setting.placeholder:
        return False
    return not _name_matches(setting.value.lower(), names)


CHECKS: dict[str, Check] = {
    "EDG005": console_not_on_registry_writer,
    "EDG007": proxy_port_missing,
    "EDG008": host_name_not_lb_name,
}
