"""Run eilint as ``python -m eilint``."""

from __future__ import annotations

from eilint.cli import main

main()
