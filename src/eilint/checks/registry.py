"""REG: registry mounts (registry.xml) within a node and across nodes."""

from __future__ import annotations

from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.registry import RemoteInstance
from eilint.model.registry import registry


def _mounted(node: Node) -> tuple[RemoteInstance, ...]:
    facts = registry(node)
    return facts.mounted_instances() if facts else ()


def _read_only_where(inst: RemoteInstance) -> Location:
    return inst.read_only.where if inst.read_only else inst.where


def _why_writes(inst: RemoteInstance) -> str:
    if inst.read_only is None:
        return "no <readOnly>, so read-write"
    raw = inst.read_only.raw
    if raw.lower() == "false":
        return "readOnly false"
    return f"readOnly {raw!r} is not 'true', so read-write"


def registry_writer_count(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Count nodes whose mounted remote instance is read-write; exactly one may be."""
    participants = [(n, _mounted(n)) for n in cluster.nodes if _mounted(n)]
    if not participants:
        return
    writers = [(n, [i for i in insts if i.writes]) for n, insts in participants]
    writers = [(n, insts) for n, insts in writers if insts]
    if len(writers) == 1:
        return
    if not writers:
        names = ", ".join(n.name for n, _ in participants)
        places = [_read_only_where(insts[0]) for _, insts in participants]
        message = (
            f"no node mounts the shared registry read-write (read-only on {names}); "
            "exactly one node must be the writer"
        )
        yield Hit(message, places[0], tuple(places[1:]))
        return
    detail = "; ".join(f"{n.name}: {_why_writes(insts[0])}" for n, insts in writers)
    places = [_read_only_where(i) for _, insts in writers for i in insts]
    message = (
        f"{len(writers)} nodes mount the shared registry read-write ({detail}); "
        "exactly one node may write"
    )
    yield Hit(message, places[0], tuple(places[1:]))


CHECKS: dict[str, Check] = {
    "REG001": registry_writer_count,
}
