"""The one renderer of file names: each view of a Location from node + file.

A Location carries the display ``path`` (what the terminal shows:
``configs/node1/registry.xml``, ``node2:/opt/ei/...``) and its identity, the
``node`` and the ``file`` relative to the node's tree. Every other view is built
here from the identity, never by taking a display string apart:

- ``View.TERMINAL``: the display path (text, JSON, JUnit);
- ``View.IDENTITY``: the node-relative file (fingerprints, baselines);
- ``View.ANNOTATION``: where ``--format github`` annotates: a ``--map``ped
  node's file in the repository's copy, else the display path;
- ``View.SARIF``: a URI, relative to ``%SRCROOT%`` for local and mapped files,
  ``ssh://host/path/file`` (stable: no user name) for a remote node's.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import PurePosixPath
from urllib.parse import quote

import msgspec.structs

from eilint.findings import Finding
from eilint.findings import Location
from eilint.report import Report


class MapError(Exception):
    """A ``--map`` that cannot be used; the message is one line."""


class View(StrEnum):
    """Who reads the file name."""

    TERMINAL = "terminal"
    IDENTITY = "identity"
    ANNOTATION = "annotation"
    SARIF = "sarif"


def parse_maps(items: list[str]) -> dict[str, str]:
    """Read ``NAME=DIR`` items into a mapping (DIR relative to the repo root)."""
    maps: dict[str, str] = {}
    for item in items:
        name, sep, directory = item.partition("=")
        if not sep or not name or not directory:
            raise MapError(
                f"--map {item!r}: expected NAME=DIR, e.g. node2=configs/node2"
            )
        maps[name] = directory.rstrip("/") or "/"
    return maps


def remote_prefixes(
    report: Report, maps: Mapping[str, str], uris: bool = True
) -> dict[str, str]:
    """Check ``--map`` against the report; return remote node → where it goes.

    A mapped node goes to its directory; an unmapped remote node to its
    ``ssh://`` URI when ``uris`` (SARIF), else it stays as shown.
    """
    unknown = sorted(set(maps) - set(report.roots))
    if unknown:
        raise MapError(f"--map {unknown[0]}: no node of that name was checked")
    local = sorted(set(maps) - set(report.remote))
    if local:
        raise MapError(f"--map {local[0]}: a local node; --map is for remote nodes")
    return {
        name: maps.get(name, uri)
        for name, uri in report.remote.items()
        if uris or name in maps
    }


def render(
    loc: Location,
    view: View,
    remote: Mapping[str, str] | None = None,
    maps: Mapping[str, str] | None = None,
) -> str:
    """Return the file name of ``loc`` as ``view`` shows it (SARIF: a URI)."""
    if view is View.TERMINAL:
        return loc.path
    if view is View.IDENTITY:
        return loc.identity()
    if view is View.SARIF:
        return sarif_uri(loc, remote or {}, maps or {})[0]
    mapped = _mapped(loc, maps or {})
    return loc.path if mapped is None else mapped


def sarif_uri(
    loc: Location, remote: Mapping[str, str], maps: Mapping[str, str]
) -> tuple[str, bool]:
    """Return ``(uri, relative to %SRCROOT%)`` for a SARIF artifact location."""
    mapped = _mapped(loc, maps)
    if mapped is not None:
        return quote(mapped, safe="/"), True
    if loc.node is not None and loc.node in remote and loc.file is not None:
        tail = "" if loc.file == "." else quote("/" + loc.file, safe="/")
        return remote[loc.node].rstrip("/") + tail, False
    posix = PurePosixPath(loc.path)
    if posix.is_absolute():
        return "file://" + quote(posix.as_posix(), safe="/"), False
    # quote() turns ':' into %3A: a local 'a:b/x.xml' never reads as a scheme.
    return quote(loc.path, safe="/"), True


def _mapped(loc: Location, maps: Mapping[str, str]) -> str | None:
    if loc.node is None or loc.file is None or loc.node not in maps:
        return None
    return _join(maps[loc.node], loc.file)


def _join(directory: str, file: str) -> str:
    return directory if file == "." else f"{directory.rstrip('/')}/{file}"


def _finding(finding: Finding, maps: Mapping[str, str]) -> Finding:
    def move(loc: Location) -> Location:
        shown = render(loc, View.ANNOTATION, maps=maps)
        return loc if shown == loc.path else msgspec.structs.replace(loc, path=shown)

    return msgspec.structs.replace(
        finding,
        location=move(finding.location),
        related=tuple(move(loc) for loc in finding.related),
    )


def sarif_view(report: Report, maps: Mapping[str, str]) -> Report:
    """Return the report that SARIF renders with ``--map`` applied (checked)."""
    remote_prefixes(report, maps)
    return msgspec.structs.replace(report, maps=dict(maps))


def mapped_view(report: Report, maps: Mapping[str, str]) -> Report:
    """Return the report with only ``--map``ped remote nodes moved (annotations)."""
    remote_prefixes(report, maps, uris=False)
    if not maps:
        return report
    return msgspec.structs.replace(
        report, findings=tuple(_finding(f, maps) for f in report.findings)
    )
