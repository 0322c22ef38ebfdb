"""REG: the shared registry's cacheId and cache keys, within a node and across nodes."""

from __future__ import annotations

from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.checks.crossnode import Seen
from eilint.checks.crossnode import deviations
from eilint.checks.registry_facts import each_registry
from eilint.checks.registry_facts import instance_label
from eilint.findings import Hit
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.datasources import Datasource
from eilint.model.datasources import by_jndi
from eilint.model.datasources import datasource_docs
from eilint.model.jdbc import parse_jdbc_url
from eilint.model.registry import RegistryFacts
from eilint.model.registry import RemoteInstance


def _instance_datasource(
    node: Node, facts: RegistryFacts, inst: RemoteInstance
) -> Datasource | None:
    if inst.db_config is None:
        return None
    for cfg in facts.db_configs:
        if cfg.name == inst.db_config.value.strip() and cfg.data_source is not None:
            return by_jndi(node).get(cfg.data_source.value.strip())
    return None


def _cache_key(ds: Datasource) -> str | None:
    """Return the datasource's ``user@url`` as Carbon builds its cache key."""
    url, user = ds.get("url"), ds.get("username")
    if url is None or url.placeholder or (user is not None and user.placeholder):
        return None
    return f"{(user.raw if user else '').strip()}@{url.raw.strip()}"


def cache_id_datasource_mismatch(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Compare each mounted remoteInstance's cacheId with its datasource's user@url."""
    for node, facts in each_registry(cluster):
        for inst in facts.mounted_instances():
            ds = _instance_datasource(node, facts, inst)
            key = _cache_key(ds) if ds else None
            if ds is None or key is None or not datasource_docs(node):
                continue
            url = ds.get("url")
            related = (url.where,) if url else (ds.where,)
            cache = inst.cache_id
            if cache is None:
                message = (
                    f"remoteInstance {instance_label(inst)} has no <cacheId>; the "
                    f"guide asks for the datasource's user@url ({ds.label})"
                )
                yield Hit(
                    message, inst.where, related, "add <cacheId>user@jdbc-url</cacheId>"
                )
            elif not cache.placeholder and cache.value.strip() != key:
                message = (
                    f"cacheId {cache.value.strip()!r} is not the user@url of the "
                    f"datasource {ds.label} it mounts"
                )
                yield Hit(
                    message,
                    cache.where,
                    related,
                    "write <cacheId> as <username>@<url> of that datasource",
                )


def cache_id_differs(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Compare the mounted remoteInstance's cacheId across nodes.

    A node whose datasource's user@url is known is judged by REG010 (cacheId
    against its own datasource) and REG012/DSR006 (that datasource against the
    others'): its differing cacheId is one of those findings already.
    """
    seen = []
    judged = set()
    for node, facts in each_registry(cluster):
        mounted = facts.mounted_instances()
        cache = mounted[0].cache_id if mounted else None
        if cache is not None and not cache.placeholder:
            value = cache.value.strip()
            seen.append(Seen(node.name, value, value, cache.where))
            ds = _instance_datasource(node, facts, mounted[0])
            if ds is not None and _cache_key(ds) and datasource_docs(node):
                judged.add(node.name)
    for dev in deviations(seen):
        if dev.seen.node in judged:
            continue
        message = (
            f"cacheId on {dev.seen.node} is {dev.seen.shown!r}, but "
            f"{dev.ref.shown!r} on {dev.others()}"
        )
        yield Hit(
            message,
            dev.seen.where,
            dev.related(),
            f"use <cacheId>{dev.ref.shown}</cacheId>",
        )


def registry_cache_key_differs(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Compare the shared registry datasource's user@url text across nodes."""
    by_db: dict[object, list[Seen]] = {}
    for node, facts in each_registry(cluster):
        mounted = facts.mounted_instances()
        ds = _instance_datasource(node, facts, mounted[0]) if mounted else None
        key = _cache_key(ds) if ds else None
        url = ds.get("url") if ds else None
        if ds is None or key is None or url is None or ds.url is None:
            continue
        # Only the same database reached by other text: other databases are DSR006's.
        seen = Seen(node.name, key, key, url.where)
        by_db.setdefault(ds.url.identity, []).append(seen)
    for group in by_db.values():
        for dev in deviations(group):
            message = (
                f"the shared registry datasource on {dev.seen.node} is "
                f"{_safe(dev.seen.shown)!r}, but {_safe(dev.ref.shown)!r} on "
                f"{dev.others()}: the same database under another user@url, so "
                "cross-node cache invalidation misses and nodes serve stale resources"
            )
            yield Hit(
                message,
                dev.seen.where,
                dev.related(),
                "use the same username and url text on every node",
            )


def _safe(key: str) -> str:
    user, _, url = key.partition("@")
    parsed = parse_jdbc_url(url)
    return f"{user}@{parsed.redacted() if parsed else url}"


CHECKS: dict[str, Check] = {
    "REG010": cache_id_datasource_mismatch,
    "REG011": cache_id_differs,
    "REG012": registry_cache_key_differs,
}
