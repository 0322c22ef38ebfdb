"""Shared helpers of the CLU and PRT checks: hosts, grouping, clustered nodes."""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Hashable
from collections.abc import Iterable
from collections.abc import Sequence
from typing import TypeVar
from weakref import WeakKeyDictionary

from msgspec import Struct

from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.clustering import AXIS2
from eilint.model.clustering import Membership
from eilint.model.clustering import clustering
from eilint.model.clustering import is_ip
from eilint.model.clustering import membership
from eilint.model.values import Setting

LOOPBACK_NAMES = frozenset(
    {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")


def loopback_kind(host: str) -> str | None:
    """Return 'loopback' or 'wildcard' for such a host, None for anything else."""
    text = host.strip().strip("[]").lower()
    if text in LOOPBACK_NAMES:
        return "loopback"
    if text in ("*", ""):
        return "wildcard" if text == "*" else None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.is_loopback:
        return "loopback"
    if address.is_unspecified:
        return "wildcard"
    return None


def names(nodes: Sequence[str], limit: int = 4) -> str:
    """Render node names for a message, shortened past ``limit``."""
    shown = ", ".join(nodes[:limit])
    more = len(nodes) - limit
    return f"{shown} and {more} more" if more > 0 else shown


def group(items: Iterable[V], key: Callable[[V], K | None]) -> dict[K, list[V]]:
    """Group items by key in input order; items whose key is None are left out."""
    groups: dict[K, list[V]] = defaultdict(list)
    for item in items:
        k = key(item)
        if k is not None:
            groups[k].append(item)
    return groups


def majority(groups: dict[K, list[V]]) -> K:
    """Return the key of the largest group; ties go to the group seen first."""
    return max(groups, key=lambda k: len(groups[k]))


class Clustered(Struct, frozen=True):
    """A clustered node with its effective membership and cluster-facing host."""

    node: Node
    m: Membership
    host: Setting[str] | None


def node_host(node: Node, m: Membership | None) -> Setting[str] | None:
    """Return the host other members reach a node at, lower-cased.

    localMemberHost when it is a usable static value, else the manifest address.
    Class-name schemes (kubernetes) rewrite hosts at start-up: address only.
    """
    host = None if m is None or m.custom else m.host
    if host is not None and not host.placeholder and not loopback_kind(host.value):
        return Setting(host.value.lower(), host.raw, host.where)
    if node.address:
        where = host.where if host else anchor(node, m)
        return Setting(node.address.strip().lower(), node.address, where)
    return None


def anchor(node: Node, m: Membership | None) -> Location:
    facts = clustering(node)
    if facts is not None:
        return facts.where
    return m.scheme.where if m is not None else node.file_location(AXIS2)


def per_cluster(fn: Callable[[Cluster], R]) -> Callable[[Cluster], R]:
    """Cache ``fn(cluster)`` for the cluster's lifetime: many rules share a view."""
    cache: WeakKeyDictionary[Cluster, R] = WeakKeyDictionary()

    def wrapper(cluster: Cluster) -> R:
        try:
            return cache[cluster]
        except KeyError:
            value = cache[cluster] = fn(cluster)
            return value

    wrapper.__doc__ = fn.__doc__
    wrapper.__name__ = fn.__name__
    return wrapper


@per_cluster
def clustered(cluster: Cluster) -> list[Clustered]:
    """Return every node running Hazelcast, in node order, hosts inferred."""
    found = []
    for node in cluster.nodes:
        m = membership(node)
        if m is not None:
            found.append(Clustered(node, m, node_host(node, m)))
    return _infer_hosts(found)


def _own_entry(c: Clustered, known: set[str]) -> Setting[str] | None:
    # A node lists itself among the well-known members (the guide's layout): the
    # one entry with its own port that is no other node's host is its address.
    port = c.m.port.value
    candidates = {
        w.host.lower(): w
        for w in c.m.members
        if w.port in (None, port) and is_ip(w.host) and w.host.lower() not in known
    }
    if len(candidates) != 1:
        return None
    host, w = next(iter(candidates.items()))
    if loopback_kind(host):
        return None
    return Setting(host, w.host, w.where)


def _infer_hosts(found: list[Clustered]) -> list[Clustered]:
    """Give nodes without a usable host the address their own list implies.

    Only for static schemes, only when the guess is unique and no other node
    guessed the same address; anything ambiguous stays unknown.
    """
    known = {c.host.value for c in found if c.host is not None}
    guesses = {
        id(c.node): g
        for c in found
        if c.host is None and not c.m.custom and (g := _own_entry(c, known))
    }
    counts = Counter(g.value for g in guesses.values())
    return [
        Clustered(c.node, c.m, guess)
        if (guess := guesses.get(id(c.node))) and counts[guess.value] == 1
        else c
        for c in found
    ]


@per_cluster
def static(cluster: Cluster) -> list[Clustered]:
    """Return clustered nodes whose member hosts are static (not kubernetes)."""
    return [c for c in clustered(cluster) if not c.m.custom]
