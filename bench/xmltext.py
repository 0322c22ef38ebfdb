"""Tiny helpers for writing indented XML text with explanatory comments."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

HEADER = '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
LICENSE = (
    "Synthetic configuration written by a benchmark generator. It has the "
    "shape and the size of a business-process profile file of WSO2 EI 6.3.0, with "
    "values chosen for one node of a generated cluster. Licensed under the Apache "
    "License, Version 2.0; nothing here is copied from a WSO2 distribution."
)


def comment(text: str, indent: int = 4, width: int = 84) -> str:
    """Return ``text`` as a wrapped multi-line XML comment at ``indent`` spaces."""
    pad = " " * indent
    lines = textwrap.wrap(text, width=width - indent - 4)
    body = "\n".join(f"{pad}  {line}" for line in lines)
    return f"{pad}<!--\n{body}\n{pad}-->\n"


def note(text: str, indent: int = 4) -> str:
    """Return a one-line ``<!-- text -->`` comment."""
    return f"{' ' * indent}<!-- {text} -->\n"


def commented(xml: str) -> str:
    """Comment out an already rendered, indented element (a disabled example)."""
    lines = xml.rstrip("\n").split("\n")
    pad = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
    body = "\n".join(lines)
    return f"{pad}<!--\n{body}\n{pad}-->\n"


def leaf(tag: str, value: object, indent: int = 4, **attrs: str) -> str:
    """Return one ``<tag attr="...">value</tag>`` line."""
    pad = " " * indent
    rendered = "".join(f' {k.rstrip("_")}="{v}"' for k, v in attrs.items())
    return f"{pad}<{tag}{rendered}>{value}</{tag}>\n"


def param(name: str, value: object, indent: int = 4, locked: bool = False) -> str:
    """Return an axis2-style ``<parameter name=...>`` line."""
    lock = ' locked="true"' if locked else ""
    pad = " " * indent
    return f'{pad}<parameter name="{name}"{lock}>{value}</parameter>\n'


def block(tag: str, inner: Iterable[str], indent: int = 4, attrs: str = "") -> str:
    """Wrap already-indented lines in ``<tag attrs>`` ... ``</tag>``."""
    pad = " " * indent
    head = f"{pad}<{tag}{' ' + attrs if attrs else ''}>\n"
    return head + "".join(inner) + f"{pad}</{tag}>\n"


def document(root: str, attrs: str, inner: Iterable[str]) -> str:
    """Return a whole document: declaration, licence comment and the root element."""
    head = HEADER + comment(LICENSE, 0)
    opening = f"<{root}{' ' + attrs if attrs else ''}>\n"
    return head + opening + "".join(inner) + f"</{root}>\n"


# A tree item is (tag, content, doc): ``tag`` may carry attributes
# ('Property name="x"'), ``content`` is a leaf value or a list of items, and
# ``doc`` (may be empty) becomes a comment above the element.
Item = tuple[str, "str | list[Item]", str]


def render(items: list[Item], indent: int = 4) -> list[str]:
    """Render tree items as indented lines with their doc comments."""
    out: list[str] = []
    pad = " " * indent
    for tag, content, doc in items:
        if doc:
            short = len(doc) < 70
            out.append(note(doc, indent) if short else comment(doc, indent))
        name = tag.split(" ", 1)[0]
        if isinstance(content, str):
            if content:
                out.append(f"{pad}<{tag}>{content}</{name}>\n")
            else:
                out.append(f"{pad}<{tag}/>\n")
        else:
            out.append(f"{pad}<{tag}>\n")
            out.extend(render(content, indent + 4))
            out.append(f"{pad}</{name}>\n")
    return out
