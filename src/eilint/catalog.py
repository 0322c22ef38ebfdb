"""The rule catalog: read from its compiled JSON (see ``catalog_compile``)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from msgspec import Struct

from eilint.catalog_compile import FORMAT
from eilint.catalog_compile import CatalogError
from eilint.catalog_compile import source_key
from eilint.findings import Severity

_PACKAGE = Path(__file__).resolve().parent
COMPILED = _PACKAGE / "_data" / "catalog.json"
# Whether ``eilint check --fix`` can repair a rule's findings, and how safely.
FIX_TEXT = {
    "none": "none: fix it by hand",
    "safe": "safe: `eilint check --fix` applies it",
    "unsafe": "unsafe: it makes a choice (or may in some cases); "
    "`eilint check --fix --unsafe-fixes` applies it, review the diff",
    "display-only": "display-only: shown in JSON and SARIF, never applied",
}


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
    # Where the rule applies; empty means every profile / every EI 6.x version.
    profiles: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    fix: str = "none"

    def judges(self, profile: str) -> bool:
        """Return True when the rule judges clusters of ``profile``."""
        return not self.profiles or profile in self.profiles

    def scope_note(self) -> str | None:
        """Say which profiles and EI versions the rule is limited to, if any."""
        parts = []
        if self.profiles:
            parts.append(f"the {' and '.join(self.profiles)} profile only")
        if self.versions:
            parts.append(f"EI {', '.join(self.versions)} only")
        return "Applies to " + "; ".join(parts) if parts else None


class Catalog(Struct, frozen=True):
    """All rules by id, in id order."""

    rules: Mapping[str, RuleMeta]

    def get(self, rule_id: str) -> RuleMeta | None:
        """Return a rule by id or name."""
        if rule_id.upper() in self.rules:
            return self.rules[rule_id.upper()]
        return next((r for r in self.rules.values() if r.name == rule_id), None)


class _Compiled(Struct, frozen=True):
    format: int
    key: str
    rules: list[RuleMeta]


def checkout_rules() -> Path | None:
    """Return ``rules/`` of the source checkout eilint runs from, if it does."""
    if _PACKAGE.parent.name != "src":
        return None  # an installed wheel: its compiled catalog is the catalog
    folder = _PACKAGE.parent.parent / "rules"
    return folder if folder.is_dir() else None


def _read_compiled() -> _Compiled | None:
    import msgspec

    try:
        data = COMPILED.read_bytes()
        compiled = msgspec.json.decode(data, type=_Compiled)
    except (OSError, msgspec.DecodeError):
        return None
    return compiled if compiled.format == FORMAT else None


def _compile(folder: Path) -> list[RuleMeta]:
    import msgspec

    from eilint.catalog_compile import compile_dir

    return msgspec.convert(compile_dir(folder)["rules"], list[RuleMeta])


def load_file(path: Path) -> list[RuleMeta]:
    """Parse and check one family file (YAML; for tests and tools)."""
    import msgspec

    from eilint.catalog_compile import compile_file

    return msgspec.convert(compile_file(path), list[RuleMeta])


def _catalog(metas: list[RuleMeta]) -> Catalog:
    return Catalog({meta.id: meta for meta in metas})


@cache
def load_catalog(directory: Path | None = None) -> Catalog:
    """Return the catalog: compiled at build time, or ``directory``'s YAML.

    In a source checkout whose ``rules/`` no longer matches the committed
    compiled copy (a rule being written), the YAML is compiled in memory: slower,
    never wrong, and nothing is written.
    """
    if directory is not None:
        return _catalog(_compile(directory))
    compiled = _read_compiled()
    folder = checkout_rules()
    if folder is not None and (compiled is None or compiled.key != source_key(folder)):
        return _catalog(_compile(folder))
    if compiled is None:
        raise CatalogError(f"{COMPILED}: the compiled rule catalog is missing")
    return _catalog(compiled.rules)
