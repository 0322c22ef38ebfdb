"""Safe file access for loaders: size limits, special files, display paths."""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from pathlib import Path

from msgspec import Struct

# EI config files are tens of kilobytes; anything past this is not a config file
# and parsing it into the model would only cost memory and time (a 4 MiB XML file
# takes about 2 s and 150 MB). Documented in the README's "Limits and guarantees".
MAX_CONFIG_BYTES = 4 * 1024 * 1024
# O_NONBLOCK: opening a FIFO must not wait for a writer (we refuse it after fstat);
# O_NOCTTY: a terminal device must never become our controlling terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


class Unreadable(Exception):
    """A file that exists but cannot be used; the message names why."""


class SourceFile(Struct, frozen=True):
    """A file to load: where it is on disk and how users see its path."""

    local: Path
    display: str
    # The tree the file belongs to (a node's directory); when set, the file is
    # read only if its real path (symlinks resolved) lies inside it.
    root: Path | None = None


def display_path(path: Path) -> str:
    """Return the path relative to the working directory when below it, POSIX style.

    Control characters in a file name (an escape sequence, a newline) become
    U+FFFD: the name is shown in terminals, CI logs and XML reports.
    """
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute.startswith("//"):
        # POSIX keeps a leading '//' distinct: leave that to pathlib's rules.
        try:
            return _printable(Path(absolute).relative_to(cwd).as_posix())
        except ValueError:
            return _printable(absolute)
    below = cwd if cwd.endswith("/") else cwd + "/"
    if absolute == cwd:
        shown = "."
    elif absolute.startswith(below):
        shown = absolute[len(below) :]
    else:
        shown = absolute
    return _printable(shown)


def _printable(shown: str) -> str:
    return _CONTROL.sub("\ufffd", shown) if _CONTROL.search(shown) else shown


def inside(path: Path | str, root: Path | str) -> bool:
    """Return True when ``path``, symlinks resolved, lies within ``root``."""
    real = _realpath(path)
    top = _realpath(root)
    return real == top or real.startswith(top if top.endswith("/") else top + "/")


def _realpath(path: Path | str) -> str:
    """Return ``os.path.realpath(path)``, resolving each directory once per load.

    Every file of a node lies in a handful of directories, and realpath lstat()s
    each component of each path: a quarter of the snapshot's time per file.
    """
    text = os.fspath(path)
    if ".." in text.split(os.sep) or text.startswith("//"):
        # '..' after a symlink is not lexical, and POSIX keeps '//' apart.
        return os.path.realpath(text)
    return _resolved(os.path.abspath(text))


@lru_cache(maxsize=4096)
def _resolved(absolute: str) -> str:
    # A normalised absolute path without '..': its parent resolved (cached), plus
    # the last component, followed only when it is itself a symlink.
    parent, name = os.path.split(absolute)
    if not name or os.path.islink(absolute):
        return os.path.realpath(absolute)
    return os.path.join(_resolved(parent), name)


def forget_real_paths() -> None:
    """Drop the resolved directories: called as each node or nginx tree loads,
    so a long-lived process never trusts a directory that became a symlink."""
    _resolved.cache_clear()


def read_source(src: SourceFile, limit: int = MAX_CONFIG_BYTES) -> bytes:
    """Read a source file, refusing symlinks that lead out of its tree."""
    if src.root is not None and not inside(src.local, src.root):
        # Never follow a link out of the tree: an untrusted tree could point
        # carbon.xml at /proc/self/environ and get its first line printed.
        raise Unreadable("is a symlink to a path outside the node tree; not read")
    return read_bytes(src.local, limit)


def read_bytes(path: Path, limit: int = MAX_CONFIG_BYTES) -> bytes:
    """Read a regular file of at most ``limit`` bytes, refusing FIFOs and devices."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise Unreadable(_os_reason(exc)) from None
    try:
        # fstat on the open descriptor: what we check is what we read.
        info = os.fstat(fd)
        _check_regular(info, limit)
        data = _read_up_to(fd, info.st_size + 1, limit + 1)
    except OSError as exc:
        raise Unreadable(_os_reason(exc)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Unreadable(f"is over the {limit}-byte limit")
    return data


def _read_up_to(fd: int, first: int, most: int) -> bytes:
    # Ask for the size fstat gave (plus one, to see growth) rather than for the
    # limit: a buffered read(limit) set up 4 MiB for every 25 kB config file.
    parts = []
    size = 0
    want = min(first, most)
    while size < most:
        chunk = os.read(fd, want)
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
        want = min(1 << 16, most - size)
    return b"".join(parts)


def _check_regular(info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable("is a directory, expected a file")
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("is not a regular file (FIFO, socket or device)")
    if info.st_size > limit:
        raise Unreadable(f"is {info.st_size} bytes, over the {limit}-byte limit")


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def exists(path: Path) -> bool:
    """Return True when something is at ``path`` (a broken symlink counts).

    A path we may not look at (a parent without search permission) counts too:
    reading it then reports why, instead of the file silently not existing.
    """
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True
