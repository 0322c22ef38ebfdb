"""CLU: the WKA member lists checked against the real node set.

Each node's reachable endpoint is its host (localMemberHost, else the manifest
address) and member port. Members are matched through a host index, ranges
expanded (at most 256 hosts each), so the work is proportional to the total
length of all member lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from itertools import islice

from msgspec import Struct
from msgspec.structs import replace

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.checks.clustering_base import Clustered
from eilint.checks.clustering_base import group
from eilint.checks.clustering_base import majority
from eilint.checks.clustering_base import names
from eilint.checks.clustering_base import per_cluster
from eilint.checks.clustering_base import static
from eilint.checks.crossnode import MAX_RELATED
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.clustering import WkaMember
from eilint.model.clustering import expand_host
from eilint.model.clustering import is_ip
from eilint.model.edge import address_unknowable
from eilint.model.values import is_placeholder


class Match(Struct, frozen=True):
    """What one member of one node's list stands for among the nodes."""

    member: WkaMember
    hosts: tuple[str, ...]
    on_host: tuple[Clustered, ...]
    exact: tuple[Clustered, ...]


ListKey = tuple[tuple[str, int | None], ...]


Core = tuple[tuple[str, ...], tuple[Clustered, ...], tuple[Clustered, ...]]


class WkaView(Struct, frozen=True):
    """Every wka node's list matched once; identical members share the work.

    ``lists`` holds each wka node, its list key and only the members that match
    no node exactly (the ones CLU010/CLU011 report); ``cores`` maps a member
    (host, port) to its expanded hosts, the nodes on them and the exact matches.
    """

    nodes: list[Clustered]
    lists: list[tuple[Clustered, ListKey, tuple[Match, ...]]]
    cores: dict[tuple[str, int | None], Core]


def _index(nodes: list[Clustered]) -> dict[str, list[Clustered]]:
    index: dict[str, list[Clustered]] = defaultdict(list)
    for c in nodes:
        if c.host is not None:
            index[c.host.value].append(c)
    return index


def _list_key(c: Clustered) -> ListKey:
    # ${...} and {{ ... }} members are filled in later: not checked.
    return tuple((m.host, m.port) for m in c.m.members if not is_placeholder(m.host))


def _core(key: tuple[str, int | None], index: dict[str, list[Clustered]]) -> Core:
    host, port = key
    hosts = expand_host(host)
    on_host = tuple(o for h in hosts for o in index.get(h, ()))
    exact = tuple(o for o in on_host if port in (None, o.m.port.value))
    return hosts, on_host, exact


@per_cluster
def wka_view(cluster: Cluster) -> WkaView:
    """Match every member of every wka node's list against the node hosts."""
    nodes = static(cluster)
    index = _index(nodes)
    cores: dict[tuple[str, int | None], Core] = {}
    lists = []
    for c in nodes:
        if c.m.scheme.value != "wka":
            continue
        odd = []
        for member in c.m.members:
            key = (member.host, member.port)
            if is_placeholder(member.host):
                continue
            core = cores.get(key)
            if core is None:
                core = cores[key] = _core(key, index)
            if not core[2]:
                odd.append(Match(member, *core))
        lists.append((c, _list_key(c), tuple(odd)))
    return WkaView(nodes, lists, cores)


@per_cluster
def stand_ins(cluster: Cluster) -> dict[str, frozenset[tuple[str, int | None]]]:
    """Return node name → the members that may stand for it (by host name).

    A node whose host is a host name (CLU008) cannot be matched to the IP
    members of the lists: eilint resolves no names. Members with its port that
    match no node may be it, so CLU011/CLU012 leave them to CLU008's one finding.
    """
    view = wka_view(cluster)
    loose = [
        (m.member.host, m.member.port)
        for _, _, odd in view.lists
        for m in odd
        if m.hosts and not m.on_host
    ]
    found: dict[str, frozenset[tuple[str, int | None]]] = {}
    for c in view.nodes:
        if c.host is None or is_ip(c.host.value):
            continue
        port = c.m.port.value
        keys = frozenset(k for k in loose if k[1] in (None, port))
        if keys:
            found[c.node.name] = keys
    return found


