"""A private copy of the local trees for ``--diff``: the whole fix loop runs on it.

Each tree is copied to ``<tmp>/m/<its absolute path>`` and the loop runs with the
working directory moved to the copy of the real one, so every NODE argument,
display path, node name and manifest glob reads as it does on the real trees.
``lib/*.jar`` become empty placeholders (eilint reads only their names) and large
files are hard-linked when the file system allows it: the fix loop replaces a
file (temporary file + ``os.replace``), never writes into one.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from contextlib import suppress
from pathlib import Path

from msgspec.structs import replace

from eilint.api import LintOptions
from eilint.loaders.discover import split_arg
from eilint.loaders.files import MAX_CONFIG_BYTES
from eilint.loaders.files import forget_real_paths

# Deployed artifacts are hashed: their bytes are copied, jars there too.
_HASHED = ("repository/deployment/", "repository/tenants/")
_SKIP_DIRS = frozenset({".git", ".hg", ".svn"})


class Mirror:
    """The copy's base directory and the real trees it holds."""

    def __init__(self, base: str) -> None:
        self.base = base
        # Never copied into itself (a tree holding the temporary directory).
        self.skip = os.path.dirname(base)
        # (absolute path as given, real path) of every tree copied.
        self.roots: list[tuple[str, str]] = []

    def inside(self, path: str) -> str:
        """Return where the real absolute ``path`` lies in the copy."""
        return self.base + path

    def outside(self, path: str) -> str:
        """Return the real path a path in the copy stands for."""
        return path[len(self.base) :] if path.startswith(self.base + "/") else path

    def unmask(self, text: str) -> str:
        """Return ``text`` (an error message) with copy paths as real paths."""
        return text.replace(self.base + "/", "/")

    def add_tree(self, path: str) -> None:
        """Copy the tree at ``path`` unless a copied tree holds it (a file: only
        the file, an ``nginx -T`` dump)."""
        absolute = os.path.abspath(path)
        if any(_below(absolute, a) for a, _ in self.roots):
            return
        if os.path.isfile(absolute):
            folder = self.inside(os.path.dirname(absolute))
            os.makedirs(folder, exist_ok=True)
            shutil.copyfile(absolute, self.inside(absolute))
            return
        self.roots = [(a, r) for a, r in self.roots if not _below(a, absolute)]
        self.roots.append((absolute, os.path.realpath(absolute)))

    def copy(self) -> None:
        """Write the copy of every tree added."""
        for absolute, real in self.roots:
            _copy_tree(self, real, self.inside(absolute))

    def retarget(self, link: str) -> str:
        """Return the target a copied symlink gets: the same text, unless it
        leads into a copied tree by an absolute path or out of every tree."""
        target = os.readlink(link)
        real = os.path.realpath(link)
        for absolute, root in self.roots:
            if _below(real, root):
                if target.startswith("/"):
                    return self.inside(absolute + real[len(root) :])
                return target
        # Out of every tree: it stays out (absolute), as the loaders saw it.
        return target if target.startswith("/") else real


