"""CLU: the WKA member lists checked against the real node set.

Each node's reachable endpoint is its host (localMemberHost, else the manifest
address) and member port. Members are matched through a host index, ranges
expanded (at most 256 hosts each), so the work is proportional to the total
length of all member lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from msgspec import Struct

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


def wka_member_port_mismatch(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag members whose host is a node's but whose port is no node's there."""
    for _, _, odd in wka_view(cluster).lists:
        for match in odd:
            if not match.on_host:
                continue
            nodes = match.on_host
            ports = ", ".join(f"{o.node.name} {o.m.port.value}" for o in nodes)
            message = (
                f"WKA member {match.member.label()} names no node's member port "
                f"(localMemberPort on that host: {ports}): joins through it fail"
            )
            yield Hit(message, match.member.where, tuple(o.m.port.where for o in nodes))


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
    for _, _, odd in view.lists:
        for match in odd:
            label = match.member.label().lower()
            if match.on_host or {label, match.member.host.lower()} & external:
                continue
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


def wka_members_differ(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Group nodes by their expanded member set; flag lists outside the largest."""
    expanded: dict[ListKey, frozenset[tuple[str, int | None]]] = {}
    for _, key, _ in wka_view(cluster).lists:
        if key not in expanded:
            expanded[key] = _expanded(key)
    lists = wka_view(cluster).lists
    groups = group(lists, lambda item: expanded[item[1]])
    if len(groups) < 2:
        return
    ref_key = majority(groups)
    ref = groups[ref_key]
    related: tuple[Location, ...] = tuple(
        r[0].m.members_where for r in ref[:MAX_RELATED]
    )
    for key, members in groups.items():
        if key == ref_key:
            continue
        diff = []
        if ref_key - key:
            diff.append(f"missing {_render(ref_key - key)}")
        if key - ref_key:
            diff.append(f"extra {_render(key - ref_key)}")
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
