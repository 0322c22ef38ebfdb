"""Fixes for datasources: defaultAutoCommit on the BPS datasource."""

from __future__ import annotations

from eilint.findings import Finding
from eilint.fix.context import FixContext
from eilint.fix.edits import Fix
from eilint.fix.registry import producer
from eilint.fix.xmledit import at_element
from eilint.fix.xmledit import insert_child
from eilint.fix.xmledit import one
from eilint.fix.xmledit import text_edit
from eilint.fix.xmlspans import SpanDoc
from eilint.fix.xmlspans import SpanElement

TITLE = "set defaultAutoCommit to true"


@producer("DSR001", "DSR002")
@at_element()
def fix_autocommit(
    finding: Finding, ctx: FixContext, path: str, doc: SpanDoc, el: SpanElement
) -> Fix | None:
    """Write true into defaultAutoCommit, adding the element when absent."""
    if el.tag == "defaultAutoCommit":
        return one(TITLE, text_edit(path, doc, el, "true"))
    conf = el.find("definition", "configuration") if el.tag == "datasource" else None
    if conf is None or conf.child("defaultAutoCommit") is not None:
        return None
    snippet = "<defaultAutoCommit>true</defaultAutoCommit>"
    return one(TITLE, insert_child(path, doc, conf, snippet))