def _below(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _copy_tree(mirror: Mirror, src: str, dest: str) -> None:
    os.makedirs(dest, exist_ok=True)
    for folder, dirs, files in os.walk(src, followlinks=False):
        rel = os.path.relpath(folder, src)
        out = dest if rel == "." else os.path.join(dest, rel)
        kept = []
        for name in dirs:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                os.symlink(mirror.retarget(path), os.path.join(out, name))
            elif name not in _SKIP_DIRS and os.path.realpath(path) != mirror.skip:
                os.makedirs(os.path.join(out, name), exist_ok=True)
                kept.append(name)
        dirs[:] = kept
        for name in files:
            _copy_file(mirror, os.path.join(folder, name), os.path.join(out, name), rel)
        _copy_mode(folder, out)


def _copy_mode(src: str, dest: str) -> None:
    # The owner keeps full rights: the loop writes here and the copy is removed.
    with suppress(OSError):
        os.chmod(dest, stat.S_IMODE(os.stat(src).st_mode) | stat.S_IRWXU)


def _copy_file(mirror: Mirror, src: str, dest: str, rel: str) -> None:
    info = os.lstat(src)
    if stat.S_ISLNK(info.st_mode):
        os.symlink(mirror.retarget(src), dest)
    elif stat.S_ISFIFO(info.st_mode):
        os.mkfifo(dest)
    elif not stat.S_ISREG(info.st_mode):
        return  # sockets, devices: nothing a loader reads
    elif src.endswith(".jar") and not any(h in f"{rel}/" for h in _HASHED):
        Path(dest).touch()
    else:
        _copy_bytes(src, dest, info.st_size)
    if not stat.S_ISLNK(info.st_mode):
        os.chmod(dest, stat.S_IMODE(info.st_mode))


def _copy_bytes(src: str, dest: str, size: int) -> None:
    if size > MAX_CONFIG_BYTES:
        try:
            os.link(src, dest)  # never a config file, so never replaced
            return
        except OSError:
            pass
    try:
        shutil.copyfile(src, dest)
    except OSError:
        Path(dest).touch()  # unreadable: the copy stays unreadable (its mode)


def _moved(arg: str, mirror: Mirror) -> str:
    name, raw = split_arg(arg)
    if not os.path.isabs(raw):
        return arg
    moved = mirror.inside(os.path.normpath(raw))
    return f"{name}={moved}" if name else moved


def _nginx_tree(path: Path) -> str:
    """Return what to copy for ``--nginx``: its tree (the main file's directory),
    or the file alone for a dump (never edited; its directory may be anything)."""
    if path.is_dir():
        return str(path)
    from eilint.loaders.nginx import _dump_sections

    return str(path) if _dump_sections(path) else str(path.parent)


def _options(options: LintOptions, mirror: Mirror) -> LintOptions:
    nginx = options.nginx
    if nginx is not None and nginx.is_absolute():
        nginx = Path(mirror.inside(os.path.normpath(nginx)))
    root = options.path_root
    if root is not None:
        root = Path(mirror.inside(os.path.abspath(root)))
        root.mkdir(parents=True, exist_ok=True)
    baseline = options.baseline
    return replace(
        options,
        nodes=[_moved(a, mirror) for a in options.nodes],
        snapshots=[_moved(a, mirror) for a in options.snapshots],
        nginx=nginx,
        path_root=root,
        baseline=Path(os.path.abspath(baseline)) if baseline else None,
    )


@contextmanager
def private_copy(options: LintOptions) -> Iterator[tuple[LintOptions, Mirror]]:
    """Copy the local trees, move into the copy, yield the options that name
    it; the working directory and the copy are back and gone afterwards."""
    with tempfile.TemporaryDirectory(prefix="eilint-diff-") as tmp:
        mirror = Mirror(os.path.join(os.path.realpath(tmp), "m"))
        for arg in options.nodes:
            mirror.add_tree(split_arg(arg)[1])
        if options.nginx is not None and options.nginx.exists():
            mirror.add_tree(_nginx_tree(options.nginx))
        mirror.copy()
        cwd = os.getcwd()
        moved = _options(options, mirror)
        inner = mirror.inside(cwd)
        os.makedirs(inner, exist_ok=True)
        os.chdir(inner)
        forget_real_paths()
        try:
            yield moved, mirror
        finally:
            os.chdir(cwd)
            forget_real_paths()


def final_bytes(paths: Sequence[str], mirror: Mirror) -> dict[str, bytes]:
    """Read the copy's version of every file a round wrote (real absolute paths)."""
    out: dict[str, bytes] = {}
    for path in paths:
        try:
            out[mirror.outside(path)] = Path(path).read_bytes()
        except OSError:
            continue
    return out
