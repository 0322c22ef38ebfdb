"""display_path and inside: the string fast paths equal the pathlib originals.

Both run for every file of every node; the originals (pathlib, a realpath per
file) are kept here as the reference.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from eilint.loaders.files import Unreadable
from eilint.loaders.files import display_path
from eilint.loaders.files import forget_real_paths
from eilint.loaders.files import inside
from eilint.loaders.files import read_bytes

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
SEGMENTS = st.sampled_from(["a", "b", "..", ".", "", "c\x1b", "tree", "x y"])
PATHS = st.builds(
    lambda lead, parts: lead + "/".join(parts),
    st.sampled_from(["", "/", "//", "///", "./", "../"]),
    st.lists(SEGMENTS, max_size=5),
).filter(bool)


def _display_reference(path: str) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        shown = absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        shown = absolute.as_posix()
    return CONTROL.sub("\ufffd", shown)


@pytest.mark.parametrize("cwd", ["/", "tmp"])
def test_display_path_is_the_pathlib_rule(
    cwd: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir("/" if cwd == "/" else tmp_path)

    @settings(max_examples=400, deadline=None)
    @given(PATHS)
    def check(path: str) -> None:
        assert display_path(Path(path)) == _display_reference(path)

    check()


def _tree(tmp: Path) -> tuple[Path, list[Path]]:
    root = tmp / "node"
    (root / "conf" / "sub").mkdir(parents=True)
    (tmp / "outside").mkdir()
    (tmp / "outside" / "secret.xml").write_text("x")
    (root / "conf" / "a.xml").write_text("x")
    (root / "conf" / "up").symlink_to("..")
    (root / "conf" / "out").symlink_to(tmp / "outside")
    (root / "conf" / "leak.xml").symlink_to(tmp / "outside" / "secret.xml")
    (root / "conf" / "ok.xml").symlink_to(root / "conf" / "a.xml")
    (root / "linked").symlink_to(root / "conf")
    candidates = [
        root / "conf" / "a.xml",
        root / "conf" / "sub" / ".." / "a.xml",
        root / "conf" / "up" / "conf" / "a.xml",
        root / "conf" / "out" / "secret.xml",
        root / "conf" / "leak.xml",
        root / "conf" / "ok.xml",
        root / "linked" / "a.xml",
        root / "linked" / "out" / "secret.xml",
        root / "conf" / "missing.xml",
        root / "conf" / ".." / ".." / "outside" / "secret.xml",
        root / "conf" / "up" / ".." / "outside" / "secret.xml",
        root,
        tmp / "outside",
    ]
    return root, candidates


def _reference_inside(path: Path, root: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def test_inside_is_realpath_containment(tmp_path: Path) -> None:
    root, candidates = _tree(tmp_path)
    # '..' after a symlink leaves the link's target, not the link's directory.
    roots = [root, root / "linked" / "..", root / "conf" / "out" / "..", tmp_path]
    for top in roots:
        for path in candidates:
            forget_real_paths()
            assert inside(path, top) == _reference_inside(path, top), (path, top)
            assert inside(str(path), str(top)) == _reference_inside(path, top)


def test_a_directory_turned_symlink_is_seen_at_the_next_load(tmp_path: Path) -> None:
    root, _ = _tree(tmp_path)
    target = root / "conf" / "sub" / "f.xml"
    target.write_text("x")
    assert inside(target, root)
    target.unlink()
    (root / "conf" / "sub").rmdir()
    (root / "conf" / "sub").symlink_to(tmp_path / "outside")
    (tmp_path / "outside" / "f.xml").write_text("x")
    forget_real_paths()
    assert not inside(target, root)


@pytest.mark.parametrize("size", [0, 1, 4095, 65536, 65537, 200_000])
def test_read_bytes_reads_whole_files(tmp_path: Path, size: int) -> None:
    path = tmp_path / "f.xml"
    data = os.urandom(size)
    path.write_bytes(data)
    assert read_bytes(path) == data
    assert read_bytes(path, limit=size) == data
    if size:
        with pytest.raises(Unreadable, match="over the"):
            read_bytes(path, limit=size - 1)


def test_read_bytes_reads_past_a_zero_st_size() -> None:
    # /proc files say st_size 0 yet have content: reading must not stop at fstat.
    status = Path("/proc/self/status")
    if not status.is_file():
        pytest.skip("no /proc")
    assert b"Name:" in read_bytes(status)
