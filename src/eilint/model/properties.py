"""A Java ``.properties`` file with every entry's line kept."""

from __future__ import annotations

from msgspec import Struct

from eilint.findings import Location


class Property(Struct, frozen=True):
    """One key/value entry; ``where`` is the line the entry starts on."""

    key: str
    value: str
    where: Location


class PropertiesFile(Struct, frozen=True):
    """All entries in file order, duplicates kept so shadowing can be flagged."""

    path: str
    entries: tuple[Property, ...]
    comments: tuple[tuple[int, str], ...] = ()

    def get(self, key: str) -> Property | None:
        """Return the effective entry for a key (the last one, as Java does)."""
        found = None
        for entry in self.entries:
            if entry.key == key:
                found = entry
        return found

    def all(self, key: str) -> tuple[Property, ...]:
        """Return every entry for a key, in file order."""
        return tuple(e for e in self.entries if e.key == key)
