"""Hash a node's deployed artifacts (streaming, bounded) for cross-node comparison.

Only the paths and a content hash reach the model: never the files themselves.
Symbolic links are recorded by their target text and never followed, so a link
loop or a link out of the tree costs nothing; rsync -a copies links as links, so
comparing the link text is what the guide's synchronisation produces.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from msgspec import Struct
from msgspec import field

# Relative to a profile's root: what the guides synchronise between nodes.
PROFILE_ARTIFACT_DIRS = ("repository/deployment/server", "repository/tenants")
# Relative to EI_HOME, for the business-process profile (remote.sh fetches these).
ARTIFACT_DIRS = tuple(f"wso2/business-process/{d}" for d in PROFILE_ARTIFACT_DIRS)
# A node has tens or hundreds of artifacts; past these bounds the tree is hostile
# or not a deployment directory, and a partial listing would only produce false
# "missing" findings, so the node's artifacts are then not compared at all.
MAX_ARTIFACT_FILES = 20_000
MAX_ARTIFACT_BYTES = 4 * 1024**3
_CHUNK = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


class ArtifactLimit(Exception):
    """The tree exceeds the file-count or byte bound; the message says which."""


class ArtifactScan(Struct):
    """Artifact path (relative to EI_HOME) -> ``sha256:<hex>`` or ``link:<target>``.

    ``problems`` are (display-relative path, reason) pairs for entries that could
    not be read; those entries are recorded as ``unreadable`` so that a file the
    other nodes have is not called missing.
    """

    hashes: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0
    size: int = 0


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def file_digest(path: str | Path) -> str:
    """Return ``sha256:<hex>`` of a regular file, read in chunks (never whole)."""
    # os.read on the descriptor: a file object and hashlib.file_digest's 256 KiB
    # buffer cost more than hashing a typical (tens of kilobytes) artifact.
    fd = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        digest = hashlib.sha256()
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
    finally:
        os.close(fd)
    return f"sha256:{digest.hexdigest()}"


def _entry(scan: ArtifactScan, path: str, rel: str, info: os.stat_result) -> None:
    scan.files += 1
    if scan.files > MAX_ARTIFACT_FILES:
        raise ArtifactLimit(f"more than {MAX_ARTIFACT_FILES} files")
    if stat.S_ISLNK(info.st_mode):
        scan.hashes[rel] = f"link:{os.readlink(path)}"
        return
    if not stat.S_ISREG(info.st_mode):
        return  # FIFOs, sockets, devices: nothing EI deploys
    scan.size += info.st_size
    if scan.size > MAX_ARTIFACT_BYTES:
        raise ArtifactLimit(f"more than {MAX_ARTIFACT_BYTES} bytes")
    try:
        scan.hashes[rel] = file_digest(path)
    except OSError as exc:
        scan.hashes[rel] = "unreadable"
        scan.problems.append((rel, _reason(exc)))


def _walk(scan: ArtifactScan, folder: str, folder_rel: str) -> None:
    # Paths stay strings, each entry's relative path its parent's plus its name
    # (a name holds no '/'): pathlib cost more per entry than hashing the file.
    pending = [(folder, folder_rel)]
    while pending:
        current, current_rel = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            scan.problems.append((current_rel, _reason(exc)))
            continue
        for entry in entries:
            rel = f"{current_rel}/{entry.name}"
            try:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    # a real directory; links are not descended
                    pending.append((entry.path, rel))
                else:
                    _entry(scan, entry.path, rel, info)
            except OSError as exc:
                scan.hashes[rel] = "unreadable"
                scan.problems.append((rel, _reason(exc)))


def profile_dirs(profile_root: str) -> tuple[str, ...]:
    """Return the artifact directories of the profile rooted at ``profile_root``.

    ``profile_root`` is relative to EI_HOME: ``wso2/business-process``, or ``.``
    for the integrator, whose repository/ sits in EI_HOME itself.
    """
    prefix = "" if profile_root in ("", ".") else f"{profile_root}/"
    return tuple(prefix + d for d in PROFILE_ARTIFACT_DIRS)


def scan_artifacts(home: Path, dirs: tuple[str, ...] = ARTIFACT_DIRS) -> ArtifactScan:
    """Hash every artifact under the node's deployment and tenant directories.

    Raises ArtifactLimit when the tree passes the bounds above.
    """
    scan = ArtifactScan()
    for rel in dirs:
        folder = home / rel
        try:
            mode = os.lstat(folder).st_mode
            if stat.S_ISLNK(mode):
                # A shared (e.g. NFS) directory linked in: nodes agree when their
                # links agree; its content is another machine's business.
                scan.hashes[rel] = f"link:{os.readlink(folder)}"
                continue
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            _walk(scan, str(folder), rel)
    return scan
