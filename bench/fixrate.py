"""How much does ``eilint check --fix --unsafe-fixes`` repair?

Run from the repository root: ``.venv/bin/python bench/fixrate.py``.

Inputs: every planted-defect fixture (tests/fixtures/<RULE>/fail_*, one defect
each, linted with its rule selected as the rule tests do) and the sample broken
cluster (sample-configs/broken, all rules, with its eilint.yaml). Each is copied
to a temporary directory, fixed, and linted again. Reported:

- findings fixed: findings before whose (rule, file, logical key) is gone after,
  over all findings before;
- clusters clean: inputs with no finding left after the fix (for a fixture: none
  of its rule), over all inputs;

each over every input, and over the inputs whose rule has a fix.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from msgspec.structs import replace
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import node_args  # noqa: E402

from eilint.api import LintOptions  # noqa: E402
from eilint.api import lint  # noqa: E402
from eilint.findings import Finding  # noqa: E402
from eilint.fix.registry import producers  # noqa: E402
from eilint.fix.run import FixMode  # noqa: E402
from eilint.fix.run import fix_cluster  # noqa: E402
from eilint.workflow import CheckArgs  # noqa: E402
from eilint.workflow import build_options  # noqa: E402
from eilint.workflow import load_manifest  # noqa: E402


def _keys(findings: tuple[Finding, ...]) -> Counter[tuple[str, str, str | None]]:
    return Counter((f.rule_id, f.location.path, f.location.key) for f in findings)


def _measure(options: LintOptions) -> tuple[int, int, int]:
    """Return (findings before, findings fixed, findings left) for one tree."""
    before = _keys(lint(options).findings)
    fix_cluster(options, FixMode(unsafe=True))
    after = _keys(lint(options).findings)
    fixed = sum((before - after).values())
    return sum(before.values()), fixed, sum(after.values())


def _fixture(case: Path, tmp: Path) -> tuple[str, tuple[int, int, int]]:
    tree = tmp / case.parent.name / case.name
    shutil.copytree(case, tree)
    nginx = tree / "nginx"
    extra = tree / "options.yaml"
    options = LintOptions(
        nodes=node_args(tree),
        nginx=nginx if nginx.exists() else None,
        select=[case.parent.name],
        rule_options=YAML(typ="safe").load(extra.read_text()) if extra.exists() else {},
    )
    return case.parent.name, _measure(options)


def _sample(tmp: Path) -> tuple[int, int, int]:
    tree = tmp / "sample-broken"
    shutil.copytree(ROOT / "sample-configs" / "broken", tree)
    config = load_manifest(tree / "eilint.yaml")
    return _measure(replace(build_options(CheckArgs(), config)))


def main() -> None:
    fixable = set(producers())
    cases = sorted(
        p
        for p in (ROOT / "tests" / "fixtures").glob("*/fail_*")
        if not (p / "generate-keys.yaml").exists()
    )
    rows: list[tuple[str, tuple[int, int, int]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            rows.append(_fixture(case, Path(tmp)))
        rows.append(("sample", _sample(Path(tmp))))
    _print("all planted defects", [r for r in rows if r[0] != "sample"])
    _print("planted defects of rules with a fix", [r for r in rows if r[0] in fixable])
    _print("sample-configs/broken (all rules)", [r for r in rows if r[0] == "sample"])


def _print(title: str, rows: list[tuple[str, tuple[int, int, int]]]) -> None:
    before = sum(r[1][0] for r in rows)
    fixed = sum(r[1][1] for r in rows)
    clean = sum(1 for r in rows if r[1][2] == 0)
    share = 100 * fixed / before if before else 0.0
    print(
        f"{title}: {len(rows)} clusters, {before} findings; fixed {fixed} "
        f"({share:.0f}%); clean after {clean}/{len(rows)} "
        f"({100 * clean / len(rows):.0f}%)"
    )


if __name__ == "__main__":
    main()
