"""The snapshot's size limits, checked as it goes, at and around each bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from eilint.loaders.files import SourceFile
from eilint.loaders.xml import MAX_XML_ATTRIBUTES
from eilint.loaders.xml import MAX_XML_ELEMENTS
from eilint.loaders.xml import parse_xml


def _parse(tmp_path: Path, text: str) -> tuple[bool, list[str]]:
    path = tmp_path / "registry.xml"
    path.write_text(text)
    doc, _, problems = parse_xml(SourceFile(path, "registry.xml"), "n1")
    return doc is not None, [f"{p.rule_id}: {p.message}" for p in problems]


def _nodes(elements: int, comments: int) -> str:
    # The root counts as one element; comments go last, after every element.
    body = "<a/>" * (elements - 1) + "<!-- c -->" * comments
    return f"<wso2registry>{body}</wso2registry>"


@pytest.mark.parametrize("comments", [0, 1, 500])
def test_node_limit_counts_elements_and_comments(tmp_path: Path, comments: int) -> None:
    elements = MAX_XML_ELEMENTS - comments
    assert _parse(tmp_path, _nodes(elements, comments)) == (True, [])
    loaded, problems = _parse(tmp_path, _nodes(elements, comments + 1))
    assert not loaded
    over = MAX_XML_ELEMENTS + 1
    assert problems == [
        f"EIL005: file has {over} XML nodes, over the {MAX_XML_ELEMENTS}-node limit"
    ]


def test_attribute_limit(tmp_path: Path) -> None:
    def element(width: int) -> str:
        attrs = " ".join(f'a{i}="v"' for i in range(width))
        return f"<wso2registry><x/><y {attrs}/></wso2registry>"

    assert _parse(tmp_path, element(MAX_XML_ATTRIBUTES)) == (True, [])
    loaded, problems = _parse(tmp_path, element(MAX_XML_ATTRIBUTES + 1))
    assert not loaded
    assert problems == [
        f"EIL005: file has an element with {MAX_XML_ATTRIBUTES + 1} attributes, "
        f"over the {MAX_XML_ATTRIBUTES}-attribute limit"
    ]
