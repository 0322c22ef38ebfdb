"""The only package that touches files or parsers: builds the Cluster model."""

from __future__ import annotations

from pathlib import Path

from msgspec.structs import replace

from eilint.loaders.discover import NodeSpec
from eilint.loaders.keys import nginx_keys
from eilint.loaders.keys import node_keys
from eilint.loaders.nginx import load_nginx
from eilint.loaders.node import load_node
from eilint.model.cluster import Cluster
from eilint.model.cluster import LoadProblem
from eilint.model.cluster import Node
from eilint.model.cluster import node_order


def load_cluster(specs: list[NodeSpec], nginx: Path | None = None) -> Cluster:
    """Load every node and the nginx tree into one immutable cluster.

    Nodes are kept in canonical order (by name), never in argument order: every
    check, primary location, fingerprint and report then reads the same way
    however the NODE arguments or manifest entries are ordered.
    """
    specs = sorted(specs, key=lambda s: node_order(s.name))
    nodes: list[Node] = []
    problems: list[LoadProblem] = []
    for spec in specs:
        node, found = load_node(spec)
        if spec.uri is not None:
            node = replace(node, uri=spec.uri)
        nodes.append(node)
        problems.extend(found)
    config = None
    if nginx is not None:
        config, found = load_nginx(nginx)
        problems.extend(found)
    keys = [
        k
        for spec, node in zip(specs, nodes, strict=True)
        if spec.home is not None
        for k in node_keys(node, spec.home)
    ]
    if config is not None and nginx is not None:
        keys.extend(nginx_keys(config, nginx if nginx.is_dir() else nginx.parent))
    return Cluster(tuple(nodes), config, tuple(problems), tuple(keys))
