"""Datasource definition types other than RDBMS: kept out of the RDBMS schema.

Carbon picks a datasource reader by ``definition/@type`` (a case-sensitive map
lookup). schemas/datasources.xsd describes only the RDBMS reader's
``configuration``; the data-services readers (``DS_CUSTOM_TABULAR``,
``DS_CUSTOM_QUERY``, as in the integrator's stock custom-datasources.xml) take a
Java class and its properties, and a reader eilint does not know may take
anything. Those configurations are checked here, or not at all, instead of being
reported as schema violations.
"""

from __future__ import annotations

import copy
import difflib
from typing import Any

from lxml import etree

from eilint.facts import load
from eilint.findings import Location
from eilint.model.cluster import LoadProblem


def _facts() -> dict[str, Any]:
    return load("datasource-types")


def rdbms_type() -> str:
    """Return the type name of the RDBMS reader (``RDBMS``)."""
    return str(_facts()["rdbms"])


def custom_types() -> dict[str, tuple[str, ...]]:
    """Map each data-services custom type to the elements its reader knows."""
    return {k: tuple(v) for k, v in _facts()["custom"].items()}


def _foreign(tree: etree._ElementTree) -> list[etree._Element]:
    """Return the ``definition`` elements another reader than RDBMS reads."""
    rdbms = rdbms_type()
    return [
        d
        for d in tree.iterfind("datasources/datasource/definition")
        if d.get("type") is not None and d.get("type", "").strip() != rdbms
    ]


def split_foreign(
    tree: etree._ElementTree, display: str, node: str | None
) -> tuple[etree._ElementTree, list[LoadProblem]]:
    """Return the tree the RDBMS schema judges and the problems of the others.

    The tree is returned as is when every definition is RDBMS (the common case:
    no copy); otherwise a copy (lines kept) without the foreign configurations.
    """
    foreign = _foreign(tree)
    if not foreign:
        return tree, []
    problems = [p for d in foreign for p in _custom_problems(tree, d, display, node)]
    pruned = copy.deepcopy(tree)
    for definition in _foreign(pruned):
        for conf in definition.findall("configuration"):
            definition.remove(conf)
    return pruned, problems


def _custom_problems(
    tree: etree._ElementTree, definition: etree._Element, display: str, node: str | None
) -> list[LoadProblem]:
    kind = definition.get("type", "").strip()
    known = custom_types().get(kind)
    conf = definition.find("configuration")
    if known is None or conf is None:
        return []  # a reader eilint does not know: its configuration is its own
    problems = []
    for child in conf.iterchildren("*"):
        tag = str(child.tag)
        if tag not in known:
            message = (
                f"unexpected element <{tag}> in a {kind} configuration; "
                f"expected one of: {', '.join(known)}"
            )
            where = Location(display, child.sourceline, None, node, tree.getpath(child))
            close = difflib.get_close_matches(tag, known, n=1, cutoff=0.6)
            hint = f"did you mean <{close[0]}>?" if close else None
            problems.append(LoadProblem("EIL010", message, where, hint))
    for required in _facts()["custom_required"]:
        if conf.find(required) is None:
            message = (
                f"the {kind} configuration has no <{required}>: Carbon cannot "
                "create this datasource"
            )
            where = Location(display, conf.sourceline, None, node, tree.getpath(conf))
            hint = f"name the datasource's Java class in <{required}>"
            problems.append(LoadProblem("EIL010", message, where, hint))
    return problems
