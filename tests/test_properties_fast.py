"""The backslash-free fast path of the properties loader equals javaproperties."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from eilint.loaders.files import SourceFile
from eilint.loaders.properties import _parse_plain
from eilint.loaders.properties import parse_properties

# Everything that matters to the grammar except the backslash, plus look-alikes
# of line breaks that Java does not treat as such (\v, \x1c, \x85).
ALPHABET = " \t\f\r\n#!=:ab.\x0b\x1c\x85\xe9"


def _slow(tmp: Path, text: str) -> tuple[object, ...]:
    # A lone backslash-free marker line appended as a comment would change line
    # counts; instead force the javaproperties path with an escaped key on a
    # final line of its own and drop that entry again.
    path = tmp / "slow.properties"
    path.write_bytes((text + "\nzz\\z=1\n").encode("latin-1"))
    parsed, problems = parse_properties(SourceFile(path, "p"), "n")
    assert parsed is not None and not problems
    entries = tuple(
        (e.key, e.value, e.where.line) for e in parsed.entries if e.key != "zzz"
    )
    return entries, parsed.comments


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_plain_parser_matches_javaproperties(tmp_path_factory, text: str) -> None:
    tmp = tmp_path_factory.mktemp("props")
    fast = _parse_plain(text, "p", "n")
    entries = tuple((e.key, e.value, e.where.line) for e in fast.entries)
    assert (entries, fast.comments) == _slow(tmp, text)


def test_plain_parser_on_a_log4j_file(tmp_path: Path) -> None:
    text = (
        "# logging\nlog4j.rootLogger=INFO, CONSOLE\n\n  ! note\r\n"
        "log4j.logger.com.hazelcast = INFO\nkey:value \nlone\n\tspaced key  v \n"
    )
    path = tmp_path / "log4j.properties"
    path.write_text(text, encoding="latin-1")
    parsed, _ = parse_properties(SourceFile(path, "p"), "n")
    assert parsed is not None
    assert [(e.key, e.value, e.where.line) for e in parsed.entries] == [
        ("log4j.rootLogger", "INFO, CONSOLE", 2),
        ("log4j.logger.com.hazelcast", "INFO", 5),
        ("key", "value ", 6),
        ("lone", "", 7),
        ("spaced", "key  v ", 8),
    ]
    assert parsed.comments == ((1, " logging"), (4, " note"))
