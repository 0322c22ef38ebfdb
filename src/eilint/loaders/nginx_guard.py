"""Keep crossplane's file access inside the nginx tree, regular files only, bounded.

crossplane 0.5.8 opens files itself (``open()`` to probe an explicit include,
``lex()`` to read, ``glob.glob`` for patterns) with no hook to intercept them. An
untrusted tree could then make eilint block on a FIFO (``open()`` waits for a
writer), eat all memory on ``include /dev/zero;``, read ``/etc/passwd``, or walk
the whole filesystem with ``include /*/*/*;``. While ``guarded(root)`` is active,
those three names inside ``crossplane.parser`` go through ``read_bytes``: what
is outside ``root`` is not opened, specials and oversized files are refused, block
nesting and the total bytes read are capped. Limits are in the README.
"""

from __future__ import annotations

import errno
import glob as _glob
import io
import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from eilint.loaders.files import Unreadable
from eilint.loaders.files import display_path
from eilint.loaders.files import inside
from eilint.loaders.files import read_bytes

# Real load-balancer configs nest http > server > location > if/limit_except:
# four or five levels. crossplane parses blocks recursively, so depth is stack.
MAX_NGINX_DEPTH = 32
MAX_GLOB_MATCHES = 256
MAX_NGINX_FILE_BYTES = 1024 * 1024
MAX_NGINX_TOTAL_BYTES = 16 * 1024 * 1024


@dataclass
class _Guard:
    root: Path
    total: int = 0

    def read(self, name: str) -> bytes:
        """Read one file crossplane asks for, or raise an OSError saying why not."""
        path = Path(name)
        shown = display_path(path)
        if not inside(path, self.root):
            raise OSError(errno.EACCES, "outside the nginx tree, not followed", shown)
        try:
            data = read_bytes(path, MAX_NGINX_FILE_BYTES)
        except Unreadable as exc:
            raise OSError(errno.EINVAL, str(exc), shown) from None
        self.total += len(data)
        if self.total > MAX_NGINX_TOTAL_BYTES:
            why = f"nginx tree over the {MAX_NGINX_TOTAL_BYTES}-byte total limit"
            raise OSError(errno.EFBIG, why, shown)
        return data

    def probe(self, name: str, *args: object, **kwargs: object) -> io.StringIO:
        """Stand-in for crossplane's ``open(pattern).close()`` existence check."""
        self.read(str(name))
        return io.StringIO()

    def lex(self, name: str) -> Iterator[tuple[str, int, bool]]:
        """crossplane's ``lex()`` over bytes we read, with a nesting limit."""
        from crossplane.errors import NgxParserSyntaxError
        from crossplane.lexer import _balance_braces
        from crossplane.lexer import _lex_file_object

        text = self.read(name).decode("utf-8", "replace")
        tokens = _balance_braces(_lex_file_object(io.StringIO(text)), name)
        depth = 0
        for token, line, quoted in tokens:
            if not quoted and token in "{}":
                depth += 1 if token == "{" else -1
            if depth > MAX_NGINX_DEPTH:
                why = f"blocks nested deeper than {MAX_NGINX_DEPTH} levels"
                raise NgxParserSyntaxError(why, name, line)
            yield token, line, quoted

    def glob(self, pattern: str) -> list[str]:
        """``glob.glob`` limited to the tree and to MAX_GLOB_MATCHES files."""
        literal = pattern[: min(_magic_positions(pattern), default=len(pattern))]
        if not inside(Path(os.path.dirname(literal) or "."), self.root):
            return []  # never list directories outside the tree
        found = itertools.islice(_glob.iglob(pattern), 16 * MAX_GLOB_MATCHES)
        matches = [m for m in found if inside(Path(m), self.root)]
        return sorted(matches)[:MAX_GLOB_MATCHES]


def _magic_positions(pattern: str) -> list[int]:
    return [i for i, char in enumerate(pattern) if char in "*?["]


class _GlobModule:
    """What crossplane.parser uses of the ``glob`` module: has_magic and glob."""

    def __init__(self, guard: _Guard) -> None:
        self.has_magic = _glob.has_magic
        self.glob = guard.glob


@contextmanager
def guarded(root: Path) -> Iterator[None]:
    """Route crossplane's file access through the guard while parsing."""
    from crossplane import parser

    guard = _Guard(Path(os.path.realpath(root)))
    saved = parser.lex, parser.glob
    parser.lex = guard.lex
    parser.glob = _GlobModule(guard)
    parser.open = guard.probe  # shadows the builtin in that module only
    try:
        yield
    finally:
        parser.lex, parser.glob = saved
        del parser.open
