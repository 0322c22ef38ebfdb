"""PRT: carbon.xml port offsets (``Server/Ports/Offset``).

Carbon adds the offset to every port it opens (servlet 9763/9443, JMX, LDAP);
Hazelcast's member port is not offset. Nodes on one host are grouped by
(host, offset) in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.checks.clustering_base import names
from eilint.checks.clustering_base import node_host
from eilint.checks.crossnode import Seen
from eilint.checks.crossnode import duplicates
from eilint.findings import Hit
from eilint.model.carbon import HTTP_PORT
from eilint.model.carbon import HTTPS_PORT
from eilint.model.carbon import offset_value
from eilint.model.carbon import port_offset
from eilint.model.cluster import Cluster
from eilint.model.clustering import membership


def _placed(cluster: Cluster) -> Iterator[Seen]:
    for node in cluster.nodes:
        offset = port_offset(node)
        host = node_host(node, membership(node))
        if offset is None or host is None or offset.placeholder:
            continue
        yield Seen(node.name, (host.value, offset.value), host.value, offset.where)


def port_offset_collision(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Group nodes by (host, offset); flag groups of two or more."""
    for item, others in duplicates(_placed(cluster)):
        # Seen keeps any hashable key; _placed's is (host, offset).
        host, offset = cast("tuple[str, int]", item.key)
        message = (
            f"port offset {offset} on {host} is also used by "
            f"{names([o.node for o in others])}: both would open "
            f"{HTTP_PORT + offset}/{HTTPS_PORT + offset}, the second fails to bind"
        )
        yield Hit(message, item.where, tuple(o.where for o in others))


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
