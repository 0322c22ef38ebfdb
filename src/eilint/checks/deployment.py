"""DEP: deployed artifacts compared across nodes by content hash."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from collections.abc import Sequence

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node

UNREADABLE = "unreadable"
_PREFIX = "wso2/business-process/repository/"

Copies = dict[str, list[tuple[Node, str]]]


def _copies(cluster: Cluster) -> tuple[list[Node], Copies]:
    """Return the nodes with artifacts and, per path, each (node, hash) in order."""
    nodes = [n for n in cluster.nodes if n.artifacts is not None]
    table: Copies = {}
    for node in nodes:
        for rel, digest in (node.artifacts or {}).items():
            table.setdefault(rel, []).append((node, digest))
    return nodes, table


def _where(node: Node, rel: str) -> Location:
    return Location(path=f"{node.root}/{rel}", node=node.name, key=rel)


def _short(rel: str) -> str:
    return rel.removeprefix(_PREFIX)


def _reference(copies: Sequence[tuple[Node, str]]) -> str:
    """Return the most common readable hash; ties go to the earliest node's."""
    counts = Counter(d for _, d in copies if d != UNREADABLE)
    best = max(counts.values(), default=0)
    return next((d for _, d in copies if counts.get(d) == best), UNREADABLE)


def artifact_content_differs(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a node whose copy of an artifact differs from most nodes' copy."""
    _nodes, table = _copies(cluster)
    for rel in sorted(table):
        copies = table[rel]
        reference = _reference(copies)
        if reference == UNREADABLE:
            continue
        holder = next(n for n, d in copies if d == reference)
        versions = len({d for _, d in copies if d != UNREADABLE})
        for node, digest in copies:
            if digest in (reference, UNREADABLE):
                continue
            message = (
                f"{_short(rel)} differs from {holder.name}'s copy "
                f"({versions} versions across {len(copies)} nodes)"
            )
            yield Hit(message, _where(node, rel), (_where(holder, rel),))


def artifact_not_on_every_node(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag artifacts missing on some nodes (or present on only a few)."""
    nodes, table = _copies(cluster)
    if len(nodes) < 2:
        return
    for rel in sorted(table):
        copies = table[rel]
        if len(copies) == len(nodes):
            continue
        holders = {id(n) for n, _ in copies}
        if 2 * len(copies) >= len(nodes):
            first = copies[0][0]
            for node in nodes:
                if id(node) not in holders:
                    message = (
                        f"{_short(rel)} is missing here but deployed on "
                        f"{len(copies)} of {len(nodes)} nodes (e.g. {first.name})"
                    )
                    yield Hit(message, _where(node, rel), (_where(first, rel),))
            continue
        lacking = next(n for n in nodes if id(n) not in holders)
        others = len(nodes) - len(copies) - 1
        who = f"{lacking.name} and {others} other node(s)" if others else lacking.name
        for node, _digest in copies:
            message = (
                f"{_short(rel)} is deployed only on {len(copies)} of {len(nodes)} "
                f"nodes, not on {who}"
            )
            yield Hit(message, _where(node, rel), (_where(lacking, rel),))


CHECKS: dict[str, Check] = {
    "DEP001": artifact_content_differs,
    "DEP002": artifact_not_on_every_node,
}
