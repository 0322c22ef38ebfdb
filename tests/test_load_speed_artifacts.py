"""The string-path artifact scan equals the original pathlib one, entry for entry."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from eilint.loaders.artifacts import _CHUNK
from eilint.loaders.artifacts import _OPEN_FLAGS
from eilint.loaders.artifacts import ARTIFACT_DIRS
from eilint.loaders.artifacts import MAX_ARTIFACT_BYTES
from eilint.loaders.artifacts import MAX_ARTIFACT_FILES
from eilint.loaders.artifacts import ArtifactLimit
from eilint.loaders.artifacts import ArtifactScan
from eilint.loaders.artifacts import _reason
from eilint.loaders.artifacts import file_digest
from eilint.loaders.artifacts import scan_artifacts

# --- the original implementation, kept as the reference -------------------------


def _ref_digest(path: Path) -> str:
    fd = os.open(path, _OPEN_FLAGS)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        digest = hashlib.file_digest(handle, "sha256")
    return f"sha256:{digest.hexdigest()}"


def _ref_entry(scan: ArtifactScan, path: Path, rel: str, info: os.stat_result) -> None:
    scan.files += 1
    if scan.files > MAX_ARTIFACT_FILES:
        raise ArtifactLimit(f"more than {MAX_ARTIFACT_FILES} files")
    if stat.S_ISLNK(info.st_mode):
        scan.hashes[rel] = f"link:{os.readlink(path)}"
        return
    if not stat.S_ISREG(info.st_mode):
        return
    scan.size += info.st_size
    if scan.size > MAX_ARTIFACT_BYTES:
        raise ArtifactLimit(f"more than {MAX_ARTIFACT_BYTES} bytes")
    try:
        scan.hashes[rel] = _ref_digest(path)
    except OSError as exc:
        scan.hashes[rel] = "unreadable"
        scan.problems.append((rel, _reason(exc)))


def _ref_walk(scan: ArtifactScan, home: Path, folder: Path) -> None:
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            rel = current.relative_to(home).as_posix()
            scan.problems.append((rel, _reason(exc)))
            continue
        for entry in entries:
            path = Path(entry.path)
            rel = path.relative_to(home).as_posix()
            try:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    pending.append(path)
                else:
                    _ref_entry(scan, path, rel, info)
            except OSError as exc:
                scan.hashes[rel] = "unreadable"
                scan.problems.append((rel, _reason(exc)))


def _ref_scan(home: Path) -> ArtifactScan:
    scan = ArtifactScan()
    for rel in ARTIFACT_DIRS:
        folder = home / rel
        try:
            mode = os.lstat(folder).st_mode
            if stat.S_ISLNK(mode):
                scan.hashes[rel] = f"link:{os.readlink(folder)}"
                continue
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            _ref_walk(scan, home, folder)
    return scan


# --- generated trees ------------------------------------------------------------

# Odd but legal names: spaces, backslashes, dots, non-ASCII, surrogate-escaped
# bytes; "locked" names fail to open or list (injected: tests may run as root).
_NAME = st.sampled_from(
    ("a", "B", "a b", "x\\y", ".hidden", "é", "~", "-", "z.zip", "\udcff", "0", "aa")
)
_LOCKED = st.sampled_from(("locked", "locked.car"))
_LINK_TARGETS = st.sampled_from(["..", "/etc/passwd", "a", "missing", "../../x"])


@st.composite
def _tree(draw: st.DrawFn, depth: int = 0) -> dict[str, object]:
    names = draw(st.lists(_NAME | _LOCKED, unique=True, max_size=5))
    tree: dict[str, object] = {}
    for name in names:
        kind = draw(st.sampled_from(["file", "file", "link", "fifo", "dir"]))
        if kind == "dir" and depth < 3:
            tree[name] = draw(_tree(depth + 1))
        elif kind == "link":
            tree[name] = ("link", draw(_LINK_TARGETS))
        elif kind == "fifo":
            tree[name] = ("fifo",)
        else:
            tree[name] = draw(st.binary(max_size=64))
    return tree


def _build(folder: Path, tree: dict[str, object]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, item in tree.items():
        path = folder / name
        if isinstance(item, dict):
            _build(path, item)
        elif isinstance(item, bytes):
            path.write_bytes(item)
        elif item[0] == "link":
            path.symlink_to(str(item[1]))
        else:
            os.mkfifo(path)


def _locked(path: str | os.PathLike[str]) -> bool:
    return os.path.basename(os.fspath(path)).startswith("locked")


def _inject_failures(patch: pytest.MonkeyPatch) -> None:
    real_open, real_scandir = os.open, os.scandir

    def fake_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if _locked(path):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    def fake_scandir(path: str | os.PathLike[str]) -> Iterator[os.DirEntry[str]]:
        if _locked(path):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    patch.setattr(os, "open", fake_open)
    patch.setattr(os, "scandir", fake_scandir)


def _facts(scan: ArtifactScan) -> tuple[object, ...]:
    return list(scan.hashes.items()), scan.problems, scan.files, scan.size


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_tree(), min_size=len(ARTIFACT_DIRS), max_size=len(ARTIFACT_DIRS)),
    st.sampled_from(["ei", "./ei", "ei/.", "a b/ei"]),
    st.booleans(),
)
def test_scan_matches_the_pathlib_original(
    trees: list[dict[str, object]], home_name: str, linked: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        home = Path(tmp) / home_name
        for rel, tree in zip(ARTIFACT_DIRS, trees, strict=True):
            _build(home / rel, tree)
        if linked:  # the tenants directory shared through a link
            tenants = home / ARTIFACT_DIRS[1]
            os.rename(tenants, Path(tmp) / "shared")
            tenants.symlink_to(Path(tmp) / "shared")
        _inject_failures(patch)
        assert _facts(scan_artifacts(home)) == _facts(_ref_scan(home))


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=3 * 1024), st.integers(0, 3))
def test_digest_matches_hashlib_file_digest(data: bytes, chunks: int) -> None:
    # Lengths around multiples of the read size: the loop's edges.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f"
        path.write_bytes(b"\0" * (_CHUNK * chunks) + data)
        assert file_digest(path) == file_digest(str(path)) == _ref_digest(path)


def test_digest_refuses_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        file_digest(fifo)
