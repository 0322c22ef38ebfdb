"""Facts about EI releases and file formats, kept as data (JSON beside this file)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Return a packaged facts file (``ei-versions``), parsed once per process."""
    from importlib import resources

    text = resources.files(__name__).joinpath(f"{name}.json").read_text("utf-8")
    facts: dict[str, Any] = json.loads(text)
    return facts
