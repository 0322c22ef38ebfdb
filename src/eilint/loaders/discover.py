"""Turn NODE arguments into node specs and find out what kind of tree each is."""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from pathlib import Path

from msgspec import Struct

from eilint.loaders.files import display_path
from eilint.loaders.files import exists

PROFILE_CONF = Path("wso2/business-process/conf")
# What ``eilint snapshot`` (and a remote fetch) writes at a node's root.
SNAPSHOT_RECORD = ".eilint-snapshot.json"
# Files only a Carbon conf directory holds; any of them marks a conf-only node.
CONF_MARKERS = (
    "carbon.xml",
    "axis2/axis2.xml",
    "registry.xml",
    "datasources",
    "user-mgt.xml",
    "bps.xml",
    "humantask.xml",
    "etc/tasks-config.xml",
    "tomcat/catalina-server.xml",
)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class NodeInputError(Exception):
    """A NODE argument that cannot be used; the message is one line for stderr."""


class NodeSpec(Struct, frozen=True):
    """A node to load: its name, the path given, EI_HOME (if any), conf dir.

    ``shown`` is how users see ``path`` when that is not the path itself: a
    remote node fetched into a temporary directory shows as ``host:/abs/path``.
    """

    name: str
    path: Path
    layout: str
    home: Path | None
    conf: Path
    shown: str | None = None
    # A remote node's stable ``ssh://host/path`` (SARIF URIs); None when local.
    uri: str | None = None
    # True for a tree eilint itself wrote and the user declared a snapshot (or
    # a remote node's fetched copy): only then is its record applied.
    snapshot: bool = False
    # The EI profile whose conf this spec points at (loaders/profile.py).
    profile: str = "business-process"

    def display(self, local: Path) -> str:
        """Return how users see ``local``, a path at or below ``path``."""
        if self.shown is None:
            return display_path(local)
        rel = local.relative_to(self.path).as_posix()
        return self.shown if rel == "." else f"{self.shown}/{rel}"


def split_arg(arg: str) -> tuple[str | None, str]:
    """Split ``NAME=PATH``; a plain path has no name."""
    name, sep, rest = arg.partition("=")
    if sep and _NAME.match(name) and rest:
        return name, rest
    return None, arg


def detect(path: Path) -> tuple[str, Path | None, Path]:
    """Return ``(layout, home, conf)`` for a directory, or raise NodeInputError."""
    try:
        return _detect(path)
    except OSError as exc:
        # A directory we may not search (permission denied): a usage error.
        reason = (exc.strerror or type(exc).__name__).lower()
        raise NodeInputError(f"{path}: cannot be read ({reason})") from None


def _detect(path: Path) -> tuple[str, Path | None, Path]:
    if not path.exists():
        raise NodeInputError(f"{path}: no such directory")
    if not path.is_dir():
        raise NodeInputError(f"{path}: not a directory")
    if (path / PROFILE_CONF).is_dir():
        return "ei-home", path, path / PROFILE_CONF
    # Other profiles (loaders/profile.py imports this module, hence lazily).
    from eilint.loaders.profile import is_ei_home
    from eilint.loaders.profile import not_covered

    if (error := not_covered(path)) is not None:
        raise error
    if is_ei_home(path):
        return "ei-home", path, path / "conf"
    # files.exists: a marker we may not look at still marks the tree (its
    # loading then reports EIL005 with the reason).
    if any(exists(path / marker) for marker in CONF_MARKERS):
        return "conf", None, path
    if _templates_only(path):
        # Unrendered templates of the profile's files: the loader names them
        # (EIL031) rather than calling the tree no EI tree at all.
        return "conf", None, path
    raise NodeInputError(
        f"{path}: not an EI tree (no wso2/business-process/conf/ or conf/, "
        "and none of a profile's conf files such as carbon.xml, registry.xml, "
        "axis2/axis2.xml or datasources/ in it)"
    )


def _templates_only(path: Path) -> bool:
    from eilint.model.profile import rendered_name

    try:
        names = [p.name for _, p in zip(range(2000), path.iterdir(), strict=False)]
    except OSError:
        return False
    return any(rendered_name(n) in CONF_MARKERS for n in names)


def default_name(path: Path, layout: str) -> str:
    """Name a node after the argument as given, never after a symlink's target.

    A bare ``conf`` is named after its parent, and the profile's conf dir
    (``X/wso2/business-process/conf``) after its EI_HOME ``X``: several such
    arguments must not all become "business-process".
    """
    parts = Path(os.path.abspath(path)).parts
    profile = PROFILE_CONF.parts
    inside = len(parts) > len(profile) + 1 and parts[-len(profile) :] == profile
    if layout == "conf" and inside:
        return parts[-len(profile) - 1]
    if layout == "conf" and len(parts) > 2 and parts[-1] == "conf":
        return parts[-2]
    return parts[-1] if len(parts) > 1 else "node"


def node_specs(args: list[str], snapshots: Collection[str] = ()) -> list[NodeSpec]:
    """Build specs for NODE arguments; names and directories must be unique.

    ``snapshots`` holds the arguments the user declared ``eilint snapshot``
    copies (``--snapshots``, or ``snapshot: true`` in the manifest).
    """
    specs: list[NodeSpec] = []
    for arg in args:
        name, raw = split_arg(arg)
        path = Path(raw)
        layout, home, conf = detect(path)
        spec = NodeSpec(
            name or default_name(path, layout),
            path,
            layout,
            home,
            conf,
            snapshot=arg in snapshots,
        )
        if spec.snapshot and not exists(path / SNAPSHOT_RECORD):
            raise NodeInputError(
                f"{raw}: declared a snapshot but holds no {SNAPSHOT_RECORD} "
                "(only `eilint snapshot` copies are snapshots)"
            )
        specs.append(spec)
    _unique(specs)
    return specs


def _unique(specs: list[NodeSpec]) -> None:
    names: dict[str, Path] = {}
    dirs: dict[Path, Path] = {}
    for spec in specs:
        if spec.name in names:
            raise NodeInputError(
                f"two nodes are named {spec.name!r} ({names[spec.name]} and "
                f"{spec.path}); name them with NAME=PATH"
            )
        names[spec.name] = spec.path
        # The same tree twice (a copy-paste slip, or a symlink to a peer) would
        # compare a node with itself: every cross-node rule would fire.
        real = spec.conf.resolve()
        if real in dirs:
            raise NodeInputError(
                f"{dirs[real]} and {spec.path} are the same directory "
                f"({real}); give each node once"
            )
        dirs[real] = spec.path
