"""A read-only snapshot of an XML document: elements with their locations."""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct
from msgspec.structs import replace

from eilint.findings import Location


class XmlElement(Struct, frozen=True):
    """One element: local name, namespace, attributes, text, children, location.

    ``text`` is the element's own text, stripped of nothing (EI trims or not
    depending on the reader, so the raw value is kept). ``unresolved`` is True when
    the text contains an entity reference that was deliberately not expanded.
    """

    tag: str
    ns: str | None
    attrs: tuple[tuple[str, str], ...]
    text: str | None
    children: tuple[XmlElement, ...]
    where: Location
    unresolved: bool = False
    # Lines of attributes when the start tag spans several lines (else empty).
    attr_lines: tuple[tuple[str, int], ...] = ()

    def attr(self, name: str) -> str | None:
        """Return an attribute value by local name."""
        for key, value in self.attrs:
            if key == name:
                return value
        return None

    def attr_where(self, name: str) -> Location:
        """Return where an attribute is: its own line in a multi-line start tag."""
        for key, line in self.attr_lines:
            if key == name:
                return replace(self.where, line=line)
        return self.where

    def find(self, *path: str) -> XmlElement | None:
        """Return the first descendant along a path of local names."""
        return next(self.findall(*path), None)

    def findall(self, *path: str) -> Iterator[XmlElement]:
        """Yield the descendants along a path of local names (``*`` matches any)."""
        if not path:
            yield self
            return
        head, rest = path[0], path[1:]
        for child in self.children:
            if head in ("*", child.tag):
                yield from child.findall(*rest)

    def iter(self) -> Iterator[XmlElement]:
        """Yield this element and all descendants in document order."""
        yield self
        for child in self.children:
            yield from child.iter()

    def child_text(self, name: str) -> str | None:
        """Return the text of the first child with this local name."""
        child = self.find(name)
        return None if child is None else child.text

    def stripped(self) -> str:
        """Return the text with surrounding whitespace removed ('' when empty)."""
        return (self.text or "").strip()


class XmlComment(Struct, frozen=True):
    """A comment kept for inline suppressions.

    ``next_line`` is the line of the first element that starts after the comment
    (None when none does): the element an ``eilint: disable=`` comment applies to.
    """

    text: str
    where: Location
    next_line: int | None = None


class XmlDoc(Struct, frozen=True):
    """A parsed XML file: its display path, root element and comments."""

    path: str
    root: XmlElement
    comments: tuple[XmlComment, ...] = ()
