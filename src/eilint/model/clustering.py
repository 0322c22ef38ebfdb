"""Facts of Hazelcast clustering: axis2.xml's ``<clustering>``, ``etc/hazelcast.xml``.

``clustering(node)`` is the raw axis2.xml section; ``membership(node)`` is what
Carbon's ``HazelcastClusteringAgent`` actually uses: ``conf/etc/hazelcast.xml``
when that file exists (the axis2.xml parameters and members are then ignored),
else the axis2.xml parameters with Carbon's defaults applied.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from msgspec import Struct

from eilint.findings import Location
from eilint.model.cluster import Node
from eilint.model.memo import per_node
from eilint.model.registry import text_setting
from eilint.model.values import Setting
from eilint.model.xml import XmlElement

AXIS2 = "axis2/axis2.xml"
HAZELCAST_XML = "etc/hazelcast.xml"
HAZELCAST_AGENT = "org.wso2.carbon.core.clustering.hazelcast.HazelcastClusteringAgent"
# Schemes Carbon knows by name (compared trimmed and case-sensitively).
BUILTIN_SCHEMES = ("multicast", "wka", "aws")
DEFAULT_SCHEME = "multicast"
DEFAULT_DOMAIN = "wso2.carbon.domain"
DEFAULT_MEMBER_PORT = 4000
HAZELCAST_DEFAULT_PORT = 5701
HAZELCAST_DEFAULT_GROUP = "dev"

_PORT = re.compile(r"\d{1,5}")
_MEMBER_SEP = re.compile(r"[,;\s]+")
_RANGE = re.compile(r"(\d{1,3}\.\d{1,3}\.\d{1,3})\.(\*|\d{1,3}-\d{1,3})")


class Member(Struct, frozen=True):
    """A well-known member of axis2.xml: ``hostName`` (may be a range) and port."""

    host: Setting[str] | None
    port: Setting[str] | None
    where: Location


class ClusteringFacts(Struct, frozen=True):
    """The clustering element: agent class, enable flag, parameters, members."""

    agent_class: str | None
    enabled: Setting[bool]
    parameters: tuple[tuple[str, Setting[str]], ...]
    members: tuple[Member, ...]
    where: Location
    members_where: Location | None = None

    def param(self, name: str) -> Setting[str] | None:
        """Return a ``<parameter name=...>`` value; the last one wins.

        Axis2 keeps parameters in a map keyed by name, so a repeated parameter
        replaces the earlier one.
        """
        found = None
        for key, value in self.parameters:
            if key == name:
                found = value
        return found


class WkaMember(Struct, frozen=True):
    """An effective well-known member: host pattern, port (None: any), where."""

    host: str
    port: int | None
    where: Location

    def label(self) -> str:
        """Render ``host:port`` (``host`` alone when any port will do)."""
        return self.host if self.port is None else f"{self.host}:{self.port}"


class Membership(Struct, frozen=True):
    """What Hazelcast runs with on one node.

    ``source`` is the conf-relative file the facts come from. ``scheme`` is the
    trimmed scheme name (``wka``/``multicast``/``aws``, a custom name, or
    ``invalid``); ``custom`` is True for class-name schemes (kubernetes), which
    set member hosts at start-up. ``port.value`` is None when the port is not a
    number (Carbon then fails to start). ``members`` are the effective WKA members.
    """

    source: str
    scheme: Setting[str]
    custom: bool
    domain: Setting[str]
    host: Setting[str] | None
    port: Setting[int | None]
    members: tuple[WkaMember, ...]
    members_where: Location


def _parameters(el: XmlElement) -> tuple[tuple[str, Setting[str]], ...]:
    params = []
    for p in el.findall("parameter"):
        setting = text_setting(p)
        if p.attr("name") is not None and setting is not None:
            params.append((p.attr("name") or "", setting))
    return tuple(params)


def _members(el: XmlElement) -> tuple[Member, ...]:
    # One pass over the children (no path search): member lists can be long.
    members = []
    for group_el in el.children:
        if group_el.tag != "members":
            continue
        for m in group_el.children:
            if m.tag != "member":
                continue
            found: dict[str, XmlElement] = {}
            for child in m.children:
                found.setdefault(child.tag, child)
            members.append(
                Member(
                    text_setting(found.get("hostName")),
                    text_setting(found.get("port")),
                    m.where,
                )
            )
    return tuple(members)


def axis2_enabled(raw: str | None) -> bool:
    """Read ``clustering/@enable`` as Axis2's ClusterBuilder does.

    An absent attribute means enabled; otherwise ``Boolean.parseBoolean`` of the
    trimmed value (only ``true``, any case, is true).
    """
    return raw is None or raw.strip().lower() == "true"


@per_node
def clustering(node: Node) -> ClusteringFacts | None:
    """Return the node's clustering facts, or None without a usable axis2.xml."""
    doc = node.xml.get(AXIS2)
    if doc is None:
        return None
    el = doc.root.find("clustering")
    if el is None:
        return None
    enable_raw = el.attr("enable")
    members_el = el.find("members")
    return ClusteringFacts(
        agent_class=el.attr("class"),
        enabled=Setting(
            axis2_enabled(enable_raw), enable_raw or "", el.attr_where("enable")
        ),
        parameters=_parameters(el),
        members=_members(el),
        where=el.where,
        members_where=None if members_el is None else members_el.where,
    )


