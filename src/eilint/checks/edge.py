"""EDG: the nginx load balancer against the nodes behind it (see rules/edge.yaml)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from eilint.checks import edge_ei
from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.carbon import HTTP_PORT
from eilint.model.carbon import HTTPS_PORT
from eilint.model.carbon import offset_location
from eilint.model.carbon import pass_through_ports
from eilint.model.carbon import port_offset
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.edge import KnownAddress
from eilint.model.edge import Target
from eilint.model.edge import address_unknowable
from eilint.model.edge import console_upstreams
from eilint.model.edge import is_loopback
from eilint.model.edge import node_addresses
from eilint.model.edge import node_index
from eilint.model.edge import targets
from eilint.model.nginx import upstreams

# The integrator profile's pass-through (Synapse) transports; the
# business-process profile's axis2.xml has them commented out.
PASS_THROUGH = (8280, 8243)
MAX_LISTED = 4


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _where_known(known: KnownAddress) -> tuple[Location, ...]:
    return () if known.where is None else (known.where,)


def _resolved_upstreams(
    ts: tuple[Target, ...], index: dict[str, KnownAddress]
) -> set[str]:
    """Return the upstreams holding at least one node: the cluster's upstreams."""
    return {t.upstream for t in ts if t.upstream and t.address.host in index}


