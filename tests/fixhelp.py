"""Run ``--fix`` on a fix fixture: tests/fix_fixtures/<RULE>/<case>/{before,after}/.

``before/`` holds node directories (and ``nginx/``) as a rule fixture does;
``addresses.yaml`` beside it gives node addresses (the manifest's ``address``),
``options.yaml`` rule options.
"""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from eilint.api import LintOptions
from eilint.fix.run import FixMode
from eilint.fix.run import FixOutcome
from eilint.fix.run import fix_cluster
from tests.conftest import node_args

FIX_FIXTURES = Path(__file__).resolve().parent / "fix_fixtures"


def _yaml(path: Path) -> dict:  # type: ignore[type-arg]
    return (YAML(typ="safe").load(path.read_text()) or {}) if path.is_file() else {}


def case_options(case: Path, tree: Path, select: list[str]) -> LintOptions:
    """Lint options for the tree ``tree`` (a copy of ``case/before``)."""
    nginx = tree / "nginx"
    return LintOptions(
        nodes=node_args(tree),
        nginx=nginx if nginx.exists() else None,
        select=select,
        addresses=_yaml(case / "addresses.yaml"),
        rule_options=_yaml(case / "options.yaml"),
    )


def run_fix(case: Path, tree: Path, select: list[str]) -> FixOutcome:
    """Apply safe and unsafe fixes of the selected rules to ``tree``."""
    return fix_cluster(case_options(case, tree, select), FixMode(unsafe=True))


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Map every file below ``root`` (relative POSIX path) to its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