def clustering_on(node: Node) -> bool:
    """Return True when the node runs Hazelcast clustering."""
    facts = clustering(node)
    return facts is not None and facts.enabled.value


def member_port(raw: str) -> int | None:
    """Read a port as ``Integer.parseInt(value.trim())``; None when invalid."""
    text = raw.strip()
    if _PORT.fullmatch(text) and 0 < int(text) < 65536:
        return int(text)
    return None


def _axis2_scheme(facts: ClusteringFacts) -> tuple[Setting[str], bool]:
    raw = facts.param("membershipScheme")
    if raw is None:
        return Setting(DEFAULT_SCHEME, "", facts.where), False
    name = raw.value.strip()
    if name in BUILTIN_SCHEMES:
        return Setting(name, raw.raw, raw.where), False
    custom = facts.param("membershipSchemeClassName") is not None
    return Setting(name if custom else "invalid", raw.raw, raw.where), custom


def _axis2_port(facts: ClusteringFacts) -> Setting[int | None]:
    raw = facts.param("localMemberPort")
    if raw is None:
        return Setting(DEFAULT_MEMBER_PORT, "", facts.where)
    return Setting(member_port(raw.value), raw.raw, raw.where)


def _axis2_members(facts: ClusteringFacts) -> tuple[WkaMember, ...]:
    members = []
    for m in facts.members:
        if m.host is None or not m.host.value.strip():
            continue
        port = None if m.port is None else member_port(m.port.value)
        where = m.where if m.port is None else m.port.where
        members.append(WkaMember(m.host.value.strip(), port, where))
    return tuple(members)


def _from_axis2(facts: ClusteringFacts) -> Membership:
    scheme, custom = _axis2_scheme(facts)
    domain = facts.param("domain") or Setting(DEFAULT_DOMAIN, "", facts.where)
    host = facts.param("localMemberHost")
    if host is not None:
        # Carbon trims localMemberHost before use.
        host = Setting(host.value.strip(), host.raw, host.where)
    return Membership(
        source=AXIS2,
        scheme=scheme,
        custom=custom,
        domain=domain,
        host=host if host is not None and host.value else None,
        port=_axis2_port(facts),
        members=_axis2_members(facts),
        members_where=facts.members_where or facts.where,
    )


def _hz_true(raw: str | None, default: bool) -> bool:
    # Hazelcast's XmlConfigBuilder.checkTrue: true/yes/on, any case, trimmed.
    if raw is None:
        return default
    return raw.strip().lower() in ("true", "yes", "on")


