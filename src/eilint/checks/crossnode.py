"""Linear cross-node comparison: group values by key, report nodes off the majority."""

from __future__ import annotations

from collections.abc import Hashable
from collections.abc import Iterable
from collections.abc import Iterator

from msgspec import Struct

from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.clustering import clustering_on

# How many locations of the reference group a finding carries as related ones:
# enough to show every node of a small cluster, bounded for 500-node runs.
MAX_RELATED = 8


class Seen(Struct, frozen=True):
    """One node's value: the comparison key, how to show it, where it is."""

    node: str
    key: Hashable
    shown: str
    where: Location


class Deviation(Struct, frozen=True):
    """A node whose value is not the reference group's, with that group."""

    seen: Seen
    reference: tuple[Seen, ...]
    groups: int

    @property
    def ref(self) -> Seen:
        """Return the first node of the reference group."""
        return self.reference[0]

    def related(self) -> tuple[Location, ...]:
        """Return the reference group's locations (bounded)."""
        return tuple(s.where for s in self.reference[:MAX_RELATED])

    def others(self) -> str:
        """Name the reference group's nodes for a message."""
        names = [s.node for s in self.reference[:MAX_RELATED]]
        more = len(self.reference) - len(names)
        return ", ".join(names) + (f" and {more} more" if more else "")


def deviations(seen: Iterable[Seen]) -> Iterator[Deviation]:
    """Yield every value outside the largest group (ties: the earliest node's group).

    One pass to group and one to report: linear in the number of nodes.
    """
    groups: dict[Hashable, list[Seen]] = {}
    for item in seen:
        groups.setdefault(item.key, []).append(item)
    if len(groups) < 2:
        return
    # max() keeps the first of equal sizes, and dicts keep insertion order.
    ref_key = max(groups, key=lambda k: len(groups[k]))
    reference = tuple(groups[ref_key])
    for key, members in groups.items():
        if key != ref_key:
            for item in members:
                yield Deviation(item, reference, len(groups))


def duplicates(seen: Iterable[Seen]) -> Iterator[tuple[Seen, tuple[Seen, ...]]]:
    """Yield each value shared by several nodes once: ``(second, others)``.

    A collision is symmetric, so it is one finding, not one per node. It is
    placed at the second holder in node order (the first keeps the value; the
    line to change is the next one's), with every other holder related.
    """
    groups: dict[Hashable, list[Seen]] = {}
    for item in seen:
        groups.setdefault(item.key, []).append(item)
    for members in groups.values():
        if len(members) > 1:
            others = (members[0], *members[2:])
            yield members[1], others[:MAX_RELATED]


def clustered(cluster: Cluster, node: Node) -> bool:
    """Return True when the node is part of a cluster (several nodes, or clustering on).

    A single stock node is not: rules about sharing say nothing about it.
    """
    return len(cluster.nodes) > 1 or clustering_on(node)
