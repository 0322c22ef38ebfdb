"""Facts of bps.xml, humantask.xml and etc/tasks-config.xml (the process engine)."""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

from eilint.findings import Location
from eilint.model.cluster import Node
from eilint.model.memo import per_node
from eilint.model.values import Setting
from eilint.model.values import ignore_case_true
from eilint.model.values import xs_int
from eilint.model.xml import XmlElement

BPS_XML = "bps.xml"
BPS_NS = "http://wso2.org/bps/config"
HUMANTASK_XML = "humantask.xml"
HUMANTASK_NS = "http://wso2.org/humantask/schema/server/config"
TASKS_CONFIG = "etc/tasks-config.xml"
# HumanTaskServerConfiguration's threadPoolMaxSize when SchedulerConfig is absent.
HUMANTASK_POOL_DEFAULT = 50
TASK_MODES = ("STANDALONE", "CLUSTERED", "REMOTE", "AUTO")


class BpsFacts(Struct, frozen=True):
    """What BPELServerConfiguration reads from bps.xml.

    ``ode_pool`` is None when ``ODESchedulerThreadPoolSize`` is absent (EI then
    uses 0: an unbounded pool); its value is None when not an ``xs:int``.
    ``node_id`` is set only when the text is not blank (blank means a random id).
    ``stray`` lists elements outside the BPS namespace, which XMLBeans ignores.
    """

    root: XmlElement
    ode_pool: Setting[int | None] | None
    distributed_lock: Setting[bool] | None
    node_id: Setting[str] | None
    stray: tuple[XmlElement, ...]


def _own(root: XmlElement, name: str) -> XmlElement | None:
    return next((c for c in root.children if c.tag == name and c.ns == BPS_NS), None)


def _stray(el: XmlElement) -> Iterator[XmlElement]:
    for child in el.children:
        if child.ns != BPS_NS:
            yield child  # its own subtree is ignored with it: no need to go deeper
        else:
            yield from _stray(child)


@per_node
def bps_facts(node: Node) -> BpsFacts | None:
    """Return bps.xml's facts, None when the file is absent or not a BPS config."""
    doc = node.xml.get(BPS_XML)
    if doc is None or doc.root.tag != "WSO2BPS" or doc.root.ns != BPS_NS:
        return None
    root = doc.root
    pool = _own(root, "ODESchedulerThreadPoolSize")
    lock = _own(root, "UseDistributedLock")
    node_id = _own(root, "NodeId")
    return BpsFacts(
        root=root,
        ode_pool=None if pool is None else _int_setting(pool),
        distributed_lock=None
        if lock is None
        else Setting(ignore_case_true(lock.text), lock.text or "", lock.where),
        node_id=None
        if node_id is None or not node_id.stripped()
        else Setting(node_id.text or "", node_id.text or "", node_id.where),
        stray=tuple(_stray(root)),
    )


def _int_setting(el: XmlElement) -> Setting[int | None]:
    return Setting(xs_int(el.text), el.text or "", el.where)


class HumanTaskFacts(Struct, frozen=True):
    """humantask.xml's persistence datasource and scheduler pool size."""

    data_source: Setting[str] | None
    pool: Setting[int | None] | None
    where: Location

    @property
    def pool_size(self) -> int | None:
        """Return the scheduler pool EI uses (50 when unset), None when unreadable."""
        return HUMANTASK_POOL_DEFAULT if self.pool is None else self.pool.value


@per_node
def humantask_facts(node: Node) -> HumanTaskFacts | None:
    """Return humantask.xml's facts, None when absent or not a HumanTask config."""
    doc = node.xml.get(HUMANTASK_XML)
    if doc is None or doc.root.tag != "HumanTaskServerConfig":
        return None
    ds = doc.root.find("PersistenceConfig", "DataSource")
    pool = doc.root.find("SchedulerConfig", "MaxThreadPoolSize")
    return HumanTaskFacts(
        data_source=None
        if ds is None
        else Setting(ds.stripped(), ds.text or "", ds.where),
        pool=None if pool is None else _int_setting(pool),
        where=doc.root.where,
    )


class TaskServerFacts(Struct, frozen=True):
    """tasks-config.xml's mode and count, read as Carbon's ntask reads them.

    ``mode`` is the effective configured mode: an absent or unknown value is
    ``AUTO``. ``count`` is None when absent (JAXB then leaves 0: no waiting).
    """

    mode: str
    mode_setting: Setting[str] | None
    count: Setting[int | None] | None
    where: Location

    @property
    def mode_valid(self) -> bool:
        """Return False when a mode is written but is not one ntask knows."""
        return self.mode_setting is None or self.mode_setting.value in TASK_MODES


@per_node
def task_server_facts(node: Node) -> TaskServerFacts | None:
    """Return the task server facts, None when tasks-config.xml is absent."""
    doc = node.xml.get(TASKS_CONFIG)
    if doc is None or doc.root.tag != "tasks-configuration":
        return None
    mode_el = doc.root.find("taskServerMode")
    count_el = doc.root.find("taskServerCount")
    mode_setting = (
        None
        if mode_el is None
        else Setting(mode_el.stripped(), mode_el.text or "", mode_el.where)
    )
    mode = "AUTO"
    if mode_setting is not None and mode_setting.value in TASK_MODES:
        mode = mode_setting.value
    return TaskServerFacts(
        mode=mode,
        mode_setting=mode_setting,
        count=None if count_el is None else _int_setting(count_el),
        where=doc.root.where,
    )
