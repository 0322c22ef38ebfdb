"""``eilint init``: find the cluster's trees and write a starter ``eilint.yaml``.

Config repositories are laid out in many ways (``node1/``, ``nodes/ei1/conf``,
``lb/etc/nginx/``), so the search goes a few levels down, breadth first, and
stops descending at the first tree it recognises. A node's address is taken
from its own files when they name it: ``localMemberHost`` (what Hazelcast
members use) or, failing that, a ``HostName`` no other node shares.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from eilint import REPOSITORY
from eilint.api import UsageError

if TYPE_CHECKING:
    from eilint.model.cluster import Node

NODE_DEPTH = 2  # node1/, nodes/node1/ (an EI_HOME or a conf/ directory)
NGINX_DEPTH = 3  # nginx/, lb/nginx/, lb/etc/nginx/
MAX_DIRS = 2000  # a repository is not a file system: stop looking past this
SKIP = {"node_modules", "__pycache__", "venv", ".venv"}
DOCS = f"{REPOSITORY}/blob/main/docs/configuration.md"
# Written into YAML unquoted: an IP (v4 or v6) or a host name, nothing else.
ADDRESS = re.compile(r"[A-Za-z0-9][A-Za-z0-9.:-]*")


class Found:
    """What the search found: (name, relative path) per node, the nginx tree."""

    def __init__(self) -> None:
        self.nodes: list[tuple[str, str]] = []
        self.nginx: str | None = None

    def describe(self) -> str:
        """Return e.g. ``2 nodes and nginx``."""
        count = len(self.nodes)
        text = f"{count} node{'' if count == 1 else 's'}"
        return text + (" and nginx" if self.nginx else ", no nginx")


def _nginx_dir(path: Path) -> bool:
    from eilint.loaders.nginx import http_files

    # An /etc/nginx of docker images holds only conf.d/*.conf, Debian's
    # sites-enabled/*: nginx-named directories count when they hold either.
    return (path / "nginx.conf").is_file() or (
        path.name == "nginx" and (any(path.glob("*.conf")) or bool(http_files(path)[0]))
    )


def _is_node(path: Path) -> bool:
    from eilint.loaders.discover import NodeInputError
    from eilint.loaders.discover import detect

    try:
        detect(path)
    except NodeInputError:
        return False
    return True


def _children(path: Path) -> list[Path]:
    try:
        entries = sorted(path.iterdir())
    except OSError:
        return []
    return [
        p
        for p in entries
        if p.is_dir()
        and not p.is_symlink()
        and not p.name.startswith(".")
        and p.name not in SKIP
    ]


def discover_tree(directory: Path) -> Found:
    """Find node trees and one nginx tree below ``directory`` (breadth first)."""
    found = Found()
    queue = deque((child, 1) for child in _children(directory))
    seen = 0
    while queue and seen < MAX_DIRS:
        path, depth = queue.popleft()
        seen += 1
        rel = path.relative_to(directory).as_posix() + "/"
        if _nginx_dir(path):
            found.nginx = found.nginx or rel
            continue
        if depth <= NODE_DEPTH and _is_node(path):
            found.nodes.append((_node_name(path, directory), rel))
            continue
        if depth < max(NODE_DEPTH, NGINX_DEPTH):
            queue.extend((child, depth + 1) for child in _children(path))
    found.nodes = _unique_names(sorted(found.nodes, key=lambda n: n[1]))
    return found


def _node_name(path: Path, directory: Path) -> str:
    # A bare conf/ is named after its parent, as `eilint check` names it.
    if path.name == "conf" and path.parent != directory:
        return path.parent.name
    return path.name


def _unique_names(nodes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Name clashes (site1/node1, site2/node1) take their path as the name."""
    names = [name for name, _ in nodes]
    return [
        (
            rel.rstrip("/").removesuffix("/conf").replace("/", "-")
            if names.count(name) > 1
            else name,
            rel,
        )
        for name, rel in nodes
    ]


