"""Helpers shared by the REG check modules."""

from __future__ import annotations

from collections.abc import Iterator

from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.registry import RegistryFacts
from eilint.model.registry import RemoteInstance
from eilint.model.registry import registry


def each_registry(cluster: Cluster) -> Iterator[tuple[Node, RegistryFacts]]:
    """Yield every node with a usable registry.xml and its facts."""
    for node in cluster.nodes:
        facts = registry(node)
        if facts is not None:
            yield node, facts


def instance_label(inst: RemoteInstance) -> str:
    """Name a remoteInstance for messages by its id."""
    return repr(inst.id.value.strip()) if inst.id else "(without <id>)"
