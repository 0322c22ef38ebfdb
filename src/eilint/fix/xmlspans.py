"""Exact byte spans of XML elements, attributes and text, from expat's offsets.

lxml re-serialises a document (quoting, attribute order, the declaration): a fix
must instead rewrite only the bytes of one value. expat reports where each start
tag and end tag begins; a small scanner finds where a start tag ends and where each
attribute value is. Only ASCII-compatible encodings are handled (UTF-8, the
ISO-8859 family): a UTF-16 file or one with a DOCTYPE gets no fixes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.parsers import expat

from msgspec import Struct

_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)""")
_ATTR = re.compile(rb"""([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


class AttrSpan(Struct, frozen=True):
    """Where an attribute is: ``value_start:value_end`` excludes the quotes."""

    name_start: int
    value_start: int
    value_end: int


class SpanElement(Struct, frozen=True):
    """One element's byte spans: ``start`` at ``<``, ``head_end`` after the start
    tag's ``>``, ``close_start`` at ``</`` (None for ``<x/>``), ``end`` after it all."""

    qname: str
    tag: str
    key: str
    start: int
    line: int
    head_end: int
    close_start: int | None
    end: int
    attrs: Mapping[str, AttrSpan]
    children: tuple[SpanElement, ...]

    def child(self, tag: str) -> SpanElement | None:
        """Return the first child element with this local name."""
        return next((c for c in self.children if c.tag == tag), None)

    def find(self, *path: str) -> SpanElement | None:
        """Return the first descendant along a path of local names."""
        here: SpanElement | None = self
        for step in path:
            here = here.child(step) if here is not None else None
        return here


class SpanDoc(Struct, frozen=True):
    """A document's bytes, encoding, line ending and elements by snapshot key."""

    data: bytes
    encoding: str
    newline: str
    root: SpanElement
    by_key: Mapping[str, SpanElement]

    def text_span(self, el: SpanElement) -> tuple[int, int]:
        """Return the span of an element's content (empty at ``/>`` for ``<x/>``)."""
        if el.close_start is None:
            return el.head_end - 2, el.head_end - 2
        return el.head_end, el.close_start

    def text(self, el: SpanElement) -> str:
        """Return an element's raw content (children and all)."""
        start, end = self.text_span(el)
        return self.data[start:end].decode(self.encoding, "replace")

    def indent_of(self, el: SpanElement) -> str:
        """Return the whitespace before ``el`` on its line ('' when not only space)."""
        line_start = self.data.rfind(b"\n", 0, el.start) + 1
        lead = self.data[line_start : el.start]
        return lead.decode("ascii") if lead.isspace() or not lead else ""

    def line_start(self, offset: int) -> int:
        """Return the offset of the line holding ``offset``."""
        return self.data.rfind(b"\n", 0, offset) + 1


def encoding_of(data: bytes) -> str | None:
    """Return the document's encoding when it is ASCII-compatible, else None."""
    if data.startswith(_WIDE_BOMS) or data[:2] in (b"<\x00", b"\x00<"):
        return None
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    match = _DECL_ENCODING.match(body)
    name = match.group(1).decode("ascii").lower() if match else "utf-8"
    if "16" in name or "32" in name or name.startswith("ucs"):
        return None
    try:
        "<".encode(name)
    except LookupError:
        return None
    return name


def _head_end(data: bytes, start: int) -> int:
    """Return the offset after the ``>`` closing the start tag at ``start``."""
    at = start
    quote = 0
    while at < len(data):
        byte = data[at]
        if quote:
            quote = 0 if byte == quote else quote
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte == 0x3E:
            return at + 1
        at += 1
    return len(data)


def _attrs(data: bytes, start: int, head_end: int) -> dict[str, AttrSpan]:
    found: dict[str, AttrSpan] = {}
    for match in _ATTR.finditer(data, start + 1, head_end):
        qname = match.group(1).decode("ascii", "replace")
        value_start = match.start(2) + 1
        found[qname] = AttrSpan(match.start(1), value_start, match.end(2) - 1)
    return found


class _Open(Struct):
    """An element being read: what its start tag said, its children so far."""

    qname: str
    key: str
    start: int
    line: int
    head_end: int
    children: list[SpanElement]
    counts: dict[str, int]


class _Builder:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.stack: list[_Open] = []
        self.root: SpanElement | None = None
        self.by_key: dict[str, SpanElement] = {}
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end

    def _key(self, tag: str, attrs: dict[str, str]) -> str:
        # The same steps as the model's snapshot (loaders/xml.py), so a finding's
        # location key names the element here.
        if not self.stack:
            return f"/{tag}"
        parent = self.stack[-1]
        name = attrs.get("name")
        if name is not None and "'" not in name:
            return f"{parent.key}/{tag}[@name='{name}']"
        parent.counts[tag] = parent.counts.get(tag, 0) + 1
        return f"{parent.key}/{tag}[{parent.counts[tag]}]"

    def start(self, qname: str, attrs: dict[str, str]) -> None:
        tag = qname.rpartition(":")[2]
        at = self.parser.CurrentByteIndex
        line = self.parser.CurrentLineNumber
        key = self._key(tag, attrs)
        self.stack.append(_Open(qname, key, at, line, _head_end(self.data, at), [], {}))

    def end(self, qname: str) -> None:
        o = self.stack.pop()
        if self.data[o.head_end - 2 : o.head_end] == b"/>":
            close, end = None, o.head_end
        else:
            close = self.parser.CurrentByteIndex
            end = _head_end(self.data, close)
        el = SpanElement(
            qname=o.qname,
            tag=qname.rpartition(":")[2],
            key=o.key,
            start=o.start,
            line=o.line,
            head_end=o.head_end,
            close_start=close,
            end=end,
            attrs=_attrs(self.data, o.start, o.head_end),
            children=tuple(o.children),
        )
        self.by_key[el.key] = el
        if self.stack:
            self.stack[-1].children.append(el)
        else:
            self.root = el


def parse_spans(data: bytes) -> SpanDoc | None:
    """Return the spans of a well-formed document, or None when fixes cannot be
    placed exactly (malformed, a DOCTYPE, an encoding that is not ASCII-based)."""
    encoding = encoding_of(data)
    if encoding is None or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    builder = _Builder(data)
    try:
        builder.parser.Parse(data, True)
    except (expat.ExpatError, ValueError):
        return None
    if builder.root is None:
        return None
    newline = "\r\n" if b"\r\n" in data else "\n"
    return SpanDoc(data, encoding, newline, builder.root, builder.by_key)


def escape_text(value: str) -> str:
    """Escape a value for element text."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(value: str, quote: str = '"') -> str:
    """Escape a value for an attribute quoted with ``quote``."""
    text = escape_text(value)
    return text.replace(quote, "&quot;" if quote == '"' else "&apos;")
