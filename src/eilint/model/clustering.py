"""Facts of axis2.xml's ``<clustering>`` section (Hazelcast membership)."""

from __future__ import annotations

from dataclasses import dataclass

from eilint.findings import Location
from eilint.model.cluster import Node
from eilint.model.memo import per_node
from eilint.model.registry import text_setting
from eilint.model.values import Setting
from eilint.model.values import ignore_case_true
from eilint.model.xml import XmlElement

AXIS2 = "axis2/axis2.xml"
HAZELCAST_AGENT = "org.wso2.carbon.core.clustering.hazelcast.HazelcastClusteringAgent"


@dataclass(frozen=True, slots=True)
class Member:
    """A well-known member: ``hostName`` (may be a last-octet range) and port."""

    host: Setting[str] | None
    port: Setting[str] | None
    where: Location


@dataclass(frozen=True, slots=True)
class ClusteringFacts:
    """The clustering element: agent class, enable flag, parameters, members."""

    agent_class: str | None
    enabled: Setting[bool]
    parameters: tuple[tuple[str, Setting[str]], ...]
    members: tuple[Member, ...]
    where: Location

    def param(self, name: str) -> Setting[str] | None:
        """Return the first ``<parameter name=...>`` value (as Axis2 does)."""
        for key, value in self.parameters:
            if key == name:
                return value
        return None


def _parameters(el: XmlElement) -> tuple[tuple[str, Setting[str]], ...]:
    params = []
    for p in el.findall("parameter"):
        setting = text_setting(p)
        if p.attr("name") is not None and setting is not None:
            params.append((p.attr("name") or "", setting))
    return tuple(params)


def _members(el: XmlElement) -> tuple[Member, ...]:
    return tuple(
        Member(text_setting(m.find("hostName")), text_setting(m.find("port")), m.where)
        for m in el.findall("members", "member")
    )


@per_node
def clustering(node: Node) -> ClusteringFacts | None:
    """Return the node's clustering facts, or None without a usable axis2.xml."""
    doc = node.xml.get(AXIS2)
    if doc is None:
        return None
    el = doc.root.find("clustering")
    if el is None:
        return None
    enable_raw = el.attr("enable") or ""
    return ClusteringFacts(
        agent_class=el.attr("class"),
        enabled=Setting(ignore_case_true(enable_raw), enable_raw, el.where),
        parameters=_parameters(el),
        members=_members(el),
        where=el.where,
    )


def clustering_on(node: Node) -> bool:
    """Return True when the node runs Hazelcast clustering."""
    facts = clustering(node)
    return facts is not None and facts.enabled.value
