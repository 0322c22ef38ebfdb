"""EDG: the nginx load balancer against the nodes behind it (see rules/edge.yaml)."""

from __future__ import annotations

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
from eilint.model.edge import EdgeFacts
from eilint.model.edge import KnownAddress
from eilint.model.edge import Target
from eilint.model.edge import address_unknowable
from eilint.model.edge import console_upstreams
from eilint.model.edge import edge_facts
from eilint.model.edge import in_cluster_server
from eilint.model.edge import is_ip as _is_ip
from eilint.model.edge import is_loopback
from eilint.model.edge import locate
from eilint.model.edge import node_addresses
from eilint.model.edge import node_index
from eilint.model.edge import unplaced
from eilint.model.nginx import upstreams

# The integrator profile's pass-through (Synapse) transports; the
# business-process profile's axis2.xml has them commented out.
PASS_THROUGH = (8280, 8243)
MAX_LISTED = 4


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _where_known(known: KnownAddress) -> tuple[Location, ...]:
    return () if known.where is None else (known.where,)


def _in_scope(facts: EdgeFacts, t: Target) -> bool:
    """Return True for backends of the cluster's upstreams and server blocks."""
    if t.upstream is not None:
        return t.upstream.lower() in facts.upstreams
    # A direct proxy_pass: judged where its server block routes to the cluster.
    return any(
        in_cluster_server(facts, p.ancestors)
        for p in facts.proxies
        if p.directive is t.directive
    )


def _set_address_hint(names: list[str]) -> str:
    return (
        f"set `address:` for {_listed(names)} in eilint.yaml (the address nginx "
        "uses for the node) so eilint can tell which node this is"
    )


