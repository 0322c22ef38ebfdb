"""eilint: lint WSO2 EI 6.3.0 business-process clusters and their nginx."""

from __future__ import annotations

__version__ = "0.1.0"
