"""Pure, immutable model of a cluster; nothing here touches files or parsers."""

from __future__ import annotations
