"""Where the load balancer meets the nodes: node addresses and nginx's targets."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from weakref import WeakKeyDictionary

from msgspec import Struct

from eilint.findings import Location
from eilint.model.carbon import HTTP_PORT
from eilint.model.carbon import HTTPS_PORT
from eilint.model.carbon import host_name
from eilint.model.carbon import mgt_host_name
from eilint.model.carbon import pass_through_ports
from eilint.model.carbon import port_offset
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.clustering import clustering
from eilint.model.nginx import Address
from eilint.model.nginx import Directive
from eilint.model.nginx import NginxConfig
from eilint.model.nginx import ProxyPass
from eilint.model.nginx import enclosing_server
from eilint.model.nginx import parse_address
from eilint.model.nginx import proxy_passes
from eilint.model.nginx import server_names
from eilint.model.nginx import servers
from eilint.model.nginx import upstreams
from eilint.model.values import is_placeholder

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
# Host name labels operators give the management console's virtual host.
_CARBON_NAMES = frozenset({"HostName", "MgtHostName"})
CONSOLE_LABELS = ("mgt", "ui", "console", "management", "admin", "carbon")


class KnownAddress(Struct, frozen=True):
    """A node reachable at an address, and the setting that says so."""

    node: Node
    source: str  # "address", "localMemberHost", "HostName" or "MgtHostName"
    where: Location | None


class Target(Struct, frozen=True):
    """A backend nginx sends requests to: an upstream server or a direct proxy_pass.

    ``scheme`` is how nginx talks to it (None when no proxy_pass says);
    ``upstream`` is the upstream's name for servers of an upstream block.
    """

    address: Address
    directive: Directive
    scheme: str | None
    upstream: str | None


def is_loopback(host: str) -> bool:
    """Return True for localhost names and loopback or wildcard IPs."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def _candidates(node: Node) -> Iterator[tuple[str, str, Location | None]]:
    if node.address:
        parsed = parse_address(node.address.strip())
        if parsed is not None:
            yield parsed.host, "address", None
    facts = clustering(node)
    member = facts.param("localMemberHost") if facts else None
    if member is not None and member.value.strip():
        yield member.value.strip().lower(), "localMemberHost", member.where
    for label, setting in (
        ("HostName", host_name(node)),
        ("MgtHostName", mgt_host_name(node)),
    ):
        if setting is not None and not setting.placeholder:
            yield setting.value.lower(), label, setting.where


def address_unknowable(node: Node) -> bool:
    """Say whether nothing eilint was given tells the node's address.

    No manifest ``address``, and axis2.xml absent or its localMemberHost left
    to a placeholder: any address the cluster names may be this node's, so no
    rule may call one "no node of this cluster". (A loopback localMemberHost
    is known to be unusable instead: the rules say so in their message.)
    """
    if node.address:
        return False
    facts = clustering(node)
    if facts is None:
        return True
    member = facts.param("localMemberHost")
    return member is not None and is_placeholder(member.raw)


def node_ports(node: Node) -> frozenset[int] | None:
    """Return every HTTP(S) port the node serves (offset applied), None if unknown.

    The servlet ports 9763/9443 always; an integrator node (active pass-through
    listener) its pass-through ports too.
    """
    offset = port_offset(node)
    if offset is None or offset.placeholder:
        return None
    bases = {HTTP_PORT, HTTPS_PORT, *(pass_through_ports(node) or ())}
    return frozenset(b + offset.value for b in bases)


def _claims(cluster: Cluster) -> dict[str, list[KnownAddress]]:
    owners: dict[str, list[KnownAddress]] = {}
    for node in cluster.nodes:
        for host, source, where in _candidates(node):
            if is_loopback(host) or "$" in host or is_placeholder(host):
                continue
            claims = owners.setdefault(host, [])
            if all(k.node is not node for k in claims):
                claims.append(KnownAddress(node, source, where))
    # The guide sets HostName to the load balancer's name on every node: a
    # name several nodes give only in carbon.xml is no node's address.
    return {
        host: claims
        for host, claims in owners.items()
        if len(claims) == 1 or any(k.source not in _CARBON_NAMES for k in claims)
    }


