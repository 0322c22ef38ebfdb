"""Load an nginx tree with crossplane, following includes ourselves (STYLE.md 3.1).

The inputs are read as nginx reads them: a tree with ``nginx.conf`` (the file
itself or its directory); an /etc/nginx without nginx.conf (docker images keep
only ``conf.d/*.conf``; Debian ``sites-enabled/*``), a directory of vhost files or
a single vhost file, all read in nginx's ``http`` context (a synthetic ``http``
block); and the output of ``nginx -T`` (files separated by
``# configuration file PATH:`` markers). Every directive is then checked the way
``nginx -t`` checks it (context, argument count, unknown names) with crossplane's
directive table (``NGX007``). crossplane parses one file at a time
(``single=True``) from text we read ourselves, so it never opens an include, a
special file or a path outside the tree; include globs, re-rooting of absolute
paths, cycles and fan-out limits are handled here.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from msgspec import Struct
from msgspec import field

from eilint.findings import Location
from eilint.loaders.files import SourceFile
from eilint.loaders.files import Unreadable
from eilint.loaders.files import display_path
from eilint.loaders.files import exists
from eilint.loaders.files import forget_real_paths
from eilint.loaders.files import inside
from eilint.loaders.files import read_bytes
from eilint.loaders.files import read_source
from eilint.model.cluster import LoadProblem
from eilint.model.nginx import CERT_DIRECTIVES
from eilint.model.nginx import Directive
from eilint.model.nginx import NginxConfig
from eilint.model.nginx import walk

NGINX_NODE = "nginx"
_ERROR_SUFFIX = re.compile(r"\s+in\s+\S+:\d+$")
_DUMP_MARKER = re.compile(r"^# configuration file (.+):$")
_GLOB_MAGIC = re.compile(r"[*?\[]")
MODULES = re.compile(r"(^|/)modules-(enabled|available)/")
_MAX_LINKS = 40
# An include fan-out (a file including another twice, that one twice, ...) grows
# exponentially without any cycle; stop inlining past this many directives.
MAX_DIRECTIVES = 100_000
# Real configs nest http > server > location > if: four or five levels. Blocks
# and includes are inlined (and walked by rules) recursively: bound the depth
# so a hostile file cannot exhaust the stack (issue #8).
MAX_NESTING = 50
MAX_INCLUDE_DEPTH = 16
BOM = (
    "a UTF-8 byte order mark starts the file: nginx reads it as part of the first "
    "directive's name (unknown directive); save the file without a BOM"
)


class NginxInputError(Exception):
    """The ``--nginx`` path is not an nginx tree at all (a usage error)."""


def find_main(path: Path) -> Path | None:
    """Return the main file for ``--nginx``: the file itself or DIR/nginx.conf."""
    if path.is_file():
        return path
    candidate = path / "nginx.conf"
    return candidate if candidate.is_file() else None


def vhost_files(path: Path) -> list[Path]:
    """Return the ``*.conf`` vhost files of a directory given without nginx.conf."""
    return sorted(p for p in path.glob("*.conf") if p.is_file())


def http_files(path: Path) -> tuple[list[Path], bool]:
    """Return what a directory without nginx.conf holds for the http context.

    The second value is True for an /etc/nginx (``conf.d/*.conf`` or
    ``sites-enabled/*``, which the stock nginx.conf includes), False for a
    directory of vhost files. Links count even when broken: they are reported.
    """
    stock = sorted(
        p
        for p in (*path.glob("conf.d/*.conf"), *path.glob("sites-enabled/*"))
        if p.is_file() or p.is_symlink()
    )
    if stock:
        return stock, True
    return vhost_files(path), False


_MAIN_BLOCK = re.compile(r"^\s*(events|http|stream|mail)\s*\{", re.M)


def is_main_file(path: Path) -> bool:
    """Return True for an nginx.conf (by name or main-context blocks), not a vhost."""
    if path.name == "nginx.conf":
        return True
    try:
        text = read_bytes(path).decode("utf-8", errors="replace")
    except Unreadable:
        return True  # reported as unreadable by the main-file path
    return _MAIN_BLOCK.search(text) is not None


class _Resolved(Struct, frozen=True):
    """What an include pattern names: files (key, display path) or why none."""

    files: tuple[tuple[str, str], ...] = ()
    missing: str | None = None


class _TreeSource:
    """Files of an nginx tree on disk; absolute paths are re-rooted under it."""

    def __init__(self, root: Path, vhosts: bool = False) -> None:
        self.root = Path(os.path.realpath(root))
        self.vhosts = vhosts

    def resolve(self, pattern: str) -> _Resolved:
        if MODULES.search(pattern):
            # Dynamic modules (Debian's modules-enabled/*.conf, links into
            # /usr/share) hold load_module lines only: out of eilint's scope.
            return _Resolved()
        base = self._rerooted(pattern)
        if _GLOB_MAGIC.search(pattern):
            return self._glob(base)
        if base is None:
            return _Resolved(missing=f"{pattern} is not in the nginx tree")
        path = self.root / base
        if not exists(path):
            return _Resolved(missing=f"{pattern} does not exist{self._why_missing()}")
        key, display = self.entry(path)
        if not inside(key, self.root):
            return _Resolved(missing=f"{pattern} lies outside the nginx tree")
        return _Resolved(((key, display),))

    def _glob(self, base: str | None) -> _Resolved:
        # Like nginx: a glob that matches nothing is no error, even when its
        # directory is absent (git keeps no empty directories).
        if base is None:
            return _Resolved()
        matches = sorted(glob.glob(glob.escape(str(self.root)) + "/" + base))
        return _Resolved(tuple(self.entry(Path(m)) for m in matches))

    def entry(self, path: Path) -> tuple[str, str]:
        """Return (file to read, path to show) for a file the tree names.

        A link with an absolute target (Debian's ``sites-enabled/ei`` ->
        ``/etc/nginx/sites-available/ei``) is re-rooted under the tree as
        includes are; the link's own path is shown, as nginx shows it.
        """
        return str(self._follow(path)), display_path(path)

    def _follow(self, path: Path) -> Path:
        for _ in range(_MAX_LINKS):
            if not path.is_symlink():
                return path
            target = os.readlink(path)
            if not target.startswith("/"):
                path = path.parent / target
                continue
            rel = self._rerooted(target)
            if rel is None:
                return path  # read_source refuses it: a link out of the tree
            path = self.root / rel
        return path

    def _why_missing(self) -> str:
        if not self.vhosts:
            return ""
        # nginx resolves relative includes against its conf prefix, which a
        # directory of vhost files alone does not show.
        return " in the vhost directory; give --nginx the directory with nginx.conf"

    def _rerooted(self, pattern: str) -> str | None:
        """Return the pattern relative to the root, or None when nothing fits.

        A relative pattern is relative to the conf prefix (the tree's root). An
        absolute one (``/etc/nginx/conf.d/*.conf``) is tried with ever fewer
        leading components until its directory exists in the tree: a copied tree
        is never read outside itself.
        """
        if not pattern.startswith("/"):
            return pattern
        parts = [p for p in pattern.split("/") if p]
        for start in range(len(parts)):
            rel = "/".join(parts[start:])
            parent = os.path.dirname(rel)
            if _GLOB_MAGIC.search(parent):
                continue
            if exists(self.root / rel) or (parent and (self.root / parent).is_dir()):
                return rel
        return None

    def read(self, key: str) -> str:
        data = read_source(SourceFile(Path(key), display_path(Path(key)), self.root))
        return data.decode("utf-8", errors="replace")

    def file_state(self, target: str) -> bool | None:
        """Return True/False when the tree holds the file's directory, else None."""
        rel = self._rerooted(target)
        if rel is None:
            return None
        if exists(self.root / rel):
            return True
        parent = os.path.dirname(rel)
        if not parent:
            # A relative name sits in the conf prefix, which the tree is.
            return False if not target.startswith("/") else None
        return False if (self.root / parent).is_dir() else None


class _DumpSource:
    """The files of an ``nginx -T`` dump, keyed by the absolute path nginx used."""

    def __init__(self, sections: dict[str, str]) -> None:
        self.sections = sections
        first = next(iter(sections), "/")
        self.prefix = os.path.dirname(first)

    def resolve(self, pattern: str) -> _Resolved:
        full = os.path.normpath(os.path.join(self.prefix, pattern))
        if _GLOB_MAGIC.search(pattern):
            depth = full.count("/")
            matches = sorted(
                p
                for p in self.sections
                if p.count("/") == depth and fnmatch.fnmatchcase(p, full)
            )
            return _Resolved(tuple((p, p) for p in matches))
        if full not in self.sections:
            return _Resolved(missing=f"{pattern} is not in the nginx -T output")
        return _Resolved(((full, full),))

    def read(self, key: str) -> str:
        return self.sections[key]

    def file_state(self, target: str) -> bool | None:
        return None  # a dump holds configuration files only, never certificates


_Source = _TreeSource | _DumpSource


class _Loader(Struct):
    """Parses files on demand (once each) and inlines includes with a cycle guard."""

    source: _Source
    tmp: Path
    problems: list[LoadProblem] = field(default_factory=list)
    files: set[str] = field(default_factory=set)
    parsed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    resolved: dict[str, _Resolved] = field(default_factory=dict)
    count: int = 0
    truncated: bool = False

    def load_file(
        self, key: str, display: str, active: tuple[str, ...], where: Location | None
    ) -> tuple[Directive, ...]:
        raw = self._parsed(key, display, where)
        if raw is None:
            return ()
        self.files.add(display)
        return tuple(self._directive(d, display, (*active, key)) for d in raw)

    def _parsed(
        self, key: str, display: str, where: Location | None
    ) -> list[dict[str, Any]] | None:
        if key in self.parsed:
            return self.parsed[key]
        try:
            text = self.source.read(key)
        except Unreadable as exc:
            at = where or Location(display, None, None, NGINX_NODE)
            message = f"nginx file {display} cannot be read: {exc}"
            self.problems.append(LoadProblem("EIL005", message, at))
            self.parsed[key] = []
            return None
        if text.startswith("\ufeff"):
            # nginx reads the mark as part of the first directive's name and
            # refuses the file; the rest of eilint still sees that directive.
            text = text[1:]
            at = Location(display, 1, 1, NGINX_NODE)
            self.problems.append(LoadProblem("NGX007", BOM, at))
        payload = _parse_text(text, self.tmp / f"f{len(self.parsed)}.conf")
        self.problems.extend(_error_problems(payload, display))
        parsed = payload["config"][0].get("parsed") or []
        if _nesting(parsed) > MAX_NESTING:
            message = f"blocks nested deeper than {MAX_NESTING} levels; file not used"
            at = Location(display, None, None, NGINX_NODE)
            self.problems.append(LoadProblem("EIL003", message, at))
            parsed = []
        self.parsed[key] = parsed
        return self.parsed[key]

    def _directive(
        self, raw: dict[str, Any], path: str, active: tuple[str, ...]
    ) -> Directive:
        self.count += 1
        name = str(raw["directive"])
        where = Location(path, raw.get("line"), None, NGINX_NODE, name)
        args = tuple(str(a) for a in raw.get("args") or ())
        if name == "#":
            args = (str(raw.get("comment", "")),)
        block: tuple[Directive, ...] | None = None
        if "block" in raw:
            block = tuple(self._directive(c, path, active) for c in raw["block"])
        elif name == "include" and args:
            block = self._include(args[0], where, active)
        return Directive(name, args, where, block)

    def _include(
        self, pattern: str, where: Location, active: tuple[str, ...]
    ) -> tuple[Directive, ...]:
        if self.count > MAX_DIRECTIVES:
            self._too_many(where)
            return ()
        if len(active) > MAX_INCLUDE_DEPTH:
            message = f"includes nested deeper than {MAX_INCLUDE_DEPTH} files"
            self.problems.append(LoadProblem("EIL006", message, where))
            return ()
        resolved = self.resolved.get(pattern)
        if resolved is None:
            resolved = self.resolved[pattern] = self.source.resolve(pattern)
        if resolved.missing is not None:
            message = f"included file cannot be opened: {resolved.missing}"
            self.problems.append(LoadProblem("EIL006", message, where))
            return ()
        children: list[Directive] = []
        for key, display in resolved.files:
            if key in active:
                message = f"include cycle: {display} includes itself again"
                self.problems.append(LoadProblem("EIL006", message, where))
            elif self.count > MAX_DIRECTIVES:
                self._too_many(where)
            else:
                children.extend(self.load_file(key, display, active, where))
        return tuple(children)

    def _too_many(self, where: Location) -> None:
        if not self.truncated:
            self.truncated = True
            message = (
                f"includes expand to more than {MAX_DIRECTIVES} directives; "
                "the rest is not inlined"
            )
            self.problems.append(LoadProblem("EIL006", message, where))


def _nesting(parsed: list[dict[str, Any]]) -> int:
    """Return the block depth of a crossplane tree, without recursion."""
    deepest = 0
    stack = [(d, 1) for d in parsed]
    while stack:
        raw, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in raw.get("block") or ())
    return deepest


def _parse_text(text: str, scratch: Path) -> dict[str, Any]:
    import crossplane

    # crossplane takes a path only; it parses our copy of the text, so whatever
    # the original was (a FIFO, a device, a huge file) was already refused.
    scratch.write_text(text, encoding="utf-8")
    return crossplane.parse(  # type: ignore[no-any-return]
        str(scratch),
        catch_errors=True,
        single=True,
        comments=True,
        check_ctx=False,
        check_args=False,
    )


def _error_problems(payload: dict[str, Any], display: str) -> list[LoadProblem]:
    problems = []
    for err in payload.get("errors", []):
        text = _ERROR_SUFFIX.sub("", str(err.get("error", "parse error")))
        where = Location(display, err.get("line"), None, NGINX_NODE)
        problems.append(LoadProblem("EIL003", text, where))
    return problems


def load_nginx(path: Path) -> tuple[NginxConfig, list[LoadProblem]]:
    """Load an nginx tree (see the module docstring for the layouts understood)."""
    forget_real_paths()
    with tempfile.TemporaryDirectory(prefix="eilint-nginx-") as tmp:
        config, problems = _load_layout(path, Path(tmp))
    # A main file crossplane could not parse is reported (EIL003) and may be lost
    # whole: its missing events block is no news then.
    broken = any(p.where.path == config.main for p in problems if p.rule_id == "EIL003")
    from eilint.loaders.nginx_directives import check_directives

    problems.extend(check_directives(config, events=not broken))
    return config, problems


def _load_layout(path: Path, tmp: Path) -> tuple[NginxConfig, list[LoadProblem]]:
    main = find_main(path)
    if main is not None:
        sections = _dump_sections(main)
        if sections:
            return _load_dump(main, sections, tmp)
        if path.is_file() and not is_main_file(path):
            return _load_vhosts(path.parent, [path], tmp)
        return _load_main(Path(os.path.realpath(main)), tmp)
    files, stock = http_files(path) if path.is_dir() else ([], False)
    if not files:
        raise NginxInputError(
            f"{path}: no nginx.conf, conf.d/*.conf, sites-enabled/* or *.conf files"
        )
    config, problems = _load_vhosts(path, files, tmp)
    if stock:
        problems.append(_stock_note(path, files))
    return config, problems


def _stock_note(path: Path, files: list[Path]) -> LoadProblem:
    read = sorted({f.parent.name for f in files})
    message = (
        f"{display_path(path)} holds no nginx.conf: "
        f"{' and '.join(d + '/' for d in read)} files are read in nginx's http "
        "context, as the stock nginx.conf includes them"
    )
    return LoadProblem("NGX008", message, top_location(display_path(path)))


def _dump_sections(main: Path) -> dict[str, str]:
    """Split ``nginx -T`` output into files; {} when ``main`` is no such dump."""
    try:
        text = read_bytes(main).decode("utf-8", errors="replace")
    except Unreadable:
        return {}
    lines = text.splitlines()
    head = next((ln for ln in lines if ln.strip() and not ln.startswith("nginx: ")), "")
    if not _DUMP_MARKER.match(head):
        return {}
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        marker = _DUMP_MARKER.match(line)
        if marker:
            # nginx dumps each file once; keep the first should a path repeat.
            name = marker.group(1)
            current = None if name in sections else sections.setdefault(name, [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines) + "\n" for name, lines in sections.items()}


def _finish(
    loader: _Loader, main: str, directives: tuple[Directive, ...]
) -> NginxConfig:
    files = {
        target: state
        for target in _referenced_files(directives)
        if (state := loader.source.file_state(target)) is not None
    }
    return NginxConfig(main, directives, tuple(sorted(loader.files)), files)


def _referenced_files(directives: tuple[Directive, ...]) -> set[str]:
    return {
        d.args[0]
        for _, d in walk(directives)
        if d.name in CERT_DIRECTIVES
        and d.args
        and "$" not in d.args[0]
        and not d.args[0].startswith(("data:", "engine:"))
    }


def _load_main(main: Path, tmp: Path) -> tuple[NginxConfig, list[LoadProblem]]:
    loader = _Loader(_TreeSource(main.parent), tmp)
    directives = loader.load_file(str(main), display_path(main), (), None)
    return _finish(loader, display_path(main), directives), loader.problems


def _load_dump(
    dump: Path, sections: dict[str, str], tmp: Path
) -> tuple[NginxConfig, list[LoadProblem]]:
    loader = _Loader(_DumpSource(sections), tmp)
    first = next(iter(sections))
    directives = loader.load_file(first, first, (), None)
    return _finish(loader, display_path(dump), directives), loader.problems


def _load_vhosts(
    root: Path, vhosts: list[Path], tmp: Path
) -> tuple[NginxConfig, list[LoadProblem]]:
    # Vhost files live in nginx's http context; wrap them in a synthetic http block
    # so rules see the same shape as with a full nginx.conf.
    source = _TreeSource(root, vhosts=True)
    loader = _Loader(source, tmp)
    children: list[Directive] = []
    for vhost in vhosts:
        key, display = source.entry(vhost)
        block = loader.load_file(key, display, (), None)
        children.append(
            Directive("include", (vhost.name,), top_location(display), block)
        )
    http = Directive("http", (), top_location(display_path(root)), tuple(children))
    return _finish(loader, display_path(root), (http,)), loader.problems


def top_location(path: str) -> Location:
    return Location(path, None, None, NGINX_NODE)
