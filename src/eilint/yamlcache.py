"""A parse cache for the rule catalog: YAML parsed once, then read back as JSON.

ruamel.yaml is pure Python here and parses the catalog (100+ kB) in about a
second, which would be most of a pre-commit run. The parsed document is kept as
JSON under ``$EILINT_CACHE_DIR`` (default ``$XDG_CACHE_HOME/eilint`` or
``~/.cache/eilint``; an empty value turns the cache off), one file per catalog
file, keyed by the SHA-256 of the YAML text: an edited file is parsed again. The
cache is only an accelerator: unreadable, stale or corrupt entries are ignored,
and failures to write are silent.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 1


def cache_dir() -> Path | None:
    """Return the cache directory, or None when caching is turned off."""
    configured = os.environ.get("EILINT_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"
    )
    return Path(base) / "eilint"


def _key(text: str) -> str:
    return f"{FORMAT}:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def get(name: str, text: str) -> Any | None:
    """Return the cached parse of ``text`` (stored under ``name``), if current."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with (folder / f"{name}.json").open(encoding="utf-8") as handle:
            entry = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != _key(text):
        return None
    return entry.get("doc")


def put(name: str, text: str, doc: Any) -> None:
    """Store the parse of ``text``; silently skip what cannot be stored."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        payload = json.dumps({"key": _key(text), "doc": doc})
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    except (OSError, TypeError, ValueError):
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(tmp, folder / f"{name}.json")
    except OSError:
        Path(tmp).unlink(missing_ok=True)
