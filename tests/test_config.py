"""config.py directly: every manifest error names its line; values come out typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from eilint.catalog import load_catalog
from eilint.config import ConfigError
from eilint.config import find_manifest
from eilint.config import is_remote
from eilint.config import load_config
from eilint.findings import Severity


def _load(tmp_path: Path, text: str):
    path = tmp_path / "eilint.yaml"
    path.write_text(text)
    return load_config(path, load_catalog(), "eilint.yaml")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("- a\n- b\n", 1, "must be a mapping"),
        ("nodes: node1\n", 1, "'nodes' must be a list"),
        ("nodes:\n  - {name: a, path: x}\n  - {name: a, path: y}\n", 3, "two nodes"),
        ("nodes:\n  - {path: x, address: 10.0.0.1}\n", 2, "needs a 'name'"),
        ("nodes:\n  - {name: a, path: x, ip: 1}\n", 2, "unknown node key 'ip'"),
        ("nodes:\n  - name: a\n", 2, "needs 'path'"),
        ("cluster: 12\n", 1, "'cluster' must be a non-empty string"),
        ("severity: warning\n", 1, "'severity' must be a mapping"),
        ("options:\n  DSR013: {max_connections: many}\n", 2, "must be of type int"),
        ("options:\n  DSR013: {max_connections: true}\n", 2, "must be of type int"),
        ("fail-on: sometimes\n", 1, "unknown severity"),
        ("per-path-ignores:\n  x/: REG001\n", 2, "must be a list"),
        ("select: [REG001]\nselect: [EIL]\n", 2, "duplicate key"),
    ],
)
def test_errors_name_the_line(tmp_path: Path, text: str, line: int, message: str):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    text_of = str(caught.value)
    assert text_of.startswith(f"eilint.yaml:{line}: "), text_of
    assert message in text_of
    assert "\n" not in text_of


def test_values_are_typed_and_paths_resolved(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        "cluster: prod\n"
        "nodes:\n  - {name: a, path: node-a, address: 10.0.0.11}\n"
        "  - b.example:/opt/ei\n"
        "nginx: lb\n"
        "severity: {registry-writer-count: warning}\n"
        "options: {DSR013: {max_connections: 300}}\n"
        "fail-on: info\n",
    )
    assert config.nodes[0].arg() == f"a={tmp_path / 'node-a'}"
    assert config.nodes[1].arg() == "b.example:/opt/ei"
    assert config.nginx == tmp_path / "lb"
    assert config.severities == {"REG001": Severity.WARNING}
    assert config.options == {"DSR013": {"max_connections": 300}}
    assert config.fail_on is Severity.NOTE


def test_empty_manifest_is_an_empty_config(tmp_path: Path) -> None:
    config = _load(tmp_path, "# nothing yet\n")
    assert config.nodes == () and config.source == "eilint.yaml"


def test_find_manifest_walks_up(tmp_path: Path) -> None:
    (tmp_path / "eilint.yaml").write_text("cluster: x\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_manifest(deep) == (tmp_path / "eilint.yaml").resolve()


@pytest.mark.parametrize(
    ("arg", "remote"),
    [
        ("node1", False),
        ("./conf", False),
        ("/srv/ei/node1", False),
        ("dir/with:colon", False),
        ("ei1:/opt/wso2ei", True),
        ("admin@ei1.example:/opt/wso2ei", True),
        ("[fe80::1]:/opt/ei", True),
    ],
)
def test_is_remote(arg: str, remote: bool) -> None:
    assert is_remote(arg) is remote
