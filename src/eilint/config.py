"""The ``eilint.yaml`` manifest: the cluster's nodes, nginx and rule settings.

Loaded with ruamel (round-trip, for line numbers) and validated by hand, in the
yamllint style: every error names ``FILE:LINE`` and unknown keys, rule ids and
options are errors (exit 2), never silently dropped (docs/configuration.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from msgspec import Struct
from msgspec import field

from eilint.catalog import Catalog
from eilint.catalog import RuleOption
from eilint.findings import Severity
from eilint.selection import _score

MANIFEST_NAMES = ("eilint.yaml", ".eilint.yaml")
TOP_KEYS = (
    "cluster",
    "nodes",
    "nginx",
    "select",
    "ignore",
    "severity",
    "options",
    "per-path-ignores",
    "fail-on",
    "baseline",
    "profile",
    "ei-version",
    "fixable",
    "unfixable",
)
NODE_KEYS = ("name", "path", "address", "snapshot")
# scp's rule, as for NODE arguments: a colon before the first slash is remote.
_REMOTE = re.compile(r"^(?:[\w.-]+@)?(?:\[[0-9A-Fa-f:.]+\]|\w[\w.-]*):")


class ConfigError(Exception):
    """A manifest that cannot be used; the message is ``FILE:LINE: what``."""


def is_remote(path: str) -> bool:
    """Return True for ``host:/path`` node locations (read over SSH)."""
    return bool(_REMOTE.match(path))


class ManifestNode(Struct, frozen=True):
    """One ``nodes:`` entry; ``path`` is absolute for local nodes."""

    name: str | None
    path: str
    address: str | None = None
    # An ``eilint snapshot`` copy: its .eilint-snapshot.json record is applied.
    snapshot: bool = False

    def arg(self) -> str:
        """Return the NODE argument this entry stands for (``NAME=PATH``)."""
        return f"{self.name}={self.path}" if self.name else self.path


class Config(Struct, frozen=True):
    """A validated manifest (all fields empty when there is none)."""

    source: str | None = None
    root: Path | None = None
    cluster: str | None = None
    nodes: tuple[ManifestNode, ...] = ()
    nginx: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_on: Severity | None = None
    baseline: Path | None = None
    # The EI profile and version the cluster runs (None: detected per node).
    profile: str | None = None
    ei_version: str | None = None
    # Which rules --fix may fix (selection tokens; empty: every rule with a fix).
    fixable: tuple[str, ...] = ()
    unfixable: tuple[str, ...] = ()


def find_manifest(start: Path) -> Path | None:
    """Return the nearest ``eilint.yaml`` in ``start`` or one of its parents."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        for name in MANIFEST_NAMES:
            path = candidate / name
            if path.is_file():
                return path
    return None


class _Ctx(Struct, frozen=True):
    source: str
    root: Path
    catalog: Catalog

    def fail(self, node: Any, message: str, key: object = None) -> ConfigError:
        return ConfigError(f"{self.source}:{_line(node, key)}: {message}")

    def fail_item(self, seq: Any, index: int, message: str) -> ConfigError:
        try:
            line = seq.lc.item(index)[0] + 1
        except (AttributeError, KeyError, TypeError):
            line = _line(seq)
        return ConfigError(f"{self.source}:{line}: {message}")


def _line(node: Any, key: object = None) -> int:
    try:
        return int((node.lc.key(key)[0] if key is not None else node.lc.line) + 1)
    except (AttributeError, KeyError, TypeError):
        return 1


def load_config(path: Path, catalog: Catalog, display: str | None = None) -> Config:
    """Read and validate a manifest; raise ConfigError with ``FILE:LINE``."""
    source = display or path.as_posix()
    doc = _read_yaml(path, source)
    if doc is None:
        return Config(source=source, root=path.resolve().parent)
    ctx = _Ctx(source, path.resolve().parent, catalog)
    if not isinstance(doc, Mapping):
        raise ctx.fail(doc, "the manifest must be a mapping of settings")
    for key in doc:
        if key not in TOP_KEYS:
            raise ctx.fail(
                doc, f"unknown key {key!r} (known: {', '.join(TOP_KEYS)})", key
            )
    return _build(doc, ctx)


