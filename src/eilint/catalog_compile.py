"""Compile the rule catalog (``rules/*.yaml``) into the JSON eilint reads at run time.

The YAML is for people: comments, block text, line numbers in errors. Parsing
it with ruamel.yaml (pure Python here) takes about a second, most of a
pre-commit run, so the catalog is compiled when the package is built (the
hatch hook in ``hatch_build.py`` puts ``eilint/_data/catalog.json`` into the
wheel) and a compiled copy is committed for source checkouts
(``src/eilint/_data/catalog.json``, held fresh by tests/test_catalog.py).

This module is loaded by file path from the build hook, where eilint's own
dependencies may be missing: it imports only the standard library and
ruamel.yaml. Regenerate the committed copy with
``python -m eilint.catalog_compile``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FORMAT = 1
ID_RE = re.compile(r"^[A-Z]{3}\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SCOPES = ("file", "node", "cluster", "edge")
SEVERITIES = ("error", "warning", "note")
REQUIRED = (
    "id",
    "name",
    "title",
    "severity",
    "scope",
    "rationale",
    "remediation",
    "hint",
)
OPTIONAL = (
    "tags",
    "applies-to",
    "guide",
    "runtime",
    "examples",
    "options",
    "deprecated",
    "profiles",
    "versions",
    "fix",
)
# Whether ``eilint check --fix`` can repair a rule's findings, and how safely.
FIX_KINDS = ("none", "safe", "unsafe", "display-only")
# The EI profiles a rule can be limited to (absent: every profile eilint lints).
PROFILES = ("business-process", "integrator")
VERSION_RE = re.compile(r"^6\.\d\.\d$")
OPTION_TYPES = ("bool", "int", "str", "list[str]")
COMMITTED = Path("src") / "eilint" / "_data" / "catalog.json"


class CatalogError(Exception):
    """The catalog itself is broken; the message names the file and line."""


def source_files(folder: Path) -> list[Path]:
    """Return the catalog's family files, in the order they are read."""
    return sorted(folder.glob("*.yaml"))


