"""Meta-tests: the catalog and the code agree, every rule is documented and tested."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eilint.catalog import CatalogError
from eilint.catalog import load_catalog
from eilint.catalog import load_file
from eilint.checks import CHECKS
from tests.conftest import FIXTURES

CATALOG = load_catalog()
# EIL900 reports crashes of other checks; no fixture can make a correct check crash.
NO_FIXTURES = {"EIL900"}


def test_catalog_ids_equal_check_ids() -> None:
    assert set(CATALOG.rules) == set(CHECKS), (
        f"in catalog only: {sorted(set(CATALOG.rules) - set(CHECKS))}; "
        f"in code only: {sorted(set(CHECKS) - set(CATALOG.rules))}"
    )


@pytest.mark.parametrize("rule_id", sorted(set(CATALOG.rules) - NO_FIXTURES))
def test_every_rule_has_failing_and_passing_fixtures(rule_id: str) -> None:
    cases = [p.name for p in (FIXTURES / rule_id).glob("*") if p.is_dir()]
    assert any(c.startswith("fail_") for c in cases), f"{rule_id}: no fail_* fixture"
    assert any(c.startswith("pass_") for c in cases), f"{rule_id}: no pass_* fixture"
    for case in cases:
        if case.startswith("fail_"):
            assert (FIXTURES / rule_id / case / "expected.yaml").is_file(), case


def _normalise(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines())


def _case_texts(rule_id: str, prefix: str) -> list[str]:
    texts = []
    for case in (FIXTURES / rule_id).glob(f"{prefix}_*"):
        for path in case.rglob("*"):
            if path.is_file() and path.name != "expected.yaml":
                texts.append(_normalise(path.read_text(errors="replace")))
    return texts


@pytest.mark.parametrize("rule_id", sorted(set(CATALOG.rules) - NO_FIXTURES))
def test_examples_come_from_fixtures(rule_id: str) -> None:
    meta = CATALOG.rules[rule_id]
    assert meta.fail_example and meta.pass_example, f"{rule_id}: examples missing"
    for prefix, example in (("fail", meta.fail_example), ("pass", meta.pass_example)):
        if example.code.startswith("("):  # a described situation, e.g. a directory
            continue
        snippet = _normalise(example.code)
        texts = _case_texts(rule_id, prefix)
        assert any(snippet in t for t in texts), (
            f"{rule_id} {prefix} example is not in any {prefix}_* fixture file"
        )


@pytest.mark.parametrize("rule_id", sorted(CATALOG.rules))
def test_rule_text_is_complete(rule_id: str) -> None:
    meta = CATALOG.rules[rule_id]
    assert meta.title and not meta.title.endswith(".")
    assert len(meta.rationale) > 40 and len(meta.remediation) > 20
    assert re.fullmatch(r"[a-z][a-z0-9-]+", meta.name)


def test_catalog_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "family: x\nprefix: XXX\nrules:\n  - id: XXX001\n    name: a-b\n"
        "    title: T\n    severity: warn\n    scope: node\n    rationale: r\n"
        "    remediation: r\n    hint: h\n"
    )
    with pytest.raises(CatalogError, match=r"rules/bad.yaml:7: unknown severity"):
        load_file(bad)


def test_unknown_catalog_key_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "family: x\nprefix: XXX\nrules:\n  - id: XXX001\n    name: a-b\n"
        "    title: T\n    severity: error\n    scope: node\n    rationale: r\n"
        "    remediation: r\n    hint: h\n    sevrity: error\n"
    )
    with pytest.raises(CatalogError, match=r"rules/bad.yaml:12: unknown key 'sevrity'"):
        load_file(bad)


def test_rules_readme_is_fresh() -> None:
    """rules/README.md is generated; the failure says how to regenerate it."""
    from eilint.report.docs import COMMAND
    from eilint.report.docs import render_docs
    from tests.conftest import REPO

    readme = REPO / "rules" / "README.md"
    current = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    assert current == render_docs(CATALOG), (
        f"rules/README.md is stale; regenerate it from the repository root with: "
        f".venv/bin/{COMMAND}"
    )


def test_docs_command_prints_the_generated_reference() -> None:
    from typer.testing import CliRunner

    from eilint.cli import app
    from eilint.report.docs import render_docs

    result = CliRunner().invoke(app, ["docs"])
    assert result.exit_code == 0
    assert result.stdout == render_docs(CATALOG)
    assert "## REG001 registry-writer-count" in result.stdout
    assert "```xml" in result.stdout


def test_broken_catalog_yaml_is_one_line_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("family: x\nprefix: XXX\nrules:\n  - id: [XXX001\n")
    with pytest.raises(CatalogError) as info:
        load_file(bad)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("rules/bad.yaml:")


def test_committed_compiled_catalog_is_fresh() -> None:
    """src/eilint/_data/catalog.json is generated; the failure says how."""
    from eilint.catalog_compile import COMMITTED
    from eilint.catalog_compile import compile_dir
    from eilint.catalog_compile import dumps
    from tests.conftest import REPO

    committed = REPO / COMMITTED
    current = committed.read_text(encoding="utf-8") if committed.is_file() else ""
    assert current == dumps(compile_dir(REPO / "rules")), (
        f"{COMMITTED} is stale; regenerate it from the repository root with: "
        ".venv/bin/python -m eilint.catalog_compile"
    )


def test_stale_compiled_copy_falls_back_to_the_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import eilint.catalog
    from eilint.catalog_compile import compile_dir
    from tests.conftest import REPO

    stale = compile_dir(REPO / "rules")
    stale["key"] = "0" * 64
    stale["rules"] = stale["rules"][:1]
    compiled = tmp_path / "catalog.json"
    compiled.write_text(json.dumps(stale))
    monkeypatch.setattr(eilint.catalog, "COMPILED", compiled)
    assert load_catalog.__wrapped__() == CATALOG
    assert len(CATALOG.rules) > 1
    monkeypatch.setattr(eilint.catalog, "checkout_rules", lambda: None)
    # Installed: the compiled copy is the catalog, whatever lies around.
    assert list(load_catalog.__wrapped__().rules) == list(CATALOG.rules)[:1]


def test_a_new_family_file_is_compiled_without_registration(tmp_path: Path) -> None:
    from eilint.catalog_compile import compile_dir
    from tests.conftest import REPO

    for path in (REPO / "rules").glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"))
    (tmp_path / "zz.yaml").write_text(
        "family: extra\nprefix: ZZZ\nrules:\n  - id: ZZZ001\n    name: z-z\n"
        "    title: T\n    severity: note\n    scope: node\n    rationale: r\n"
        "    remediation: r\n    hint: h\n"
    )
    rules = compile_dir(tmp_path)["rules"]
    assert rules[-1]["id"] == "ZZZ001"
    assert rules[-1]["source"] == "rules/zz.yaml"
