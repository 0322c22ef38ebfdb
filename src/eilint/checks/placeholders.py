"""Placeholder values beyond the datasources and the registry, for DSR016.

Cross-node rules skip a value left to a placeholder (``${x}``, ``{{ x }}``,
``{% ... %}``, ``@x@``): its real value is not in the files. DSR016 lists
what was skipped, once per node, so a clean result is not taken for a
verified one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eilint.model.bps import bps_facts
from eilint.model.bps import task_server_facts
from eilint.model.carbon import host_name
from eilint.model.carbon import port_offset
from eilint.model.cluster import Node
from eilint.model.clustering import clustering
from eilint.model.values import Setting
from eilint.model.values import is_placeholder

# Properties the CLU rules compare with the value the guide wants.
_PROPERTIES = (
    ("hazelcast.properties", "hazelcast.shutdownhook.enabled"),
    ("hazelcast.properties", "hazelcast.logging.type"),
    ("log4j.properties", "log4j.logger.com.hazelcast"),
)
# The axis2.xml clustering parameters rules compare across nodes.
_CLUSTER_PARAMS = ("localMemberHost", "localMemberPort", "domain", "membershipScheme")


def other_placeholders(node: Node) -> Iterator[tuple[str, Setting[str]]]:
    """Yield (label, setting) for every compared value left to a placeholder."""
    yield from _carbon(node)
    yield from _clustering(node)
    yield from _properties(node)
    yield from _process_engine(node)


def _carbon(node: Node) -> Iterator[tuple[str, Setting[str]]]:
    offset = port_offset(node)
    if offset is not None and offset.placeholder:
        yield "port Offset", _text(offset)
    name = host_name(node)
    if name is not None and name.placeholder:
        yield "HostName", name


def _clustering(node: Node) -> Iterator[tuple[str, Setting[str]]]:
    facts = clustering(node)
    if facts is None:
        return
    if facts.enabled.placeholder:
        yield "clustering enable", _text(facts.enabled)
    for param in _CLUSTER_PARAMS:
        setting = facts.param(param)
        if setting is not None and setting.placeholder:
            yield param, setting
    for member in facts.members:
        parts = [s for s in (member.host, member.port) if s is not None]
        if any(s.placeholder for s in parts):
            raw = ":".join(s.raw.strip() for s in parts)
            yield "WKA member", Setting(raw, raw, member.where)


def _properties(node: Node) -> Iterator[tuple[str, Setting[str]]]:
    for rel, key in _PROPERTIES:
        props = node.props.get(rel)
        entry = None if props is None else props.get(key)
        if entry is not None and is_placeholder(entry.value):
            yield key, Setting(entry.value, entry.value, entry.where)


def _process_engine(node: Node) -> Iterator[tuple[str, Setting[str]]]:
    bps = bps_facts(node)
    if bps is not None and bps.node_id is not None and bps.node_id.placeholder:
        yield "NodeId", bps.node_id
    tasks = task_server_facts(node)
    for label, value in (
        ("taskServerMode", tasks.mode_setting if tasks else None),
        ("taskServerCount", tasks.count if tasks else None),
    ):
        if value is not None and value.placeholder:
            yield label, _text(value)


def _text(setting: Setting[Any]) -> Setting[str]:
    return Setting(setting.raw, setting.raw, setting.where)
