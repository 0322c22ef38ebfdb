"""SARIF output validates against the official schema and carries what GitHub reads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from eilint.report.sarif import sarif_dict
from tests.conftest import REPO
from tests.conftest import SARIF_SCHEMA

BROKEN = REPO / "sample-configs" / "broken"


def broken_report(root: Path = BROKEN):  # type: ignore[no-untyped-def]
    return lint(
        LintOptions(
            nodes=[str(root / "ei-node1"), str(root / "ei-node2")], nginx=root / "nginx"
        )
    )


@pytest.fixture
def sarif() -> dict:
    return sarif_dict(broken_report(), cwd=REPO)


def test_validates_against_the_official_schema(sarif: dict) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip("../shared/sarif is not available")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(sarif), key=str)
    assert errors == [], errors[:3]


def test_rules_and_results_carry_what_code_scanning_reads(sarif: dict) -> None:
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["results"]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not loc["artifactLocation"]["uri"].startswith("/")
        if not loc["artifactLocation"]["uri"].endswith("/"):  # absent: node dir
            assert loc["region"]["startLine"] >= 1
        assert result["partialFingerprints"]["eilintFingerprint/v1"]


def test_cross_node_result_has_related_locations(sarif: dict) -> None:
    reg = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "REG001")
    related = reg["relatedLocations"]
    assert related[0]["physicalLocation"]["artifactLocation"]["uri"].startswith(
        "sample-configs/broken/ei-node2/"
    )
    assert reg["properties"]["nodes"] == ["ei-node1", "ei-node2"]


def test_fingerprints_survive_lines_moving(tmp_path: Path) -> None:
    copy = tmp_path / "broken"
    shutil.copytree(BROKEN, copy)
    before = sarif_dict(broken_report(copy), cwd=tmp_path)
    for name in ("ei-node1", "ei-node2"):
        reg = copy / name / "registry.xml"
        reg.write_text(
            reg.read_text().replace("<wso2registry>", "<wso2registry>\n\n\n", 1)
        )
    after = sarif_dict(broken_report(copy), cwd=tmp_path)

    def prints(log: dict) -> dict[str, tuple[str, int]]:
        return {
            r["partialFingerprints"]["eilintFingerprint/v1"]: (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]
                .get("region", {})
                .get("startLine"),
            )
            for r in log["runs"][0]["results"]
        }

    old, new = prints(before), prints(after)
    assert set(old) == set(new)
    moved = [fp for fp in old if old[fp][0] == "REG001"]
    assert moved and all(new[fp][1] == old[fp][1] + 3 for fp in moved)


def _github_anchor(heading: str) -> str:
    # GitHub's heading ids: lower case, punctuation but "-" dropped, spaces to "-".
    text = heading.lstrip("#").strip().lower()
    return "".join(c for c in text if c.isalnum() or c in " -_").replace(" ", "-")


def test_help_uris_point_at_the_generated_rule_docs(sarif: dict) -> None:
    import tomllib

    repository = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "urls"
    ]["Repository"]
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == repository
    readme = (REPO / "rules" / "README.md").read_text(encoding="utf-8")
    anchors = {
        _github_anchor(line) for line in readme.splitlines() if line.startswith("## ")
    }
    prefix = f"{repository}/blob/main/rules/README.md#"
    for rule in driver["rules"]:
        assert rule["helpUri"].startswith(prefix), rule["helpUri"]
        assert rule["helpUri"].removeprefix(prefix) in anchors, rule["id"]


def test_absent_file_findings_point_at_the_node_directory(sarif: dict) -> None:
    run = sarif["runs"][0]
    absent = [r for r in run["results"] if r["ruleId"] == "CLU015"]
    assert absent
    for result in absent:
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uri"].endswith("/")
        assert (REPO / artifact["uri"]).is_dir()
        assert "region" not in location["physicalLocation"]
        assert "hazelcast.properties is absent" in location["message"]["text"]
    # Every other result names a file that exists.
    for result in run["results"]:
        for location in result.get("locations", ()):
            uri = location["physicalLocation"]["artifactLocation"]["uri"]
            assert (REPO / uri).exists(), (result["ruleId"], uri)
