"""Remote NODE arguments (``[NAME=][user@]host:/path``) and how to reach them.

Kept apart from ``remote`` (ssh, tar, the reader): a local check parses its
arguments with this module and never imports the fetching machinery.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from msgspec import Struct

from eilint.loaders.discover import NodeInputError
from eilint.loaders.discover import split_arg

# scp's rule: a colon before the first slash makes an argument remote. User and
# host may not start with "-", so neither can be read by ssh as an option.
_REMOTE = re.compile(
    r"^(?:(?P<user>[A-Za-z0-9._][A-Za-z0-9._-]*)@)?"
    r"(?P<host>[A-Za-z0-9_][A-Za-z0-9._-]*|\[[0-9A-Fa-f:.]+\]):(?P<path>.*)$"
)


class RemoteSettings(Struct, frozen=True):
    """How to reach remote nodes: parallelism, per-node deadline, ssh config."""

    jobs: int = 4
    timeout: float = 60.0
    ssh_config: Path | None = None
    progress: bool = False


class RemoteTarget(Struct, frozen=True):
    """A remote NODE argument: node name, ssh destination and absolute path.

    ``host`` is empty for a local tree read the same way (``eilint snapshot``).
    """

    name: str
    user: str | None
    host: str
    path: str

    @property
    def destination(self) -> str:
        """Return ``user@host`` or ``host`` for ssh (IPv6 without brackets)."""
        host = self.host.strip("[]")
        return f"{self.user}@{host}" if self.user else host

    @property
    def shown(self) -> str:
        """Return ``host:/path``: how the node's files appear in every output."""
        return f"{self.host}:{self.path}" if self.host else self.path

    @property
    def uri(self) -> str:
        """Return a stable ``ssh://host/path`` URI (no user: it varies by operator)."""
        return f"ssh://{self.host}{self.path}"


def parse_target(arg: str) -> RemoteTarget | None:
    """Return the remote target of a NODE argument, or None for a local path."""
    name, raw = split_arg(arg)
    match = _REMOTE.match(raw)
    if match is None:
        return None
    path = match["path"]
    if not path.startswith("/"):
        raise NodeInputError(
            f"{arg}: a remote path must be absolute (host:/opt/ei); "
            "write ./PATH for a local path with a colon"
        )
    path = posixpath.normpath(path)
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    host = match["host"]
    return RemoteTarget(name or host.strip("[]"), match["user"], host, path)
