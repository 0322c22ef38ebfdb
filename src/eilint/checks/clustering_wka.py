"""CLU: the WKA member lists checked against the real node set.

Each node's reachable endpoint is its host (localMemberHost, else the manifest
address) and member port. Members are matched through a host index, ranges
expanded (at most 256 hosts each), so the work is proportional to the total
length of all member lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.checks.clustering_base import Clustered
from eilint.checks.clustering_base import group
from eilint.checks.clustering_base import majority
from eilint.checks.clustering_base import names
from eilint.checks.clustering_base import static
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.clustering import WkaMember
from eilint.model.clustering import expand_host


@dataclass(frozen=True, slots=True)
class Match:
    """What one member of one node's list stands for among the nodes."""

    member: WkaMember
    hosts: tuple[str, ...]
    on_host: tuple[Clustered, ...]
    exact: tuple[Clustered, ...]


def _index(nodes: list[Clustered]) -> dict[str, list[Clustered]]:
    index: dict[str, list[Clustered]] = defaultdict(list)
    for c in nodes:
        if c.host is not None:
            index[c.host.value].append(c)
    return index


def _match(member: WkaMember, index: dict[str, list[Clustered]]) -> Match:
    hosts = tuple(expand_host(member.host))
    on_host = tuple(c for h in hosts for c in index.get(h, ()))
    exact = tuple(
        c for c in on_host if member.port is None or c.m.port.value == member.port
    )
    return Match(member, hosts, on_host, exact)


def _wka_lists(cluster: Cluster) -> tuple[list[Clustered], dict[str, list[Clustered]]]:
    nodes = static(cluster)
    return [c for c in nodes if c.m.scheme.value == "wka"], _index(nodes)


def _matches(c: Clustered, index: dict[str, list[Clustered]]) -> Iterator[Match]:
    for member in c.m.members:
        if not member.host.startswith(("$", "${")):
            yield _match(member, index)


def wka_member_port_mismatch(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag members whose host is a node's but whose port is no node's there."""
    lists, index = _wka_lists(cluster)
    for c in lists:
        for match in _matches(c, index):
            if not match.on_host or match.exact:
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
    lists, index = _wka_lists(cluster)
    for c in lists:
        for match in _matches(c, index):
            if match.on_host:
                continue
            if not match.hosts:
                why = "is not an address or a last-octet range (e.g. 10.0.0.2-10)"
            else:
                why = "is no node of this cluster"
            yield Hit(f"WKA member {match.member.label()} {why}", match.member.where)


def wka_node_not_listed(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a node's member list that leaves out another clustered node."""
    nodes = static(cluster)
    index = _index(nodes)
    lists = [c for c in nodes if c.m.scheme.value == "wka"]
    known = [c for c in nodes if c.host is not None]
    for c in lists:
        seen = {id(o.node) for match in _matches(c, index) for o in match.on_host}
        for other in known:
            if id(other.node) in seen:
                continue
            assert other.host is not None
            endpoint = f"{other.host.value}:{other.m.port.value}"
            whose = (
                "itself" if other.node is c.node else f"{other.node.name} ({endpoint})"
            )
            message = f"WKA members leave out {whose}: all nodes should be well-known"
            yield Hit(message, c.m.members_where, (other.host.where,))


def _member_key(c: Clustered) -> frozenset[tuple[str, int | None]]:
    return frozenset(
        (host, m.port) for m in c.m.members for host in expand_host(m.host)
    )


def _render(items: frozenset[tuple[str, int | None]]) -> str:
    shown = sorted(f"{h}:{p}" if p is not None else h for h, p in items)
    return ", ".join(shown[:4]) + (
        f" and {len(shown) - 4} more" if len(shown) > 4 else ""
    )


def wka_members_differ(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Group nodes by their expanded member set; flag lists outside the largest."""
    lists, _ = _wka_lists(cluster)
    groups = group(lists, _member_key)
    if len(groups) < 2:
        return
    ref_key = majority(groups)
    ref = groups[ref_key]
    related: tuple[Location, ...] = tuple(r.m.members_where for r in ref)
    for key, members in groups.items():
        if key == ref_key:
            continue
        diff = []
        if ref_key - key:
            diff.append(f"missing {_render(ref_key - key)}")
        if key - ref_key:
            diff.append(f"extra {_render(key - ref_key)}")
        message = (
            f"WKA members differ from those of {names([r.node.name for r in ref])}: "
            + "; ".join(diff)
        )
        for c in members:
            yield Hit(message, c.m.members_where, related)


CHECKS: dict[str, Check] = {
    "CLU010": wka_member_port_mismatch,
    "CLU011": wka_member_unknown,
    "CLU012": wka_node_not_listed,
    "CLU013": wka_members_differ,
}
