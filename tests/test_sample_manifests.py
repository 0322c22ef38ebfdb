"""The sample clusters' eilint.yaml: `eilint check` with no NODE lints them."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO
from tests.workflow_helpers import eilint

SAMPLES = REPO / "sample-configs"


@pytest.mark.parametrize(("sample", "code"), [("good", 0), ("broken", 1)])
def test_sample_manifest_runs(sample: str, code: int) -> None:
    folder = SAMPLES / sample
    if not (folder / "eilint.yaml").is_file():
        pytest.skip(f"sample-configs/{sample}/eilint.yaml is not there")
    result = eilint("check", "-f", "json", cwd=folder)
    assert result.exit_code == code, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["nodes"] == ["ei-node1", "ei-node2"]
    assert report["summary"]["nginx"]
    rules = {f["rule"] for f in report["findings"]}
    if sample == "good":
        assert report["summary"]["error"] == 0
    else:
        assert {"REG001", "DSR001", "CLU001"} <= rules
