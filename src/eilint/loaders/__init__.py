"""The only package that touches files or parsers: builds the Cluster model."""

from __future__ import annotations

from pathlib import Path

from eilint.loaders.discover import NodeSpec
from eilint.loaders.nginx import load_nginx
from eilint.loaders.node import load_node
from eilint.model.cluster import Cluster
from eilint.model.cluster import LoadProblem
from eilint.model.cluster import Node


def load_cluster(specs: list[NodeSpec], nginx: Path | None = None) -> Cluster:
    """Load every node and the nginx tree into one immutable cluster."""
    nodes: list[Node] = []
    problems: list[LoadProblem] = []
    for spec in specs:
        node, found = load_node(spec)
        nodes.append(node)
        problems.extend(found)
    config = None
    if nginx is not None:
        config, found = load_nginx(nginx)
        problems.extend(found)
    return Cluster(tuple(nodes), config, tuple(problems))
