"""Parse XML with a hardened lxml parser into the immutable XmlDoc snapshot."""

from __future__ import annotations

import re

from lxml import etree

from eilint.findings import Location
from eilint.loaders.files import SourceFile
from eilint.loaders.files import Unreadable
from eilint.loaders.files import read_source
from eilint.model.cluster import LoadProblem
from eilint.model.xml import XmlComment
from eilint.model.xml import XmlDoc
from eilint.model.xml import XmlElement

# No entity expansion, no DTD loading, no network, libxml2's size and depth limits
# kept (huge_tree=False), comments kept for inline suppressions.
SAFE_XML_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    dtd_validation=False,
    attribute_defaults=False,
    remove_comments=False,
    remove_pis=True,
)
# The largest stock EI 6.3.0 file (axis2.xml) has under 400 nodes; every element
# costs about 1.5 kB in the snapshot, so this bounds one file to ~15 MB of model.
MAX_XML_ELEMENTS = 10_000
# Stock elements have at most ~30 attributes (catalina-server.xml's Connector).
MAX_XML_ATTRIBUTES = 128
# libxml2 messages can name a 50,000-character tag; one line of output is enough.
MAX_MESSAGE = 200
_XINCLUDE = (
    "{http://www.w3.org/2001/XInclude}include",
    "{http://www.w3.org/2003/XInclude}include",
)
# lxml appends the position we already report; encoding errors append the raw
# bytes that failed to decode, which may be part of a password.
_POSITION_SUFFIX = re.compile(r"\s*,\s*line \d+, column \d+\s*$")
_RAW_BYTES = re.compile(r"\s*Bytes:(?:\s*0x[0-9A-Fa-f]{1,2})+")


def parse_xml(
    src: SourceFile, node: str | None
) -> tuple[XmlDoc | None, etree._ElementTree | None, list[LoadProblem]]:
    """Parse one file; return the snapshot, the lxml tree and any load problems."""
    try:
        data = read_source(src)
    except Unreadable as exc:
        return None, None, [_unreadable(src, node, str(exc))]
    if not data.strip():
        where = Location(src.display, 1, None, node)
        return None, None, [LoadProblem("EIL001", "file is empty", where)]
    try:
        tree = etree.ElementTree(etree.fromstring(data, SAFE_XML_PARSER))
    except etree.XMLSyntaxError as exc:
        problem = _syntax_problem(src, node, exc, data)
        if b"<!ENTITY" in data:
            # libxml2 refuses entity bombs even unexpanded: report the cause, not
            # only the symptom.
            problem = LoadProblem("EIL004", problem.message, problem.where)
        return None, None, [problem]
    snapshot = _Snapshot(src.display, node, _source_lines(data, tree))
    try:
        root = snapshot.root(tree.getroot())
    except _OverLimit:
        why = _over_limits(tree) or "is over eilint's XML size limits"
        return None, None, [_unreadable(src, node, why)]
    problems = _doctype_problems(tree, src, node) + _xinclude_problems(tree, src, node)
    doc = XmlDoc(
        path=src.display, root=root, comments=_comments(tree, src.display, node)
    )
    return doc, tree, problems


class _OverLimit(Exception):
    """The snapshot met more nodes, or a wider element, than the limits allow."""


def _over_limits(tree: etree._ElementTree) -> str | None:
    """Say why a parsed document is too big to snapshot, or return None."""
    count = 0
    widest = 0
    for el in tree.iter():
        count += 1
        widest = max(widest, len(el.attrib) if isinstance(el.tag, str) else 0)
    if count > MAX_XML_ELEMENTS:
        return f"has {count} XML nodes, over the {MAX_XML_ELEMENTS}-node limit"
    if widest > MAX_XML_ATTRIBUTES:
        # lxml reads attributes back in quadratic time: 350,000 on one element
        # would take hours.
        return (
            f"has an element with {widest} attributes, over the "
            f"{MAX_XML_ATTRIBUTES}-attribute limit"
        )
    return None


def _unreadable(src: SourceFile, node: str | None, why: str) -> LoadProblem:
    return LoadProblem("EIL005", f"file {why}", Location(src.display, None, None, node))


def _syntax_problem(
    src: SourceFile, node: str | None, exc: etree.XMLSyntaxError, data: bytes
) -> LoadProblem:
    line, column = (exc.position or (None, None))[:2]
    # libxml2 messages name tags, attributes and entities from the document
    # ("Entity 'hunter2' not defined"): on a broken line that holds a secret,
    # what the line's redaction masks is masked in the message too.
    # clean_message drops the raw bytes that encoding errors quote.
    message = clean_message(exc.msg)
    if line:
        from eilint.report.redact import redact_parser_message

        text = _line_of(data, line)
        message = redact_parser_message(message, text)
    message = f"XML is not well-formed: {message}"
    where = Location(src.display, line or None, column or None, node)
    return LoadProblem("EIL001", message, where)


