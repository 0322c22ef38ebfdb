"""REG: registry mounts (registry.xml) within a node and across nodes."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from eilint.checks import registry_cache
from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.checks.crossnode import Seen
from eilint.checks.crossnode import deviations
from eilint.checks.registry_facts import each_registry
from eilint.checks.registry_facts import instance_label
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.registry import RegistryFacts
from eilint.model.registry import RemoteInstance
from eilint.model.registry import registry
from eilint.model.values import Setting
from eilint.model.xml import XmlElement

SHARED_PATHS = ("/_system/config", "/_system/governance")
# The Carbon path the clustering guide gives; EI 6.3.0's profile never reads it.
MISPLACED_REGISTRY = "wso2/business-process/repository/conf/registry.xml"


def _mounted(node: Node) -> tuple[RemoteInstance, ...]:
    facts = registry(node)
    return facts.mounted_instances() if facts else ()


def _read_only_where(inst: RemoteInstance) -> Location:
    return inst.read_only.where if inst.read_only else inst.where


def _placeholder_ro(inst: RemoteInstance) -> bool:
    return inst.read_only is not None and inst.read_only.placeholder


def _why_writes(inst: RemoteInstance) -> str:
    if inst.read_only is None:
        return "no <readOnly>, so read-write"
    raw = inst.read_only.raw
    if raw.lower() == "false":
        return "readOnly false"
    return f"readOnly {raw!r} is not 'true', so read-write"


def registry_writer_count(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Count nodes whose mounted remote instance is read-write; exactly one may be."""
    participants = [(n, _mounted(n)) for n in cluster.nodes if _mounted(n)]
    if not participants:
        return
    # A ${...} readOnly is resolved at start-up: that node may be either.
    unknown = [n for n, insts in participants if any(_placeholder_ro(i) for i in insts)]
    writers = [
        (n, [i for i in insts if i.writes and not _placeholder_ro(i)])
        for n, insts in participants
    ]
    writers = [(n, insts) for n, insts in writers if insts]
    if len(writers) == 1 or (unknown and len(writers) < 2):
        return
    if not writers:
        names = ", ".join(n.name for n, _ in participants)
        places = [_read_only_where(insts[0]) for _, insts in participants]
        message = (
            f"no node mounts the shared registry read-write (read-only on {names}); "
            "exactly one node must be the writer"
        )
        yield Hit(message, places[0], tuple(places[1:]))
        return
    detail = "; ".join(f"{n.name}: {_why_writes(insts[0])}" for n, insts in writers)
    places = [_read_only_where(i) for _, insts in writers for i in insts]
    message = (
        f"{len(writers)} nodes mount the shared registry read-write ({detail}); "
        "exactly one node may write"
    )
    yield Hit(message, places[0], tuple(places[1:]))


def _close(word: str, candidates: list[str]) -> str | None:
    match = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return match[0] if match else None


def remote_instance_dbconfig_unknown(
    cluster: Cluster, opts: RuleOptions
) -> Iterator[Hit]:
    """Flag a remoteInstance whose dbConfig names no dbConfig of the file."""
    for _, facts in each_registry(cluster):
        names = [c.name for c in facts.db_configs]
        for inst in facts.remote_instances:
            ref = inst.db_config
            if ref is None or ref.placeholder or ref.value.strip() in names:
                continue
            close = _close(ref.value.strip(), names)
            defined = ", ".join(repr(n) for n in names) or "none"
            message = (
                f"remoteInstance {instance_label(inst)} uses dbConfig "
                f"{ref.value.strip()!r}, which registry.xml does not define "
                f"(dbConfigs: {defined})"
            )
            hint = f"did you mean {close!r}?" if close else None
            related = tuple(c.where for c in facts.db_configs if c.name == close)
            yield Hit(message, ref.where, related, hint)


