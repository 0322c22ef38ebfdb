"""Validate parsed XML against our XSDs in ``schemas/``, keeping source lines."""

from __future__ import annotations

import difflib
import fnmatch
from functools import cache
from typing import Any

from lxml import etree

from eilint.data import data_dir
from eilint.findings import Location
from eilint.loaders.dstypes import split_foreign
from eilint.model.cluster import LoadProblem
from eilint.model.values import is_placeholder

# conf-relative file pattern -> XSD file in schemas/. Files without an entry are
# not validated. Keep patterns specific: the first match wins.
SCHEMAS: tuple[tuple[str, str], ...] = (
    ("bps.xml", "bps.xsd"),
    ("humantask.xml", "humantask.xsd"),
    ("etc/tasks-config.xml", "tasks-config.xsd"),
    ("registry.xml", "registry.xsd"),
    ("datasources/*.xml", "datasources.xsd"),
    ("axis2/axis2.xml", "axis2-clustering.xsd"),
    ("carbon.xml", "carbon.xsd"),
    ("etc/hazelcast.xml", "hazelcast.xsd"),
)


# Files whose typed values family rules already judge, saying what EI does with a
# bad value (REG009, DSR015, PRT002, CLU009): the XSD's value errors would only
# repeat them, at a harsher severity. Structure errors are still reported.
VALUES_JUDGED_BY_RULES = (
    "registry.xml",
    "datasources/*.xml",
    "carbon.xml",
    "axis2/axis2.xml",
)


def _values_judged(rel: str) -> bool:
    return any(fnmatch.fnmatchcase(rel, p) for p in VALUES_JUDGED_BY_RULES)


def _is_value_error(error: Any) -> bool:
    """Return True for a bad simple value (not a misplaced or unknown element)."""
    if getattr(error, "invalid_child", None) is not None:
        return False
    validator = getattr(error, "validator", None)
    is_simple = getattr(validator, "is_simple", None)
    if callable(is_simple) and is_simple():
        return True
    return type(validator).__name__.endswith("Facets")


def _placeholder_value(error: Any) -> bool:
    """Return True when the bad value is a placeholder (DSR016 lists it)."""
    obj = getattr(error, "obj", None)
    elem = getattr(error, "elem", None)
    texts = [obj if isinstance(obj, str) else None, getattr(elem, "text", None)]
    attrib = getattr(elem, "attrib", None) or {}
    texts += [str(v) for v in attrib.values()]
    return any(is_placeholder(t) for t in texts)


@cache
def schema_for(rel: str) -> str | None:
    """Return the XSD file name for a conf-relative path, if we have one."""
    # Cached: every node asks for the same dozen names, and each miss costs stat()s.
    for pattern, xsd in SCHEMAS:
        if fnmatch.fnmatchcase(rel, pattern) and (data_dir("schemas") / xsd).is_file():
            return xsd
    return None


@cache
def _fast(xsd: str) -> etree.XMLSchema | None:
    """libxml2's validator for ``xsd`` (None when libxml2 cannot compile it)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.XMLSchema(etree.parse(str(data_dir("schemas") / xsd), parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError):
        return None


@cache
def _schema(xsd: str) -> Any:
    # xmlschema costs ~0.4 s to import and build, and ~10 ms per document: it only
    # runs for documents libxml2 rejects, to word the findings.
    import xmlschema

    return xmlschema.XMLSchema(str(data_dir("schemas") / xsd), allow="local")


def validate(
    tree: etree._ElementTree, rel: str, display: str, node: str | None
) -> list[LoadProblem]:
    """Return EIL010 problems for schema violations of one document."""
    xsd = schema_for(rel)
    if xsd is None:
        return []
    # Fast path: libxml2 accepts the document, so nothing to report. xmlschema
    # keeps the last word on everything libxml2 rejects (libxml2 is the stricter
    # of the two on our XSDs: it rejects text in element-only content).
    problems: list[LoadProblem] = []
    if xsd == "datasources.xsd":
        # Custom (data-services) datasource types are not the RDBMS schema's.
        tree, problems = split_foreign(tree, display, node)
    fast = _fast(xsd)
    if fast is None or not fast.validate(tree):
        skip_values = _values_judged(rel)
        problems += [
            _problem(error, display, node)
            for error in _schema(xsd).iter_errors(tree)
            if not (
                _is_value_error(error) and (skip_values or _placeholder_value(error))
            )
        ]
    return problems + _case_typos(tree, xsd, display, node, problems)


@cache
def _declared_names(xsd: str) -> dict[str, str]:
    """Map the lower-cased name of every element the XSD declares to its name."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(data_dir("schemas") / xsd), parser).getroot()
    except (etree.XMLSyntaxError, OSError):
        return {}
    names = root.iterfind(".//{http://www.w3.org/2001/XMLSchema}element[@name]")
    return {el.get("name", "").lower(): el.get("name", "") for el in names}