def node_index(cluster: Cluster) -> dict[str, KnownAddress]:
    """Map each address that identifies exactly one node to that node."""
    return {h: c[0] for h, c in _claims(cluster).items() if len(c) == 1}


def node_addresses(index: dict[str, KnownAddress]) -> dict[str, str]:
    """Return one address per node name (the first the index holds)."""
    found: dict[str, str] = {}
    for host, known in index.items():
        found.setdefault(known.node.name, host)
    return found


class EdgeFacts(Struct, frozen=True):
    """Who is who at the edge: node addresses and ports, and nginx's share of them.

    ``claims`` maps a host to the nodes known by it (several when nodes share a
    host and differ by port offset); ``ports`` the ports each node serves.
    ``upstreams`` (lowercase names) and ``servers`` (server-block locations) are
    the parts of nginx that route to the cluster: only they are judged by the
    load-balancer rules, so a shared load balancer's other sites are left alone.
    """

    claims: dict[str, list[KnownAddress]]
    ports: dict[str, frozenset[int] | None]
    targets: tuple[Target, ...]
    proxies: tuple[ProxyPass, ...]
    upstreams: frozenset[str]
    servers: frozenset[tuple[str, int | None]]


def locate(facts: EdgeFacts, address: Address) -> list[KnownAddress]:
    """Return the nodes an address may be: one when known, several when ambiguous.

    Nodes sharing a host are told apart by port (each serves its own offset).
    """
    claims = facts.claims.get(address.host, [])
    if len(claims) < 2:
        return claims
    serving = [k for k in claims if address.port in (facts.ports[k.node.name] or ())]
    return serving or claims


def unplaced(facts: EdgeFacts, cluster: Cluster, host: str) -> list[str]:
    """Return the nodes a host may be unrecognised: no address of the host's kind.

    A DNS name in nginx cannot be compared with nodes known by IP only (eilint
    resolves no names), nor an IP with nodes known by name only.
    """
    ip = is_ip(host)
    kinds: dict[str, set[bool]] = {n.name: set() for n in cluster.nodes}
    for claimed, known in facts.claims.items():
        for k in known:
            kinds[k.node.name].add(is_ip(claimed))
    return [name for name, seen in kinds.items() if ip not in seen]


def is_ip(host: str) -> bool:
    """Return True for an IPv4 or IPv6 address (not a name)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


_CACHE: WeakKeyDictionary[Cluster, EdgeFacts] = WeakKeyDictionary()


def edge_facts(cluster: Cluster) -> EdgeFacts | None:
    """Return the edge facts of a cluster with nginx (computed once per cluster)."""
    if cluster.nginx is None:
        return None
    facts = _CACHE.get(cluster)
    if facts is None:
        facts = _CACHE[cluster] = _facts(cluster)
    return facts


def _facts(cluster: Cluster) -> EdgeFacts:
    claims = _claims(cluster)
    ports = {n.name: node_ports(n) for n in cluster.nodes}
    config = cluster.nginx
    ts = targets(config) if config is not None else ()
    proxies = proxy_passes(config) if config is not None else ()
    base = EdgeFacts(claims, ports, ts, proxies, frozenset(), frozenset())
    if config is None:
        return base
    ours = _cluster_upstreams(base, cluster)
    servers_ = _cluster_servers(base, cluster, config, ours)
    return EdgeFacts(claims, ports, ts, proxies, frozenset(ours), frozenset(servers_))


def _routes_to_cluster(facts: EdgeFacts, cluster: Cluster, address: Address) -> bool:
    """Return True when nginx sending to ``address`` reaches (or may reach) a node."""
    if locate(facts, address):
        return True
    # Not recognised by host: still the cluster's when the port is a node's port
    # and the host may be a node eilint cannot recognise (a name, a node without
    # an address).
    served = {p for ps in facts.ports.values() if ps for p in ps}
    return address.port in served and bool(unplaced(facts, cluster, address.host))


def _cluster_upstreams(facts: EdgeFacts, cluster: Cluster) -> set[str]:
    return {
        t.upstream.lower()
        for t in facts.targets
        if t.upstream and _routes_to_cluster(facts, cluster, t.address)
    }


def _cluster_names(cluster: Cluster) -> set[str]:
    names = set()
    for node in cluster.nodes:
        for setting in (host_name(node), mgt_host_name(node)):
            if setting is not None and not setting.placeholder:
                names.add(setting.value.lower())
    return names


def server_key(server: Directive) -> tuple[str, int | None]:
    """Return a server block's identity (its file and line)."""
    return server.where.path, server.where.line