def _read_yaml(path: Path, source: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        raise ConfigError(f"{source}: cannot read the manifest ({exc})") from None
    try:
        return YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ConfigError(f"{source}{line}: not valid YAML: {problem}") from None


def _build(doc: Mapping[str, Any], ctx: _Ctx) -> Config:
    return Config(
        source=ctx.source,
        root=ctx.root,
        cluster=_string(doc, "cluster", ctx),
        nodes=_nodes(doc, ctx),
        nginx=_local_path(doc, "nginx", ctx),
        select=_tokens(doc, "select", ctx),
        ignore=_tokens(doc, "ignore", ctx),
        severities=_severities(doc, ctx),
        options=_options(doc, ctx),
        per_path_ignores=_per_path(doc, ctx),
        fail_on=_severity_value(doc, "fail-on", ctx),
        baseline=_local_path(doc, "baseline", ctx),
        profile=_choice(doc, "profile", ("integrator", "business-process"), ctx),
        ei_version=_string(doc, "ei-version", ctx),
        fixable=_tokens(doc, "fixable", ctx),
        unfixable=_tokens(doc, "unfixable", ctx),
    )


def _choice(
    doc: Mapping[str, Any], key: str, choices: tuple[str, ...], ctx: _Ctx
) -> str | None:
    value = _string(doc, key, ctx)
    if value is not None and value not in choices:
        raise ctx.fail(doc, f"{key!r} must be one of: {', '.join(choices)}", key)
    return value


def _string(doc: Mapping[str, Any], key: str, ctx: _Ctx) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ctx.fail(doc, f"{key!r} must be a non-empty string", key)
    return value.strip()


def _local_path(doc: Mapping[str, Any], key: str, ctx: _Ctx) -> Path | None:
    value = _string(doc, key, ctx)
    return None if value is None else ctx.root / value


def _nodes(doc: Mapping[str, Any], ctx: _Ctx) -> tuple[ManifestNode, ...]:
    raw = doc.get("nodes")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ctx.fail(doc, "'nodes' must be a list of {name, path, address}", "nodes")
    nodes = [_node(raw, i, item, ctx) for i, item in enumerate(raw)]
    seen: set[str] = set()
    for i, node in enumerate(nodes):
        if node.name and node.name in seen:
            raise ctx.fail_item(raw, i, f"two nodes are named {node.name!r}")
        seen.add(node.name or "")
    return tuple(nodes)


def _node(seq: Any, index: int, item: Any, ctx: _Ctx) -> ManifestNode:
    if isinstance(item, str):
        item = {"path": item}
    if not isinstance(item, Mapping) or not isinstance(item.get("path"), str):
        raise ctx.fail_item(
            seq, index, "a node needs 'path' (a directory or host:/path)"
        )
    for key in item:
        if key not in NODE_KEYS:
            raise ctx.fail(
                item, f"unknown node key {key!r} (known: {', '.join(NODE_KEYS)})", key
            )
    name, address = item.get("name"), item.get("address")
    if address is not None and name is None:
        raise ctx.fail(item, "a node with an 'address' needs a 'name'", "address")
    for key, value in (("name", name), ("address", address)):
        if value is not None and not isinstance(value, str):
            raise ctx.fail(item, f"node {key!r} must be a string", key)
    snapshot = item.get("snapshot", False)
    if not isinstance(snapshot, bool):
        raise ctx.fail(item, "node 'snapshot' must be true or false", "snapshot")
    path = str(item["path"])
    if not is_remote(path):
        path = str(ctx.root / path)
    elif snapshot:
        raise ctx.fail(item, "a remote node cannot be a snapshot", "snapshot")
    return ManifestNode(name, path, address, snapshot)


def _tokens(doc: Mapping[str, Any], key: str, ctx: _Ctx) -> tuple[str, ...]:
    raw = doc.get(key)
    if raw is None:
        return ()
    if isinstance(raw, str):
        raise ctx.fail(doc, f"{key!r} must be a list, e.g. [{raw}]", key)
    if not isinstance(raw, list):
        raise ctx.fail(doc, f"{key!r} must be a list of rule ids, prefixes, names", key)
    for i, token in enumerate(raw):
        _check_token(raw, i, token, ctx)
    return tuple(str(t) for t in raw)


def _check_token(seq: Any, index: int, token: object, ctx: _Ctx) -> None:
    rules = ctx.catalog.rules.values()
    if not isinstance(token, str) or not any(_score(token, r) for r in rules):
        raise ctx.fail_item(seq, index, f"unknown rule, prefix, name or tag: {token!r}")


def _rule_id(mapping: Any, key: object, ctx: _Ctx) -> str:
    meta = ctx.catalog.get(str(key))
    if meta is None:
        raise ctx.fail(mapping, f"unknown rule {key!r} (see `eilint rules`)", key)
    return meta.id


def _mapping(doc: Mapping[str, Any], key: str, ctx: _Ctx) -> Mapping[str, Any]:
    raw = doc.get(key)
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ctx.fail(doc, f"{key!r} must be a mapping", key)
    return raw


def _severities(doc: Mapping[str, Any], ctx: _Ctx) -> dict[str, Severity]:
    raw = _mapping(doc, "severity", ctx)
    result: dict[str, Severity] = {}
    for key, value in raw.items():
        rule_id = _rule_id(raw, key, ctx)
        result[rule_id] = _parse_severity(raw, key, value, ctx)
    return result


def _parse_severity(mapping: Any, key: object, value: object, ctx: _Ctx) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError:
        message = f"unknown severity {value!r} (use error, warning or note)"
        raise ctx.fail(mapping, message, key) from None


def _severity_value(doc: Mapping[str, Any], key: str, ctx: _Ctx) -> Severity | None:
    if doc.get(key) is None:
        return None
    return _parse_severity(doc, key, doc[key], ctx)


def _options(doc: Mapping[str, Any], ctx: _Ctx) -> dict[str, dict[str, object]]:
    raw = _mapping(doc, "options", ctx)
    result: dict[str, dict[str, object]] = {}
    for key, values in raw.items():
        rule_id = _rule_id(raw, key, ctx)
        declared = {o.name: o for o in ctx.catalog.rules[rule_id].options}
        if not isinstance(values, Mapping):
            raise ctx.fail(raw, f"options of {rule_id} must be a mapping", key)
        result[rule_id] = {
            str(name): _option_value(values, name, value, declared.get(name), ctx)
            for name, value in values.items()
        }
    return result


def _option_value(
    mapping: Any, name: object, value: object, option: RuleOption | None, ctx: _Ctx
) -> object:
    if option is None:
        raise ctx.fail(mapping, f"unknown option {name!r} for this rule", name)
    ok = {
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "str": isinstance(value, str),
        "list[str]": isinstance(value, list) and all(isinstance(v, str) for v in value),
    }.get(option.type, False)
    if not ok:
        raise ctx.fail(mapping, f"option {name!r} must be of type {option.type}", name)
    return list(value) if isinstance(value, list) else value


def _per_path(
    doc: Mapping[str, Any], ctx: _Ctx
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    raw = _mapping(doc, "per-path-ignores", ctx)
    result = []
    for pattern, tokens in raw.items():
        if not isinstance(tokens, list):
            message = f"ignores for {pattern!r} must be a list of rule ids"
            raise ctx.fail(raw, message, pattern)
        for i, token in enumerate(tokens):
            _check_token(tokens, i, token, ctx)
        result.append((str(pattern), tuple(str(t) for t in tokens)))
    return tuple(result)
