"""PRT: carbon.xml port offsets (``Server/Ports/Offset``).

Carbon adds the offset to every port it opens (servlet 9763/9443, JMX, LDAP);
Hazelcast's member port is not offset. Nodes on one host are grouped by
(host, offset) in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.checks.clustering_base import group
from eilint.checks.clustering_base import names
from eilint.checks.clustering_base import node_host
from eilint.findings import Hit
from eilint.model.carbon import HTTP_PORT
from eilint.model.carbon import HTTPS_PORT
from eilint.model.carbon import offset_value
from eilint.model.carbon import port_offset
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.clustering import membership
from eilint.model.values import Setting


@dataclass(frozen=True, slots=True)
class Placed:
    """A node with a known host and a readable port offset."""

    node: Node
    host: str
    offset: Setting[int]


def _placed(cluster: Cluster) -> Iterator[Placed]:
    for node in cluster.nodes:
        offset = port_offset(node)
        host = node_host(node, membership(node))
        if offset is None or host is None or offset.placeholder:
            continue
        yield Placed(node, host.value, offset)


def port_offset_collision(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Group nodes by (host, offset); flag groups of two or more."""
    groups = group(_placed(cluster), lambda p: (p.host, p.offset.value))
    for (host, offset), members in groups.items():
        if len(members) < 2:
            continue
        for p in members:
            others = [o for o in members if o is not p]
            message = (
                f"port offset {offset} on {host} is also used by "
                f"{names([o.node.name for o in others])}: both would open "
                f"{HTTP_PORT + offset}/{HTTPS_PORT + offset}, the second fails to bind"
            )
            yield Hit(message, p.offset.where, tuple(o.offset.where for o in others))


def port_offset_invalid(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag an Offset that Integer.parseInt rejects (Carbon then uses 0)."""
    for node in cluster.nodes:
        offset = port_offset(node)
        if offset is None or not offset.raw.strip() or offset.placeholder:
            continue
        if offset_value(offset.raw) is None:
            message = (
                f"port offset {offset.raw.strip()!r} is not a number: Carbon logs an "
                f"error and uses 0 ({HTTP_PORT}/{HTTPS_PORT})"
            )
            yield Hit(message, offset.where)


CHECKS: dict[str, Check] = {
    "PRT001": port_offset_collision,
    "PRT002": port_offset_invalid,
}