def upstream_server_not_a_node(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag upstream servers whose address is no node of the cluster."""
    if cluster.nginx is None:
        return
    index = node_index(cluster)
    if not index or any(address_unknowable(n) for n in cluster.nodes):
        return  # a server may be the node whose address nothing tells
    addresses = node_addresses(index)
    known = _listed([f"{n} {a}" for n, a in addresses.items()])
    unknown = [n.name for n in cluster.nodes if n.name not in addresses]
    if unknown:
        # Say so: a node without a usable address (localMemberHost localhost)
        # may well be the server flagged here.
        known += f"; no usable address for {_listed(unknown)}"
    # Where the nodes' addresses come from: the settings to compare the server with.
    related = tuple(k.where for k in index.values() if k.where is not None)
    for t in targets(cluster.nginx):
        host = t.address.host
        if t.upstream and host not in index and not is_loopback(host):
            message = (
                f'upstream "{t.upstream}" server {t.address.label()} is no node '
                f"of this cluster (nodes: {known})"
            )
            yield Hit(message, t.directive.where, related[:MAX_LISTED])


# (HTTP port, HTTPS port, offset, base HTTP, base HTTPS, transport name)
Served = tuple[int, int, int, int, int, str]


def _served(node: Node) -> Served | None:
    offset = port_offset(node)
    if offset is None or offset.placeholder:
        return None
    # An integrator node serves its pass-through ports; business-process the
    # servlet ones. Both shift by the node's offset.
    integrator = pass_through_ports(node)
    base, name = ((HTTP_PORT, HTTPS_PORT), "servlet")
    if integrator is not None:
        base, name = integrator, "pass-through"
    n = offset.value
    return base[0] + n, base[1] + n, n, base[0], base[1], name


def _accepts(served: Served, port: int | None) -> bool:
    """Return True when a node serves ``port`` (integrators: servlet ports too)."""
    if port in served[:2]:
        return True
    # An integrator node also runs the servlet transports (its console, admin
    # services); only its service traffic is on the pass-through ports.
    offset = served[2]
    return served[5] == "pass-through" and port in (
        HTTP_PORT + offset,
        HTTPS_PORT + offset,
    )


def _expected(t: Target, served: Served) -> str:
    http, https, offset, base_http, base_https, name = served
    wants_https = t.scheme == "https" or (
        t.scheme is None and t.address.port in (8243 + offset, 8243, 443, 9443)
    )
    if wants_https:
        return f"{https} ({name} HTTPS {base_https} + offset {offset})"
    return f"{http} ({name} HTTP {base_http} + offset {offset})"


def _port_hit(
    t: Target, who: str, served: Served, related: tuple[Location, ...]
) -> Hit:
    port = t.address.port
    offset = served[2]
    servlet = served[5] == "servlet"
    if servlet and (port in PASS_THROUGH or port in {p + offset for p in PASS_THROUGH}):
        why = (
            f"port {port} is the integrator profile's pass-through port, which the "
            "business-process profile does not serve"
        )
    else:
        why = f"port {port} is not a port {who} serves"
    message = f"{t.address.label()}: {why}; expected {_expected(t, served)} for {who}"
    return Hit(message, t.directive.where, related)


def _cluster_ports(
    cluster: Cluster,
) -> tuple[Served, tuple[Location, ...]] | None:
    """Return the ports every node serves when all nodes agree, else None."""
    pairs = {(n.name, _served(n)) for n in cluster.nodes}
    values = {p for _, p in pairs}
    if len(values) != 1 or None in values:
        return None
    where = tuple(w for n in cluster.nodes if (w := offset_location(n)) is not None)
    return values.pop(), where[:MAX_LISTED]  # type: ignore[return-value]


def upstream_port_not_served(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag backends on a port the node's business-process profile does not serve."""
    if cluster.nginx is None:
        return
    index = node_index(cluster)
    ts = targets(cluster.nginx)
    ours = _resolved_upstreams(ts, index)
    common = _cluster_ports(cluster)
    for t in ts:
        known = index.get(t.address.host)
        if known is not None:
            served = _served(known.node)
            if served is not None and not _accepts(served, t.address.port):
                where = offset_location(known.node)
                related = () if where is None else (where,)
                yield _port_hit(t, known.node.name, served, related)
        elif t.upstream in ours and common and not _accepts(common[0], t.address.port):
            # Not a known node, but in an upstream with nodes: judge by the port
            # all nodes share.
            yield _port_hit(t, "the cluster's nodes", common[0], common[1])


def node_missing_from_upstream(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag nodes left out of an upstream that balances over the cluster."""
    if cluster.nginx is None:
        return
    index = node_index(cluster)
    ts = targets(cluster.nginx)
    members: dict[str, set[str]] = {}
    for t in ts:
        if t.upstream and t.address.host in index:
            members.setdefault(t.upstream, set()).add(index[t.address.host].node.name)
    firsts: dict[str, KnownAddress] = {}
    for known in index.values():
        firsts.setdefault(known.node.name, known)
    addresses = node_addresses(index)
    # The console goes to the registry writer alone (EDG005), not to every node.
    console = console_upstreams(cluster, cluster.nginx)
    for up in upstreams(cluster.nginx):
        present = members.get(up.name)
        if not present or up.name.lower() in console:
            continue
        for name, known in sorted(firsts.items()):
            if name not in present:
                address = addresses[name]
                message = (
                    f'node {name} ({address}) is not in upstream "{up.name}": '
                    "it never receives this traffic"
                )
                yield Hit(message, up.directive.where, _where_known(known))


def upstream_loopback(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag backends on localhost: the load balancer reaches itself, not a node."""
    if cluster.nginx is None:
        return
    for t in targets(cluster.nginx):
        if is_loopback(t.address.host):
            message = (
                f"nginx proxies to {t.address.label()}, its own host; "
                "use each node's cluster address"
            )
            yield Hit(message, t.directive.where)


def proxy_pass_target_unknown(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag proxy_pass hosts that name neither an upstream nor a node."""
    if cluster.nginx is None:
        return
    index = node_index(cluster)
    unknowable = any(address_unknowable(n) for n in cluster.nodes)
    names = sorted(u.name for u in upstreams(cluster.nginx))
    for t in targets(cluster.nginx):
        host = t.address.host
        if t.upstream or host in index or is_loopback(host):
            continue
        if _is_ip(host) and (not index or unknowable):
            continue  # an address, and not every node's address to compare it with
        defined = _listed(names) if names else "none"
        message = (
            f"proxy_pass target {host} is no upstream (defined: {defined}) "
            "and no node of this cluster"
        )
        yield Hit(message, t.directive.where)


CHECKS: dict[str, Check] = {
    "EDG001": upstream_server_not_a_node,
    "EDG002": upstream_port_not_served,
    "EDG003": node_missing_from_upstream,
    "EDG004": upstream_loopback,
    "EDG006": proxy_pass_target_unknown,
    **edge_ei.CHECKS,
}
