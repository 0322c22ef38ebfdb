"""Load and validate the rule catalog (``rules/*.yaml``) with line-numbered errors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from msgspec import Struct

from eilint.data import data_dir
from eilint.findings import Severity

ID_RE = re.compile(r"^[A-Z]{3}\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SCOPES = ("file", "node", "cluster", "edge")
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
    "fix",
)
OPTION_TYPES = ("bool", "int", "str", "list[str]")
# Whether ``eilint check --fix`` can repair a rule's findings, and how safely.
FIX_KINDS = ("none", "safe", "unsafe", "display-only")
FIX_TEXT = {
    "none": "none: fix it by hand",
    "safe": "safe: `eilint check --fix` applies it",
    "unsafe": "unsafe: it makes a choice (or may in some cases); "
    "`eilint check --fix --unsafe-fixes` applies it, review the diff",
    "display-only": "display-only: shown in JSON and SARIF, never applied",
}


class CatalogError(Exception):
    """The catalog itself is broken; the message names the file and line."""


class Example(Struct, frozen=True):
    """A snippet shown by ``eilint explain``; tests tie it to a fixture file."""

    file: str
    code: str


class RuleOption(Struct, frozen=True):
    """A rule option with its declared type and default."""

    name: str
    type: str
    default: object
    doc: str


class RuleMeta(Struct, frozen=True):
    """Everything a human reads about one rule."""

    id: str
    name: str
    title: str
    severity: Severity
    scope: str
    rationale: str
    remediation: str
    hint: str
    family: str
    source: str
    tags: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = ()
    guide: str | None = None
    runtime: str | None = None
    fail_example: Example | None = None
    pass_example: Example | None = None
    options: tuple[RuleOption, ...] = ()
    deprecated: bool = False
    fix: str = "none"


class Catalog(Struct, frozen=True):
    """All rules by id, in id order."""

    rules: Mapping[str, RuleMeta]

    def get(self, rule_id: str) -> RuleMeta | None:
        """Return a rule by id or name."""
        if rule_id.upper() in self.rules:
            return self.rules[rule_id.upper()]
        return next((r for r in self.rules.values() if r.name == rule_id), None)


def _where(source: str, node: Any, key: str | None = None) -> str:
    try:
        line = (node.lc.key(key)[0] if key else node.lc.line) + 1
    except (AttributeError, KeyError, TypeError):
        return source
    return f"{source}:{line}"


def _example(raw: Any, source: str) -> Example | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not {"file", "code"} <= set(raw):
        raise CatalogError(f"{_where(source, raw)}: an example needs 'file' and 'code'")
    return Example(str(raw["file"]), str(raw["code"]))


def _options(raw: Any, source: str) -> tuple[RuleOption, ...]:
    options = []
    for item in raw or ():
        if item.get("type") not in OPTION_TYPES:
            where = _where(source, item, "type")
            raise CatalogError(f"{where}: option type must be one of {OPTION_TYPES}")
        options.append(
            RuleOption(
                item["name"], item["type"], item.get("default"), item.get("doc", "")
            )
        )
    return tuple(options)


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
    if str(raw["severity"]) not in ("error", "warning", "note"):
        where = _where(source, raw, "severity")
        raise CatalogError(f"{where}: unknown severity {raw['severity']!r}")
    if str(raw.get("fix", "none")) not in FIX_KINDS:
        raise CatalogError(f"{_where(source, raw, 'fix')}: fix must be in {FIX_KINDS}")


def _entry(raw: Any, source: str, family: str, prefix: str) -> RuleMeta:
    _check_entry(raw, source, prefix)
    examples = raw.get("examples") or {}
    return RuleMeta(
        id=str(raw["id"]),
        name=str(raw["name"]),
        title=str(raw["title"]),
        severity=Severity(str(raw["severity"])),
        scope=str(raw["scope"]),
        rationale=str(raw["rationale"]).strip(),
        remediation=str(raw["remediation"]).strip(),
        hint=str(raw["hint"]).strip(),
        family=family,
        source=source,
        tags=tuple(str(t) for t in raw.get("tags") or ()),
        applies_to=tuple(str(t) for t in raw.get("applies-to") or ()),
        guide=str(raw["guide"]).strip() if raw.get("guide") else None,
        runtime=str(raw["runtime"]).strip() if raw.get("runtime") else None,
        fail_example=_example(examples.get("fail"), source),
        pass_example=_example(examples.get("pass"), source),
        options=_options(raw.get("options"), source),
        deprecated=bool(raw.get("deprecated", False)),
        fix=str(raw.get("fix", "none")),
    )


def load_file(path: Path) -> list[RuleMeta]:
    """Load one family file (its parse comes from yamlcache when unchanged)."""
    from eilint import yamlcache

    source = f"rules/{path.name}"
    text = path.read_text(encoding="utf-8")
    cached = yamlcache.get(f"catalog-{path.stem}", text)
    if cached is not None:
        try:
            return _entries(cached, source)
        except (CatalogError, AttributeError, KeyError, TypeError, ValueError):
            pass  # stale for this code's checks: parse again for line numbers
    doc = _parse_yaml(text, source)
    entries = _entries(doc, source)
    yamlcache.put(f"catalog-{path.stem}", text, doc)
    return entries


def _parse_yaml(text: str, source: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml import YAMLError

    try:
        return YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise CatalogError(f"{where}: not valid YAML: {problem}") from None


def _entries(doc: Any, source: str) -> list[RuleMeta]:
    if not isinstance(doc, Mapping) or not {"family", "prefix", "rules"} <= set(doc):
        raise CatalogError(f"{source}: needs 'family', 'prefix' and 'rules'")
    return [
        _entry(r, source, str(doc["family"]), str(doc["prefix"])) for r in doc["rules"]
    ]


@cache
def load_catalog(directory: Path | None = None) -> Catalog:
    """Load every ``rules/*.yaml``; ids and names must be unique."""
    folder = directory or data_dir("rules")
    rules: dict[str, RuleMeta] = {}
    names: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        for meta in load_file(path):
            if meta.id in rules or meta.name in names:
                raise CatalogError(
                    f"{meta.source}: duplicate rule {meta.id}/{meta.name}"
                )
            rules[meta.id] = meta
            names[meta.name] = meta.id
    return Catalog(dict(sorted(rules.items())))
