"""Safe file access for loaders: size limits, special files, display paths."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

# EI config files are tens of kilobytes; anything past this is not a config file
# and reading it would only cost memory (documented in the README's limits).
MAX_CONFIG_BYTES = 16 * 1024 * 1024


class Unreadable(Exception):
    """A file that exists but cannot be used; the message names why."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to load: where it is on disk and how users see its path."""

    local: Path
    display: str


def display_path(path: Path) -> str:
    """Return the path relative to the working directory when below it, POSIX style."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def read_bytes(path: Path, limit: int = MAX_CONFIG_BYTES) -> bytes:
    """Read a regular file of at most ``limit`` bytes, refusing FIFOs and devices."""
    try:
        info = path.stat()
    except OSError as exc:
        raise Unreadable(_os_reason(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable("is a directory, expected a file")
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("is not a regular file (FIFO, socket or device)")
    if info.st_size > limit:
        raise Unreadable(f"is {info.st_size} bytes, over the {limit}-byte limit")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise Unreadable(_os_reason(exc)) from None
    if len(data) > limit:
        raise Unreadable(f"is over the {limit}-byte limit")
    return data


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def exists(path: Path) -> bool:
    """Return True when something is at ``path`` (a broken symlink counts)."""
    return path.is_symlink() or path.exists()
