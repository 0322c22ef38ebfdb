"""The examples in docs/ are valid: the manifest loads, the YAML parses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from eilint.catalog import load_catalog
from eilint.config import load_config
from eilint.workflow import plan_outputs
from tests.conftest import REPO

DOCS = REPO / "docs"
BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


def _yaml_blocks(name: str) -> list[str]:
    return BLOCK.findall((DOCS / name).read_text(encoding="utf-8"))


def test_configuration_example_manifest_is_valid(tmp_path: Path) -> None:
    manifest = _yaml_blocks("configuration.md")[0]
    path = tmp_path / "eilint.yaml"
    path.write_text(manifest)
    config = load_config(path, load_catalog())
    assert config.cluster == "bps-prod"
    assert [n.name for n in config.nodes] == ["ei-node1", "ei-node2", "ei-node3"]
    assert config.nodes[2].path == "admin@ei3.example:/opt/wso2ei-6.3.0"
    assert config.options["DSR013"] == {"max_connections": 500}


@pytest.mark.parametrize("name", ["ci.md", "configuration.md"])
def test_yaml_examples_parse(name: str) -> None:
    for block in _yaml_blocks(name):
        assert YAML(typ="safe").load(block) is not None


def test_workflow_example_writes_sarif_to_the_uploaded_file() -> None:
    workflow = YAML(typ="safe").load(_yaml_blocks("ci.md")[1])
    steps = workflow["jobs"]["eilint"]["steps"]
    command = next(s["run"] for s in steps if "eilint check" in str(s.get("run")))
    argv = shlex.split(command)
    formats = [argv[i + 1] for i, a in enumerate(argv) if a == "--format"]
    outputs = [Path(argv[i + 1]) for i, a in enumerate(argv) if a == "--output"]
    pairs = plan_outputs(formats, outputs, {})
    upload = next(s for s in steps if "upload-sarif" in str(s.get("uses")))
    assert ("sarif", Path(upload["with"]["sarif_file"])) in pairs
