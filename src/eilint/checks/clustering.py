"""CLU: Hazelcast clustering as Carbon runs it (axis2.xml, etc/hazelcast.xml).

Cross-node checks group nodes by a key (host, port, scheme, member set) in one
pass, so their cost grows with the size of the configuration, never with the
number of node pairs. WKA member rules live in ``clustering_wka``, the
properties-file rules in ``clustering_props``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from typing import cast

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.checks.clustering_base import Clustered
from eilint.checks.clustering_base import anchor
from eilint.checks.clustering_base import clustered
from eilint.checks.clustering_base import loopback_kind
from eilint.checks.clustering_base import names
from eilint.checks.clustering_base import static
from eilint.checks.clustering_props import CHECKS as PROPS_CHECKS
from eilint.checks.clustering_wka import CHECKS as WKA_CHECKS
from eilint.checks.clustering_wka import member_places
from eilint.checks.clustering_wka import port_fixes
from eilint.checks.clustering_wka import stand_ins
from eilint.checks.crossnode import MAX_RELATED
from eilint.checks.crossnode import Seen
from eilint.checks.crossnode import deviations
from eilint.checks.crossnode import duplicates
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.clustering import AXIS2
from eilint.model.clustering import HAZELCAST_AGENT
from eilint.model.clustering import HAZELCAST_XML
from eilint.model.clustering import ClusteringFacts
from eilint.model.clustering import clustering
from eilint.model.clustering import is_ip
from eilint.model.values import Setting

# Re-exported: other families and tests import these from here.
__all__ = ["CHECKS", "loopback_kind"]


def local_member_host_loopback(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a clustered node whose localMemberHost is loopback or a wildcard."""
    for c in static(cluster):
        host = c.m.host
        if host is None or host.placeholder:
            continue
        kind = loopback_kind(host.value)
        if kind is None:
            continue
        reach = (
            "other members cannot reach this node"
            if kind == "loopback"
            else "members are told an address no one can connect to"
        )
        what = "localMemberHost" if c.m.source == AXIS2 else "public-address"
        yield Hit(f"{what} is {host.value!r}, a {kind} address: {reach}", host.where)


def _enable_text(facts: ClusteringFacts | None) -> str:
    if facts is None:
        return "there is no <clustering> element"
    return f'clustering is off (enable="{facts.enabled.raw}")'


