"""Locations, hits (what a check yields) and findings (what the engine reports)."""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct
from msgspec.structs import astuple

from eilint.fix.edits import Fix


class Severity(StrEnum):
    """How bad a finding is; the order is error > warning > note."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """Return 3 for error, 2 for warning, 1 for note."""
        return {"error": 3, "warning": 2, "note": 1}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read a severity name; ``info`` is accepted for ``note``."""
        value = text.strip().lower()
        if value == "info":
            value = "note"
        return cls(value)


class Location(Struct, frozen=True):
    """A place in a config file.

    ``path`` is the file as shown to users (relative to the working directory when
    the file lies below it, ``host:/abs/path`` for remote nodes). ``line`` and
    ``column`` are 1-based; ``line`` is None only when nothing in the file can be
    pointed at (a missing file). ``key`` is a logical locator that does not move
    when lines do (an element path such as
    ``/axisconfig/clustering/parameter[@name='domain']``), used for fingerprints.

    ``file`` is the file's identity within its tree: the POSIX path relative to
    the node's root (or the nginx tree). The engine fills it for every finding
    (``engine.placed``); fingerprints, baselines, SARIF URIs and ``--map`` are
    built from ``node`` and ``file``, never from the display ``path``, so they
    do not change with the working directory or the NODE arguments' spelling.
    """

    path: str
    line: int | None = None
    column: int | None = None
    node: str | None = None
    key: str | None = None
    file: str | None = None

    # Ordered as a tuple of the fields, as before. Not msgspec's order=True: when
    # all fields are equal it applies the operator to the last pair, so two equal
    # locations without a key raise TypeError (None < None) instead of False.
    def __lt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return astuple(self) < astuple(other)

    def __le__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return astuple(self) <= astuple(other)

    def __gt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return astuple(self) > astuple(other)

    def __ge__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return astuple(self) >= astuple(other)

    def sort_key(self) -> tuple[str, int, int]:
        """Order by file, then line and column, with unknown lines first."""
        return (self.path, self.line or 0, self.column or 0)

    def identity(self) -> str:
        """Return the node-relative file when known, else the display path."""
        return self.file if self.file is not None else self.path

    def label(self) -> str:
        """Render ``path:line:col``."""
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class Hit(Struct, frozen=True):
    """What a check yields: a message, where, the other places involved, a hint."""

    message: str
    location: Location
    related: tuple[Location, ...] = ()
    hint: str | None = None


class Finding(Struct, frozen=True):
    """A hit with the rule id, name and effective severity the engine assigned."""

    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    hint: str
    location: Location
    related: tuple[Location, ...] = ()
    # The fix --fix would apply (attached after linting when fixes are wanted).
    fix: Fix | None = None

    @property
    def node(self) -> str | None:
        """Return the node of the primary location."""
        return self.location.node

    def nodes(self) -> tuple[str, ...]:
        """Return every node involved, primary first, without repeats."""
        seen: list[str] = []
        for loc in (self.location, *self.related):
            if loc.node and loc.node not in seen:
                seen.append(loc.node)
        return tuple(seen)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Deterministic order: file, line, column, rule, message."""
        return (*self.location.sort_key(), self.rule_id, self.message)
