"""BPS: the process engine (bps.xml, humantask.xml, etc/tasks-config.xml)."""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.bps import BPS_NS
from eilint.model.bps import TASK_MODES
from eilint.model.bps import BpsFacts
from eilint.model.bps import bps_facts
from eilint.model.bps import humantask_facts
from eilint.model.bps import task_server_facts
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.clustering import AXIS2
from eilint.model.clustering import clustering
from eilint.model.clustering import clustering_on
from eilint.model.datasources import bps_datasource
from eilint.model.values import datasource_int

# The Tomcat JDBC pool's maxActive when the datasource does not set it.
MAX_ACTIVE_DEFAULT = 100


class _Pools(Struct, frozen=True):
    """The ODE pool (0 = unbounded) and the BPS datasource's maxActive."""

    ode: int
    ode_where: Location
    ode_set: bool
    max_active: int
    max_where: Location
    ds_label: str


def _pools(node: Node, facts: BpsFacts) -> _Pools | None:
    ds, _ref = bps_datasource(node)
    pool = facts.ode_pool
    if ds is None:
        return None  # an unresolved JNDI name is the DSR rules' finding
    if pool is not None and (pool.value is None or pool.placeholder):
        return None  # unreadable: the schema check reports it
    raw = ds.get("maxActive")
    max_active = datasource_int(raw.raw) if raw is not None else None
    if raw is not None and raw.placeholder:
        return None
    return _Pools(
        ode=0 if pool is None else pool.value or 0,
        ode_where=facts.root.where if pool is None else pool.where,
        ode_set=pool is not None,
        max_active=MAX_ACTIVE_DEFAULT if max_active is None else max_active,
        max_where=raw.where if raw is not None else ds.where,
        ds_label=ds.label,
    )


def _max_text(p: _Pools) -> str:
    return f"maxActive {p.max_active} of the BPS datasource {p.ds_label}"


