"""Load an nginx tree with crossplane, inlining includes ourselves (STYLE.md 3.1)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from eilint.findings import Location
from eilint.loaders.files import display_path
from eilint.model.cluster import LoadProblem
from eilint.model.nginx import Directive
from eilint.model.nginx import NginxConfig

NGINX_NODE = "nginx"
_ERROR_SUFFIX = re.compile(r"\s+in\s+\S+:\d+$")


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


@dataclass
class _Inliner:
    configs: list[dict[str, Any]]
    problems: list[LoadProblem] = field(default_factory=list)
    files: set[str] = field(default_factory=set)

    def config_path(self, index: int) -> str:
        return display_path(Path(os.path.realpath(self.configs[index]["file"])))

    def inline(self, index: int, active: tuple[int, ...]) -> tuple[Directive, ...]:
        path = self.config_path(index)
        self.files.add(path)
        parsed = self.configs[index].get("parsed") or []
        return tuple(self._directive(d, path, (*active, index)) for d in parsed)

    def _directive(
        self, raw: dict[str, Any], path: str, active: tuple[int, ...]
    ) -> Directive:
        where = Location(path, raw.get("line"), None, NGINX_NODE, raw["directive"])
        block: tuple[Directive, ...] | None = None
        if "block" in raw:
            block = tuple(self._directive(c, path, active) for c in raw["block"])
        elif raw["directive"] == "include" and "includes" in raw:
            block = self._include(raw, where, active)
        args = tuple(raw.get("args") or ())
        if raw["directive"] == "#":
            args = (raw.get("comment", ""),)
        return Directive(raw["directive"], args, where, block)

    def _include(
        self, raw: dict[str, Any], where: Location, active: tuple[int, ...]
    ) -> tuple[Directive, ...]:
        children: list[Directive] = []
        for index in raw["includes"]:
            if index in active:
                cycle = self.config_path(index)
                message = f"include cycle: {cycle} includes itself again"
                self.problems.append(LoadProblem("EIL006", message, where))
                continue
            children.extend(self.inline(index, active))
        return tuple(children)


def _parse(main: Path) -> dict[str, Any]:
    import crossplane

    return crossplane.parse(  # type: ignore[no-any-return]
        str(main),
        catch_errors=True,
        comments=True,
        check_ctx=False,
        check_args=False,
    )


def _error_problems(payload: dict[str, Any]) -> list[LoadProblem]:
    problems = []
    for err in payload.get("errors", []):
        text = _ERROR_SUFFIX.sub("", str(err.get("error", "parse error")))
        path = display_path(Path(os.path.realpath(err.get("file") or "")))
        rule = "EIL006" if "No such file" in text or "Errno" in text else "EIL003"
        if rule == "EIL006":
            text = "included file cannot be opened: " + text.split("]", 1)[-1].strip()
        where = Location(path, err.get("line"), None, NGINX_NODE)
        problems.append(LoadProblem(rule, text, where))
    return problems


def load_nginx(path: Path) -> tuple[NginxConfig, list[LoadProblem]]:
    """Load ``nginx.conf`` (or a directory of vhost files) into the model."""
    main = find_main(path)
    if main is not None:
        return _load_main(Path(os.path.realpath(main)))
    vhosts = vhost_files(path) if path.is_dir() else []
    if not vhosts:
        raise NginxInputError(f"{path}: no nginx.conf and no *.conf files")
    return _load_vhosts(path, vhosts)


def _load_main(main: Path) -> tuple[NginxConfig, list[LoadProblem]]:
    payload = _parse(main)
    inliner = _Inliner(payload["config"])
    directives = inliner.inline(0, ())
    problems = _error_problems(payload) + inliner.problems
    config = NginxConfig(display_path(main), directives, tuple(sorted(inliner.files)))
    return config, problems


def _load_vhosts(
    root: Path, vhosts: list[Path]
) -> tuple[NginxConfig, list[LoadProblem]]:
    # Vhost files live in nginx's http context; wrap them in a synthetic http block
    # so rules see the same shape as with a full nginx.conf.
    children: list[Directive] = []
    problems: list[LoadProblem] = []
    files: set[str] = set()
    for vhost in vhosts:
        config, found = _load_main(Path(os.path.realpath(vhost)))
        children.append(
            Directive("include", (vhost.name,), _top(config.main), config.directives)
        )
        problems.extend(found)
        files.update(config.files)
    http = Directive("http", (), _top(display_path(root)), tuple(children))
    return NginxConfig(display_path(root), (http,), tuple(sorted(files))), problems


def _top(path: str) -> Location:
    return Location(path, None, None, NGINX_NODE)
