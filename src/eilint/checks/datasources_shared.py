"""DSR: the databases a cluster shares (found by reference) compared across nodes."""

from __future__ import annotations

from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.checks.clustering_base import names
from eilint.checks.crossnode import MAX_RELATED
from eilint.checks.crossnode import Deviation
from eilint.checks.crossnode import Seen
from eilint.checks.crossnode import clustered
from eilint.checks.crossnode import deviations
from eilint.checks.crossnode import duplicates
from eilint.checks.placeholders import other_placeholders
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.datasources import SHARED_ROLES
from eilint.model.datasources import Datasource
from eilint.model.datasources import DatasourceRef
from eilint.model.datasources import by_jndi
from eilint.model.datasources import datasource_docs
from eilint.model.datasources import datasource_refs
from eilint.model.jdbc import JdbcUrl
from eilint.model.registry import registry
from eilint.model.values import Setting

ROLE_NAMES = {
    "registry-local": "local registry",
    "registry-shared": "shared registry",
    "registry": "registry",
    "user-store": "user store",
    "bpel": "BPEL",
    "humantask": "HumanTask",
    "bpmn": "BPMN (Activiti)",
}


def role_refs(
    node: Node, roles: tuple[str, ...]
) -> Iterator[tuple[DatasourceRef, Datasource]]:
    """Yield the first resolved reference of each role (the database that role uses)."""
    table = by_jndi(node)
    done: set[str] = set()
    for ref in datasource_refs(node):
        ds = table.get(ref.name.strip())
        if ref.role in roles and ref.role not in done and ds is not None:
            done.add(ref.role)
            yield ref, ds


def shared_once(node: Node) -> Iterator[tuple[DatasourceRef, Datasource]]:
    """Yield each shared datasource once, with the first reference that uses it."""
    seen: list[Datasource] = []
    for ref, ds in role_refs(node, SHARED_ROLES):
        if not any(ds is other for other in seen):
            seen.append(ds)
            yield ref, ds


def url_of(ds: Datasource) -> tuple[JdbcUrl, Location] | None:
    setting = ds.get("url")
    if setting is None or setting.placeholder or ds.url is None:
        return None
    return ds.url, setting.where


def _shared(cluster: Cluster, role: str) -> list[tuple[Seen, JdbcUrl]]:
    seen = []
    for node in cluster.nodes:
        for _, ds in role_refs(node, (role,)):
            parsed = url_of(ds)
            if parsed is None or parsed[0].identity is None:
                continue
            url, where = parsed
            seen.append((Seen(node.name, url.identity, url.redacted(), where), url))
    return seen


def _differs(dev: Deviation, what: str, tail: str, hint: str) -> Hit:
    message = (
        f"{what} on {dev.seen.node} is {dev.seen.shown!r}, but {dev.ref.shown!r} "
        f"on {dev.others()}: {tail}"
    )
    return Hit(message, dev.seen.where, dev.related(), hint)


