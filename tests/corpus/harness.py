"""Run the real CLI on a hostile tree, bounded, and collect what it did.

Used by test_corpus.py, test_secrets.py and test_fuzz.py. Each run is a
subprocess (``python -m eilint``) with a wall-clock timeout and an address-space
limit (RLIMIT_AS), so a hang or a memory blow-up fails the test instead of the
machine. Optionally the run is traced with ``strace -f`` to list every file it
opened and every network syscall it made.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
# Time is bounded by CPU seconds (RLIMIT_CPU: independent of how loaded the
# machine is; a clean run takes about 1 s); the wall-clock timeout only catches
# a run that blocks without using CPU (a FIFO opened for reading, say).
CPU_LIMIT_S = 20
TIMEOUT_S = 240
# Python + lxml + rich map ~300 MB of address space; 1.5 GiB leaves room for
# the documented limits and fails fast on a blow-up.
MEMORY_LIMIT = 1536 * 1024 * 1024
FORMATS = ("text", "json", "sarif", "github", "junit")
# The corpus runs these two per case (CLI start-up dominates its time);
# test_secrets.py runs every format.
CORPUS_FORMATS = ("json", "text")
# tempfile probes the temp dir with a random 8-character file name once;
# setpriv (the unreadable-file cases) reads its own capability state.
_HARMLESS = re.compile(
    re.escape(tempfile.gettempdir())
    + r"/[a-z0-9_]{8}$|/proc/\d+/status$|/proc/sys/kernel/cap_last_cap$"
)
STRACE = shutil.which("strace")
_OPEN = re.compile(r'^\d+\s+(?:openat|open)\((?:AT_FDCWD|\d+), "((?:[^"\\]|\\.)*)"')
_NETWORK = re.compile(r"^\d+\s+(socket|connect|sendto|bind)\((AF_INET6?|[^,]*)")


@dataclass
class Run:
    """What one CLI run produced."""

    fmt: str
    exit: int
    stdout: str
    stderr: str
    opened: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)

    def json(self) -> dict[str, Any]:
        """Return the parsed JSON report (json format only)."""
        return json.loads(self.stdout)  # type: ignore[no-any-return]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT_S, CPU_LIMIT_S))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _env() -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": "/nonexistent",
        # Planted: a tree that gets /proc/self/environ printed would show it.
        "EILINT_TEST_TOKEN": "PLANTED-SECRET-environ",
        # A crash must show as a traceback here (and fail), not as exit 2.
        "EILINT_DEBUG": "1",
    }


def unprivileged() -> list[str] | None:
    """Return a command prefix under which file permissions apply, or None.

    As root, chmod 000 stops nothing: root reads through the DAC override
    capabilities. Dropping those two from the bounding set before exec keeps
    uid 0 (so this checkout's Python, wherever it lives, still runs) while a
    mode-000 file gives "permission denied" for real.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def command(args: list[str], fmt: str) -> list[str]:
    """The eilint command line for one format."""
    return [sys.executable, "-m", "eilint", "check", *args, "--format", fmt]


def run_cli(
    args: list[str],
    cwd: Path,
    fmt: str = "json",
    trace: bool = False,
    prefix: list[str] | None = None,
) -> Run:
    """Run ``eilint check ARGS --format FMT`` bounded; optionally under strace."""
    cmd = [*(prefix or []), *command(args, fmt)]
    log = None
    if trace and STRACE:
        log = Path(tempfile.mkstemp(prefix="eilint-strace-")[1])
        calls = "trace=open,openat,socket,connect,sendto,bind"
        cmd = [STRACE, "-f", "-qq", "-e", calls, "-o", str(log), *cmd]
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=TIMEOUT_S,
        check=False,
        env=_env(),
        preexec_fn=_limits,
        stdin=subprocess.DEVNULL,
    )
    result = Run(fmt, proc.returncode, proc.stdout, proc.stderr)
    if log is not None:
        result.opened, result.network = _parse_trace(log.read_text(errors="replace"))
        log.unlink()
    return result


def _parse_trace(text: str) -> tuple[list[str], list[str]]:
    opened: list[str] = []
    network: list[str] = []
    for line in text.splitlines():
        match = _OPEN.match(line)
        if match:
            opened.append(match.group(1).encode().decode("unicode_escape"))
            continue
        net = _NETWORK.match(line)
        if net and (
            net.group(2) in ("AF_INET", "AF_INET6")
            or net.group(1) in ("connect", "sendto")
        ):
            network.append(line)
    return opened, network


def allowed_prefixes(tree: Path) -> tuple[str, ...]:
    """Where a run may open files: its tree, Python and its libraries, eilint."""
    roots = {
        str(tree.resolve()),
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sysconfig.get_paths()["stdlib"],
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
        str(REPO / "src"),
        str(REPO / "rules"),
        str(REPO / "schemas"),
        # the nginx loader's scratch copies (tempfile, prefix eilint-nginx-)
        os.path.join(tempfile.gettempdir(), "eilint-nginx-"),
    }
    system = (
        "/usr/lib/",
        "/usr/lib64/",
        "/lib/",
        "/lib64/",
        "/usr/local/lib/",
        "/etc/ld.so.",
        "/usr/share/zoneinfo/",
        "/usr/share/locale/",
        "/etc/localtime",
        "/etc/mime.types",
        "/dev/null",
        "/dev/urandom",
        "/proc/self/maps",
        "/sys/fs/cgroup/",
        "/proc/sys/vm/overcommit_memory",
    )
    return (*sorted(roots), *system)


def outside_access(run: Run, tree: Path, cwd: Path) -> list[str]:
    """Return the files the run opened that lie outside what it may touch."""
    allowed = allowed_prefixes(tree)
    bad = []
    for name in run.opened:
        path = name if name.startswith("/") else os.path.join(cwd, name)
        path = os.path.normpath(path)
        if _HARMLESS.match(path):
            continue
        if not any(path == p or path.startswith(p) for p in allowed):
            bad.append(path)
    return bad


def tracebacks(run: Run) -> bool:
    """True when a Python traceback reached the user."""
    return "Traceback (most recent call last)" in run.stdout + run.stderr


def one_line_error(run: Run) -> bool:
    """True for exit 2's contract: one ``eilint: ...`` line on stderr."""
    lines = run.stderr.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("eilint: ")


def relative(path: str, base: Path) -> str:
    """Return a report path relative to ``base`` when it lies below it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(base.resolve()).as_posix()
    except ValueError:
        return path


Setup = Callable[[Path, dict[str, Any]], None]
