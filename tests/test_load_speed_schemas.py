"""The fast case-typo scan of schemas.py equals the per-element original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from lxml import etree

from eilint.findings import Location
from eilint.loaders.schemas import _case_typos
from eilint.loaders.schemas import _declared_names
from eilint.model.cluster import LoadProblem

XSD = "registry.xsd"


def _reference(
    tree: etree._ElementTree,
    xsd: str,
    display: str,
    node: str | None,
    known: list[LoadProblem],
) -> list[LoadProblem]:
    """The original implementation: every element judged on its own."""
    declared = _declared_names(xsd)
    reported = {p.where.line for p in known}
    found = []
    for el in tree.iter("*"):
        local = etree.QName(el).localname
        meant = declared.get(local.lower())
        if meant is None or meant == local or el.sourceline in reported:
            continue
        message = f"unknown element <{local}>: EI ignores it (names are case-sensitive)"
        where = Location(display, el.sourceline, None, node, tree.getpath(el))
        found.append(LoadProblem("EIL010", message, where, f"did you mean <{meant}>?"))
    return found


# Declared names as spelt, in other cases, and unknown names; with no namespace,
# a default namespace and a prefixed one (same local name, different tags).
_NAMES = st.sampled_from(
    (
        *("wso2registry", "readOnly", "readonly", "READONLY", "dbConfig"),
        *("DBconfig", "url", "URL", "Url", "other", "dataSource", "datasource", "x"),
    )
)
_PREFIX = st.sampled_from(["", "p:", "q:"])


@st.composite
def _element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(_PREFIX) + draw(_NAMES)
    xmlns = draw(st.sampled_from(["", ' xmlns="urn:d"', ' xmlns="urn:e"']))
    breaks = "\n" * draw(st.integers(0, 2))
    children = draw(st.lists(_element(depth + 1), max_size=4)) if depth < 3 else []
    extra = draw(st.sampled_from(["", "<!-- c -->", "<?pi x?>", "text"]))
    return f"<{tag}{xmlns}{breaks}>{extra}{''.join(children)}</{tag}>"


def _tree(body: str) -> etree._ElementTree:
    root = f'<wrap xmlns:p="urn:p" xmlns:q="urn:d">\n{body}\n</wrap>'
    return etree.ElementTree(etree.fromstring(root))


def _known(lines: list[int]) -> list[LoadProblem]:
    return [LoadProblem("EIL010", "m", Location("f", n, None, "n")) for n in lines]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_element(), min_size=1, max_size=4),
    st.lists(st.integers(1, 30), max_size=5),
)
def test_case_typos_match_the_per_element_scan(
    bodies: list[str], lines: list[int]
) -> None:
    tree = _tree("\n".join(bodies))
    known = _known(lines)
    expected = _reference(tree, XSD, "f", "n", known)
    assert _case_typos(tree, XSD, "f", "n", known) == expected


def test_case_typos_keep_document_order_across_tags() -> None:
    tree = _tree("<readonly/><URL/>\n<readonly><Url/></readonly><p:URL/><URL/>")
    found = _case_typos(tree, XSD, "f", "n", [])
    assert found == _reference(tree, XSD, "f", "n", [])
    assert [p.where.key for p in found] == [
        "/wrap/readonly[1]",
        "/wrap/URL[1]",
        "/wrap/readonly[2]",
        "/wrap/readonly[2]/Url",
        "/wrap/p:URL",
        "/wrap/URL[2]",
    ]
