"""Where the load balancer meets the nodes: node addresses and nginx's targets."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from msgspec import Struct

from eilint.findings import Location
from eilint.model.carbon import host_name
from eilint.model.carbon import mgt_host_name
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.clustering import clustering
from eilint.model.nginx import Address
from eilint.model.nginx import Directive
from eilint.model.nginx import NginxConfig
from eilint.model.nginx import enclosing_server
from eilint.model.nginx import parse_address
from eilint.model.nginx import proxy_passes
from eilint.model.nginx import server_names
from eilint.model.nginx import upstreams
from eilint.model.values import is_placeholder

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
# Host name labels operators give the management console's virtual host.
CONSOLE_LABELS = ("mgt", "ui", "console", "management", "admin", "carbon")


class KnownAddress(Struct, frozen=True):
    """A node reachable at an address, and the setting that says so."""

    node: Node
    source: str  # "address", "localMemberHost" or "HostName"
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
    name = host_name(node)
    if name is not None and not name.placeholder:
        yield name.value.lower(), "HostName", name.where


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


def node_index(cluster: Cluster) -> dict[str, KnownAddress]:
    """Map each address that identifies exactly one node to that node.

    An address several nodes claim identifies none of them: the guide sets
    ``HostName`` to the load balancer's name on every node.
    """
    owners: dict[str, list[KnownAddress]] = {}
    for node in cluster.nodes:
        for host, source, where in _candidates(node):
            if is_loopback(host) or "$" in host or is_placeholder(host):
                continue
            claims = owners.setdefault(host, [])
            if all(k.node is not node for k in claims):
                claims.append(KnownAddress(node, source, where))
    return {host: claims[0] for host, claims in owners.items() if len(claims) == 1}


def node_addresses(index: dict[str, KnownAddress]) -> dict[str, str]:
    """Return one address per node name (the first the index holds)."""
    found: dict[str, str] = {}
    for host, known in index.items():
        found.setdefault(known.node.name, host)
    return found


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
        default = 443 if proxy.scheme == "https" else 80
        address = Address(proxy.address.host, proxy.address.port or default)
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
