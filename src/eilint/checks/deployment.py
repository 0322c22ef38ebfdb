"""DEP checks (see rules/ for the catalog)."""

from __future__ import annotations

from eilint.checks.base import Check

CHECKS: dict[str, Check] = {}
