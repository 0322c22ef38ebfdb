"""Typed values that remember where they came from, read the way EI reads them."""

from __future__ import annotations

import re
from typing import Generic
from typing import TypeVar

from msgspec import Struct

from eilint.findings import Location

T = TypeVar("T")

# A value someone else fills in: Carbon at start-up (``${x}``, ``$sys{x}``,
# ``$env{x}``), or a template engine before the file reaches the node (Jinja,
# Ansible, Helm, Mustache ``{{ x }}`` and ``{% ... %}``; Maven/Ant filtering
# ``@x@``). eilint knows none of these values: it never compares them as
# literal hosts, ports, booleans or numbers.
_PLACEHOLDER = re.compile(
    r"\$(?:sys|env)?\{[^}]*\}"
    r"|\{\{.*?\}\}|\{%.*?%\}"
    r"|@[A-Za-z_][\w.-]*@",
    re.DOTALL,
)


class Setting(Struct, Generic[T], frozen=True):
    """A value read from a file: the typed ``value``, the ``raw`` text, where."""

    value: T
    raw: str
    where: Location

    @property
    def placeholder(self) -> bool:
        """Return True when the raw text holds a placeholder (``${x}``, ``{{ x }}``)."""
        return is_placeholder(self.raw)


def is_placeholder(text: str | None) -> bool:
    """Return True when a value is filled in later (start-up or templating)."""
    return bool(text) and _PLACEHOLDER.search(text or "") is not None


def datasource_bool(raw: str | None) -> bool | None:
    """Read a boolean as Carbon's RDBMS datasource reader does.

    Whitespace is trimmed; only lowercase ``true``/``false``/``1``/``0`` count.
    Anything else (``True``, ``yes``, empty) leaves the property unset (None).
    """
    if raw is None:
        return None
    text = raw.strip()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    return None


def datasource_int(raw: str | None) -> int | None:
    """Read an integer as the datasource reader does: non-numeric means unset."""
    if raw is None:
        return None
    text = raw.strip()
    if re.fullmatch(r"[+-]?\d{1,18}", text):
        return int(text)
    return None


def ignore_case_true(raw: str | None) -> bool:
    """Read a flag compared with ``equalsIgnoreCase("true")``, untrimmed."""
    return raw is not None and raw.lower() == "true"


def xs_boolean(raw: str | None) -> bool | None:
    """Read an ``xs:boolean`` (XMLBeans): collapsed whitespace, true/false/1/0."""
    if raw is None:
        return None
    text = raw.strip()
    return {"true": True, "1": True, "false": False, "0": False}.get(text)


def xs_int(raw: str | None) -> int | None:
    """Read an ``xs:int`` with surrounding whitespace allowed."""
    return datasource_int(raw)
