"""Facts of the datasource files: every RDBMS datasource with its configuration."""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import Struct

from eilint.findings import Location
from eilint.model.cluster import Node
from eilint.model.jdbc import JdbcUrl
from eilint.model.jdbc import parse_jdbc_url
from eilint.model.memo import per_node
from eilint.model.registry import registry
from eilint.model.registry import text_setting
from eilint.model.values import Setting
from eilint.model.xml import XmlDoc
from eilint.model.xml import XmlElement

BPS_DATASOURCES = "datasources/bps-datasources.xml"
BPS_XML = "bps.xml"
BPS_NS = "http://wso2.org/bps/config"


class Datasource(Struct, frozen=True):
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
    def url(self) -> JdbcUrl | None:
        """Return the parsed ``<url>`` (None when absent or empty)."""
        setting = self.config.get("url")
        return parse_jdbc_url(setting.raw) if setting is not None else None

    @property
    def is_rdbms(self) -> bool:
        """Return True when the Tomcat-pool (RDBMS) reader reads this datasource."""
        # An absent type is judged as RDBMS: its pool properties still mislead.
        kind = self.definition_type
        return kind is None or kind.strip() == "RDBMS"

    @property
    def label(self) -> str:
        """Return a name for messages: the datasource name, else its JNDI name."""
        if self.name is not None and self.name.value.strip():
            return self.name.value.strip()
        return self.jndi.value.strip() if self.jndi else "(unnamed)"


def parse_datasource(rel: str, el: XmlElement) -> Datasource:
    """Read one ``<datasource>`` element of the file ``rel``."""
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
            parse_datasource(rel, el)
            for el in doc.root.findall("datasources", "datasource")
        )
    return tuple(found)


@per_node
def by_jndi(node: Node) -> Mapping[str, Datasource]:
    """Map each trimmed JNDI name to its datasource (the last binding wins, as EI)."""
    table: dict[str, Datasource] = {}
    for ds in datasources(node):
        if ds.jndi is not None and ds.jndi.value.strip():
            table[ds.jndi.value.strip()] = ds
    return table


class DatasourceRef(Struct, frozen=True):
    """A JNDI name some file refers to, and where the reference is.

    ``role`` says what the database is for: ``registry-local`` (currentDBConfig),
    ``registry-shared`` (a mounted remote instance), ``registry`` (a dbConfig
    nothing uses), ``user-store``, ``bpel``, ``humantask`` or ``bpmn``.
    """

    name: str
    where: Location
    source: str
    role: str = ""


# Roles whose database every node of a cluster must share (RULES.md: registry
# mounts, user store, BPEL/HumanTask, BPMN).
SHARED_ROLES = ("registry-shared", "user-store", "bpel", "humantask", "bpmn")
HUMANTASK_NS = "http://wso2.org/humantask/schema/server/config"


def bps_datasource_ref(node: Node) -> DatasourceRef | None:
    """Return bps.xml's ``DataBaseConfig/DataSource/@name`` (in the BPS namespace)."""
    doc = node.xml.get(BPS_XML)
    if doc is None or doc.root.ns != BPS_NS:
        return None
    el = doc.root.find("DataBaseConfig", "DataSource")
    if el is None or el.ns != BPS_NS or el.attr("name") is None:
        return None
    return DatasourceRef(
        el.attr("name") or "", el.where, "bps.xml DataBaseConfig/DataSource", "bpel"
    )


def _registry_refs(node: Node) -> list[DatasourceRef]:
    facts = registry(node)
    if facts is None:
        return []
    current = facts.current_db_config.value.strip() if facts.current_db_config else None
    shared = {
        i.db_config.value.strip() for i in facts.mounted_instances() if i.db_config
    }
    refs = []
    for cfg in facts.db_configs:
        if cfg.data_source is None:
            continue
        role = "registry"
        if cfg.name in shared:
            role = "registry-shared"
        elif cfg.name == current:
            role = "registry-local"
        source = f"registry.xml dbConfig {cfg.name!r}"
        refs.append(
            DatasourceRef(cfg.data_source.value, cfg.data_source.where, source, role)
        )
    return refs


def _user_store_ref(node: Node) -> DatasourceRef | None:
    doc = node.xml.get("user-mgt.xml")
    if doc is None:
        return None
    for prop in doc.root.findall("Realm", "Configuration", "Property"):
        if prop.attr("name") == "dataSource":
            source = "user-mgt.xml dataSource property"
            return DatasourceRef(prop.text or "", prop.where, source, "user-store")
    return None


def _humantask_ref(node: Node) -> DatasourceRef | None:
    doc = node.xml.get("humantask.xml")
    el = doc.root.find("PersistenceConfig", "DataSource") if doc else None
    if el is None or el.ns not in (None, HUMANTASK_NS):
        return None
    source = "humantask.xml PersistenceConfig/DataSource"
    return DatasourceRef(el.text or "", el.where, source, "humantask")


def _activiti_ref(node: Node) -> DatasourceRef | None:
    doc = node.xml.get("activiti.xml")
    if doc is None:
        return None
    for bean in doc.root.findall("bean"):
        for prop in bean.findall("property"):
            if prop.attr("name") == "dataSourceJndiName":
                source = "activiti.xml dataSourceJndiName"
                return DatasourceRef(
                    prop.attr("value") or "", prop.where, source, "bpmn"
                )
    return None


@per_node
def datasource_refs(node: Node) -> tuple[DatasourceRef, ...]:
    """Return every JNDI reference of the node's files, in file order."""
    refs: list[DatasourceRef | None] = [*_registry_refs(node), _user_store_ref(node)]
    refs += [bps_datasource_ref(node), _humantask_ref(node), _activiti_ref(node)]
    return tuple(r for r in refs if r is not None)


def resolve(node: Node, ref: DatasourceRef) -> Datasource | None:
    """Return the datasource a reference binds to (trimmed JNDI name)."""
    return by_jndi(node).get(ref.name.strip())


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
