"""Profile one ``eilint check`` of a generated cluster and list where time goes.

Usage: ``.venv/bin/python bench/hotspots.py [N] [--format text|json]`` (N nodes,
default 100; the cluster is generated like bench.py does). Prints the functions
with the most cumulative time under cProfile, eilint's own first. Profiling
inflates pure-Python code about twice; read the shares, not the seconds.
"""

from __future__ import annotations

import argparse
import pstats
import subprocess
import sys
from pathlib import Path

from bench import OUT
from bench import REPO
from bench import cluster_dir
from bench import venv_python


def profile(size: int, fmt: str) -> Path:
    """Run eilint under cProfile on the cluster of ``size``; return the stats."""
    root = cluster_dir(size)
    OUT.mkdir(parents=True, exist_ok=True)
    nodes = sorted(f"nodes/{p.name}" for p in (root / "nodes").iterdir())
    stats = OUT / f"eilint-n{size}.prof"
    cmd = [str(venv_python()), "-m", "cProfile", "-o", str(stats), "-m", "eilint"]
    cmd += ["check", *nodes, "--nginx", "nginx", "--format", fmt]
    stats.unlink(missing_ok=True)
    done = subprocess.run(cmd, cwd=root, stdout=subprocess.DEVNULL, check=False)
    if not stats.is_file():
        raise SystemExit(f"hotspots: no profile written (exit {done.returncode})")
    return stats


def report(stats: Path, limit: int) -> None:
    """Print the top functions by cumulative time, eilint's and all."""
    data = pstats.Stats(str(stats))
    src = str(REPO / "src")
    rows = []
    for (path, line, name), row in data.stats.items():  # type: ignore[attr-defined]
        _, ncalls, _, cumtime, _ = row
        where = f"{Path(path).name}:{line}({name})"
        rows.append((cumtime, ncalls, where, path.startswith(src)))
    rows.sort(reverse=True)
    total = max(r[0] for r in rows)
    for title, keep in (("eilint", True), ("everything", False)):
        print(f"\nTop {limit} by cumulative time ({title}), total {total:.2f} s:")
        shown = [r for r in rows if r[3] or not keep][:limit]
        for cum, calls, where, _ in shown:
            print(f"  {cum:7.2f} s {100 * cum / total:5.1f}%  {calls:>8}  {where}")


def main(argv: list[str]) -> int:
    """Generate if needed, profile, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nodes", nargs="?", type=int, default=100)
    parser.add_argument("--format", default="text", choices=("text", "json"))
    parser.add_argument("--limit", type=int, default=25)
    args = parser.parse_args(argv)
    report(profile(args.nodes, args.format), args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
