"""Run a command as a fresh process; measure wall time and peak RSS.

Peak RSS is GNU time's "Maximum resident set size" (``/usr/bin/time -f %M``):
measured through that small C program because a child forked from this Python
process would report the parent's RSS, which ``ru_maxrss`` carries across
``exec``. Wall time comes from a monotonic clock around the whole run, so
start-up and imports count (GNU time's own figure has only 10 ms resolution).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Sample:
    """One run: wall seconds, peak RSS in KiB, CPU seconds (user+sys), status."""

    wall: float
    rss_kib: int
    cpu: float
    status: int


@dataclass
class Series:
    """Repeated runs of one command."""

    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(s.wall for s in self.samples)

    @property
    def spread(self) -> float:
        """Max minus min wall time, to show how noisy the runs were."""
        walls = [s.wall for s in self.samples]
        return max(walls) - min(walls)

    @property
    def cpu(self) -> float:
        """Median CPU seconds (user + system): less sensitive to a busy machine."""
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mib(self) -> float:
        """Median peak RSS in MiB."""
        return statistics.median(s.rss_kib for s in self.samples) / 1024


TIME = "/usr/bin/time"


class RunFailed(Exception):
    """The measured command crashed or refused its input."""


def run_once(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run ``cmd`` in ``cwd`` with output discarded; return its measurements.

    Exit status 0 or 1 (findings) is fine; anything else, or a Python traceback
    on stderr, raises RunFailed: a crashed run must never be timed as a fast one.
    """
    with (
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss,
        tempfile.TemporaryFile() as errors,
    ):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [TIME, "-q", "-f", "%M %U %S", "-o", rss.name, *cmd],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        # wait4's rusage counts GNU time and the command it waited for, in
        # microseconds; time's own %U %S are rounded to 10 ms, too coarse for
        # a 0.2 s run.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        text = rss.read().strip().splitlines()
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    if proc.returncode not in (0, 1) or "Traceback (most recent call last)" in err:
        tail = " | ".join(err.strip().splitlines()[-3:])
        raise RunFailed(f"{Path(cmd[0]).name} exited {proc.returncode}: {tail}")
    rss_kib = text[-1].split()[0]
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, int(rss_kib), cpu, proc.returncode)
