"""Edits on XML spans shared by the producers: set a text, set an attribute,
insert a child element with the indentation of its siblings."""

from __future__ import annotations

from collections.abc import Callable

from eilint.findings import Finding
from eilint.fix.context import FixContext
from eilint.fix.context import Producer
from eilint.fix.edits import Applicability
from eilint.fix.edits import Edit
from eilint.fix.edits import Fix
from eilint.fix.xmlspans import SpanDoc
from eilint.fix.xmlspans import SpanElement
from eilint.fix.xmlspans import escape_attr
from eilint.fix.xmlspans import escape_text

SAFE = Applicability.SAFE
UNSAFE = Applicability.UNSAFE


def text_edit(path: str, doc: SpanDoc, el: SpanElement, value: str) -> Edit | None:
    """Replace a text-only element's content by ``value`` (None: it has children)."""
    if el.children:
        return None
    start, end = doc.text_span(el)
    if el.close_start is None:
        # <x/>: write <x>value</x> over the '/>' of the empty element.
        return Edit(path, start, el.end, f">{escape_text(value)}</{el.qname}>")
    return Edit(path, start, end, escape_text(value))


def attr_edit(path: str, doc: SpanDoc, el: SpanElement, name: str, value: str) -> Edit:
    """Set an attribute: its value span when present, else add it to the tag."""
    span = el.attrs.get(name)
    if span is not None:
        quote = chr(doc.data[span.value_start - 1])
        return Edit(path, span.value_start, span.value_end, escape_attr(value, quote))
    at = el.head_end - (2 if el.close_start is None else 1)
    while at > el.start and doc.data[at - 1 : at].isspace():
        at -= 1  # after the last attribute, before any space and '>' or '/>'
    return Edit(path, at, at, f' {name}="{escape_attr(value)}"')


def child_indent(doc: SpanDoc, parent: SpanElement) -> str:
    """Return the indentation a new child of ``parent`` should have."""
    for child in reversed(parent.children):
        indent = doc.indent_of(child)
        if indent:
            return indent
    own = doc.indent_of(parent)
    step = "\t" if own.startswith("\t") else "    "
    return own + step


def insert_child(
    path: str, doc: SpanDoc, parent: SpanElement, snippet: str
) -> Edit | None:
    """Insert ``snippet`` as the last child of ``parent``, on its own line."""
    if parent.close_start is None:
        return None  # <x/>: leave the empty element to a person
    indent = child_indent(doc, parent)
    line = doc.line_start(parent.close_start)
    if doc.data[line : parent.close_start].isspace() or line == parent.close_start:
        return Edit(path, line, line, f"{indent}{snippet}{doc.newline}")
    return Edit(path, parent.close_start, parent.close_start, snippet)


def one(
    title: str, edit: Edit | None, applicability: Applicability = SAFE
) -> Fix | None:
    """Wrap a single edit as a fix (None when there is no edit)."""
    return Fix(title, applicability, (edit,)) if edit is not None else None


def element_at(doc: SpanDoc | None, finding: Finding) -> SpanElement | None:
    """Return the element a finding's location key names."""
    key = finding.location.key
    return doc.by_key.get(key) if doc is not None and key else None


XmlProducer = Callable[[Finding, FixContext, str, SpanDoc, SpanElement], Fix | None]


def at_element(
    tag: str | None = None, text_only: bool = False
) -> Callable[[XmlProducer], Producer]:
    """Call the producer with the file and the element the finding's key names
    (of local name ``tag``; without child elements with ``text_only``)."""

    def wrap(func: XmlProducer) -> Producer:
        def produce(finding: Finding, ctx: FixContext) -> Fix | None:
            path = finding.location.path
            doc = ctx.xml(path)
            el = element_at(doc, finding)
            if doc is None or el is None or (tag is not None and el.tag != tag):
                return None
            return (
                None if text_only and el.children else func(finding, ctx, path, doc, el)
            )

        produce.__doc__ = func.__doc__
        return produce

    return wrap


def hinted_port(finding: Finding) -> int | None:
    """Return N of a "set localMemberPort to N" hint (the port every WKA list
    names and no node uses: CLU010, CLU014), None without one."""
    prefix = "set localMemberPort to "
    hint = finding.hint or ""
    value = hint[len(prefix) :] if hint.startswith(prefix) else ""
    return int(value) if value.isdigit() else None


def set_hinted_port(finding: Finding, ctx: FixContext) -> Fix | None:
    """Set the localMemberPort the finding points at to the port its hint names."""
    port = hinted_port(finding)
    path = finding.location.path
    doc = ctx.xml(path)
    el = element_at(doc, finding)
    if port is None or doc is None or el is None or el.children:
        return None
    title = f"set localMemberPort to {port}, the port every WKA list names"
    return one(title, text_edit(path, doc, el, str(port)))
