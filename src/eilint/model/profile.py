"""What a business-process profile's conf/ should hold, and what stands in instead.

A result is only as good as its input: a node without bps.xml passes every
process-engine rule by saying nothing. The loader reports the files the
profile cannot run without (EIL030) and the unrendered templates found where
they should be (EIL031); ``eilint.coverage`` states, per node, what was read.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Mapping

# The profile's XML files eilint reads, conf-relative (RULES.md, "Where the
# files are"); datasources/*.xml are globbed in addition.
CONF_XML_FILES = (
    "carbon.xml",
    "axis2/axis2.xml",
    "registry.xml",
    "user-mgt.xml",
    "bps.xml",
    "humantask.xml",
    "activiti.xml",
    "etc/tasks-config.xml",
    "etc/hazelcast.xml",
    "tomcat/catalina-server.xml",
)
# Read when present; EI runs without them (defaults, or not in the stock conf).
OPTIONAL_FILES = ("etc/hazelcast.xml", "hazelcast.properties")
# The files of EI 6.3.0's business-process profile conf/ (the stock set).
PROFILE_FILES = (
    *(f for f in CONF_XML_FILES if f not in OPTIONAL_FILES),
    "log4j.properties",
    "datasources/master-datasources.xml",
    "datasources/bps-datasources.xml",
    "datasources/activiti-datasources.xml",
)
# The process engine's files: the integrator (ESB) profile has none of them.
BPS_ONLY_FILES = (
    "bps.xml",
    "humantask.xml",
    "activiti.xml",
    "datasources/bps-datasources.xml",
    "datasources/activiti-datasources.xml",
)


def profile_files(profile: str, log4j: str = "log4j") -> tuple[str, ...]:
    """Return the stock conf/ files of ``profile`` (on a release using ``log4j``)."""
    drop = set(BPS_ONLY_FILES) if profile == "integrator" else set()
    if log4j != "log4j":
        drop.add("log4j.properties")  # 6.6.0 ships log4j2.properties instead
    return tuple(f for f in PROFILE_FILES if f not in drop)


# Without these the profile does not start as a cluster member, and whole rule
# families have nothing to check: their absence is a finding (EIL030).
KEY_FILES = (
    "carbon.xml",
    "axis2/axis2.xml",
    "registry.xml",
    "bps.xml",
    "etc/tasks-config.xml",
    "datasources/master-datasources.xml",
    "datasources/bps-datasources.xml",
)
# The integrator (ESB) profile has no process engine: its conf/ holds no
# bps.xml and no bps-datasources.xml.
INTEGRATOR_KEY_FILES = tuple(f for f in KEY_FILES if f not in BPS_ONLY_FILES)
# What a missing key file leaves unchecked, in the message's words.
KEY_FILE_ROLES = {
    "carbon.xml": "ports, offsets and host names",
    "axis2/axis2.xml": "Hazelcast clustering and the WKA members",
    "registry.xml": "the registry mounts and the writer count",
    "bps.xml": "the process engine (NodeId, pools, distributed lock)",
    "etc/tasks-config.xml": "the task server mode and count",
    "datasources/master-datasources.xml": "the registry and user-store databases",
    "datasources/bps-datasources.xml": "the BPEL/HumanTask database",
}
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tmpl", ".template", ".tpl")


def rendered_name(rel: str) -> str | None:
    """Return the file a template renders to (``carbon.xml.j2`` → ``carbon.xml``)."""
    for suffix in TEMPLATE_SUFFIXES:
        if rel.lower().endswith(suffix):
            stem = rel[: -len(suffix)]
            return stem if stem.endswith((".xml", ".properties")) else f"{stem}.xml"
    return None


def covered_by_template(rel: str, templates: Collection[str]) -> bool:
    """Return True when a template stands where ``rel`` should be."""
    return any(rendered_name(t) == rel for t in templates)


def missing_key_files(
    present: Collection[str],
    templates: Collection[str],
    profile: str = "business-process",
) -> list[str]:
    """Return the profile's key files absent and not stood in for by a template."""
    keys = INTEGRATOR_KEY_FILES if profile == "integrator" else KEY_FILES
    return [
        rel
        for rel in keys
        if rel not in present and not covered_by_template(rel, templates)
    ]


def any_profile_file(present: Collection[str]) -> bool:
    """Return True when the node holds at least one profile config file."""
    known = {*PROFILE_FILES, *OPTIONAL_FILES}
    return any(rel in known or rel.startswith("datasources/") for rel in present)


def misplaced_copy(rel: str, extra: Mapping[str, object]) -> str | None:
    """Return an EI_HOME-relative copy of ``rel`` this profile does not read."""
    integrator = f"conf/{rel}"
    return integrator if integrator in extra else None