def _case_typos(
    tree: etree._ElementTree,
    xsd: str,
    display: str,
    node: str | None,
    known: list[LoadProblem],
) -> list[LoadProblem]:
    """Flag a known element spelt in another case, also where the XSD is lax.

    EI's readers match element names case-sensitively and ignore unknown ones, so
    a top-level ``<readonly>`` in registry.xml is a setting that does not exist.
    """
    # A document repeats few tags: judge each distinct tag once, then visit only
    # the elements of misspelt tags (lxml's iter filters in C, in document order).
    declared = _declared_names(xsd)
    misspelt: dict[str, str] = {}
    for el_tag in {el.tag for el in tree.iter("*")}:
        # A parsed element's tag is a str (types-lxml allows any assigned one).
        tag = str(el_tag)
        meant = _meant(declared, tag)
        if meant is not None:
            misspelt[tag] = meant
    if not misspelt:
        return []
    reported = {p.where.line for p in known}
    found = []
    for el in tree.iter(*misspelt):
        if el.sourceline in reported:
            continue
        local = etree.QName(el).localname
        meant = misspelt[str(el.tag)]
        message = f"unknown element <{local}>: EI ignores it (names are case-sensitive)"
        where = Location(display, el.sourceline, None, node, tree.getpath(el))
        found.append(LoadProblem("EIL010", message, where, f"did you mean <{meant}>?"))
    return found


def _meant(declared: dict[str, str], tag: str) -> str | None:
    """Return the declared name a tag misspells by case, or None."""
    # etree.QName(tag).localname without building a QName (a third of the scan):
    # libxml2 refuses '{' and '}' in namespace URIs, so the first '}' ends one.
    local = tag.partition("}")[2] if tag[:1] == "{" else tag
    meant = declared.get(local.lower())
    return None if meant is None or meant == local else meant


def _problem(error: Any, display: str, node: str | None) -> LoadProblem:
    child = getattr(error, "invalid_child", None)
    line = getattr(child, "sourceline", None) or error.sourceline
    reason = (error.reason or "schema violation").strip()
    hint = None
    expected = getattr(error, "expected_tags", None) or _declared(error)
    tag = getattr(error, "invalid_tag", None)
    if child is not None and tag and expected:
        local = etree.QName(tag).localname
        names = [etree.QName(str(t)).localname for t in expected]
        close = difflib.get_close_matches(local, names, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean <{close[0]}>?"
        reason = f"unexpected element <{local}>" + (
            f"; expected one of: {', '.join(sorted(set(names)))}" if names else ""
        )
    where = Location(display, line, None, node, getattr(error, "path", None))
    return LoadProblem("EIL010", reason, where, hint)


def _declared(error: Any) -> list[str]:
    """Return the element names the parent's model declares.

    xmlschema lists no expected tags for a repeated choice that also holds
    wildcards (bps.xsd's unordered root), yet a "did you mean" still helps.
    """
    group = getattr(error, "validator", None)
    if group is None:
        return []
    try:
        return [str(e.name) for e in group.iter_elements() if e.name]
    except AttributeError:
        return []
