"""What a fix producer sees: the cluster and the files it may edit, as spans."""

from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Mapping
from pathlib import Path

from eilint.config import is_remote
from eilint.findings import Finding
from eilint.fix.edits import Edit
from eilint.fix.edits import Fix
from eilint.fix.nginxspans import NginxSyntax
from eilint.fix.nginxspans import NgxFile
from eilint.fix.nginxspans import parse_nginx
from eilint.fix.xmlspans import SpanDoc
from eilint.fix.xmlspans import parse_spans
from eilint.loaders.files import Unreadable
from eilint.loaders.files import read_bytes
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node


def _real(path: str) -> str:
    return os.path.realpath(path)


def _nginx_root(cluster: Cluster) -> str | None:
    """Return the nginx tree's directory, or None for an ``nginx -T`` dump."""
    if cluster.nginx is None:
        return None
    from eilint.loaders.nginx import _dump_sections

    main = Path(cluster.nginx.main)
    if main.is_dir():
        return _real(str(main))
    if _dump_sections(main):
        return None  # the dump's files are copies of a live server's: not editable
    return _real(str(main.parent))


class FixContext:
    """The cluster plus cached file bytes and spans; only files inside the local
    trees given (node directories, the nginx tree) can be edited."""

    def __init__(
        self, cluster: Cluster, options: Mapping[str, Mapping[str, object]]
    ) -> None:
        self.cluster = cluster
        # eilint.yaml's rule options (REG001's writer).
        self.options = options
        roots = [_real(n.root) for n in cluster.nodes if not is_remote(n.root)]
        nginx = _nginx_root(cluster)
        self.roots = tuple(
            r.rstrip("/") + "/" for r in [*roots, *([nginx] if nginx else [])]
        )
        self._data: dict[str, bytes | None] = {}
        self._xml: dict[str, SpanDoc | None] = {}
        self._nginx: dict[str, NgxFile | None] = {}

    def editable(self, path: str) -> bool:
        """Say whether ``path`` (a display path) lies in a local tree given."""
        if path.startswith("<") or is_remote(path):
            return False
        if os.path.lexists(path):
            where = _real(path)  # a symlink leading out of the tree is not edited
        else:
            where = _real(os.path.dirname(path) or ".") + "/"
        return any(where.startswith(r) for r in self.roots)

    def data(self, path: str) -> bytes | None:
        """Return a file's bytes (None: absent, unreadable or not editable)."""
        if path not in self._data:
            content = None
            if self.editable(path):
                try:
                    content = read_bytes(Path(path))
                except Unreadable:
                    content = None
            self._data[path] = content
        return self._data[path]

    def xml(self, path: str) -> SpanDoc | None:
        """Return a file's XML spans (None when fixes cannot be placed exactly)."""
        if path not in self._xml:
            data = self.data(path)
            self._xml[path] = parse_spans(data) if data is not None else None
        return self._xml[path]

    def nginx(self, path: str) -> NgxFile | None:
        """Return an nginx file's directive spans."""
        if path not in self._nginx:
            data = self.data(path)
            try:
                self._nginx[path] = parse_nginx(data) if data is not None else None
            except NginxSyntax:
                self._nginx[path] = None
        return self._nginx[path]

    def node(self, name: str | None) -> Node | None:
        """Return a node by name."""
        return self.cluster.node(name) if name else None


Producer = Callable[[Finding, FixContext], Fix | None]


def valid(fix: Fix, ctx: FixContext) -> bool:
    """Check every edit: an editable file, a span inside it, a new file created."""
    for edit in fix.edits:
        if not ctx.editable(edit.path):
            return False
        if edit.create:
            if os.path.lexists(edit.path) or (edit.start, edit.end) != (0, 0):
                return False
            continue
        data = ctx.data(edit.path)
        if data is None or not 0 <= edit.start <= edit.end <= len(data):
            return False
    return True


def replace_span(path: str, start: int, end: int, text: str) -> Edit:
    """Return an edit; a shorthand the producers share."""
    return Edit(path, start, end, text)
