"""Shared test helpers: fixture-tree discovery and a lint helper."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from eilint.report import Report

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "ei-reference" / "ei-6.3.0"
SARIF_SCHEMA = SHARED / "sarif" / "sarif-schema-2.1.0.json"

os.environ.setdefault("EILINT_DEBUG", "1")


def node_args(case: Path) -> list[str]:
    """Return NAME=PATH for every node directory of a fixture case (not nginx/)."""
    return [
        f"{p.name}={p}"
        for p in sorted(case.iterdir())
        if p.is_dir() and p.name not in ("nginx",) and not p.name.startswith(".")
    ]


def lint_case(case: Path, select: list[str] | None = None) -> Report:
    """Lint a fixture case directory: its node dirs plus nginx/ when present."""
    nginx = case / "nginx"
    # A case may carry rule options (rule id -> option -> value) in options.yaml.
    options_file = case / "options.yaml"
    rule_options = {}
    if options_file.is_file():
        from ruamel.yaml import YAML

        rule_options = YAML(typ="safe").load(options_file.read_text()) or {}
    return lint(
        LintOptions(
            nodes=node_args(case),
            nginx=nginx if nginx.exists() else None,
            select=select or (),
            rule_options=rule_options,
        )
    )


@pytest.fixture
def reference() -> Path:
    """Return the stock EI 6.3.0 tree from ../shared, or skip when absent."""
    if not REFERENCE.is_dir():
        pytest.skip("../shared/ei-reference is not available")
    return REFERENCE