def _cluster_servers(
    facts: EdgeFacts, cluster: Cluster, config: NginxConfig, ours: set[str]
) -> set[tuple[str, int | None]]:
    found = set()
    names = _cluster_names(cluster)
    for server in servers(config):
        if names & set(server_names(server)):
            found.add(server_key(server))
    for proxy in proxy_passes(config):
        site = enclosing_server(proxy.ancestors)
        if site is None:
            continue
        direct = proxy.address.host not in ours and _routes_to_cluster(
            facts, cluster, with_default_port(proxy.address, proxy.scheme)
        )
        if proxy.address.host in ours or direct:
            found.add(server_key(site))
    return found


def with_default_port(address: Address, scheme: str | None) -> Address:
    """Return the address with the scheme's port when it names none."""
    default = 443 if scheme == "https" else 80
    return Address(address.host, address.port or default)


def in_cluster_server(facts: EdgeFacts, ancestors: tuple[Directive, ...]) -> bool:
    """Return True when the innermost server block routes to the cluster."""
    server = enclosing_server(ancestors)
    return server is not None and server_key(server) in facts.servers


def _upstream_schemes(config: NginxConfig) -> dict[str, str]:
    schemes: dict[str, str] = {}
    for proxy in proxy_passes(config):
        schemes.setdefault(proxy.address.host, proxy.scheme)
    return schemes


def targets(config: NginxConfig) -> tuple[Target, ...]:
    """Return every backend: servers of upstream blocks, then direct proxy_passes."""
    names = {u.name.lower() for u in upstreams(config)}
    schemes = _upstream_schemes(config)
    found = [
        Target(s.address, s.directive, schemes.get(u.name.lower()), u.name)
        for u in upstreams(config)
        for s in u.servers
        if s.address is not None
    ]
    for proxy in proxy_passes(config):
        if proxy.address.host in names:
            continue
        address = with_default_port(proxy.address, proxy.scheme)
        found.append(Target(address, proxy.directive, proxy.scheme, None))
    return tuple(found)


def is_console(server: Directive, mgt_names: set[str]) -> bool:
    """Return True for the management console's virtual host.

    Recognised by a server_name equal to a node's MgtHostName, a first label such
    as ``mgt``/``ui``/``console``, or a ``/carbon`` location.
    """
    names = server_names(server)
    if any(n in mgt_names for n in names):
        return True
    if any(n.split(".", 1)[0] in CONSOLE_LABELS for n in names):
        return True
    return any(
        loc.args and loc.args[-1].startswith("/carbon")
        for loc in server.children("location")
    )


def console_upstreams(cluster: Cluster, config: NginxConfig) -> set[str]:
    """Return the (lowercase) upstream names only console virtual hosts proxy to."""
    mgt = {s.value.lower() for n in cluster.nodes if (s := mgt_host_name(n))}
    console: set[str] = set()
    other: set[str] = set()
    for proxy in proxy_passes(config):
        server = enclosing_server(proxy.ancestors)
        is_mgt = server is not None and is_console(server, mgt)
        (console if is_mgt else other).add(proxy.address.host)
    return console - other
