"""Per-node memoisation: fact extraction runs once per node, however many rules ask."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from weakref import WeakKeyDictionary

from eilint.model.cluster import Node

R = TypeVar("R")


def per_node(fn: Callable[[Node], R]) -> Callable[[Node], R]:
    """Cache ``fn(node)`` for the node's lifetime (nodes compare by identity)."""
    cache: WeakKeyDictionary[Node, R] = WeakKeyDictionary()

    def wrapper(node: Node) -> R:
        try:
            return cache[node]
        except KeyError:
            value = cache[node] = fn(node)
            return value

    wrapper.__doc__ = fn.__doc__
    wrapper.__name__ = fn.__name__
    return wrapper
