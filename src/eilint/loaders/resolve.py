"""Turn NODE arguments, local and remote mixed, into node specs ready to load."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct
from msgspec import field

from eilint.loaders.discover import PROFILE_CONF
from eilint.loaders.discover import NodeInputError
from eilint.loaders.discover import NodeSpec
from eilint.loaders.discover import node_specs
from eilint.loaders.targets import RemoteSettings
from eilint.loaders.targets import RemoteTarget
from eilint.loaders.targets import parse_target

if TYPE_CHECKING:
    # Imported where a remote node is fetched: ssh, tar and thread pools cost a
    # local check ~20 ms of start-up for nothing.
    import tempfile

    from eilint.loaders.remote import FetchedTree


class FetchedSources(Mapping[str, str]):
    """Display path → local copy of every fetched file, for the text reporter.

    It owns the private temporary directory holding the copies, so the copies
    live exactly as long as the report that shows their lines (and are removed
    when it is collected, or at exit).
    """

    def __init__(self, workdir: tempfile.TemporaryDirectory[str] | None) -> None:
        self._workdir = workdir
        self._paths: dict[str, str] = {}

    def add(self, display: str, local: Path) -> None:
        """Record where a displayed file's copy is."""
        self._paths[display] = str(local)

    def __getitem__(self, key: str) -> str:
        return self._paths[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class Resolved(Struct):
    """Specs in argument order, one-line errors for unreadable nodes, sources."""

    specs: list[NodeSpec]
    failures: list[str] = field(default_factory=list)
    sources: FetchedSources = field(default_factory=lambda: FetchedSources(None))


def describe(target: RemoteTarget) -> str:
    """Name a remote node for one-line errors: ``node2 (root@host:/opt/ei)``."""
    if not target.host:
        return f"{target.name} ({target.path})"
    return f"{target.name} ({target.destination}:{target.path})"


def resolve_nodes(
    args: Sequence[str], settings: RemoteSettings, snapshots: Collection[str] = ()
) -> Resolved:
    """Build specs for every NODE argument, fetching remote ones in parallel.

    ``snapshots``: the local arguments declared ``eilint snapshot`` copies.
    """
    targets = {i: t for i, a in enumerate(args) if (t := parse_target(a)) is not None}
    local_args = [a for i, a in enumerate(args) if i not in targets]
    local_specs = node_specs(local_args, snapshots)
    _check_names([s.name for s in local_specs], list(targets.values()))
    if not targets:
        return Resolved(specs=local_specs)
    import tempfile

    from eilint.loaders.remote import FetchedTree

    workdir = tempfile.TemporaryDirectory(prefix="eilint-remote-")
    resolved = Resolved(specs=[], sources=FetchedSources(workdir))
    results = fetch_all(list(targets.values()), Path(workdir.name), settings)
    by_index = dict(zip(targets, results, strict=True))
    local = iter(local_specs)
    for i in range(len(args)):
        result = by_index.get(i)
        if result is None:
            resolved.specs.append(next(local))
        elif isinstance(result, FetchedTree):
            resolved.specs.append(_remote_spec(result, resolved))
        else:
            resolved.failures.append(result)
    return resolved


def _check_names(local: list[str], targets: list[RemoteTarget]) -> None:
    seen = set(local)
    for target in targets:
        if target.name in seen:
            raise NodeInputError(
                f"two nodes are named {target.name!r}; name them with NAME=PATH"
            )
        seen.add(target.name)


def _remote_spec(tree: FetchedTree, resolved: Resolved) -> NodeSpec:
    home = tree.root if tree.layout == "ei-home" else None
    conf = tree.root
    if home is not None:
        # As discover.detect: the business-process conf when the node has one;
        # profile.choose points the spec at the profile linted.
        bps = home / PROFILE_CONF
        conf = bps if bps.is_dir() else home / "conf"
    target = tree.target
    spec = NodeSpec(
        target.name,
        tree.root,
        tree.layout,
        home,
        conf,
        target.shown,
        uri=target.uri if target.host else None,
        snapshot=True,  # eilint wrote the copy and its record just now
    )
    for local in sorted(tree.root.rglob("*")):
        if local.is_file() and local.stat().st_size:
            resolved.sources.add(spec.display(local), local)
    return spec


def fetch_all(
    targets: list[RemoteTarget], workdir: Path, settings: RemoteSettings
) -> list[FetchedTree | str]:
    """Fetch nodes in parallel (at most ``jobs`` at once); errors become strings."""
    from concurrent.futures import ThreadPoolExecutor
    from concurrent.futures import as_completed

    from eilint.loaders.ssh import stop_all

    results: list[FetchedTree | str] = ["" for _ in targets]
    jobs = max(1, min(settings.jobs, len(targets)))
    with (
        _progress(settings.progress, len(targets)) as advance,
        ThreadPoolExecutor(max_workers=jobs) as pool,
    ):
        futures = {
            pool.submit(_fetch_one, t, workdir / str(i), settings): i
            for i, t in enumerate(targets)
        }
        try:
            for future in as_completed(futures):
                index = futures[future]
                results[index] = future.result()
                failed = isinstance(results[index], str)
                verb = "could not read" if failed else "fetched"
                advance(f"{verb} {targets[index].name}")
        except BaseException:
            # Ctrl-C: the ssh children lead their own sessions and did not get
            # it; stop them so the pool's threads end now, not at the deadline.
            for future in futures:
                future.cancel()
            stop_all()
            raise
    return results


def _fetch_one(
    target: RemoteTarget, dest: Path, settings: RemoteSettings
) -> FetchedTree | str:
    from eilint.loaders.remote import fetch
    from eilint.loaders.ssh import FetchError

    try:
        dest.mkdir(mode=0o700)
        return fetch(target, dest, settings)
    except FetchError as exc:
        return f"{describe(target)}: {exc}"
    except OSError as exc:
        return f"{describe(target)}: cannot store its files locally ({exc.strerror})"


@contextlib.contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[str], None]]:
    """Show a transient progress bar on stderr when it is a terminal."""
    if not enabled:
        yield lambda _text: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("fetching nodes", total=total)

        def advance(text: str) -> None:
            bar.update(task, advance=1, description=text)

        yield advance
