"""nginx directives with their own file and line, includes already inlined."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from eilint.findings import Location


@dataclass(frozen=True, slots=True)
class Directive:
    """One directive; ``block`` is None for simple directives.

    An ``include`` keeps its own entry and its included directives follow it as
    ``block`` children, each carrying the location of the file it came from.
    """

    name: str
    args: tuple[str, ...]
    where: Location
    block: tuple[Directive, ...] | None = None

    def children(self, name: str | None = None) -> Iterator[Directive]:
        """Yield direct children (looking through includes), optionally by name."""
        for child in _flatten(self.block or ()):
            if name is None or child.name == name:
                yield child

    def first(self, name: str) -> Directive | None:
        """Return the first direct child with this name."""
        return next(self.children(name), None)


def _flatten(directives: tuple[Directive, ...]) -> Iterator[Directive]:
    for d in directives:
        if d.name == "include":
            yield from _flatten(d.block or ())
        else:
            yield d


@dataclass(frozen=True, slots=True)
class NginxConfig:
    """The nginx tree: main file, top-level directives (includes inlined), files."""

    main: str
    directives: tuple[Directive, ...]
    files: tuple[str, ...]

    def top(self, name: str | None = None) -> Iterator[Directive]:
        """Yield top-level directives (looking through includes)."""
        for d in _flatten(self.directives):
            if name is None or d.name == name:
                yield d


def walk(
    directives: tuple[Directive, ...], ancestors: tuple[Directive, ...] = ()
) -> Iterator[tuple[tuple[Directive, ...], Directive]]:
    """Yield ``(ancestors, directive)`` depth-first; includes are transparent."""
    for d in _flatten(directives):
        yield ancestors, d
        if d.block is not None:
            yield from walk(d.block, (*ancestors, d))