def source_key(folder: Path) -> str:
    """Return a digest of every family file's name and text (staleness check)."""
    import hashlib  # here: an installed eilint never calls this (~5 ms to import)

    digest = hashlib.sha256(f"eilint-catalog-{FORMAT}".encode())
    for path in source_files(folder):
        digest.update(b"\0" + path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _where(source: str, node: Any, key: str | None = None) -> str:
    try:
        line = (node.lc.key(key)[0] if key else node.lc.line) + 1
    except (AttributeError, KeyError, TypeError):
        return source
    return f"{source}:{line}"


def _example(raw: Any, source: str) -> dict[str, str] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not {"file", "code"} <= set(raw):
        raise CatalogError(f"{_where(source, raw)}: an example needs 'file' and 'code'")
    return {"file": str(raw["file"]), "code": str(raw["code"])}


def _options(raw: Any, source: str) -> list[dict[str, Any]]:
    options = []
    for item in raw or ():
        if not isinstance(item, Mapping) or item.get("type") not in OPTION_TYPES:
            where = _where(source, item, "type")
            raise CatalogError(f"{where}: option type must be one of {OPTION_TYPES}")
        default = item.get("default")
        options.append(
            {
                "name": str(item["name"]),
                "type": str(item["type"]),
                "default": list(default) if isinstance(default, list) else default,
                "doc": str(item.get("doc", "")),
            }
        )
    return options


def _check_entry(raw: Any, source: str, prefix: str) -> None:
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{source}: each rule must be a mapping")
    for key in REQUIRED:
        if not raw.get(key):
            raise CatalogError(f"{_where(source, raw)}: rule is missing {key!r}")
    for key in raw:
        if key not in REQUIRED and key not in OPTIONAL:
            raise CatalogError(f"{_where(source, raw, key)}: unknown key {key!r}")
    rid, name = str(raw["id"]), str(raw["name"])
    if not ID_RE.match(rid) or not rid.startswith(prefix):
        raise CatalogError(f"{_where(source, raw, 'id')}: bad id {rid!r} for {prefix}")
    if not NAME_RE.match(name):
        raise CatalogError(f"{_where(source, raw, 'name')}: name must be kebab-case")
    if raw["scope"] not in SCOPES:
        raise CatalogError(f"{_where(source, raw, 'scope')}: scope must be in {SCOPES}")
    if str(raw["severity"]) not in SEVERITIES:
        where = _where(source, raw, "severity")
        raise CatalogError(f"{where}: unknown severity {raw['severity']!r}")
    _check_scope_lists(raw, source)
    if str(raw.get("fix", "none")) not in FIX_KINDS:
        raise CatalogError(f"{_where(source, raw, 'fix')}: fix must be in {FIX_KINDS}")


def _check_scope_lists(raw: Any, source: str) -> None:
    for profile in raw.get("profiles") or ():
        if profile not in PROFILES:
            where = _where(source, raw, "profiles")
            raise CatalogError(f"{where}: profiles must be among {PROFILES}")
    for version in raw.get("versions") or ():
        if not VERSION_RE.match(str(version)):
            where = _where(source, raw, "versions")
            raise CatalogError(f"{where}: versions are EI 6.x releases like 6.3.0")


def _text(raw: Any, key: str) -> str | None:
    return str(raw[key]).strip() if raw.get(key) else None


def _entry(raw: Any, source: str, family: str, prefix: str) -> dict[str, Any]:
    """One rule as the fields of ``eilint.catalog.RuleMeta``."""
    _check_entry(raw, source, prefix)
    examples = raw.get("examples") or {}
    return {
        "id": str(raw["id"]),
        "name": str(raw["name"]),
        "title": str(raw["title"]),
        "severity": str(raw["severity"]),
        "scope": str(raw["scope"]),
        "rationale": str(raw["rationale"]).strip(),
        "remediation": str(raw["remediation"]).strip(),
        "hint": str(raw["hint"]).strip(),
        "family": family,
        "source": source,
        "tags": [str(t) for t in raw.get("tags") or ()],
        "applies_to": [str(t) for t in raw.get("applies-to") or ()],
        "guide": _text(raw, "guide"),
        "runtime": _text(raw, "runtime"),
        "fail_example": _example(examples.get("fail"), source),
        "pass_example": _example(examples.get("pass"), source),
        "options": _options(raw.get("options"), source),
        "deprecated": bool(raw.get("deprecated", False)),
        "profiles": [str(p) for p in raw.get("profiles") or ()],
        "versions": [str(v) for v in raw.get("versions") or ()],
        "fix": str(raw.get("fix", "none")),
    }


def _parse_yaml(text: str, source: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise CatalogError(f"{where}: not valid YAML: {problem}") from None


def compile_file(path: Path) -> list[dict[str, Any]]:
    """Parse and check one family file; return its rules."""
    source = f"rules/{path.name}"
    doc = _parse_yaml(path.read_text(encoding="utf-8"), source)
    if not isinstance(doc, Mapping) or not {"family", "prefix", "rules"} <= set(doc):
        raise CatalogError(f"{source}: needs 'family', 'prefix' and 'rules'")
    family, prefix = str(doc["family"]), str(doc["prefix"])
    return [_entry(raw, source, family, prefix) for raw in doc["rules"] or ()]


def compile_dir(folder: Path) -> dict[str, Any]:
    """Compile every family file; ids and names must be unique."""
    rules: dict[str, dict[str, Any]] = {}
    names: set[str] = set()
    for path in source_files(folder):
        for rule in compile_file(path):
            if rule["id"] in rules or rule["name"] in names:
                what = f"{rule['id']}/{rule['name']}"
                raise CatalogError(f"{rule['source']}: duplicate rule {what}")
            rules[rule["id"]] = rule
            names.add(rule["name"])
    ordered = [rules[rid] for rid in sorted(rules)]
    return {"format": FORMAT, "key": source_key(folder), "rules": ordered}


def dumps(compiled: dict[str, Any]) -> str:
    """Serialise a compiled catalog: one rule per line, so diffs stay readable."""
    import json

    head = json.dumps({"format": compiled["format"], "key": compiled["key"]})
    rules = ",\n".join(
        json.dumps(rule, ensure_ascii=False, sort_keys=True)
        for rule in compiled["rules"]
    )
    return f'{head[:-1]}, "rules": [\n{rules}\n]}}\n'


def write(root: Path, target: Path | None = None) -> Path:
    """Compile ``root/rules`` into ``target`` (default: the committed copy)."""
    out = target or root / COMMITTED
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dumps(compile_dir(root / "rules")), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m eilint.catalog_compile [ROOT]``: refresh the committed copy."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    try:
        out = write(root)
    except CatalogError as exc:
        sys.stderr.write(f"eilint: {exc}\n")
        return 2
    sys.stdout.write(f"wrote {out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
