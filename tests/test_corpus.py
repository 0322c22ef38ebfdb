"""The bad-input corpus (tests/corpus/, issue #8) through the real CLI.

Every case is copied to a fresh directory (with ``outside/`` beside it holding
canary files the case must never read), set up (FIFOs, symlinks, directories,
unreadable files, generated huge files) and run as a subprocess in every output
format, bounded in time and memory. Each run must: exit as the case says (1, or
2 with one ``eilint:`` line on stderr), print no traceback, report the expected
findings (rule, file, line), never show a planted secret or canary, and (under
strace) open nothing outside the tree and make no network call.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from ruamel.yaml import YAML

from tests.corpus import generators
from tests.corpus.harness import CORPUS_FORMATS
from tests.corpus.harness import STRACE
from tests.corpus.harness import Run
from tests.corpus.harness import one_line_error
from tests.corpus.harness import outside_access
from tests.corpus.harness import relative
from tests.corpus.harness import run_cli
from tests.corpus.harness import tracebacks
from tests.corpus.harness import unprivileged

CORPUS = Path(__file__).resolve().parent / "corpus"
CANARY = "PLANTED-OUTSIDE-CANARY-5e1d"
# Never in any output: planted secrets, the canary beside the tree, /etc/passwd.
FORBIDDEN = re.compile(rf"PLANTED-SECRET-[\w-]+|{CANARY}|root:x:0:0")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def cases() -> list[Path]:
    """Every corpus case directory (one with a case.yaml)."""
    return sorted(p.parent for p in CORPUS.glob("*/case.yaml"))


def load_case(case: Path) -> dict[str, Any]:
    """Read a case.yaml."""
    return YAML(typ="safe").load((case / "case.yaml").read_text()) or {}


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A fresh directory for one case (removed afterwards, modes restored)."""
    base = Path(tempfile.mkdtemp(prefix="corpus-run-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        for path in base.rglob("*"):
            if not path.is_symlink() and path.exists() and not path.is_dir():
                path.chmod(0o644)
        shutil.rmtree(base, ignore_errors=True)


def _outside(base: Path) -> Path:
    outside = base / "outside"
    outside.mkdir()
    for name in ("canary.txt", "canary.dtd", "canary.conf"):
        (outside / name).write_text(f"{CANARY}\n")
    return outside


def materialise(case: Path, meta: dict[str, Any], base: Path) -> Path:
    """Copy a case into ``base/case`` and apply its ``setup`` and ``generate``."""
    outside = _outside(base)
    tree = base / "case"
    shutil.copytree(case, tree, ignore=shutil.ignore_patterns("case.yaml"))
    for path in tree.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if b"@OUTSIDE@" in data:
                path.write_bytes(data.replace(b"@OUTSIDE@", str(outside).encode()))
    for rel, name in (meta.get("generate") or {}).items():
        made = generators.GENERATORS[name]()
        # A generator makes one file, or a directory of them (a dict).
        files = made if isinstance(made, dict) else {"": made}
        for sub, data in files.items():
            target = tree / rel / sub if sub else tree / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    _setup(tree, meta.get("setup") or {})
    for path in [tree, *tree.rglob("*")]:
        if not path.is_symlink() and path.is_dir():
            path.chmod(0o755)
    for rel in (meta.get("setup") or {}).get("unreadable", []):
        (tree / rel).chmod(0)
    return tree


def _setup(tree: Path, setup: dict[str, Any]) -> None:
    for rel, text in (setup.get("write") or {}).items():
        # Names git cannot hold comfortably (escape sequences, newlines).
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        (tree / rel).write_text(text)
    for rel in setup.get("mkdir", []):
        (tree / rel).mkdir(parents=True, exist_ok=True)
    for rel in setup.get("fifo", []):
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(tree / rel)
    for rel, target in (setup.get("symlink") or {}).items():
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        if (tree / rel).is_dir() and not (tree / rel).is_symlink():
            shutil.rmtree(tree / rel)
        (tree / rel).symlink_to(target)


def arguments(meta: dict[str, Any], tree: Path) -> list[str]:
    """NODE arguments (every directory but nginx/) plus --nginx when given."""
    if "args" in meta:
        args = list(meta["args"])
    else:
        args = [
            f"{p.name}={p.name}"
            for p in sorted(tree.iterdir())
            if p.is_dir() and not p.is_symlink() and p.name != "nginx"
        ]
    if meta.get("nginx"):
        args += ["--nginx", meta["nginx"]]
    return args


def _run_all(
    args: list[str], tree: Path, prefix: list[str] | None, formats: list[str]
) -> list[Run]:
    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs = [
            pool.submit(run_cli, args, tree, fmt, fmt == "json", prefix)
            for fmt in formats
        ]
        return [job.result() for job in jobs]


def _exit_ok(expected: Any, got: int) -> bool:
    if expected == "any":
        return got in (0, 1)
    if isinstance(expected, list):
        return got in expected
    return bool(got == expected)


def _found(report: dict[str, Any], tree: Path) -> set[tuple[str, str, int | None]]:
    return {
        (f["rule"], relative(f["location"]["path"], tree), f["location"]["line"])
        for f in report["findings"]
    }


def _matches(want: dict[str, Any], got: set[tuple[str, str, int | None]]) -> bool:
    return any(
        rule == want["rule"]
        and ("path" not in want or path == want["path"])
        and ("line" not in want or line == want["line"])
        for rule, path, line in got
    )


def check_runs(runs: list[Run], meta: dict[str, Any], tree: Path) -> None:
    """Assert the corpus invariants over every format's run of one case."""
    expect = meta.get("expect") or {}
    for run in runs:
        where = f"--format {run.fmt}"
        assert run.exit >= 0, f"{where}: killed by signal {-run.exit} (CPU limit?)"
        assert not tracebacks(run), f"{where}: traceback\n{run.stderr[-2000:]}"
        assert _exit_ok(expect.get("exit", 1), run.exit), (
            f"{where}: exit {run.exit}\n{run.stderr[-1000:]}"
        )
        if run.exit == 2:
            assert one_line_error(run), f"{where}: stderr {run.stderr!r}"
        leaked = FORBIDDEN.findall(run.stdout + run.stderr)
        assert not leaked, f"{where}: leaked {leaked}"
        if expect.get("no_control_characters") and run.fmt in ("text", "github"):
            assert not CONTROL.search(run.stdout), f"raw control chars: {run.stdout!r}"
        if run.fmt == "junit" and run.exit != 2:
            ElementTree.fromstring(run.stdout)  # well-formed XML, whatever the input
    json_run = next(r for r in runs if r.fmt == "json")
    if json_run.exit == 2:
        return
    got = _found(json_run.json(), tree)
    assert not any(rule == "EIL900" for rule, _, _ in got), f"a check crashed: {got}"
    for want in expect.get("findings") or []:
        assert _matches(want, got), f"missing {want}; got {sorted(got, key=str)}"
    for unwanted in expect.get("absent") or []:
        assert not _matches(unwanted, got), f"unexpected {unwanted}"


def check_trace(run: Run, tree: Path) -> None:
    """Assert no network syscall and no file opened outside the tree."""
    assert not run.network, f"network syscalls: {run.network[:5]}"
    bad = outside_access(run, tree, tree)
    assert not bad, f"opened outside the tree: {bad[:10]}"


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_corpus_case(case: Path, workdir: Path) -> None:
    meta = load_case(case)
    tree = materialise(case, meta, workdir)
    prefix: list[str] | None = None
    if (meta.get("setup") or {}).get("unreadable"):
        prefix = _unprivileged_or_skip(tree)
    try:
        formats = meta.get("formats") or list(CORPUS_FORMATS)
        runs = _run_all(arguments(meta, tree), tree, prefix, formats)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{case.name}: blocked, no result within {exc.timeout} s")
    check_runs(runs, meta, tree)
    json_run = next(r for r in runs if r.fmt == "json")
    if json_run.opened:
        check_trace(json_run, tree)


def _unprivileged_or_skip(tree: Path) -> list[str]:
    # As root, chmod 000 does not stop a read: drop the override capabilities.
    prefix = unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import eilint"],
        cwd=tree,
        capture_output=True,
        check=False,
        timeout=60,
    )
    if probe.returncode != 0:
        pytest.skip("cannot run Python without the DAC override capabilities here")
    return prefix


def test_every_case_is_documented() -> None:
    for case in cases():
        meta = load_case(case)
        assert meta.get("about"), f"{case.name}: no 'about'"
        assert "exit" in (meta.get("expect") or {}), f"{case.name}: no expect.exit"


def test_strace_is_available_in_ci() -> None:
    # Without strace the file-access and network assertions are not made.
    if STRACE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("strace is missing in CI (tests/run installs it as root)")
        pytest.skip("strace is not installed: file and network access unchecked")


def test_corpus_size() -> None:
    assert len(cases()) >= 40
    assert stat.S_ISDIR(CORPUS.stat().st_mode)


# ------------------------------------------- one broken file hides nothing else
# Files to break, least used first; a node gets the first one it does not have.
BREAKABLE = (
    "etc/tasks-config.xml",
    "activiti.xml",
    "humantask.xml",
    "user-mgt.xml",
    "bps.xml",
    "tomcat/catalina-server.xml",
    "carbon.xml",
)
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _fail_cases() -> list[Path]:
    # Cases with inputs made at test time (generate-keys.yaml) are left out.
    return sorted(
        p
        for p in FIXTURES.glob("*/fail_*")
        if (p / "expected.yaml").exists()
        and not any(f.is_file() and f.name != "expected.yaml" for f in p.iterdir())
    )


# Files only the business-process profile has: one of them in an integrator's conf
# would make it a business-process node (loaders/profile.py).
BPS_ONLY = ("activiti.xml", "humantask.xml", "bps.xml")


def _break_one_file(node: Path) -> Path | None:
    from eilint.loaders.discover import node_specs
    from eilint.loaders.profile import detect

    spec = node_specs([str(node)])[0]
    conf = spec.conf
    integrator = detect(spec).profiles == ("integrator",)
    for rel in BREAKABLE:
        if integrator and rel in BPS_ONLY:
            continue
        if not (conf / rel).exists():
            target = conf / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("<broken>\n  <unclosed attr='x'>\n</broken>\n")
            return target
    return None


@pytest.mark.parametrize(
    "case", _fail_cases(), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_a_broken_file_per_node_hides_no_finding(case: Path, tmp_path: Path) -> None:
    from tests.conftest import lint_case

    copy = tmp_path / case.name
    shutil.copytree(case, copy, symlinks=True)
    nodes = [p for p in copy.iterdir() if p.is_dir() and p.name != "nginx"]
    broken = [b for b in (_break_one_file(n) for n in nodes) if b is not None]
    if not broken:
        pytest.skip("every node already has every breakable file")
    rule = case.parent.name
    expected = YAML(typ="safe").load((case / "expected.yaml").read_text()) or []
    report = lint_case(copy, select=[rule, "EIL001"])
    got = {
        (f.rule_id, relative(f.location.path, copy), f.location.line)
        for f in report.findings
    }
    for entry in expected:
        want = (entry["rule"], entry["path"], entry.get("line"))
        assert want in got, (
            f"{want} hidden by a broken file; got {sorted(got, key=str)}"
        )
    for path in broken:
        rel = path.relative_to(copy).as_posix()
        assert any(r == "EIL001" and p == rel for r, p, _ in got), rel