def ode_pool_exhausts_datasource(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag an ODE scheduler pool that is unbounded or not below maxActive."""
    for node in cluster.nodes:
        facts = bps_facts(node)
        p = None if facts is None else _pools(node, facts)
        if p is None:
            continue
        related = (p.max_where,)
        if p.ode == 0:
            what = (
                "ODESchedulerThreadPoolSize is 0"
                if p.ode_set
                else "ODESchedulerThreadPoolSize is not set (EI then uses 0)"
            )
            message = (
                f"{what}: an unbounded scheduler pool outgrows {_max_text(p)} "
                "and threads wait for connections"
            )
            yield Hit(message, p.ode_where, related)
        elif p.ode >= p.max_active:
            message = (
                f"ODESchedulerThreadPoolSize {p.ode} is not below {_max_text(p)}: "
                "scheduler threads alone can take every connection"
            )
            yield Hit(message, p.ode_where, related)


def scheduler_threads_reach_datasource(
    cluster: Cluster, opts: RuleOptions
) -> Iterator[Hit]:
    """Flag ODE plus HumanTask scheduler threads reaching the shared maxActive."""
    for node in cluster.nodes:
        facts = bps_facts(node)
        p = None if facts is None else _pools(node, facts)
        ht = humantask_facts(node)
        _ds, ref = bps_datasource(node)
        if p is None or ht is None or ref is None or not 0 < p.ode < p.max_active:
            continue
        if ht.data_source is None or ht.data_source.value != ref.name.strip():
            continue  # HumanTask persists elsewhere: it does not share this pool
        ht_pool = ht.pool_size
        if ht_pool is None or p.ode + ht_pool < p.max_active:
            continue
        ht_where = ht.pool.where if ht.pool is not None else ht.where
        related = (ht_where, p.max_where)
        message = (
            f"ODE scheduler threads {p.ode} plus HumanTask scheduler threads "
            f"{ht_pool} = {p.ode + ht_pool} reach {_max_text(p)}: under load "
            "nothing is left for other work on that pool"
        )
        yield Hit(message, p.ode_where, related)


def distributed_lock_off(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag clustered nodes whose bps.xml does not enable UseDistributedLock."""
    for node in cluster.nodes:
        facts = bps_facts(node)
        if facts is None or not clustering_on(node):
            continue
        lock = facts.distributed_lock
        if lock is None:
            message = (
                "clustering is on but bps.xml does not set UseDistributedLock: "
                "nodes modify the same process instances without a lock"
            )
            yield Hit(message, facts.root.where)
        elif not lock.value:
            message = (
                f"UseDistributedLock is {lock.raw!r} on a clustered node (EI reads "
                "only 'true', in any case): nodes modify the same process "
                "instances without a lock"
            )
            yield Hit(message, lock.where)


def duplicate_node_id(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a NodeId that an earlier node already uses (one pass, a dict)."""
    first: dict[str, tuple[str, Location]] = {}
    for node in cluster.nodes:
        facts = bps_facts(node)
        setting = None if facts is None else facts.node_id
        if setting is None or setting.placeholder:
            continue
        seen = first.get(setting.value)
        if seen is None:
            first[setting.value] = (node.name, setting.where)
            continue
        message = (
            f"NodeId {setting.value.strip()!r} is also the NodeId of {seen[0]}: "
            "both nodes claim the same scheduled jobs"
        )
        yield Hit(message, setting.where, (seen[1],))


class _Wait(Struct, frozen=True):
    """A node whose start-up waits for task servers, and the line to change."""

    count: int
    mode: str
    where: Location
    related: tuple[Location, ...] = ()
    hint: str | None = None


def _clustered_wait(node: Node) -> _Wait | None:
    """Return how start-up waits for task servers, None when it does not.

    An unknown mode (``Standalone``: ntask compares exactly) reads as AUTO; the
    line to change is then the mode's, with the count related.
    """
    tasks = task_server_facts(node)
    if tasks is None or tasks.mode not in ("AUTO", "CLUSTERED"):
        return None
    if tasks.mode_setting is not None and tasks.mode_setting.placeholder:
        return None  # STANDALONE, perhaps, once the template is rendered
    if not clustering_on(node) or tasks.count is None or tasks.count.placeholder:
        return None
    count = tasks.count.value
    if count is None or count <= 1:
        return None
    if tasks.mode_setting is None:
        mode = "taskServerMode is not set (AUTO)"
    elif not tasks.mode_valid:
        written = tasks.mode_setting.raw.strip()
        mode = f"taskServerMode {written!r} is unknown (AUTO)"
        meant = written.upper()
        hint = f"write {meant} in capitals" if meant in TASK_MODES else None
        where = tasks.mode_setting.where
        return _Wait(count, mode, where, (tasks.count.where,), hint)
    else:
        mode = f"taskServerMode {tasks.mode}"
    return _Wait(count, mode, tasks.count.where)


def _maybe_clustered(node: Node) -> bool:
    """Clustering on, or not known: axis2.xml absent or enable a placeholder."""
    facts = clustering(node)
    if facts is None:
        return AXIS2 not in node.xml  # absent or unreadable: not known
    return facts.enabled.value or facts.enabled.placeholder


def task_server_count_unreachable(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a taskServerCount larger than the clustered nodes given.

    A node whose clustering eilint cannot tell (no axis2.xml, or enable left
    to a placeholder) counts as clustered: the claim must hold either way.
    """
    clustered = sum(1 for n in cluster.nodes if _maybe_clustered(n))
    for node in cluster.nodes:
        wait = _clustered_wait(node)
        if wait is None or wait.count <= clustered:
            continue
        message = (
            f"{wait.mode} with clustering on waits at start-up for taskServerCount "
            f"{wait.count} task servers, but the cluster has {clustered} clustered "
            "node(s): start-up never completes"
        )
        yield Hit(message, wait.where, wait.related, wait.hint)


def task_server_waits_for_peers(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag clustered nodes that cannot finish start-up alone (count > 1)."""
    clustered = sum(1 for n in cluster.nodes if _maybe_clustered(n))
    for node in cluster.nodes:
        wait = _clustered_wait(node)
        if wait is None or wait.count > clustered:
            continue
        message = (
            f"{wait.mode} with clustering on: start-up waits until {wait.count} task "
            "servers have joined, so this node cannot start while the others "
            "are down"
        )
        yield Hit(message, wait.where, wait.related, wait.hint)


def bps_element_outside_namespace(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag bps.xml elements outside the BPS namespace (XMLBeans skips them)."""
    for node in cluster.nodes:
        facts = bps_facts(node)
        for el in () if facts is None else facts.stray:
            ns = f"namespace {el.ns}" if el.ns else "no namespace"
            message = (
                f"<{el.tag}> in bps.xml has {ns}, not {BPS_NS}: EI ignores it "
                "and everything inside it"
            )
            yield Hit(message, el.where, hint=f"write it as <tns:{el.tag}>")


CHECKS: dict[str, Check] = {
    "BPS001": ode_pool_exhausts_datasource,
    "BPS002": scheduler_threads_reach_datasource,
    "BPS003": distributed_lock_off,
    "BPS004": duplicate_node_id,
    "BPS005": task_server_count_unreachable,
    "BPS006": task_server_waits_for_peers,
    "BPS007": bps_element_outside_namespace,
}
