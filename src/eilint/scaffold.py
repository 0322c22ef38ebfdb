"""``eilint new-rule ID NAME``: the files a new rule needs, in a source checkout.

Writes the catalog entry (appended to the family's ``rules/*.yaml``, with TODO
texts the catalog tests refuse until they are written), a failing and a
passing fixture directory, the regenerated compiled catalog and rule
reference, and prints the check function to write and where it is registered.
See CONTRIBUTING.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from eilint.catalog_compile import ID_RE
from eilint.catalog_compile import NAME_RE

ENTRY = """
  - id: {id}
    name: {name}
    title: {title}
    severity: {severity}
    scope: {scope}
    tags: []
    applies-to: []
    rationale: >-
      TODO: what goes wrong in the cluster, and when (over 40 characters).
    remediation: >-
      TODO: how to fix it, in the operator's words.
    hint: TODO one line shown under each finding
    examples:
      fail:
        file: node1/conf/TODO.xml
        code: |
          TODO: a snippet of tests/fixtures/{id}/fail_basic/
      pass:
        file: node1/conf/TODO.xml
        code: |
          TODO: a snippet of tests/fixtures/{id}/pass_basic/
"""

STUB = """def {func}(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    \"\"\"{id}: {title}.\"\"\"
    for node in cluster.nodes:
        ...  # yield Hit(...) for each place that is wrong
"""


class ScaffoldError(Exception):
    """The rule cannot be scaffolded here (one line for the user)."""


def _root() -> Path:
    from eilint.catalog import checkout_rules

    rules = checkout_rules()
    if rules is None:
        raise ScaffoldError("new-rule works in a source checkout of eilint only")
    return rules.parent


def _family_file(rules: Path, prefix: str) -> Path:
    pattern = re.compile(rf"^prefix:\s*{prefix}\s*$", re.MULTILINE)
    for path in sorted(rules.glob("*.yaml")):
        if pattern.search(path.read_text(encoding="utf-8")):
            return path
    raise ScaffoldError(
        f"no rules/*.yaml has 'prefix: {prefix}'; start a family file first "
        "(family, prefix, rules) as CONTRIBUTING.md shows"
    )


def _check_module(root: Path, prefix: str) -> Path | None:
    for path in sorted((root / "src" / "eilint" / "checks").glob("*.py")):
        if f'"{prefix}0' in path.read_text(encoding="utf-8"):
            return path
    return None


def scaffold(
    rule_id: str, name: str, title: str | None, severity: str, scope: str
) -> list[str]:
    """Create the rule's files; return lines telling what was made and what next."""
    from eilint.catalog import load_catalog
    from eilint.catalog_compile import CatalogError
    from eilint.catalog_compile import write

    rule_id = rule_id.upper()
    if not ID_RE.match(rule_id) or not NAME_RE.match(name):
        raise ScaffoldError("give an id like NGX031 and a kebab-case name")
    catalog = load_catalog()
    if catalog.get(rule_id) or catalog.get(name):
        raise ScaffoldError(f"{rule_id}/{name}: a rule with this id or name exists")
    root = _root()
    family = _family_file(root / "rules", rule_id[:3])
    text = title or f"TODO one line: what is wrong ({name})"
    entry = ENTRY.format(
        id=rule_id, name=name, title=json.dumps(text), severity=severity, scope=scope
    )
    before = family.read_text(encoding="utf-8")
    family.write_text(before.rstrip("\n") + "\n" + entry, encoding="utf-8")
    try:
        write(root)
    except CatalogError as exc:
        family.write_text(before, encoding="utf-8")  # leave the catalog as it was
        raise ScaffoldError(str(exc)) from None
    made = [f"catalog entry: {family.relative_to(root)} (fill in the TODOs)"]
    made += _fixtures(root, rule_id)
    load_catalog.cache_clear()
    _write_docs(root)
    made.append("regenerated: src/eilint/_data/catalog.json, rules/README.md")
    module = _check_module(root, rule_id[:3])
    where = module.relative_to(root) if module else "src/eilint/checks/<family>.py"
    func = name.replace("-", "_")
    made += [
        f"check: write {func} in {where} and add {rule_id!r}: {func} to its CHECKS:",
        "",
        STUB.format(func=func, id=rule_id, title=text),
    ]
    return made


def _fixtures(root: Path, rule_id: str) -> list[str]:
    base = root / "tests" / "fixtures" / rule_id
    fail = base / "fail_basic"
    (fail / "node1").mkdir(parents=True, exist_ok=True)
    (base / "pass_basic" / "node1").mkdir(parents=True, exist_ok=True)
    expected = fail / "expected.yaml"
    if not expected.exists():
        expected.write_text(
            f"# The findings the failing case must produce (path, line).\n"
            f"- {{rule: {rule_id}, path: node1/TODO.xml, line: 1}}\n",
            encoding="utf-8",
        )
    rel = base.relative_to(root)
    return [f"fixtures: {rel}/fail_basic/node1/, {rel}/pass_basic/node1/ (add files)"]


def _write_docs(root: Path) -> None:
    from eilint.catalog import load_catalog
    from eilint.report.docs import render_docs

    readme = root / "rules" / "README.md"
    readme.write_text(render_docs(load_catalog()), encoding="utf-8")