def _line_of(data: bytes, line: int) -> str:
    start = 0
    for _ in range(line - 1):
        start = data.find(b"\n", start) + 1
        if start == 0:
            return ""
    end = data.find(b"\n", start)
    chunk = data[start : end if end >= 0 else len(data)][: 64 * 1024]
    return chunk.decode("utf-8", "replace")


def clean_message(msg: str | None) -> str:
    """Return a libxml2 message on one short line, without positions or raw bytes.

    Only the first line is kept: libxml2 puts quoted content on the next ones
    ("CData section not finished" is followed by the section's first 50 chars).
    """
    text = (msg or "").split("\n", 1)[0]
    text = " ".join(text.split())
    text = _RAW_BYTES.sub("", _POSITION_SUFFIX.sub("", text)).strip()
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    return text if text and text != "(null)" else "parse error"


def _xinclude_problems(
    tree: etree._ElementTree, src: SourceFile, node: str | None
) -> list[LoadProblem]:
    first = next(tree.getroot().iter(*_XINCLUDE), None)
    if first is None:
        return []
    message = (
        "document uses XInclude (<xi:include>); eilint does not follow it "
        "and EI's config parsers do not either"
    )
    where = Location(src.display, first.sourceline, None, node)
    return [LoadProblem("EIL004", message, where)]


def _doctype_problems(
    tree: etree._ElementTree, src: SourceFile, node: str | None
) -> list[LoadProblem]:
    docinfo = tree.docinfo
    if docinfo.internalDTD is None and not docinfo.doctype:
        return []
    line = 1
    root = tree.getroot()
    for entity in root.iter(etree.Entity):
        line = entity.sourceline or line
        break
    message = (
        "document has a DOCTYPE; entities and DTDs are not expanded, "
        "EI config files never need one"
    )
    return [LoadProblem("EIL004", message, Location(src.display, line, None, node))]


def _split_tag(tag: str) -> tuple[str, str | None]:
    """Split lxml's ``{namespace}local`` (the string form, not etree.QName: faster)."""
    if tag[:1] == "{":
        ns, _, local = tag[1:].partition("}")
        return local, ns
    return tag, None


def _attrs(el: etree._Element) -> tuple[tuple[str, str], ...]:
    # Sorted by the qualified name, then reduced to local names (namespaced
    # attributes are rare: the common case skips the per-attribute split).
    items = el.items()
    items.sort()
    for key, _ in items:
        if key[:1] == "{":
            return tuple((_split_tag(k)[0], v) for k, v in items)
    return tuple(items)


def _element_text(el: etree._Element) -> tuple[str | None, bool]:
    """Return the element's own text, with unexpanded entities written as ``&x;``."""
    entities = [c for c in el if isinstance(c, etree._Entity)]
    if not entities:
        return el.text, False
    parts = [el.text or ""]
    for child in el:
        if isinstance(child, etree._Entity):
            parts.append(f"&{child.name};")
        if isinstance(child, etree._Entity) or not isinstance(child.tag, str):
            parts.append(child.tail or "")
    return "".join(parts), True


def _assigns(text: str, name: str) -> bool:
    """Say whether ``text`` has ``name =`` after a space, a ':' or its start.

    The regex ``(?:^|[\\s:])NAME\\s*=``, without compiling one per attribute name
    (a compile cost more than the rest of a file's snapshot).
    """
    at = text.find(name)
    while at >= 0:
        after = text[at + len(name) :].lstrip()
        if (at == 0 or text[at - 1].isspace() or text[at - 1] == ":") and after[
            :1
        ] == "=":
            return True
        at = text.find(name, at + 1)
    return False


def _source_lines(data: bytes, tree: etree._ElementTree) -> list[str]:
    encoding = tree.docinfo.encoding or "utf-8"
    try:
        return data.decode(encoding, errors="replace").split("\n")
    except LookupError:
        return data.decode("utf-8", errors="replace").split("\n")


