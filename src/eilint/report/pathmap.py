"""Where remote files point in SARIF: ``ssh://host/path``, or a path in the repo.

Messages keep ``node2:/opt/ei/...``. SARIF needs URIs: a remote node's files get
the stable ``ssh://host/opt/ei/...`` (no user: it differs between operators), and
``--map node2=configs/node2`` puts them on the repo's copy instead (e.g. one made
by ``eilint snapshot``), so code scanning can annotate the lines.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec.structs

from eilint.findings import Finding
from eilint.findings import Location
from eilint.report import Report


class MapError(Exception):
    """A ``--map`` that cannot be used; the message is one line."""


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
    """Return remote root → what to show instead (unmapped: ``ssh://`` if ``uris``)."""
    unknown = sorted(set(maps) - set(report.roots))
    if unknown:
        raise MapError(f"--map {unknown[0]}: no node of that name was checked")
    prefixes: dict[str, str] = {}
    for name, root in report.roots.items():
        uri = report.remote_uris.get(name)
        if uri is not None and (uris or name in maps):
            prefixes[root] = maps.get(name, uri)
        elif name in maps:
            raise MapError(f"--map {name}: a local node; --map is for remote nodes")
    return prefixes


def _move(loc: Location, prefixes: Mapping[str, str]) -> Location:
    for root, new in prefixes.items():
        if loc.path == root or loc.path.startswith(root + "/"):
            return msgspec.structs.replace(loc, path=new + loc.path[len(root) :])
    return loc


def _finding(finding: Finding, prefixes: Mapping[str, str]) -> Finding:
    return msgspec.structs.replace(
        finding,
        location=_move(finding.location, prefixes),
        related=tuple(_move(loc, prefixes) for loc in finding.related),
    )


def sarif_view(report: Report, maps: Mapping[str, str]) -> Report:
    """Return the report with remote paths as SARIF should show them."""
    return _view(report, remote_prefixes(report, maps))


def mapped_view(report: Report, maps: Mapping[str, str]) -> Report:
    """Return the report with only ``--map``ped remote nodes moved (annotations)."""
    return _view(report, remote_prefixes(report, maps, uris=False))


def _view(report: Report, prefixes: Mapping[str, str]) -> Report:
    if not prefixes:
        return report
    return msgspec.structs.replace(
        report, findings=tuple(_finding(f, prefixes) for f in report.findings)
    )