def current_dbconfig_undefined(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a currentDBConfig that is missing or names no dbConfig."""
    for node, facts in each_registry(cluster):
        names = [c.name for c in facts.db_configs]
        current = facts.current_db_config
        where = facts.where or node.file_location("registry.xml")
        if current is None:
            message = "registry.xml has no <currentDBConfig>: the registry cannot start"
            yield Hit(
                message,
                where,
                hint="add <currentDBConfig>wso2registry</currentDBConfig>",
            )
            continue
        name = current.value.strip()
        if current.placeholder or name in names:
            continue
        defined = ", ".join(repr(n) for n in names) or "none"
        message = (
            f"currentDBConfig {name!r} names no dbConfig of registry.xml "
            f"(dbConfigs: {defined}): the registry does not start"
        )
        close = None if name == "wso2registry" else _close(name, names)
        hint = (
            f"did you mean {close!r}?"
            if close
            else 'restore <dbConfig name="wso2registry">'
        )
        yield Hit(message, current.where, (), hint)


def mount_instance_unknown(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a mount whose instanceId names no remoteInstance (Carbon drops it)."""
    for _, facts in each_registry(cluster):
        ids = [i.id.value for i in facts.remote_instances if i.id]
        for mount in facts.mounts:
            ref = mount.instance_id
            if ref is None or ref.placeholder or ref.value in ids:
                continue
            known = ", ".join(repr(i) for i in ids) or "none"
            message = (
                f"mount {mount.path!r} uses instanceId {ref.value!r}, which names no "
                f"remoteInstance (ids: {known}): Carbon silently drops the mount"
            )
            close = _close(ref.value, ids)
            related = tuple(
                i.id.where
                for i in facts.remote_instances
                if i.id and i.id.value == close
            )
            yield Hit(
                message,
                ref.where,
                related,
                f"did you mean {close!r}?" if close else None,
            )


def _effective_paths(facts: RegistryFacts) -> set[str]:
    ids = {i.id.value for i in facts.remote_instances if i.id}
    return {
        (m.path or "").rstrip("/")
        for m in facts.mounts
        if m.instance_id is not None and m.instance_id.value in ids
    }


def registry_mount_missing(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag nodes of a multi-node cluster that do not mount config and governance.

    One finding per node, naming every path it lacks; a node whose mounts sit in
    the misplaced repository/conf/registry.xml is REG013's finding instead.
    """
    if len(cluster.nodes) < 2:
        return
    for node, facts in each_registry(cluster):
        missing = [p for p in SHARED_PATHS if p not in _effective_paths(facts)]
        if not missing or _misplaced_paths(node, facts):
            continue
        where = facts.where or node.file_location("registry.xml")
        kinds = " and ".join(p.rsplit("/", 1)[1] for p in missing)
        message = (
            f"{node.name} does not mount {' and '.join(missing)} from the shared "
            f"registry: its {kinds} registry stays in its local database, unseen "
            "by the other nodes"
        )
        mounts = ", ".join(f'<mount path="{p}">' for p in missing)
        yield Hit(message, where, hint=f"add {mounts} onto the shared remoteInstance")


def _misplaced_mounts(node: Node) -> list[XmlElement]:
    doc = node.extra_xml.get(MISPLACED_REGISTRY)
    if doc is None or doc.root.tag != "wso2registry":
        return []
    return [m for m in doc.root.findall("mount") if m.attr("path")]


def _misplaced_paths(node: Node, facts: RegistryFacts | None) -> list[XmlElement]:
    """Return the misplaced file's mounts the profile's registry.xml lacks."""
    have = _effective_paths(facts) if facts is not None else set()
    return [
        m
        for m in _misplaced_mounts(node)
        if (m.attr("path") or "").strip().rstrip("/") not in have
    ]


def registry_xml_misplaced(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag mounts written into repository/conf/registry.xml, which EI never reads."""
    for node in cluster.nodes:
        facts = registry(node)
        lost = _misplaced_paths(node, facts)
        if not lost:
            continue
        paths = ", ".join(sorted({(m.attr("path") or "").strip() for m in lost}))
        message = (
            f"{MISPLACED_REGISTRY} of {node.name} holds the registry mounts ({paths}), "
            "but the business-process profile reads only "
            "wso2/business-process/conf/registry.xml, which does not mount them: "
            "the node keeps its registry in its local database"
        )
        profile = (facts.where if facts else None) or node.file_location("registry.xml")
        hint = (
            "move the <dbConfig>, <remoteInstance> and <mount> elements into "
            "wso2/business-process/conf/registry.xml"
        )
        yield Hit(message, lost[0].where, (profile,), hint)


def mount_target_differs(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Compare each mount path's targetPath across nodes (grouped by path)."""
    by_path: dict[str, list[Seen]] = {}
    for node, facts in each_registry(cluster):
        for mount in facts.mounts:
            target = mount.target_path
            if mount.path is None or target is None or target.placeholder:
                continue
            value = target.value.strip()
            item = Seen(node.name, value.rstrip("/") or "/", value, target.where)
            by_path.setdefault(mount.path.rstrip("/"), []).append(item)
    for path, seen in sorted(by_path.items()):
        for dev in deviations(seen):
            message = (
                f"mount {path} targets {dev.seen.shown!r} on {dev.seen.node}, but "
                f"{dev.ref.shown!r} on {dev.others()}: the nodes read different "
                "registry collections"
            )
            yield Hit(
                message,
                dev.seen.where,
                dev.related(),
                f"use <targetPath>{dev.ref.shown}</targetPath>",
            )


def _duplicates(
    items: list[tuple[str, Location]],
) -> Iterator[tuple[str, Location, Location]]:
    first: dict[str, Location] = {}
    for key, where in items:
        if key in first:
            yield key, where, first[key]
        else:
            first[key] = where


def remote_instance_id_invalid(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag remoteInstances without an <id> or with an id used twice in the file."""
    for _, facts in each_registry(cluster):
        items = []
        for inst in facts.remote_instances:
            if inst.id is None or not inst.id.value.strip():
                where = inst.id.where if inst.id else inst.where
                yield Hit(
                    "remoteInstance has no <id>: the registry does not start", where
                )
            else:
                items.append((inst.id.value.strip(), inst.id.where))
        for key, where, first in _duplicates(items):
            message = (
                f"remoteInstance id {key!r} is defined twice (first at line "
                f"{first.line}): the registry does not start"
            )
            yield Hit(message, where, (first,))


def mount_path_duplicate(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag two mounts of the same path in one registry.xml."""
    for _, facts in each_registry(cluster):
        items = [((m.path or "").rstrip("/"), m.where) for m in facts.mounts if m.path]
        for key, where, first in _duplicates(items):
            message = (
                f"path {key} is mounted twice (first at line {first.line}): "
                "the registry does not start"
            )
            yield Hit(message, where, (first,))


def _flag_problem(raw: str, exact: bool) -> str | None:
    """Say how Carbon misreads a true/false flag, or None when it reads as meant."""
    if raw in ("true", "false"):
        return None
    if not exact and raw.lower() in ("true", "false"):
        return None
    if exact and raw.lower() == "true":
        return f"{raw!r} is not exactly 'true', so Carbon reads it as false"
    if raw.strip().lower() == "true":
        return f"{raw!r} is not trimmed before it is compared, so it reads as false"
    return f"{raw!r} is neither true nor false; Carbon reads it as false"


def _flags(facts: RegistryFacts) -> Iterator[tuple[str, Setting[str], bool]]:
    if facts.read_only is not None:
        yield "readOnly", facts.read_only, True
    if facts.enable_cache is not None:
        yield "enableCache", facts.enable_cache, True
    for inst in facts.remote_instances:
        if inst.read_only is not None:
            raw = inst.read_only.raw
            yield (
                "remoteInstance readOnly",
                Setting(raw, raw, inst.read_only.where),
                False,
            )
        if inst.enable_cache is not None:
            yield "remoteInstance enableCache", inst.enable_cache, False


def registry_flag_misread(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag readOnly/enableCache/overwrite values Carbon reads other than meant."""
    for _, facts in each_registry(cluster):
        for label, setting, exact in _flags(facts):
            problem = None if setting.placeholder else _flag_problem(setting.raw, exact)
            if problem:
                yield Hit(
                    f"{label} {problem}",
                    setting.where,
                    hint="write true or false, lowercase, without spaces",
                )
        for mount in facts.mounts:
            over = mount.overwrite
            if over is None or over in ("true", "false", "virtual"):
                continue
            message = (
                f"mount {mount.path} overwrite={over!r} is not true, false or "
                "virtual; Carbon reads it as false"
            )
            yield Hit(message, mount.where, hint='write overwrite="true" or "virtual"')


CHECKS: dict[str, Check] = {
    "REG001": registry_writer_count,
    "REG002": remote_instance_dbconfig_unknown,
    "REG003": current_dbconfig_undefined,
    "REG004": mount_instance_unknown,
    "REG005": registry_mount_missing,
    "REG006": mount_target_differs,
    "REG007": remote_instance_id_invalid,
    "REG008": mount_path_duplicate,
    "REG009": registry_flag_misread,
    "REG013": registry_xml_misplaced,
    # cacheId and the registry cache keys live in their own module (size).
    **registry_cache.CHECKS,
}