class PortFix(Struct, frozen=True):
    """A node whose localMemberPort is the one to change: every list names ``port``."""

    node: Clustered
    host: str
    port: int
    holder: Clustered | None
    # The list members naming host:port (bounded).
    members: tuple[Location, ...] = ()


def _unanimous(view: WkaView) -> dict[str, set[int]]:
    """Return host → ports of the single-host members every wka list names."""
    keys = [set(key) for _, key, _ in view.lists]
    common = set.intersection(*keys) if keys else set()
    listed: dict[str, set[int]] = defaultdict(set)
    for host, port in common:
        if port is not None and view.cores[(host, port)][0] == (host,):
            listed[host].add(port)
    return listed


@per_cluster
def port_fixes(cluster: Cluster) -> dict[tuple[str, int], PortFix]:
    """Pair listed ports no node uses with the node on that host to change.

    When every WKA list names host:P, no node there uses P, and exactly as many
    nodes there use a port no list names (or one an earlier node holds), the
    fix is those nodes' localMemberPort, not every list: one finding each.
    """
    view = wka_view(cluster)
    fixes: dict[tuple[str, int], PortFix] = {}
    for host, ports in _unanimous(view).items():
        here = [c for c in view.nodes if c.host is not None and c.host.value == host]
        used = {c.m.port.value for c in here}
        unclaimed = sorted(p for p in ports if p not in used)
        holders: dict[int | None, Clustered] = {}
        movers: list[tuple[Clustered, Clustered | None]] = []
        for c in here:
            port = c.m.port.value
            if port not in ports or port in holders:
                movers.append((c, holders.get(port)))
            holders.setdefault(port, c)
        if unclaimed and len(unclaimed) == len(movers):
            for port, (mover, holder) in zip(unclaimed, movers, strict=True):
                fixes[(host, port)] = PortFix(mover, host, port, holder)
    return {
        key: replace(fix, members=_members(view, key)) for key, fix in fixes.items()
    }


def _members(view: WkaView, key: tuple[str, int]) -> tuple[Location, ...]:
    return _places(view, {key})


def member_places(
    cluster: Cluster, keys: AbstractSet[tuple[str, int | None]]
) -> tuple[Location, ...]:
    """Return where the lists name these unmatched members (bounded)."""
    return _places(wka_view(cluster), keys)


def _places(
    view: WkaView, keys: AbstractSet[tuple[str, int | None]]
) -> tuple[Location, ...]:
    found = (
        m.member.where
        for _, _, odd in view.lists
        for m in odd
        if (m.member.host, m.member.port) in keys
    )
    return tuple(islice(found, MAX_RELATED))


