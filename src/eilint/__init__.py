"""eilint: lint WSO2 EI 6.3.0 business-process clusters and their nginx."""

from __future__ import annotations

__version__ = "0.1.0"
# The project's repository, as pyproject.toml's [project.urls] names it (tested):
# SARIF's informationUri and helpUri, and the docs eilint init points at.
REPOSITORY = "https://github.com/eilint/eilint"