def clustering_not_enabled(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag nodes without clustering when others have it (or when none has)."""
    # A placeholder enable="{{ x }}" may be either: that node is left out.
    with_axis2 = [
        n
        for n in cluster.nodes
        if AXIS2 in n.xml and not ((f := clustering(n)) and f.enabled.placeholder)
    ]
    on = [n for n in with_axis2 if (f := clustering(n)) and f.enabled.value]
    on_ids = {id(n) for n in on}
    off = [n for n in with_axis2 if id(n) not in on_ids]
    if not off or (not on and len(with_axis2) < 2):
        return
    where = {id(n): _clustering_where(n) for n in (*on[:MAX_RELATED], *off)}
    for node in off:
        if on:
            tail = f"but enabled on {names([n.name for n in on])}: this node runs alone"
            others = on[:MAX_RELATED]
        else:
            tail = (
                f"on all {len(off)} linted nodes: none of them shares locks or caches"
            )
            others = [n for n in off[: MAX_RELATED + 1] if n is not node]
        message = f"{_enable_text(clustering(node))} {tail}"
        related = tuple(where[id(n)] for n in others[:MAX_RELATED])
        yield Hit(message, where[id(node)], related)


def _clustering_where(node: Node) -> Location:
    facts = clustering(node)
    return facts.enabled.where if facts else node.xml[AXIS2].root.where


def clustering_agent_unknown(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag an enabled clustering element whose class is not Carbon's agent."""
    for node in cluster.nodes:
        facts = clustering(node)
        if facts is None or not facts.enabled.value:
            continue
        agent = (facts.agent_class or "").strip()
        if agent != HAZELCAST_AGENT:
            shown = repr(agent) if agent else "missing"
            message = f"clustering class is {shown}, not {HAZELCAST_AGENT}"
            yield Hit(message, facts.where)


def membership_scheme_invalid(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a membershipScheme Carbon refuses (no class name to fall back on)."""
    for c in clustered(cluster):
        if c.m.scheme.value == "invalid":
            raw = c.m.scheme.raw
            message = (
                f"membershipScheme {raw!r} is not multicast, wka or aws (names are "
                "case-sensitive) and no membershipSchemeClassName is given: "
                "clustering fails to start"
            )
            yield Hit(message, c.m.scheme.where)


def membership_scheme_not_wka(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag clustered nodes using multicast or aws instead of the guide's wka."""
    for c in clustered(cluster):
        scheme = c.m.scheme
        if scheme.value not in ("multicast", "aws"):
            continue
        how = "by default" if not scheme.raw and c.m.source == AXIS2 else ""
        message = " ".join(
            f"membership scheme is {scheme.value} {how}: the guide uses wka "
            "(multicast is often blocked between hosts and finds strangers)".split()
        )
        yield Hit(message, scheme.where)


def _mismatch(
    items: list[Clustered], setting: Callable[[Clustered], Setting[str]], label: str
) -> Iterator[Hit]:
    seen = (
        Seen(
            c.node.name,
            setting(c).value,
            setting(c).raw or setting(c).value,
            setting(c).where,
        )
        for c in items
        # ${...} values are resolved at run time: left out of the comparison.
        if not setting(c).placeholder
    )
    for dev in deviations(seen):
        message = (
            f"{label} {dev.seen.shown!r} differs from {dev.ref.shown!r} on "
            f"{dev.others()}: the nodes form separate clusters"
        )
        yield Hit(message, dev.seen.where, dev.related())


def membership_scheme_mismatch(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Group clustered nodes by scheme; flag those outside the largest group."""
    return _mismatch(clustered(cluster), lambda c: c.m.scheme, "membership scheme")


def domain_mismatch(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Group clustered nodes by raw domain (Carbon does not trim it)."""
    return _mismatch(clustered(cluster), lambda c: c.m.domain, "clustering domain")


def local_member_host_not_ip(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag localMemberHost unset (Carbon guesses) or a host name, not an IP."""
    for c in static(cluster):
        if c.m.source != AXIS2:
            continue
        host = c.m.host
        if host is None:
            message = (
                "localMemberHost is not set: Carbon advertises the first "
                "non-loopback IPv4 address, which is unpredictable on multi-NIC hosts"
            )
            yield Hit(message, anchor(c.node, c.m))
        elif not (host.placeholder or loopback_kind(host.value) or is_ip(host.value)):
            yield _host_name(cluster, c, host.value, host.where)


def _host_name(cluster: Cluster, c: Clustered, host: str, where: Location) -> Hit:
    message = f"localMemberHost {host!r} is a host name, not an IP"
    keys = stand_ins(cluster).get(c.node.name)
    if not keys:
        return Hit(message, where)
    # The one finding for this root cause: the WKA members matching no node
    # are probably this node by address, which no comparison can tell.
    shown = ", ".join(sorted(f"{h}:{p}" if p else h for h, p in keys)[:4])
    message += (
        f"; the WKA lists name {shown}, which matches no node and is probably this "
        "one: member and address checks cannot match them"
    )
    related = member_places(cluster, keys)
    return Hit(message, where, related, "set localMemberHost to the node's IP address")


def local_member_port_invalid(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a member port Integer.parseInt rejects (or outside 1-65535)."""
    for c in clustered(cluster):
        port = c.m.port
        if port.value is None and not port.placeholder:
            what = "localMemberPort" if c.m.source == AXIS2 else "network port"
            message = f"{what} {port.raw!r} is not a port number: clustering fails"
            yield Hit(message, port.where)


def member_port_collision(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Group clustered nodes by (host, member port); flag groups of two or more.

    When the WKA lists name a port on that host that no node uses, the message
    says which one to set (and CLU010 does not report those list members).
    """
    seen = (
        Seen(c.node.name, (c.host.value, c.m.port.value), c.host.value, c.m.port.where)
        for c in static(cluster)
        if c.host is not None and c.m.port.value is not None
    )
    fixes = {f.node.node.name: f for f in port_fixes(cluster).values()}
    for item, others in duplicates(seen):
        # Seen keeps any hashable key; this one is (host, member port).
        host, port = cast("tuple[str, int]", item.key)
        message = (
            f"member port {port} on {host} is also used by "
            f"{names([o.node for o in others])}: Hazelcast moves one of them to "
            "the next free port, which no WKA list names"
        )
        related = tuple(o.where for o in others)
        fix = fixes.get(item.node)
        hint = None
        if fix is not None:
            message += f"; every WKA list names {host}:{fix.port}, which no node uses"
            hint = f"set localMemberPort to {fix.port}"
            related += fix.members
        yield Hit(message, item.where, related, hint)


def hazelcast_xml_overrides_axis2(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Note nodes whose conf/etc/hazelcast.xml replaces axis2.xml's parameters."""
    for c in clustered(cluster):
        facts = clustering(c.node)
        if c.m.source == AXIS2 or facts is None:
            continue
        message = (
            "conf/etc/hazelcast.xml is used instead of axis2.xml's clustering "
            f"parameters and members: scheme {c.m.scheme.value}, group "
            f"{c.m.domain.value!r}, port {c.m.port.raw.strip() or c.m.port.value}"
        )
        doc = c.node.xml[HAZELCAST_XML]
        yield Hit(message, doc.root.where, (facts.where,))


def dynamic_membership_hosts_unchecked(
    cluster: Cluster, opts: RuleOptions
) -> Iterator[Hit]:
    """Say once that class-name schemes (kubernetes) skip the static host checks."""
    dynamic = [c for c in clustered(cluster) if c.m.custom]
    if not dynamic:
        return
    first, rest = dynamic[0], dynamic[1 : MAX_RELATED + 1]
    scheme = first.m.scheme.value
    on = names([c.node.name for c in dynamic])
    message = (
        f"membership scheme {scheme!r} ({on}) sets member hosts at start-up: "
        "localMemberHost and WKA member checks are skipped"
    )
    yield Hit(message, first.m.scheme.where, tuple(c.m.scheme.where for c in rest))


CHECKS: dict[str, Check] = {
    "CLU001": local_member_host_loopback,
    "CLU002": clustering_not_enabled,
    "CLU003": clustering_agent_unknown,
    "CLU004": membership_scheme_invalid,
    "CLU005": membership_scheme_not_wka,
    "CLU006": membership_scheme_mismatch,
    "CLU007": domain_mismatch,
    "CLU008": local_member_host_not_ip,
    "CLU009": local_member_port_invalid,
    "CLU014": member_port_collision,
    "CLU021": hazelcast_xml_overrides_axis2,
    "CLU022": dynamic_membership_hosts_unchecked,
    **WKA_CHECKS,
    **PROPS_CHECKS,
}