def node_addresses(directory: Path, nodes: list[tuple[str, str]]) -> dict[str, str]:
    """Each node's address as its files name it (never loopback)."""
    from eilint.model.carbon import host_name
    from eilint.model.clustering import clustering
    from eilint.model.edge import is_loopback

    members: dict[str, str] = {}
    hosts: dict[str, str] = {}
    for name, rel in nodes:
        node = _load(directory / rel, name)
        if node is None:
            continue
        facts = clustering(node)
        member = facts.param("localMemberHost") if facts else None
        if member is not None and member.value.strip():
            members[name] = member.value.strip()
        host = host_name(node)
        if host is not None and not host.placeholder:
            hosts[name] = host.value.strip()
    shared = {h for h in hosts.values() if list(hosts.values()).count(h) > 1}
    addresses = {}
    for name, _ in nodes:
        # The guide gives every node the load balancer's HostName: a shared
        # one names no node.
        address = members.get(name) or (
            hosts[name] if hosts.get(name) not in (None, *shared) else None
        )
        if address and ADDRESS.fullmatch(address) and not is_loopback(address):
            addresses[name] = address
    return addresses


def _load(path: Path, name: str) -> Node | None:
    from eilint.loaders.discover import NodeInputError
    from eilint.loaders.discover import NodeSpec
    from eilint.loaders.discover import detect
    from eilint.loaders.node import load_node

    try:
        layout, home, conf = detect(path)
        node, _ = load_node(NodeSpec(name, path, layout, home, conf))
    except (NodeInputError, OSError):
        return None
    return node


def starter_manifest(cluster: str, found: Found, addresses: dict[str, str]) -> str:
    """Return a commented manifest for ``eilint init``."""
    lines = [
        "# eilint manifest: `eilint check` with no NODE lints what is listed here.",
        f"# Paths are relative to this file. Reference: {DOCS}",
        f"cluster: {cluster}",
        "",
        "nodes:",
    ]
    for name, path in found.nodes:
        lines += [f"  - name: {name}", f"    path: {path}"]
        address = addresses.get(name)
        if address:
            lines.append(f"    address: {address}   # from the node's own files")
        else:
            lines.append("    # address: 10.0.0.11   # the IP nginx and peers use")
    lines.append(f"nginx: {found.nginx}" if found.nginx else "# nginx: nginx/")
    lines += [
        "",
        "# Rule selection by id, prefix, name or tag:TAG (longest match wins).",
        "# select: [REG, DSR, CLU]",
        "# ignore: [tag:security]",
        "# severity:",
        "#   DSR002: error",
        "# options:",
        "#   RULE_ID: {option: value}   # see `eilint explain RULE_ID`",
        "# per-path-ignores:",
        "#   node2/conf/registry.xml: [REG001]",
        "# fail-on: error              # or warning, note",
        "# baseline: eilint-baseline.json",
        "# profile: business-process   # or integrator (default: found in the trees)",
        "# ei-version: 6.3.0           # 6.1.0 ... 6.6.0 (default: carbon.xml)",
        "",
    ]
    return "\n".join(lines)


def run_init(directory: Path, force: bool = False) -> tuple[Path, str]:
    """Write a starter ``eilint.yaml``; return its path and what it lists."""
    if not directory.is_dir():
        raise UsageError(f"{directory}: no such directory")
    target = directory / "eilint.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target}: already exists (use --force to overwrite)")
    found = discover_tree(directory)
    if not found.nodes:
        raise UsageError(
            f"{directory}: no EI node directory found (looked {NODE_DEPTH} levels "
            "down for an EI_HOME or the profile's conf/); give the directory that "
            "holds the nodes"
        )
    addresses = node_addresses(directory, found.nodes)
    name = directory.resolve().name or "cluster"
    target.write_text(starter_manifest(name, found, addresses), encoding="utf-8")
    return target, found.describe()
