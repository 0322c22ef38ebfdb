"""CLU: hazelcast.properties and log4j.properties of clustered nodes.

Carbon loads ``hazelcast.properties`` from the profile's ``conf/`` (not
``conf/etc/``) with ``java.util.Properties``: the last of duplicate keys wins
and trailing blanks stay in the value. Hazelcast then compares
``hazelcast.logging.type`` exactly and reads booleans with
``Boolean.parseBoolean``.
"""

from __future__ import annotations

from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.clustering import AXIS2
from eilint.model.clustering import membership
from eilint.model.properties import PropertiesFile
from eilint.model.values import is_placeholder

HZ_PROPS = "hazelcast.properties"
LOG4J = "log4j.properties"
SHUTDOWN_HOOK = "hazelcast.shutdownhook.enabled"
LOGGING_TYPE = "hazelcast.logging.type"
HZ_LOGGER = "log4j.logger.com.hazelcast"
LOGGING_TYPES = frozenset({"jdk", "log4j", "log4j2", "slf4j", "none"})
LEVELS = frozenset({"ALL", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF"})


def _axis2_mode(cluster: Cluster) -> Iterator[Node]:
    # With etc/hazelcast.xml Carbon skips hazelcast.properties: that file's own
    # <properties> apply instead.
    for node in cluster.nodes:
        m = membership(node)
        if m is not None and m.source == AXIS2:
            yield node


def _hz_props(cluster: Cluster) -> Iterator[tuple[Node, PropertiesFile]]:
    for node in _axis2_mode(cluster):
        props = node.props.get(HZ_PROPS)
        if props is not None:
            yield node, props


def hazelcast_properties_missing(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag clustered nodes without conf/hazelcast.properties."""
    for node in _axis2_mode(cluster):
        if node.has_file(HZ_PROPS) or HZ_PROPS in node.props:
            continue
        misplaced = node.has_file(f"etc/{HZ_PROPS}")
        where = "it is in conf/etc/, where Carbon does not look" if misplaced else ""
        message = (
            "hazelcast.properties is missing from the profile's conf/: Hazelcast "
            "keeps its own shutdown hook and logs through JDK logging"
        )
        yield Hit(
            f"{message}; {where}" if where else message, node.file_location(HZ_PROPS)
        )


def hazelcast_shutdown_hook_enabled(
    cluster: Cluster, opts: RuleOptions
) -> Iterator[Hit]:
    """Flag hazelcast.shutdownhook.enabled absent or true (Hazelcast's default)."""
    for node, props in _hz_props(cluster):
        entry = props.get(SHUTDOWN_HOOK)
        if entry is None:
            message = f"{SHUTDOWN_HOOK} is not set: Hazelcast's hook (default true) "
            message += "stops the member before Carbon has shut down"
            yield Hit(message, node.file_location(HZ_PROPS))
        elif entry.value.lower() == "true":
            message = f"{SHUTDOWN_HOOK} is {entry.value!r}: set it to false"
            yield Hit(message, entry.where)


def hazelcast_logging_not_log4j(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag hazelcast.logging.type other than exactly ``log4j``."""
    for node, props in _hz_props(cluster):
        entry = props.get(LOGGING_TYPE)
        if entry is None:
            message = f"{LOGGING_TYPE} is not set: Hazelcast logs through JDK logging"
            message += ", outside Carbon's log files"
            yield Hit(message, node.file_location(HZ_PROPS))
        elif entry.value != "log4j" and not is_placeholder(entry.value):
            message = f"{LOGGING_TYPE} {_logging_problem(entry.value)}"
            yield Hit(message, entry.where)


def _logging_problem(value: str) -> str:
    # Values are echoed only when they are known words: a property line can run
    # into the next (a stray control character) and carry a password with it.
    if value.strip() == "log4j":
        return "has blanks around 'log4j': Hazelcast compares it exactly"
    if value.strip().lower() in LOGGING_TYPES:
        shown = value.strip()
        return f"is {shown!r}, not 'log4j' (compared exactly, case included)"
    return "is not 'log4j' (compared exactly): Hazelcast logs through JDK logging"


def hazelcast_logger_unset(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a clustered node whose log4j.properties has no com.hazelcast logger."""
    for node in _axis2_mode(cluster):
        log4j = node.props.get(LOG4J)
        if log4j is None or log4j.get(HZ_LOGGER) is not None:
            continue
        message = (
            f"{HZ_LOGGER} is not set in log4j.properties: member joins and "
            "leaves are logged only at the root logger's level"
        )
        yield Hit(message, node.file_location(LOG4J))


def hazelcast_log_level_not_info(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Note a com.hazelcast logger level other than INFO."""
    for node in _axis2_mode(cluster):
        log4j = node.props.get(LOG4J)
        entry = None if log4j is None else log4j.get(HZ_LOGGER)
        if entry is None:
            continue
        level = entry.value.split(",")[0].strip()
        if level.upper() != "INFO" and not is_placeholder(level):
            shown = repr(level) if level.upper() in LEVELS else "not a log4j level"
            message = f"{HZ_LOGGER} is {shown}; the guide recommends INFO"
            yield Hit(message, entry.where)


def _ours(rel: str, key: str) -> bool:
    # All of hazelcast.properties; of log4j.properties only Hazelcast's loggers
    # (appender sections pasted twice are log4j's business, not clustering's).
    return rel == HZ_PROPS or key.startswith(HZ_LOGGER)


def properties_key_shadowed(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag entries of hazelcast.properties (and com.hazelcast loggers) shadowed."""
    for node in cluster.nodes:
        for rel in (HZ_PROPS, LOG4J):
            props = node.props.get(rel)
            if props is None:
                continue
            last = {e.key: e for e in props.entries}
            for entry in props.entries:
                winner = last[entry.key]
                if winner is entry or not _ours(rel, entry.key):
                    continue
                # Values are not shown: the key may be a password.
                same = "same" if winner.value == entry.value else "a different"
                message = (
                    f"{entry.key} is set again on line {winner.where.line} "
                    f"({same} value); Java keeps the last one, this one is ignored"
                )
                yield Hit(message, entry.where, (winner.where,))


CHECKS: dict[str, Check] = {
    "CLU015": hazelcast_properties_missing,
    "CLU016": hazelcast_shutdown_hook_enabled,
    "CLU017": hazelcast_logging_not_log4j,
    "CLU018": hazelcast_logger_unset,
    "CLU019": hazelcast_log_level_not_info,
    "CLU020": properties_key_shadowed,
}
