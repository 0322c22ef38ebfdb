"""Facts of carbon.xml: ``Ports/Offset``, ``HostName`` and ``MgtHostName``."""

from __future__ import annotations

import re

from eilint.findings import Location
from eilint.model.cluster import Node
from eilint.model.values import Setting
from eilint.model.xml import XmlElement

CARBON = "carbon.xml"

# The profile's servlet transports before the offset (catalina-server.xml).
HTTP_PORT = 9763
HTTPS_PORT = 9443

_INT = re.compile(r"[+-]?\d{1,9}")


def _root(node: Node) -> XmlElement | None:
    doc = node.xml.get(CARBON)
    return None if doc is None else doc.root


def offset_value(raw: str) -> int | None:
    """Read an offset as ``CarbonUtils.getPortOffset`` does, None when invalid.

    ServerConfiguration trims element text; ``Integer.parseInt`` then accepts an
    optional sign and digits only. Carbon logs an invalid value and uses 0.
    """
    text = raw.strip()
    return int(text) if _INT.fullmatch(text) else None


def port_offset(node: Node) -> Setting[int] | None:
    """Return the node's port offset, None when carbon.xml is missing or broken.

    An absent ``Ports/Offset`` (or an empty one) is offset 0, as Carbon reads it;
    the setting then points at ``<Ports>`` (or the root) with an empty ``raw``.
    An invalid or ``${...}`` value also reads 0 here: check ``raw`` and
    ``placeholder`` to tell these apart. ``-DportOffset`` on the command line
    overrides the file and is not visible to eilint.
    """
    root = _root(node)
    if root is None:
        return None
    ports = root.find("Ports")
    offset = None if ports is None else ports.find("Offset")
    if offset is None:
        where = root.where if ports is None else ports.where
        return Setting(0, "", where)
    raw = offset.text or ""
    return Setting(offset_value(raw) or 0, raw, offset.where)


def _text(node: Node, name: str) -> Setting[str] | None:
    root = _root(node)
    el = None if root is None else root.find(name)
    if el is None or not (el.text or "").strip():
        return None
    raw = el.text or ""
    return Setting(raw.strip(), raw, el.where)


def host_name(node: Node) -> Setting[str] | None:
    """Return ``Server/HostName`` (trimmed), None when absent or empty."""
    return _text(node, "HostName")


def mgt_host_name(node: Node) -> Setting[str] | None:
    """Return ``Server/MgtHostName`` (trimmed), None when absent or empty."""
    return _text(node, "MgtHostName")


def served_ports(node: Node) -> tuple[int, int] | None:
    """Return the (HTTP, HTTPS) servlet ports with the offset applied.

    Uses the stock 9763/9443 connectors; None without a readable carbon.xml.
    """
    offset = port_offset(node)
    if offset is None:
        return None
    return HTTP_PORT + offset.value, HTTPS_PORT + offset.value


def offset_location(node: Node) -> Location | None:
    """Return where the offset was read (for related locations)."""
    offset = port_offset(node)
    return None if offset is None else offset.where


AXIS2 = "axis2/axis2.xml"
# The integrator profile's Synapse pass-through transports (before the offset).
PASS_THROUGH_HTTP = 8280
PASS_THROUGH_HTTPS = 8243
_PASS_THROUGH_CLASSES = {
    "org.apache.synapse.transport.passthru.PassThroughHttpListener": "http",
    "org.apache.synapse.transport.passthru.PassThroughHttpSSLListener": "https",
}


def pass_through_ports(node: Node) -> tuple[int, int] | None:
    """Return the (HTTP, HTTPS) pass-through ports when the node is an integrator.

    The business-process profile's axis2.xml ships its pass-through listeners
    commented out; an active ``PassThroughHttpListener`` is the integrator
    profile (or a node serving it), whose services live on 8280/8243 + offset.
    """
    doc = node.xml.get(AXIS2)
    if doc is None:
        return None
    ports = {"http": PASS_THROUGH_HTTP, "https": PASS_THROUGH_HTTPS}
    found = False
    for receiver in doc.root.findall("transportReceiver"):
        kind = _PASS_THROUGH_CLASSES.get((receiver.attr("class") or "").strip())
        if kind is None:
            continue
        found = True
        for param in receiver.findall("parameter"):
            value = (
                offset_value(param.text or "") if param.attr("name") == "port" else None
            )
            if value is not None and value > 0:
                ports[kind] = value
    return (ports["http"], ports["https"]) if found else None
