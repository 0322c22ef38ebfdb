"""Facts about EI releases and file formats, kept as data (JSON beside this file)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Return a packaged facts file (``ei-versions``), parsed once per process."""
    # Beside this module in the checkout and in the wheel alike (package data).
    text = (Path(__file__).parent / f"{name}.json").read_text(encoding="utf-8")
    facts: dict[str, Any] = json.loads(text)
    return facts