class _Snapshot:
    """Build the immutable element tree of one document."""

    def __init__(self, path: str, node: str | None, lines: list[str]) -> None:
        self.path = path
        self.node = node
        self.lines = lines
        # A document repeats few tag names: split each '{ns}local' once.
        self.tags: dict[str, tuple[str, str | None]] = {}
        # The limits are checked as the snapshot goes (a separate pass over the
        # tree cost ~1 ms per node); _over_limits words the message on a breach.
        self.count = 0

    def root(self, el: etree._Element) -> XmlElement:
        """Snapshot the document from its root element."""
        # A parsed element's tag is a str (types-lxml allows any assigned one).
        tag, ns = self.split(str(el.tag))
        snapshot = self.element(el, f"/{tag}", tag, ns)
        if self.count > MAX_XML_ELEMENTS:  # comments counted after the last element
            raise _OverLimit
        return snapshot

    def split(self, tag: str) -> tuple[str, str | None]:
        """Return ``_split_tag(tag)``, cached."""
        hit = self.tags.get(tag)
        if hit is None:
            hit = self.tags[tag] = _split_tag(tag)
        return hit

    def start_line(self, el: etree._Element, tag: str) -> int | None:
        """Return the line of ``<tag``: libxml2 gives the line of the closing ``>``.

        A start tag spread over several lines (a Connector with twenty attributes)
        would otherwise be reported at its last attribute.
        """
        line = el.sourceline
        if line is None or line > len(self.lines):
            return line
        qname = f"<{el.prefix}:{tag}" if el.prefix else f"<{tag}"
        for number in range(line, max(line - 200, 0), -1):
            if qname in self.lines[number - 1]:
                return number
        return line

    def attr_lines(
        self, el: etree._Element, start: int | None
    ) -> tuple[tuple[str, int], ...]:
        """Locate each attribute of a start tag that spans several lines."""
        end = el.sourceline
        if start is None or end is None or start == end or end > len(self.lines):
            return ()
        found = []
        for name in el.attrib:
            local = _split_tag(name)[0]
            for number in range(start, end + 1):
                if _assigns(self.lines[number - 1], local):
                    found.append((local, number))
                    break
        return tuple(found)

    def element(
        self, el: etree._Element, here: str, tag: str, ns: str | None
    ) -> XmlElement:
        # Hot path: runs once per element of every file (~600 per node), so the
        # common cases are inlined: one pass over children, a '<tag' on the line
        # libxml2 reports, a start tag on one line.
        self.count += 1
        attrib = el.attrib
        width = len(attrib)
        if self.count > MAX_XML_ELEMENTS or width > MAX_XML_ATTRIBUTES:
            raise _OverLimit
        children = []
        siblings: dict[str, int] = {}
        entity = False
        for child in el:
            ctag = child.tag
            if not isinstance(ctag, str):
                self.count += 1
                entity = entity or isinstance(child, etree._Entity)
                continue
            local, cns = self.tags.get(ctag) or self.split(ctag)
            name = child.get("name")
            if name is not None and "'" not in name:
                step = f"{local}[@name='{name}']"
            else:
                siblings[local] = count = siblings.get(local, 0) + 1
                step = f"{local}[{count}]"
            children.append(self.element(child, f"{here}/{step}", local, cns))
        text, unresolved = _element_text(el) if entity else (el.text, False)
        line = el.sourceline
        lines = self.lines
        prefix = el.prefix
        qname = f"<{prefix}:{tag}" if prefix else f"<{tag}"
        if line is not None and line <= len(lines) and qname in lines[line - 1]:
            start: int | None = line
        else:
            start = self.start_line(el, tag)
        return XmlElement(
            tag,
            ns,
            _attrs(el) if width else (),
            text,
            tuple(children),
            Location(self.path, start, None, self.node, here),
            unresolved,
            self.attr_lines(el, start) if width and start != line else (),
        )


def _comments(
    tree: etree._ElementTree, path: str, node: str | None
) -> tuple[XmlComment, ...]:
    found = []
    # Comments before the root element (a file-wide suppression) are its siblings,
    # which tree.iter() does not visit.
    root = tree.getroot()
    prolog = [c for c in root.itersiblings(preceding=True) if _is_comment(c)]
    # libxml2 picks the comments naming eilint: EI's stock files hold hundreds
    # of others, which a Python loop read one by one (~1.5 ms per node).
    mentions = root.xpath(".//comment()[contains(., 'eilint')]")
    for comment in (*reversed(prolog), *mentions):
        text = comment.text or ""
        if "eilint" in text:
            following = comment.xpath("following::*[1]")
            next_line = following[0].sourceline if following else None
            where = Location(path, comment.sourceline, None, node)
            found.append(XmlComment(text, where, next_line))
    return tuple(found)


def _is_comment(node: etree._Element) -> bool:
    return isinstance(node, etree._Comment)
