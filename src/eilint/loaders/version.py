"""Which EI 6.x release each node runs: from its tree, or as the user names it.

carbon.xml's ``<Version>`` says it (the release build writes it there); failing
that, files and plugin jars that only some releases ship (facts/ei-versions.json).
A tree that says nothing is linted with the default release's facts, quietly: it
is eilint's historical assumption, and a hand-written conf often omits the
element. A tree that names a release eilint has no facts for gets one note.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from pathlib import PurePosixPath

from msgspec import Struct
from msgspec.structs import replace

from eilint.findings import Location
from eilint.loaders.discover import NodeInputError
from eilint.loaders.discover import NodeSpec
from eilint.loaders.files import exists
from eilint.model.cluster import Cluster
from eilint.model.cluster import LoadProblem
from eilint.model.cluster import Node
from eilint.model.versions import carbon_version
from eilint.model.versions import default_version
from eilint.model.versions import evidence
from eilint.model.versions import known_versions

PLUGINS = "wso2/components/plugins"
# A plugins directory holds about a thousand jars; a hostile tree may hold more.
MAX_PLUGINS = 20_000


class Stated(Struct, frozen=True):
    """A version a tree states, and where (None: the tree says nothing)."""

    version: str | None
    where: Location | None = None


def _carbon_version(node: Node) -> Stated | None:
    setting = carbon_version(node)
    return None if setting is None else Stated(setting.value, setting.where)


def _plugin_names(home: Path) -> list[str]:
    try:
        with os.scandir(home / PLUGINS) as entries:
            return [e.name for _, e in zip(range(MAX_PLUGINS), entries, strict=False)]
    except OSError:
        return []  # no plugins to look at (a conf-only tree, a config repository)


def stated(node: Node, spec: NodeSpec) -> Stated:
    """Return the version a node's tree states."""
    found = _carbon_version(node)
    if found is not None:
        return found
    marks = evidence()
    for name, version in marks["conf_files"].items():
        if exists(spec.conf / name):
            return Stated(
                version, Location(spec.display(spec.conf / name), node=node.name)
            )
    names = _plugin_names(spec.home) if spec.home is not None else []
    for prefix, version in marks["plugin_prefixes"].items():
        jar = next((n for n in names if n.startswith(prefix)), None)
        if jar is not None:
            path = spec.display(spec.home / PLUGINS / jar)  # type: ignore[operator]
            return Stated(version, Location(path, node=node.name))
    return Stated(None)


def check_requested(requested: str | None) -> None:
    """Refuse an --ei-version / ei-version: eilint has no facts for."""
    if requested is not None and requested not in known_versions():
        raise NodeInputError(
            f"EI version {requested!r} is not one eilint knows "
            f"(known: {', '.join(known_versions())})"
        )


def apply(
    cluster: Cluster, specs: Sequence[NodeSpec], requested: str | None
) -> Cluster:
    """Give every node its EI version; one note for releases eilint does not know."""
    check_requested(requested)
    nodes: list[Node] = []
    unknown: list[tuple[Node, Stated]] = []
    for node, spec in zip(cluster.nodes, specs, strict=True):
        found = Stated(requested) if requested else stated(node, spec)
        version = found.version or default_version()
        told = _told_by(found, requested)
        if version not in known_versions():
            unknown.append((node, found))
            version, told = default_version(), "assumed"
        nodes.append(replace(node, ei_version=version, ei_version_from=told))
    notes = _note(unknown)
    return replace(cluster, nodes=tuple(nodes), problems=(*cluster.problems, *notes))


def _told_by(found: Stated, requested: str | None) -> str:
    if requested:
        return "requested"
    if found.where is None or found.version is None:
        return "assumed"
    return PurePosixPath(found.where.path).name


def _note(unknown: list[tuple[Node, Stated]]) -> tuple[LoadProblem, ...]:
    if not unknown:
        return ()
    node, first = unknown[0]
    said = ", ".join(f"{n.name} says {s.version!r}" for n, s in unknown)
    message = (
        f"EI version unknown to eilint ({said}); linted with EI "
        f"{default_version()}'s facts (eilint knows {', '.join(known_versions())})"
    )
    where = first.where or Location(node.conf, node=node.name)
    hint = "name the release with --ei-version or 'ei-version:' in eilint.yaml"
    return (LoadProblem("EIL012", message, where, hint),)
