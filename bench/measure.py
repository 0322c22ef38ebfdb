"""Run a command as a fresh process; measure wall time and peak RSS.

Peak RSS comes from ``wait4(2)``'s rusage, the figure ``/usr/bin/time -v`` prints
as "Maximum resident set size"; wall time from a monotonic clock around
``fork``/``exec`` and ``wait4``, so start-up and imports count.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Sample:
    """One run: seconds of wall time, peak RSS in KiB, exit status."""

    wall: float
    rss_kib: int
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
    def rss_mib(self) -> float:
        """Median peak RSS in MiB."""
        return statistics.median(s.rss_kib for s in self.samples) / 1024


def run_once(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run ``cmd`` in ``cwd`` with output discarded; return its measurements."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        tail = err.decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"{cmd[0]} exited {proc.returncode}: {' | '.join(tail)}")
    return Sample(wall, int(usage.ru_maxrss), proc.returncode)
