"""The cluster model: nodes with their parsed files, the nginx tree, load problems."""

from __future__ import annotations

import re
from collections.abc import Mapping

from msgspec import Struct
from msgspec import field

from eilint.findings import Location
from eilint.model.keys import KeyFacts
from eilint.model.nginx import NginxConfig
from eilint.model.properties import PropertiesFile
from eilint.model.xml import XmlDoc

_DIGITS = re.compile(r"(\d+)")


def node_order(name: str) -> tuple[tuple[str | int, ...], str]:
    """Sort key for node names: natural order, so node2 comes before node10."""
    # re.split with a group alternates text and digits: same types line up.
    folded = _DIGITS.split(name.casefold())
    parts = tuple(int(p) if i % 2 else p for i, p in enumerate(folded))
    return parts, name


class LoadProblem(Struct, frozen=True):
    """A file that could not be read or parsed, reported under an ``EIL`` rule."""

    rule_id: str
    message: str
    where: Location
    hint: str | None = None


class Node(Struct, frozen=True, eq=False, weakref=True):
    """One EI node.

    ``layout`` is ``ei-home`` (an EI_HOME was given) or ``conf`` (only the
    business-process profile's ``conf/`` directory). ``xml`` and ``props`` are
    keyed by the path relative to the profile's conf directory
    (``axis2/axis2.xml``, ``datasources/bps-datasources.xml``); a file that is
    absent or failed to parse has no entry. ``extra_xml`` holds files outside the
    profile's conf (``conf/datasources/master-datasources.xml`` of the integrator),
    keyed by their path relative to EI_HOME. ``lib_jars`` is None when the node has
    no ``lib/`` to look at (a conf-only node). ``texts`` holds small text files
    such as start scripts, keyed relative to EI_HOME. ``artifacts`` maps
    deployment-artifact paths to content hashes (None when not read).
    """

    name: str
    root: str
    layout: str
    conf: str
    address: str | None = None
    xml: Mapping[str, XmlDoc] = field(default_factory=dict)
    props: Mapping[str, PropertiesFile] = field(default_factory=dict)
    extra_xml: Mapping[str, XmlDoc] = field(default_factory=dict)
    present: frozenset[str] = frozenset()
    lib_jars: tuple[str, ...] | None = None
    texts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    artifacts: Mapping[str, str] | None = None
    # A remote node's ``ssh://host/path``: its files' URIs are built from it and
    # the node-relative file, never from the ``host:/path`` shown in ``root``.
    uri: str | None = None
    # The EI profile linted (loaders/profile.py) and the EI version whose facts
    # apply (model/versions.py), set once the cluster is loaded.
    profile: str = "business-process"
    ei_version: str = "6.3.0"
    # What told the version: the file or plugin jar that states it (its name),
    # "requested" (--ei-version / ei-version:), or "assumed" (the tree says
    # nothing, or names a release eilint has no facts for).
    ei_version_from: str = "assumed"
    # Unrendered templates (``carbon.xml.j2``) standing where a file EI reads
    # is absent, conf-relative; and what became of a ``.eilint-snapshot.json``
    # at the root: "applied" (a declared snapshot), "ignored", or None.
    templates: tuple[str, ...] = ()
    record: str | None = None

    def file_location(self, rel: str) -> Location:
        """Return a line-less location for a conf-relative file of this node."""
        return Location(path=f"{self.conf}/{rel}", node=self.name)

    def has_file(self, rel: str) -> bool:
        """Return True when a conf-relative file exists (parsed or not)."""
        return rel in self.present


class Cluster(Struct, frozen=True, eq=False, weakref=True):
    """Every node, the nginx tree (when given) and the problems met while loading."""

    nodes: tuple[Node, ...]
    nginx: NginxConfig | None = None
    problems: tuple[LoadProblem, ...] = ()
    # Private keys referenced from nginx or keystore settings (size, never content).
    keys: tuple[KeyFacts, ...] = ()
    # The profile every node is linted as (one per cluster).
    profile: str = "business-process"

    def node(self, name: str) -> Node | None:
        """Return a node by name."""
        return next((n for n in self.nodes if n.name == name), None)