def shared_database_differs(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Compare each shared role's database (vendor, hosts, database) across nodes."""
    done: set[Location] = set()
    # Nodes naming another user store in user-mgt.xml are DSR017's finding.
    user_jndi = {s.node: s.key for s, _ in _user_store_names(cluster)}
    for role in SHARED_ROLES:
        for dev in deviations(s for s, _ in _shared(cluster, role)):
            if dev.seen.where in done:
                continue  # BPEL and HumanTask share bpsds: one finding
            if role == "user-store" and user_jndi.get(dev.seen.node) != user_jndi.get(
                dev.ref.node
            ):
                continue
            done.add(dev.seen.where)
            what = f"the {ROLE_NAMES[role]} database"
            tail = "the nodes do not share it"
            yield _differs(dev, what, tail, "point every node at the same database")


def shared_database_url_variant(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag the same shared database reached with other URL options on some node."""
    done: set[Location] = set()
    for role in SHARED_ROLES:
        if role == "registry-shared":
            continue  # REG012 reports this one as an error (registry cache keys)
        groups: dict[object, list[Seen]] = {}
        for seen, url in _shared(cluster, role):
            variant = Seen(seen.node, url.raw, seen.shown, seen.where)
            groups.setdefault(seen.key, []).append(variant)
        for group in groups.values():
            for dev in deviations(group):
                if dev.seen.where in done:
                    continue
                done.add(dev.seen.where)
                what = f"the {ROLE_NAMES[role]} database URL"
                tail = "same database, different connection options"
                yield _differs(dev, what, tail, "use the same URL text on every node")


def local_registry_db_shared(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag nodes whose local registry (currentDBConfig) database is another node's."""
    seen = []
    for node in cluster.nodes:
        for _, ds in role_refs(node, ("registry-local",)):
            parsed = url_of(ds)
            if parsed is not None and parsed[0].identity is not None:
                seen.append(
                    Seen(node.name, parsed[0].identity, parsed[0].redacted(), parsed[1])
                )
    for item, others in duplicates(seen):
        names = ", ".join(o.node for o in others)
        message = (
            f"the local registry database of {item.node} ({item.shown!r}) is also "
            f"the local registry of {names}: each node needs its own"
        )
        yield Hit(
            message,
            item.where,
            tuple(o.where for o in others),
            "give each node its own REGISTRY_LOCALn database",
        )


def shared_database_on_h2(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a shared database on H2 in a cluster (H2 is for the local registry only)."""
    for node in cluster.nodes:
        if not clustered(cluster, node):
            continue
        for ref, ds in shared_once(node):
            parsed = url_of(ds)
            if parsed is None or parsed[0].vendor != "h2":
                continue
            kind = "embedded H2 file" if parsed[0].embedded else "an H2 server"
            message = (
                f"the {ROLE_NAMES[ref.role]} database of {node.name} ({ds.label}) is "
                f"{kind}: H2 is only for the local registry"
            )
            yield Hit(message, parsed[1], (ref.where,))


def shared_database_on_localhost(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a shared database on localhost/127.0.0.1/::1 in a multi-node cluster."""
    for node in cluster.nodes:
        if not clustered(cluster, node):
            continue
        for ref, ds in shared_once(node):
            parsed = url_of(ds)
            if parsed is None or not parsed[0].local:
                continue
            message = (
                f"the {ROLE_NAMES[ref.role]} database of {node.name} is on "
                f"{parsed[0].host}: each node would use a database of its own host"
            )
            yield Hit(
                message, parsed[1], (ref.where,), "use the database server's address"
            )


def _placeholders(node: Node) -> Iterator[tuple[str, Setting[str]]]:
    done: list[Datasource] = []
    for _, ds in role_refs(node, (*SHARED_ROLES, "registry-local")):
        if any(ds is d for d in done):
            continue
        done.append(ds)
        for key in ("url", "username"):
            setting = ds.get(key)
            if setting is not None and setting.placeholder:
                yield f"{ds.label} {key}", setting
    facts = registry(node)
    for inst in facts.mounted_instances() if facts else ():
        if inst.cache_id is not None and inst.cache_id.placeholder:
            yield "cacheId", inst.cache_id
        if inst.read_only is not None and inst.read_only.placeholder:
            raw = inst.read_only.raw
            yield "remoteInstance readOnly", Setting(raw, raw, inst.read_only.where)
    for mount in facts.mounts if facts else ():
        if mount.target_path is not None and mount.target_path.placeholder:
            yield f"mount {mount.path} targetPath", mount.target_path
    yield from other_placeholders(node)


def placeholder_values_skipped(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """List, once per node, the placeholder values the rules skipped."""
    for node in cluster.nodes:
        found = list(_placeholders(node))
        if not found:
            continue
        listed = "; ".join(f"{label} {s.raw.strip()!r}" for label, s in found)
        message = (
            f"{node.name}: {len(found)} value(s) left to placeholders (filled in at "
            f"start-up or by a template) were not checked: {listed}"
        )
        related = tuple(s.where for _, s in found[1:])
        yield Hit(message, found[0][1].where, related)


def _user_store_names(cluster: Cluster) -> list[tuple[Seen, bool]]:
    """Return each node's user-mgt.xml dataSource, and whether it is node-local.

    Node-local: the JNDI name of the node's own local registry (currentDBConfig,
    jdbc/WSO2CarbonDB in the stock files), which no other node reads. A name no
    datasource of the node defines is DSR003's finding and is left out here.
    """
    found = []
    for node in cluster.nodes:
        refs = datasource_refs(node)
        user = next((r for r in refs if r.role == "user-store"), None)
        if user is None or not user.name.strip() or "${" in user.name:
            continue
        name = user.name.strip()
        if datasource_docs(node) and name not in by_jndi(node):
            continue
        local = {r.name.strip() for r in refs if r.role == "registry-local"}
        found.append((Seen(node.name, name, name, user.where), name in local))
    return found


def user_store_reference_differs(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Compare user-mgt.xml's dataSource JNDI name across nodes.

    The reference is the largest group; on a tie, a group whose name is not the
    node's own local registry database (a user store must be shared).
    """
    found = _user_store_names(cluster)
    groups: dict[object, list[tuple[Seen, bool]]] = {}
    for item in found:
        groups.setdefault(item[0].key, []).append(item)
    if len(groups) < 2:
        return
    ref_key = max(groups, key=lambda k: (len(groups[k]), not groups[k][0][1]))
    reference = [s for s, _ in groups[ref_key]]
    others = names([s.node for s in reference])
    verb = "reads" if len(reference) == 1 else "read"
    for key, members in groups.items():
        if key == ref_key:
            continue
        for seen, local in members:
            why = " (its own local registry database)" if local else ""
            message = (
                f"user-mgt.xml of {seen.node} reads users from {seen.shown!r}{why}, "
                f"but {others} {verb} {reference[0].shown!r}: users, roles and "
                "permissions are not shared across the cluster"
            )
            hint = f'use <Property name="dataSource">{reference[0].shown}</Property>'
            related = tuple(s.where for s in reference[:MAX_RELATED])
            yield Hit(message, seen.where, related, hint)


CHECKS: dict[str, Check] = {
    "DSR006": shared_database_differs,
    "DSR007": shared_database_url_variant,
    "DSR008": local_registry_db_shared,
    "DSR009": shared_database_on_h2,
    "DSR010": shared_database_on_localhost,
    "DSR016": placeholder_values_skipped,
    "DSR017": user_store_reference_differs,
}
