"""Generate ``rules/README.md`` from the catalog (``eilint docs``).

The examples shown are the catalog's ``examples``, which tests/test_catalog.py
ties to fixture files, so every documented example is a tested one.
"""

from __future__ import annotations

from collections.abc import Iterator

from eilint import REPOSITORY
from eilint.catalog import FIX_TEXT
from eilint.catalog import Catalog
from eilint.catalog import Example
from eilint.catalog import RuleMeta

COMMAND = "eilint docs --output rules/README.md"
LANGUAGES = {".xml": "xml", ".conf": "nginx", ".properties": "properties"}


def rule_anchor(meta: RuleMeta) -> str:
    """Return the anchor GitHub gives the rule's heading (``## ID name``)."""
    return f"{meta.id.lower()}-{meta.name}"


def help_uri(meta: RuleMeta) -> str:
    """Return the rule's section of rules/README.md in the project's repository."""
    return f"{REPOSITORY}/blob/main/rules/README.md#{rule_anchor(meta)}"


def _prose(text: str) -> str:
    # Catalog prose quotes XML (<readOnly>); GitHub would hide it as raw HTML.
    return " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;")


def _cell(text: str) -> str:
    return _prose(text).replace("|", "\\|")


def _language(example: Example) -> str:
    name = example.file.rsplit("/", 1)[-1]
    if name.startswith("nginx") or "conf.d/" in example.file:
        return "nginx"
    suffix = name[name.rfind(".") :] if "." in name else ""
    return LANGUAGES.get(suffix, "text")


def _index(catalog: Catalog) -> Iterator[str]:
    yield "| id | name | severity | scope | tags | title |"
    yield "| --- | --- | --- | --- | --- | --- |"
    for meta in catalog.rules.values():
        anchor = f"[{meta.id}](#{rule_anchor(meta)})"
        tags = ", ".join(meta.tags)
        yield (
            f"| {anchor} | `{meta.name}` | {meta.severity.value} | {meta.scope} "
            f"| {tags} | {_cell(meta.title)} |"
        )


def _example(title: str, example: Example | None) -> Iterator[str]:
    if example is None:
        return
    yield f"**{title}** (`{example.file}`):"
    yield ""
    yield f"```{_language(example)}"
    yield from example.code.rstrip("\n").splitlines()
    yield "```"
    yield ""


def _options(meta: RuleMeta) -> Iterator[str]:
    if not meta.options:
        return
    yield "**Options** (set them under `options:` in `eilint.yaml`):"
    yield ""
    yield "| option | type | default | meaning |"
    yield "| --- | --- | --- | --- |"
    for option in meta.options:
        default = f"`{option.default}`" if option.default is not None else "none"
        yield f"| `{option.name}` | {option.type} | {default} | {_cell(option.doc)} |"
    yield ""


def _paragraph(title: str, body: str | None) -> Iterator[str]:
    if body:
        yield f"**{title}** {_prose(body)}"
        yield ""


def _rule(meta: RuleMeta) -> Iterator[str]:
    yield f"## {meta.id} {meta.name}"
    yield ""
    deprecated = " Deprecated." if meta.deprecated else ""
    title, severity = _prose(meta.title), meta.severity.value
    yield f"*{title}.* Severity **{severity}**, scope {meta.scope}.{deprecated}"
    yield ""
    yield from _paragraph("Why:", meta.rationale)
    yield from _paragraph("What the guide says:", meta.guide)
    yield from _paragraph("What EI 6.3.0 really does:", meta.runtime)
    yield from _paragraph("How to fix:", meta.remediation)
    if meta.fix != "none":
        yield from _paragraph("Automatic fix:", FIX_TEXT[meta.fix])
    if meta.applies_to:
        files = ", ".join(f"`{f}`" for f in meta.applies_to)
        yield f"**Files:** {files}"
        yield ""
    if meta.scope_note():
        yield f"**{meta.scope_note()}.**"
        yield ""
    yield from _options(meta)
    yield from _example("Failing example", meta.fail_example)
    yield from _example("Passing example", meta.pass_example)


def render_docs(catalog: Catalog) -> str:
    """Return the whole rules/README.md."""
    lines = [
        f"<!-- Generated from rules/*.yaml by `{COMMAND}`; do not edit. -->",
        "",
        "# eilint rules",
        "",
        "Every rule eilint runs, generated from the catalog in `rules/*.yaml`. "
        "`eilint explain ID` shows the same text in a terminal. Select or ignore "
        "rules by id, prefix, name or `tag:TAG`, and silence one place with "
        "`eilint: disable=ID reason` (see `docs/configuration.md`).",
        "",
        *_index(catalog),
        "",
    ]
    for meta in catalog.rules.values():
        lines.extend(_rule(meta))
    return "\n".join(lines).rstrip("\n") + "\n"
