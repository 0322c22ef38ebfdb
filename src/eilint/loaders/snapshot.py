"""``eilint snapshot``: copy the files eilint reads from live nodes into DIR/<node>/.

The copy is exactly what a live ``eilint check`` reads (same reader, same
extraction), laid out as on the node, so ``eilint check DIR/node2`` later gives
the same findings. ``lib/*.jar`` become empty placeholder files (eilint reads
only their names). A ``.eilint-snapshot.json`` beside them records the source
and what could not be read, and the hashes of deployed artifacts
(``loaders/recorded.py``).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from msgspec import Struct
from msgspec import field

from eilint.loaders.discover import NodeInputError
from eilint.loaders.discover import split_arg
from eilint.loaders.remote import FetchedTree
from eilint.loaders.resolve import fetch_all
from eilint.loaders.targets import RemoteSettings
from eilint.loaders.targets import RemoteTarget
from eilint.loaders.targets import parse_target

# A node name becomes a directory name: nothing that could leave DIR or hide.
_DIR_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class SnapshotResult(Struct):
    """Per node: where it went, or a one-line error; warnings for skipped files."""

    written: list[tuple[str, Path, int]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def snapshot_target(arg: str) -> RemoteTarget:
    """Return the target of a NODE argument; a local path gets an empty host."""
    target = parse_target(arg)
    if target is None:
        name, raw = split_arg(arg)
        path = Path(raw).resolve()
        if not path.is_dir():
            raise NodeInputError(f"{raw}: no such directory")
        # Named as given, as for `eilint check`: never after a symlink's target.
        shown = Path(os.path.abspath(raw)).name
        target = RemoteTarget(name or shown or path.name, None, "", path.as_posix())
    if not _DIR_NAME.match(target.name):
        raise NodeInputError(
            f"{arg}: {target.name!r} cannot name a directory; give NAME=..."
        )
    return target


def plan(args: Sequence[str], out: Path, force: bool) -> list[RemoteTarget]:
    """Check every argument and destination before connecting anywhere."""
    targets = [snapshot_target(arg) for arg in args]
    names = [t.name for t in targets]
    for name in names:
        if names.count(name) > 1:
            raise NodeInputError(f"two nodes are named {name!r}; name them NAME=...")
        dest = out / name
        if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
            raise NodeInputError(f"{dest}: exists and is not a directory")
        if dest.is_dir() and any(dest.iterdir()) and not force:
            raise NodeInputError(
                f"{dest}: exists and is not empty (--force replaces it)"
            )
    return targets


def take_snapshot(
    args: Sequence[str], out: Path, settings: RemoteSettings, force: bool = False
) -> SnapshotResult:
    """Fetch every node in parallel and write it to ``out/<name>/``."""
    targets = plan(args, out, force)
    out.mkdir(parents=True, exist_ok=True)
    result = SnapshotResult()
    # Fetch next to the destination so that moving into place is a rename.
    with tempfile.TemporaryDirectory(prefix=".eilint-snapshot-", dir=out) as work:
        fetched = fetch_all(targets, Path(work), settings)
        for target, tree in zip(targets, fetched, strict=True):
            if isinstance(tree, str):
                result.failures.append(tree)
                continue
            count = _install(tree, out / target.name, Path(work))
            result.written.append((target.name, out / target.name, count))
            result.warnings += [
                f"{target.name}: {tree.target.shown}/{rel} not copied: {why}"
                for rel, why in tree.skipped
            ]
    return result


def _install(tree: FetchedTree, dest: Path, work: Path) -> int:
    count = sum(1 for p in tree.root.rglob("*") if p.is_file()) - 1
    if dest.is_dir():
        # --force: move the old copy aside first, remove it only once replaced.
        old = work / f"old-{dest.name}"
        os.replace(dest, old)
        os.replace(tree.root, dest)
        shutil.rmtree(old)
    else:
        os.replace(tree.root, dest)
    return count
