"""The pre-commit hook, run by the real ``pre-commit`` against a config repo.

The hook source is a temporary git repository holding this checkout's package
(so uncommitted work is what gets tested); pre-commit installs it into its own
virtualenv with pip, which needs only the package index.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.workflow_helpers import make_repo
from tests.workflow_helpers import set_read_only

PACKAGE_FILES = (
    "pyproject.toml",
    "README.md",
    ".pre-commit-hooks.yaml",
    "hatch_build.py",
)
PACKAGE_DIRS = ("src", "rules", "schemas")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "eilint tests",
    "GIT_AUTHOR_EMAIL": "tests@eilint.invalid",
    "GIT_COMMITTER_NAME": "eilint tests",
    "GIT_COMMITTER_EMAIL": "tests@eilint.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed"
)


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def _commit_all(cwd: Path, message: str) -> str:
    _git(cwd, "add", ".")
    _git(cwd, "commit", "-q", "-m", message)
    return _git(cwd, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repo with this checkout's package and hook manifest; its HEAD."""
    root = tmp_path_factory.mktemp("hook-source")
    for name in PACKAGE_FILES:
        shutil.copy2(REPO / name, root / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_data")
    for name in PACKAGE_DIRS:
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    _git(root, "init", "-q", "-b", "main")
    return root, _commit_all(root, "eilint hook source")


def _pre_commit(cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("pre_commit")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )


def test_hook_fails_on_a_broken_change_and_passes_on_a_good_one(
    hook_repo: tuple[Path, str], tmp_path: Path
) -> None:
    source, rev = hook_repo
    repo = make_repo(tmp_path / "cluster")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n      - id: eilint\n"
    )
    (repo / "NOTES.md").write_text("cluster notes\n")
    _git(repo, "init", "-q", "-b", "main")
    _commit_all(repo, "three nodes and a manifest")
    home = tmp_path / "pre-commit-home"

    # A change to no config file: the hook does not even run.
    (repo / "NOTES.md").write_text("cluster notes, edited\n")
    _git(repo, "add", "NOTES.md")
    skipped = _pre_commit(repo, home)
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "Skipped" in skipped.stdout
    _git(repo, "commit", "-q", "-m", "notes")

    # A broken change: a second read-write registry writer.
    set_read_only(repo / "node2" / "registry.xml", "false")
    _git(repo, "add", "node2/registry.xml")
    broken = _pre_commit(repo, home)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "REG001" in broken.stdout
    assert "Failed" in broken.stdout

    # The good change: back to read-only, with a harmless edit in the same file.
    set_read_only(repo / "node2" / "registry.xml", "true")
    path = repo / "node2" / "registry.xml"
    path.write_text(path.read_text() + "<!-- reviewed -->\n")
    _git(repo, "add", "node2/registry.xml")
    good = _pre_commit(repo, home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def test_hook_manifest_is_valid_and_offline() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    (hook,) = clientlib.load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "eilint"
    assert hook["pass_filenames"] is False
    assert "--offline" in hook["entry"].split()
    files = re.compile(hook["files"])
    for changed in (
        "ei-node1/conf/registry.xml",
        "nginx/conf.d/ei.conf",
        "eilint.yaml",
        "ei-node1/lib/mysql-connector-java-5.1.49.jar",
        "ei-node1/wso2/business-process/repository/deployment/server/bpel/P.zip",
        "ei-node1/bin/business-process.sh",
        "lb/etc/nginx/sites-enabled/ei",  # Debian vhost: no extension
        "lb/etc/nginx/sites-available/ei-https",
        "sites-enabled/default",
        "nginx/ssl/ei.example.com.pem",
        "nginx/mime.types",
        "lb/proxy_params",
        "certs/server.crt",
        "certs/server.key",
        "ei-node1/repository/resources/security/wso2carbon.jks",
        "ei-node1/wso2/business-process/repository/tenants/1/bpel/P.zip",
        "templates/ei-node1/carbon.xml.j2",
        "templates/ei.http.conf.j2",
        ".eilint.yaml",
        "configs/node2/.eilint-snapshot.json",
    ):
        assert files.search(changed), changed
    for other in (
        "README.md",
        "docs/runbook.txt",
        "ei-node1/notes.jar.txt",
        "scripts/deploy.py",
        "ansible/inventory.ini",
    ):
        assert not files.search(other), other


def test_hook_takes_symlinked_config_files(tmp_path: Path) -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    run = pytest.importorskip("pre_commit.commands.run")
    (hook,) = clientlib.load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    available = tmp_path / "nginx" / "sites-available"
    enabled = tmp_path / "nginx" / "sites-enabled"
    available.mkdir(parents=True)
    enabled.mkdir()
    (available / "ei").write_text("server { listen 80; }\n")
    (enabled / "ei").symlink_to("../sites-available/ei")
    names = ["nginx/sites-available/ei", "nginx/sites-enabled/ei", "NOTES.md"]
    (tmp_path / "NOTES.md").write_text("notes\n")
    old = Path.cwd()
    os.chdir(tmp_path)  # pre-commit classifies paths relative to the repository
    try:
        classifier = run.Classifier(names)
        files = re.compile(hook["files"])
        chosen = [
            name
            for name in classifier.by_types(
                names, hook["types"], hook["types_or"], hook["exclude_types"]
            )
            if files.search(name)
        ]
    finally:
        os.chdir(old)
    assert chosen == ["nginx/sites-available/ei", "nginx/sites-enabled/ei"]
