"""Facts of the datasource files: every RDBMS datasource with its configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from eilint.findings import Location
from eilint.model.cluster import Node
from eilint.model.memo import per_node
from eilint.model.registry import text_setting
from eilint.model.values import Setting
from eilint.model.xml import XmlDoc
from eilint.model.xml import XmlElement

BPS_DATASOURCES = "datasources/bps-datasources.xml"
BPS_XML = "bps.xml"
BPS_NS = "http://wso2.org/bps/config"


@dataclass(frozen=True, slots=True)
class Datasource:
    """One ``<datasource>``: its names, the file it is in, its configuration.

    ``config`` maps each child element of ``definition/configuration`` by local
    name to its raw text (the first occurrence); ``config_elements`` keeps every
    child element for rules that look at spelling or repeats. Password values are
    in the model (rules compare them) but no rule may put them in a message.
    """

    name: Setting[str] | None
    jndi: Setting[str] | None
    file: str
    definition_type: str | None
    config: Mapping[str, Setting[str]]
    config_elements: tuple[XmlElement, ...]
    where: Location

    def get(self, key: str) -> Setting[str] | None:
        """Return a configuration value by element name."""
        return self.config.get(key)

    @property
    def label(self) -> str:
        """Return a name for messages: the datasource name, else its JNDI name."""
        if self.name is not None and self.name.value.strip():
            return self.name.value.strip()
        return self.jndi.value.strip() if self.jndi else "(unnamed)"


def _datasource(rel: str, el: XmlElement) -> Datasource:
    definition = el.find("definition")
    conf = definition.find("configuration") if definition is not None else None
    elements = conf.children if conf is not None else ()
    config: dict[str, Setting[str]] = {}
    for child in elements:
        if child.tag not in config:
            config[child.tag] = Setting(child.text or "", child.text or "", child.where)
    return Datasource(
        name=text_setting(el.find("name")),
        jndi=text_setting(el.find("jndiConfig", "name")),
        file=rel,
        definition_type=definition.attr("type") if definition is not None else None,
        config=config,
        config_elements=elements,
        where=el.where,
    )


def datasource_docs(node: Node) -> tuple[tuple[str, XmlDoc], ...]:
    """Return the node's datasource files in path order (stock and custom ones)."""
    return tuple(
        (rel, node.xml[rel])
        for rel in sorted(node.xml)
        if rel.startswith("datasources/") and rel.endswith(".xml")
    )


@per_node
def datasources(node: Node) -> tuple[Datasource, ...]:
    """Return every datasource defined in the node's datasource files."""
    found: list[Datasource] = []
    for rel, doc in datasource_docs(node):
        if doc.root.tag != "datasources-configuration":
            continue
        found.extend(
            _datasource(rel, el) for el in doc.root.findall("datasources", "datasource")
        )
    return tuple(found)


def by_jndi(node: Node) -> dict[str, Datasource]:
    """Map each trimmed JNDI name to its datasource (the last binding wins, as EI)."""
    table: dict[str, Datasource] = {}
    for ds in datasources(node):
        if ds.jndi is not None and ds.jndi.value.strip():
            table[ds.jndi.value.strip()] = ds
    return table


@dataclass(frozen=True, slots=True)
class DatasourceRef:
    """A JNDI name some file refers to, and where the reference is."""

    name: str
    where: Location
    source: str


def bps_datasource_ref(node: Node) -> DatasourceRef | None:
    """Return bps.xml's ``DataBaseConfig/DataSource/@name`` (in the BPS namespace)."""
    doc = node.xml.get(BPS_XML)
    if doc is None or doc.root.ns != BPS_NS:
        return None
    el = doc.root.find("DataBaseConfig", "DataSource")
    if el is None or el.ns != BPS_NS or el.attr("name") is None:
        return None
    return DatasourceRef(el.attr("name") or "", el.where, "bps.xml DataBaseConfig")


def bps_datasource(node: Node) -> tuple[Datasource | None, DatasourceRef | None]:
    """Return the BPEL/HumanTask datasource and the reference that picked it.

    bps.xml names the JNDI entry; without a usable bps.xml the datasource defined
    in ``bps-datasources.xml`` is the one the profile ships for the purpose.
    """
    ref = bps_datasource_ref(node)
    if ref is not None:
        return by_jndi(node).get(ref.name.strip()), ref
    in_file = [d for d in datasources(node) if d.file == BPS_DATASOURCES]
    return (in_file[0] if in_file else None), None
