"""Facts of registry.xml: dbConfigs, remote instances and mounts."""

from __future__ import annotations

from msgspec import Struct

from eilint.findings import Location
from eilint.model.cluster import Node
from eilint.model.memo import per_node
from eilint.model.values import Setting
from eilint.model.values import ignore_case_true
from eilint.model.xml import XmlElement

REGISTRY = "registry.xml"


class DbConfig(Struct, frozen=True):
    """A ``<dbConfig name=...>`` with its ``dataSource`` JNDI name."""

    name: str
    data_source: Setting[str] | None
    where: Location


class RemoteInstance(Struct, frozen=True):
    """A ``<remoteInstance>``; ``read_only`` is what Carbon will make of it."""

    id: Setting[str] | None
    url: str | None
    db_config: Setting[str] | None
    read_only: Setting[bool] | None
    enable_cache: Setting[str] | None
    registry_root: Setting[str] | None
    cache_id: Setting[str] | None
    where: Location

    @property
    def writes(self) -> bool:
        """Return True when Carbon mounts this instance read-write.

        ``readOnly`` is compared with ``equalsIgnoreCase("true")`` and not trimmed,
        so a missing element, ``" true"`` or a typo all mean read-write.
        """
        return self.read_only is None or not self.read_only.value


class Mount(Struct, frozen=True):
    """A ``<mount path=...>`` onto a remote instance."""

    path: str | None
    overwrite: str | None
    instance_id: Setting[str] | None
    target_path: Setting[str] | None
    where: Location


class RegistryFacts(Struct, frozen=True):
    """Everything the registry rules read from one node's registry.xml."""

    path: str
    current_db_config: Setting[str] | None
    db_configs: tuple[DbConfig, ...]
    remote_instances: tuple[RemoteInstance, ...]
    mounts: tuple[Mount, ...]
    read_only: Setting[str] | None
    enable_cache: Setting[str] | None
    where: Location | None = None

    def instance(self, instance_id: str) -> RemoteInstance | None:
        """Return the remote instance with this exact id."""
        for inst in self.remote_instances:
            if inst.id is not None and inst.id.value == instance_id:
                return inst
        return None

    def mounted_instances(self) -> tuple[RemoteInstance, ...]:
        """Return the remote instances some mount refers to (Carbon drops the rest)."""
        used = {m.instance_id.value for m in self.mounts if m.instance_id}
        return tuple(
            i for i in self.remote_instances if i.id is not None and i.id.value in used
        )


def text_setting(el: XmlElement | None) -> Setting[str] | None:
    """Return an element's raw text as a setting located at the element."""
    if el is None:
        return None
    raw = el.text or ""
    return Setting(raw, raw, el.where)


def _remote(el: XmlElement) -> RemoteInstance:
    ro = el.find("readOnly")
    read_only = None
    if ro is not None:
        read_only = Setting(ignore_case_true(ro.text), ro.text or "", ro.where)
    return RemoteInstance(
        id=text_setting(el.find("id")),
        url=el.attr("url"),
        db_config=text_setting(el.find("dbConfig")),
        read_only=read_only,
        enable_cache=text_setting(el.find("enableCache")),
        registry_root=text_setting(el.find("registryRoot")),
        cache_id=text_setting(el.find("cacheId")),
        where=el.where,
    )


def _mount(el: XmlElement) -> Mount:
    return Mount(
        path=el.attr("path"),
        overwrite=el.attr("overwrite"),
        instance_id=text_setting(el.find("instanceId")),
        target_path=text_setting(el.find("targetPath")),
        where=el.where,
    )


@per_node
def registry(node: Node) -> RegistryFacts | None:
    """Return the node's registry facts, or None when registry.xml is unusable."""
    doc = node.xml.get(REGISTRY)
    if doc is None or doc.root.tag != "wso2registry":
        return None
    root = doc.root
    return RegistryFacts(
        path=doc.path,
        current_db_config=text_setting(root.find("currentDBConfig")),
        db_configs=tuple(
            DbConfig(d.attr("name") or "", text_setting(d.find("dataSource")), d.where)
            for d in root.findall("dbConfig")
        ),
        remote_instances=tuple(_remote(e) for e in root.findall("remoteInstance")),
        mounts=tuple(_mount(e) for e in root.findall("mount")),
        read_only=text_setting(root.find("readOnly")),
        enable_cache=text_setting(root.find("enableCache")),
        where=root.where,
    )
