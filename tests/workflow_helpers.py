"""Helpers for the operator-workflow tests: a config repo and an in-process CLI."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner
from typer.testing import Result

from eilint.cli import app
from tests.conftest import FIXTURES
from tests.conftest import REPO

THREE_NODES = FIXTURES / "REG001" / "pass_one_writer"
GOOD_NGINX = REPO / "sample-configs" / "good" / "nginx"
MASTER_DATASOURCES = (
    REPO
    / "sample-configs/good/ei-node1/wso2/business-process/conf/datasources"
    / "master-datasources.xml"
)
MANIFEST = """\
cluster: bps-test
nodes:
  - name: node1
    path: node1
    address: 10.0.0.11
  - name: node2
    path: node2
  - name: node3
    path: node3
nginx: nginx
select: [REG, EIL]
"""
CLEAN_ENV = {"GITHUB_ACTIONS": "", "NO_COLOR": "1", "COLUMNS": "200"}


def make_repo(root: Path, manifest: str | None = MANIFEST) -> Path:
    """Build a three-node config repo (registry.xml each, nginx) with a manifest."""
    root.mkdir(parents=True, exist_ok=True)
    for node in ("node1", "node2", "node3"):
        shutil.copytree(THREE_NODES / node, root / node)
        # The registry rules read the datasources too (REG010, REG012): without
        # them EIL030 would say these nodes were not fully checked.
        (root / node / "datasources").mkdir()
        shutil.copy(MASTER_DATASOURCES, root / node / "datasources")
    if GOOD_NGINX.is_dir():
        shutil.copytree(GOOD_NGINX, root / "nginx")
    else:
        (root / "nginx").mkdir()
        (root / "nginx" / "nginx.conf").write_text("events {}\nhttp {}\n")
    if manifest is not None:
        (root / "eilint.yaml").write_text(manifest)
    return root


def set_read_only(path: Path, value: str) -> None:
    """Rewrite the remoteInstance readOnly of a registry.xml (a one-line change)."""
    text = path.read_text()
    head, sep, tail = text.partition("<remoteInstance")
    body, end, rest = tail.partition("</remoteInstance>")
    start = body.index("<readOnly>")
    stop = body.index("</readOnly>")
    body = body[: start + len("<readOnly>")] + value + body[stop:]
    path.write_text(head + sep + body + end + rest)


def eilint(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """Run the real CLI in-process from ``cwd``."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, list(args), env={**CLEAN_ENV, **(env or {})})
    finally:
        os.chdir(old)


def findings(result: Result) -> list[tuple[Any, ...]]:
    """Return (rule, path, line, node) of a JSON report, sorted."""
    data = json.loads(result.stdout)
    return sorted(
        (f["rule"], f["location"]["path"], f["location"]["line"], f["node"])
        for f in data["findings"]
    )