def wka_member_port_mismatch(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag members whose host is a node's but whose port is no node's there.

    When the lists agree and one node's localMemberPort is the odd one
    (``port_fixes``), that line is the one finding, with the lists related.
    """
    fixes = port_fixes(cluster)
    for _, _, odd in wka_view(cluster).lists:
        for match in odd:
            if not match.on_host or (match.member.host, match.member.port) in fixes:
                continue
            nodes = match.on_host
            ports = ", ".join(f"{o.node.name} {o.m.port.value}" for o in nodes)
            message = (
                f"WKA member {match.member.label()} names no node's member port "
                f"(localMemberPort on that host: {ports}): joins through it fail"
            )
            yield Hit(message, match.member.where, tuple(o.m.port.where for o in nodes))
    for fix in fixes.values():
        # A port another node holds is CLU014's finding, which names this fix.
        if fix.holder is None:
            port = fix.node.m.port
            message = (
                f"localMemberPort {port.value} of {fix.node.node.name} is in no WKA "
                f"list: every list names {fix.host}:{fix.port} instead, which no "
                "node uses; joins through the listed port fail"
            )
            hint = f"set localMemberPort to {fix.port}"
            yield Hit(message, port.where, fix.members, hint)


def wka_member_unknown(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag members that stand for no node of the linted cluster."""
    view = wka_view(cluster)
    if any(address_unknowable(n) for n in cluster.nodes):
        return  # a member may be the node whose address nothing tells
    unknown = [c.node.name for c in view.nodes if c.host is None]
    nobody = "is no node of this cluster"
    if unknown:
        # The member may be one of these nodes: say so instead of "no node".
        nobody = f"matches no node with a known address ({names(unknown)}: none)"
    external = {str(e).strip().lower() for e in _strings(opts.get("external"))}
    maybe = frozenset().union(*stand_ins(cluster).values())
    for _, _, odd in view.lists:
        for match in odd:
            label = match.member.label().lower()
            if match.on_host or {label, match.member.host.lower()} & external:
                continue
            if (match.member.host, match.member.port) in maybe:
                continue  # may be a node named by host name: CLU008's finding
            if not match.hosts:
                why = "is not an address or a last-octet range (e.g. 10.0.0.2-10)"
            else:
                why = nobody
            yield Hit(f"WKA member {match.member.label()} {why}", match.member.where)


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def wka_node_not_listed(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a node's member list that leaves out another clustered node."""
    view = wka_view(cluster)
    known = [c for c in view.nodes if c.host is not None]
    missing_by_list: dict[ListKey, list[Clustered]] = {}
    for c, key, _ in view.lists:
        if key not in missing_by_list:
            seen = {id(o.node) for k in key for o in view.cores[k][1]}
            missing_by_list[key] = [o for o in known if id(o.node) not in seen]
        for other in missing_by_list[key]:
            assert other.host is not None
            if stand_ins(cluster).get(other.node.name, frozenset()) & set(key):
                continue  # the list may name it by address: CLU008's finding
            endpoint = f"{other.host.value}:{other.m.port.value}"
            whose = (
                "itself" if other.node is c.node else f"{other.node.name} ({endpoint})"
            )
            message = f"WKA members leave out {whose}: all nodes should be well-known"
            yield Hit(message, c.m.members_where, (other.host.where,))


def _expanded(key: ListKey) -> frozenset[tuple[str, int | None]]:
    return frozenset((host, port) for raw, port in key for host in expand_host(raw))


def _render(items: frozenset[tuple[str, int | None]]) -> str:
    shown = sorted(f"{h}:{p}" if p is not None else h for h, p in items)
    return ", ".join(shown[:4]) + (
        f" and {len(shown) - 4} more" if len(shown) > 4 else ""
    )


def _explained(view: WkaView) -> frozenset[tuple[str, int | None]]:
    """Return the members whose difference another rule reports already.

    A node's own endpoint (missing from a list: CLU012, or CLU010 when the list
    names its host with another port; extra in a list: CLU012 on the others) and
    a member on a node's host with no node's port (CLU010).
    """
    explained = {
        (c.host.value, c.m.port.value) for c in view.nodes if c.host is not None
    }
    for _, _, odd in view.lists:
        for match in odd:
            if match.on_host:
                port = match.member.port
                explained.update((host, port) for host in match.hosts)
    return frozenset(explained)


def wka_members_differ(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Group nodes by their expanded member set; flag lists outside the largest.

    Only differences no other WKA rule reports: a list that misses a node is
    CLU012's, a member with a wrong port CLU010's (one root cause, one finding).
    """
    view = wka_view(cluster)
    expanded: dict[ListKey, frozenset[tuple[str, int | None]]] = {}
    for _, key, _ in view.lists:
        if key not in expanded:
            expanded[key] = _expanded(key)
    groups = group(view.lists, lambda item: expanded[item[1]])
    if len(groups) < 2:
        return
    ref_key = majority(groups)
    ref = groups[ref_key]
    related: tuple[Location, ...] = tuple(
        r[0].m.members_where for r in ref[:MAX_RELATED]
    )
    explained = _explained(view)
    for members_key, members in groups.items():
        missing = ref_key - members_key - explained
        extra = members_key - ref_key - explained
        if members_key == ref_key or not (missing or extra):
            continue
        diff = []
        if missing:
            diff.append(f"missing {_render(missing)}")
        if extra:
            diff.append(f"extra {_render(extra)}")
        message = (
            f"WKA members differ from those of {names([r[0].node.name for r in ref])}: "
            + "; ".join(diff)
        )
        for c, _, _ in members:
            yield Hit(message, c.m.members_where, related)


CHECKS: dict[str, Check] = {
    "CLU010": wka_member_port_mismatch,
    "CLU011": wka_member_unknown,
    "CLU012": wka_node_not_listed,
    "CLU013": wka_members_differ,
}
