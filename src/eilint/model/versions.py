"""The facts of each EI 6.x release (``facts/ei-versions.json``), read once."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from msgspec import Struct

from eilint.facts import load
from eilint.model.cluster import Node
from eilint.model.values import Setting

CARBON_NS = "http://wso2.org/projects/carbon/carbon.xml"


class Release(Struct, frozen=True):
    """What one EI release ships that rules depend on."""

    version: str
    hazelcast: str
    log4j: str
    tomcat: str
    membership_scheme_stock: str
    compression_attribute: str


def _facts() -> dict[str, Any]:
    return load("ei-versions")


def default_version() -> str:
    """Return the release whose facts apply when a node's cannot be told."""
    return str(_facts()["default"])


def known_versions() -> tuple[str, ...]:
    """Return every release eilint has facts for, oldest first."""
    return tuple(_facts()["versions"])


@cache
def release(version: str) -> Release:
    """Return a release's facts (the default release's for an unknown one)."""
    facts = _facts()
    raw = facts["versions"].get(version) or facts["versions"][default_version()]
    tomcat = facts["tomcat"][raw["tomcat"]]
    return Release(
        version=version if version in facts["versions"] else default_version(),
        hazelcast=raw["hazelcast"],
        log4j=raw["log4j"],
        tomcat=raw["tomcat"],
        membership_scheme_stock=raw["membership_scheme_stock"],
        compression_attribute=tomcat["compression_attribute"],
    )


def compression_attributes() -> Mapping[str, str]:
    """Map each Tomcat major version to its compressed-MIME-types attribute."""
    return {k: v["compression_attribute"] for k, v in _facts()["tomcat"].items()}


def carbon_version(node: Node) -> Setting[str] | None:
    """Return the release carbon.xml's ``<Version>`` states (None: it says none)."""
    doc = node.xml.get("carbon.xml")
    el = doc.root.find("Version") if doc is not None else None
    text = (el.text or "").strip() if el is not None else ""
    if el is None or el.ns != CARBON_NS or not text:
        return None
    return Setting(text, el.text or "", el.where)


def evidence() -> Mapping[str, Mapping[str, str]]:
    """Return the file and plugin-jar names that mark a release."""
    raw = _facts()["evidence"]
    return {k: v for k, v in raw.items() if not k.startswith("_")}
