"""Run eilint as ``python -m eilint``."""

from __future__ import annotations

from eilint.entry import main

main()