def _hz_scheme(join: XmlElement | None, fallback: Location) -> Setting[str]:
    if join is None:
        return Setting("multicast", "", fallback)
    for tag, name in (("tcp-ip", "wka"), ("aws", "aws")):
        el = join.find(tag)
        if el is not None and _hz_true(el.attr("enabled"), False):
            return Setting(name, el.attr("enabled") or "", el.where)
    multicast = join.find("multicast")
    if multicast is None or _hz_true(multicast.attr("enabled"), True):
        where = join.where if multicast is None else multicast.where
        return Setting("multicast", "", where)
    return Setting("none", "", join.where)


def _hz_member(text: str, where: Location) -> WkaMember | None:
    text = text.strip()
    if not text:
        return None
    host, sep, port = text.rpartition(":")
    if sep and host and "]" not in port:
        return WkaMember(host.strip("[]"), member_port(port), where)
    return WkaMember(text, None, where)


def _hz_members(tcp: XmlElement | None) -> tuple[WkaMember, ...]:
    if tcp is None:
        return ()
    members = []
    for el in tcp.children:
        if el.tag == "member-list":
            texts = [(m.text or "", m.where) for m in el.findall("member")]
        elif el.tag in ("members", "member"):
            texts = [(el.text or "", el.where)]
        else:
            continue
        # TcpIpConfig.addMember splits each value on commas, semicolons and blanks.
        for text, where in texts:
            for part in _MEMBER_SEP.split(text):
                member = _hz_member(part, where)
                if member is not None:
                    members.append(member)
    return tuple(members)


def _hz_port(network: XmlElement | None, root: XmlElement) -> Setting[int | None]:
    el = None if network is None else network.find("port")
    if el is None:
        return Setting(HAZELCAST_DEFAULT_PORT, "", root.where)
    return Setting(member_port(el.text or ""), el.text or "", el.where)


def _from_hazelcast_xml(root: XmlElement) -> Membership:
    network = root.find("network")
    join = None if network is None else network.find("join")
    name = root.find("group", "name")
    domain = text_setting(name) or Setting(HAZELCAST_DEFAULT_GROUP, "", root.where)
    public = None if network is None else text_setting(network.find("public-address"))
    if public is not None:
        public = Setting(public.value.strip(), public.raw, public.where)
    tcp = None if join is None else join.find("tcp-ip")
    return Membership(
        source=HAZELCAST_XML,
        scheme=_hz_scheme(join, root.where),
        custom=False,
        domain=domain,
        host=public if public is not None and public.value else None,
        port=_hz_port(network, root),
        members=_hz_members(tcp),
        members_where=(tcp or join or network or root).where,
    )


@per_node
def membership(node: Node) -> Membership | None:
    """Return what Hazelcast runs with on a clustered node, else None.

    None when clustering is off, axis2.xml is unusable, or ``etc/hazelcast.xml``
    exists but did not parse (the loader reported it).
    """
    facts = clustering(node)
    if facts is None or not facts.enabled.value:
        return None
    if node.has_file(HAZELCAST_XML) or HAZELCAST_XML in node.xml:
        doc = node.xml.get(HAZELCAST_XML)
        return None if doc is None else _from_hazelcast_xml(doc.root)
    return _from_axis2(facts)


@lru_cache(maxsize=4096)
def expand_host(pattern: str) -> tuple[str, ...]:
    """Return the hosts a WKA member stands for (cached: lists repeat per node).

    Hazelcast accepts a range or ``*`` in the last octet only (``10.0.0.2-10``);
    any other text stands for itself (lower-cased: host names are not
    case-sensitive). A malformed range stands for nothing.
    """
    text = pattern.strip().lower()
    match = _RANGE.fullmatch(text)
    if match is None:
        return (text,)
    prefix, last = match.groups()
    if last == "*":
        low, high = 0, 255
    else:
        first, _, end = last.partition("-")
        low, high = int(first), int(end)
    if not 0 <= low <= high <= 255:
        return ()
    return tuple(f"{prefix}.{octet}" for octet in range(low, high + 1))


def is_ip(text: str) -> bool:
    """Return True for a literal IPv4/IPv6 address."""
    try:
        ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return False
    return True
