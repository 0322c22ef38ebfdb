"""VER: settings written for another EI release than the node runs."""

from __future__ import annotations

from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.model.cluster import Cluster
from eilint.model.versions import carbon_version
from eilint.model.versions import compression_attributes
from eilint.model.versions import release

CATALINA = "tomcat/catalina-server.xml"


def tomcat_attribute_of_other_release(
    cluster: Cluster, opts: RuleOptions
) -> Iterator[Hit]:
    """Flag a Connector's compression attribute spelt for the other Tomcat."""
    spellings = compression_attributes()
    for node in cluster.nodes:
        doc = node.xml.get(CATALINA)
        if doc is None:
            continue
        facts = release(node.ei_version)
        wrong = {a for t, a in spellings.items() if t != facts.tomcat}
        for conn in doc.root.findall("Service", "Connector"):
            for name, _ in conn.attrs:
                if name in wrong and conn.attr(facts.compression_attribute) is None:
                    message = (
                        f"Connector port {conn.attr('port') or '?'}: {name} is not "
                        f"an attribute of EI {facts.version}'s Tomcat {facts.tomcat}, "
                        "which ignores it: responses of those MIME types use the "
                        "default list"
                    )
                    hint = f"rename {name} to {facts.compression_attribute}"
                    yield Hit(message, conn.attr_where(name), hint=hint)


def log4j_file_of_other_release(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag log4j.properties on a release that configures logging in log4j2."""
    for node in cluster.nodes:
        facts = release(node.ei_version)
        if facts.log4j != "log4j2" or "log4j.properties" not in node.present:
            continue
        message = (
            f"EI {facts.version} logs through log4j2 and reads log4j2.properties; "
            "the settings in log4j.properties (the Hazelcast logger among them) "
            "are not read"
        )
        hint = "move these settings to log4j2.properties in log4j2's syntax"
        yield Hit(message, node.file_location("log4j.properties"), hint=hint)


def release_mismatch(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag nodes whose carbon.xml states another release than the first node's."""
    stated = [(n, s) for n in cluster.nodes if (s := carbon_version(n)) is not None]
    if not stated:
        return
    first, mine = stated[0]
    for node, setting in stated[1:]:
        if setting.value == mine.value:
            continue
        hazelcast = {release(mine.value).hazelcast, release(setting.value).hazelcast}
        why = (
            f"their Hazelcast versions ({' and '.join(sorted(hazelcast))}) cannot "
            "form one cluster"
            if len(hazelcast) > 1
            else "one cluster shares databases, registry and artifacts across nodes "
            "of one release only"
        )
        message = (
            f"{node.name} runs EI {setting.value}, {first.name} EI {mine.value}: {why}"
        )
        hint = "run every node of the cluster on the same EI release"
        yield Hit(message, setting.where, (mine.where,), hint)


CHECKS: dict[str, Check] = {
    "VER001": tomcat_attribute_of_other_release,
    "VER002": log4j_file_of_other_release,
    "VER003": release_mismatch,
}
