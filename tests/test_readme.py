"""User documentation: links resolve inside the repository, no placeholders left."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

DOCS = [
    REPO / "README.md",
    REPO / "CONTRIBUTING.md",
    *sorted((REPO / "docs").glob("*.md")),
]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_relative_links_point_at_files_in_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # a URL
        resolved = (doc.parent / target).resolve()
        assert resolved.is_relative_to(REPO), f"{doc.name}: {target} leaves the repo"
        assert resolved.exists(), f"{doc.name}: {target} does not exist"


@pytest.mark.parametrize(
    "doc", [*DOCS, REPO / ".pre-commit-hooks.yaml"], ids=lambda p: p.name
)
def test_no_placeholders_or_paths_outside_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert "<org>" not in text and "../shared" not in text


def test_readme_says_what_eilint_does_not_check() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "## What eilint does not check" in readme
    assert "## Results" not in readme  # benchmark figures live in docs/performance.md
    assert "docs/performance.md" in readme and "CONTRIBUTING.md" in readme
