"""CLU: Hazelcast clustering (axis2.xml, hazelcast.properties, log4j.properties)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.model.cluster import Cluster
from eilint.model.clustering import ClusteringFacts
from eilint.model.clustering import clustering

LOOPBACK_NAMES = frozenset(
    {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
)
DYNAMIC_SCHEMES = frozenset({"kubernetes"})


def loopback_kind(host: str) -> str | None:
    """Return 'loopback' or 'wildcard' for such a host, None for anything else."""
    text = host.strip().strip("[]").lower()
    if text in LOOPBACK_NAMES:
        return "loopback"
    if text in ("*", ""):
        return "wildcard" if text == "*" else None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.is_loopback:
        return "loopback"
    if address.is_unspecified:
        return "wildcard"
    return None


def hosts_rewritten(facts: ClusteringFacts) -> bool:
    """Return True for schemes that set member hosts at start-up (kubernetes)."""
    scheme = facts.param("membershipScheme")
    named = scheme is not None and scheme.value.strip().lower() in DYNAMIC_SCHEMES
    return named or facts.param("membershipSchemeClassName") is not None


def local_member_host_loopback(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a clustered node whose localMemberHost is loopback or a wildcard."""
    for node in cluster.nodes:
        facts = clustering(node)
        if facts is None or not facts.enabled.value or hosts_rewritten(facts):
            continue
        host = facts.param("localMemberHost")
        if host is None or host.placeholder:
            continue
        kind = loopback_kind(host.value)
        if kind is None:
            continue
        reach = (
            "other members cannot reach this node"
            if kind == "loopback"
            else "members are told an address no one can connect to"
        )
        message = (
            f"localMemberHost is {host.value.strip()!r}, a {kind} address: {reach}"
        )
        yield Hit(message, host.where)


CHECKS: dict[str, Check] = {
    "CLU001": local_member_host_loopback,
}