def upstream_server_not_a_node(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag servers of the cluster's upstreams whose address is no node of it."""
    facts = edge_facts(cluster)
    if facts is None or not facts.claims:
        return  # no node address known: nothing to compare with
    if any(address_unknowable(n) for n in cluster.nodes):
        # A node whose address nothing tells (its axis2.xml absent: EIL030; a
        # placeholder: DSR016) may be any server: that finding is the root cause.
        return
    addresses = node_addresses(node_index(cluster))
    known = _listed([f"{n} {a}" for n, a in addresses.items()])
    # Where the nodes' addresses come from: the settings to compare the server with.
    related = tuple(
        k.where for ks in facts.claims.values() for k in ks if k.where is not None
    )
    for t in facts.targets:
        host = t.address.host
        if not t.upstream or not _in_scope(facts, t) or is_loopback(host):
            continue
        if locate(facts, t.address):
            continue
        label = f'upstream "{t.upstream}" server {t.address.label()}'
        maybe = unplaced(facts, cluster, host)
        if maybe:
            kind = "IP address" if _is_ip(host) else "host name"
            message = (
                f"{label} matches no node: {_listed(maybe)} "
                f"{'has' if len(maybe) == 1 else 'have'} no {kind} eilint knows "
                f"(nodes: {known or 'none with an address'})"
            )
            yield Hit(message, t.directive.where, related[:MAX_LISTED],
                      hint=_set_address_hint(maybe))  # fmt: skip
            continue
        message = f"{label} is no node of this cluster (nodes: {known})"
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
    facts = edge_facts(cluster)
    if facts is None:
        return
    common = _cluster_ports(cluster)
    for t in facts.targets:
        if not _in_scope(facts, t):
            continue
        nodes = [k.node for k in locate(facts, t.address)]
        if nodes:
            hit = _node_port_hit(t, nodes)
            if hit is not None:
                yield hit
        elif t.upstream and common and not _accepts(common[0], t.address.port):
            # Not a known node, but in an upstream with nodes: judge by the port
            # all nodes share.
            yield _port_hit(t, "the cluster's nodes", common[0], common[1])


def _node_port_hit(t: Target, nodes: list[Node]) -> Hit | None:
    served = [(n, s) for n in nodes if (s := _served(n)) is not None]
    if not served or any(_accepts(s, t.address.port) for _, s in served):
        return None
    first = served[0][1]
    who = " or ".join(n.name for n, _ in served)
    related = tuple(w for n, _ in served if (w := offset_location(n)) is not None)
    return _port_hit(t, who, first, related)


def node_missing_from_upstream(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag nodes left out of an upstream that balances over the cluster."""
    facts = edge_facts(cluster)
    if facts is None or cluster.nginx is None:
        return
    members = _upstream_members(facts, cluster)
    firsts: dict[str, KnownAddress] = {}
    for claims in facts.claims.values():
        for known in claims:
            firsts.setdefault(known.node.name, known)
    # The console goes to the registry writer alone (EDG005), not to every node.
    console = console_upstreams(cluster, cluster.nginx)
    for up in upstreams(cluster.nginx):
        present = members.get(up.name)
        if not present or up.name.lower() in console:
            continue
        for name, known in sorted(firsts.items()):
            if name not in present:
                address = _node_label(facts, name)
                message = (
                    f'node {name} ({address}) is not in upstream "{up.name}": '
                    "it never receives this traffic"
                )
                yield Hit(message, up.directive.where, _where_known(known))


def _upstream_members(facts: EdgeFacts, cluster: Cluster) -> dict[str, set[str]]:
    """Map each upstream to the nodes its servers are, or may be.

    A server eilint cannot place (an IP while a node is known by name only, or
    the other way round) may be any node lacking an address of its kind: such
    a node is not reported missing from the upstream (EDG001 asks for its
    ``address:`` instead).
    """
    located: dict[str, set[str]] = {}
    maybe: dict[str, set[str]] = {}
    for t in facts.targets:
        if not t.upstream:
            continue
        found = locate(facts, t.address)
        if len(found) == 1:
            located.setdefault(t.upstream, set()).add(found[0].node.name)
        elif not found and not is_loopback(t.address.host):
            unknown = unplaced(facts, cluster, t.address.host)
            maybe.setdefault(t.upstream, set()).update(unknown)
    # Only upstreams with a recognised node balance over the cluster.
    return {up: names | maybe.get(up, set()) for up, names in located.items()}


def _node_label(facts: EdgeFacts, name: str) -> str:
    host, shared = next(
        (h, len(ks) > 1)
        for h, ks in facts.claims.items()
        if any(k.node.name == name for k in ks)
    )
    ports = facts.ports.get(name)
    if not shared or not ports:
        return host
    # Co-located nodes differ by port only: say which ports are this node's.
    return f"{host} ports {'/'.join(map(str, sorted(ports)))}"


def upstream_loopback(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag backends on localhost: the load balancer reaches itself, not a node."""
    facts = edge_facts(cluster)
    if facts is None:
        return
    ports = {p for ps in facts.ports.values() if ps for p in ps}
    for t in facts.targets:
        if not is_loopback(t.address.host):
            continue
        # Another site of a shared load balancer may well proxy to a local
        # service: only the cluster's parts and the nodes' ports are judged.
        if _in_scope(facts, t) or t.address.port in ports:
            message = (
                f"nginx proxies to {t.address.label()}, its own host; "
                "use each node's cluster address"
            )
            yield Hit(message, t.directive.where)


def proxy_pass_target_unknown(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag proxy_pass hosts of the cluster's sites naming no upstream and no node."""
    facts = edge_facts(cluster)
    if facts is None or cluster.nginx is None:
        return
    unknowable = any(address_unknowable(n) for n in cluster.nodes)
    names = sorted(u.name for u in upstreams(cluster.nginx))
    for t in facts.targets:
        host = t.address.host
        if t.upstream or locate(facts, t.address) or is_loopback(host):
            continue
        if not _in_scope(facts, t):
            continue
        maybe = unplaced(facts, cluster, host)
        if _is_ip(host) and (maybe or unknowable):
            continue  # an address that may be a node eilint cannot recognise
        defined = _listed(names) if names else "none"
        message = f"proxy_pass target {host} is no upstream (defined: {defined}) "
        if maybe:
            message += f"and matches no node ({_listed(maybe)}: no host name known)"
            yield Hit(message, t.directive.where, hint=_set_address_hint(maybe))
        else:
            message += "and no node of this cluster"
            yield Hit(message, t.directive.where)


CHECKS: dict[str, Check] = {
    "EDG001": upstream_server_not_a_node,
    "EDG002": upstream_port_not_served,
    "EDG003": node_missing_from_upstream,
    "EDG004": upstream_loopback,
    "EDG006": proxy_pass_target_unknown,
    **edge_ei.CHECKS,
}
