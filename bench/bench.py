"""eilint's benchmark: eilint against the floor, gixy-ng and xmllint.

Usage: ``bash bench/run [--quick] [--runs N] [--sizes 2,20,100]`` (bench/run
installs the tools, then calls this with the repo's venv). Generates clusters in
bench/out/clusters/, runs every tool as a fresh process several times,
interleaved, and prints medians and ratios; results also go to
bench/out/results.md and results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from generate import generate
from measure import RunFailed
from measure import Series
from measure import run_once
from report import render

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
FIRST = OUT / "first"
FULL_SIZES = (2, 20, 100, 250, 500)
# Sizes from here up are measured together, round by round (see measure()).
TOGETHER = 250
QUICK_SIZES = (2, 20, 100)
# With schemas switched off: validate() finds no XSD for any file.
NO_XSD = (
    "import sys; import eilint.loaders.schemas as s; "
    "s.schema_for = lambda *a, **k: None; "
    "from eilint.entry import main; sys.argv[0] = 'eilint'; main()"
)


@dataclass(frozen=True, slots=True)
class Tool:
    """A command to measure on each cluster; ``argv`` is built per cluster."""

    name: str
    available: bool


def venv_python() -> Path:
    """The repo's virtualenv Python (eilint installed in it)."""
    return REPO / ".venv" / "bin" / "python"


def cluster_dir(size: int) -> Path:
    """Generate (once per generator version) and return the cluster of ``size``."""
    stamp = _generator_stamp()
    path = OUT / "clusters" / f"n{size}"
    marker = path / ".complete"
    if marker.is_file() and marker.read_text() == stamp:
        return path
    shutil.rmtree(path, ignore_errors=True)
    generate(path, size)
    marker.write_text(stamp)
    return path


GENERATOR = (
    "axis2.py",
    "carbon.py",
    "datasources.py",
    "generate.py",
    "nginxtree.py",
    "smallxml.py",
    "textfiles.py",
    "topology.py",
    "xmltext.py",
)


def _wheel_site() -> Path:
    return OUT / "wheel-site"


def install_wheel() -> None:
    """Build eilint's wheel and pip-install it (byte-compiled) into out/wheel-site.

    The wheel holds the catalog compiled at build time; this is the package a
    user's `pip install eilint` gets.
    """
    shutil.rmtree(_wheel_site(), ignore_errors=True)
    wheels = OUT / "wheel"
    shutil.rmtree(wheels, ignore_errors=True)
    pip = [str(venv_python()), "-m", "pip", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), "."],
        cwd=REPO,
        check=True,
    )
    wheel = next(wheels.glob("eilint-*.whl"))
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(_wheel_site()), str(wheel)],
        check=True,
    )


def _fresh_install() -> None:
    """Put a pristine copy of the installed package and an empty HOME in place."""
    shutil.rmtree(FIRST, ignore_errors=True)
    shutil.copytree(_wheel_site(), FIRST / "site")
    (FIRST / "home").mkdir()


def _generator_stamp() -> str:
    # Content, not mtimes: a fresh clone reuses nothing, an edit regenerates.
    digest = hashlib.sha256()
    for name in GENERATOR:
        digest.update((BENCH / name).read_bytes())
    return digest.hexdigest()


def xml_files(root: Path) -> list[str]:
    """Every XML file of the cluster, relative to ``root`` (for xmllint)."""
    return sorted(str(p.relative_to(root)) for p in (root / "nodes").rglob("*.xml"))


def commands(root: Path) -> dict[str, list[str]]:
    """Return the command line of each tool for the cluster at ``root``."""
    py = str(venv_python())
    nodes = sorted(f"nodes/{p.name}" for p in (root / "nodes").iterdir())
    check = ["check", *nodes, "--nginx", "nginx"]
    eilint = str(REPO / ".venv" / "bin" / "eilint")
    cmds = {
        "eilint": [eilint, *check],
        "eilint-noxsd": [py, "-c", NO_XSD, *check],
        "floor": [py, str(BENCH / "floor.py"), "."],
        "python": [py, "-c", "pass"],
    }
    if len(nodes) <= 20 and _wheel_site().is_dir():
        # The first run after `pip install` (a CI container, a new pre-commit
        # environment): a fresh copy of the installed wheel and an empty HOME
        # before every run (see _fresh_install).
        site, home = FIRST / "site", FIRST / "home"
        env = ["env", f"HOME={home}", f"PYTHONPATH={site}"]
        cmds["eilint-first"] = [*env, py, "-m", "eilint", *check]
    gixy = OUT / "gixy-venv" / "bin" / "gixy"
    if gixy.is_file():
        cmds["gixy-ng"] = [str(gixy), "nginx/nginx.conf"]
    xmllint = shutil.which("xmllint")
    if xmllint:
        cmds["xmllint"] = [xmllint, "--noout", *xml_files(root)]
    return cmds


def measure(roots: list[Path], runs: int, warm_up: bool) -> list[dict[str, Series]]:
    """Run every tool on every cluster ``runs`` times, round-robin, after a
    discarded warm-up; return each cluster's series.

    Clusters measured together share the machine's conditions run by run: the
    large sizes, whose per-node difference tests linearity, go together (in
    turn, a shared machine drifted by 20% between them). The warm-up fills the
    page cache; large sizes skip it (generation just wrote the files, a smaller
    size filled the cache).
    """
    cmds = [commands(root) for root in roots]
    series = [{name: Series(name) for name in c} for c in cmds]
    env = dict(os.environ)
    first = 0 if warm_up else 1
    for rep in range(first, runs + 1):
        for root, tools, found in zip(roots, cmds, series, strict=True):
            _run_round(root, tools, found, env, keep=rep > 0)
    return series


def _run_round(
    root: Path,
    tools: dict[str, list[str]],
    found: dict[str, Series],
    env: dict[str, str],
    keep: bool,
) -> None:
    for name, cmd in list(tools.items()):
        if name == "eilint-first":
            _fresh_install()
        try:
            sample = run_once(cmd, root, env)
        except RunFailed as exc:
            if name == "eilint":
                raise
            print(f"bench: dropping {name}: {exc}", file=sys.stderr)
            del tools[name], found[name]
            continue
        if keep:
            found[name].samples.append(sample)


def cluster_stats(root: Path) -> dict[str, int]:
    """Count nodes, files and bytes of the inputs the tools read."""
    files = [p for p in root.rglob("*") if p.is_file() and p.name != ".complete"]
    return {
        "nodes": len(list((root / "nodes").iterdir())),
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "xml_files": len(xml_files(root)),
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the benchmark's options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="sizes 2,20,100, fewer runs"
    )
    parser.add_argument("--runs", type=int, help="runs per tool and size (median)")
    parser.add_argument("--sizes", help="comma-separated node counts")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Generate, measure, print the table and write results."""
    args = parse_args(argv)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    results = []
    install_wheel()
    load_before = _loadavg()
    large = [size for size in sizes if size >= TOGETHER]
    for size in (size for size in sizes if size < TOGETHER):
        runs = args.runs or _default_runs(size, args.quick)
        root = cluster_dir(size)
        print(f"measuring {size} nodes ({runs} runs)...", file=sys.stderr)
        results.append((cluster_stats(root), measure([root], runs, True)[0]))
    if large:
        runs = args.runs or _default_runs(large[0], args.quick)
        roots = [cluster_dir(size) for size in large]
        shown = ", ".join(map(str, large))
        print(f"measuring {shown} nodes together ({runs} runs)...", file=sys.stderr)
        measured = measure(roots, runs, warm_up=not results)
        results.extend(zip([cluster_stats(r) for r in roots], measured, strict=True))
    text = render(results, _header(load_before, args))
    print(text)
    OUT.mkdir(exist_ok=True)
    (OUT / "results.md").write_text(text, encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps(_raw(results), indent=2))
    return 0


def _default_runs(size: int, quick: bool) -> int:
    # Small clusters run in a fraction of a second, where a shared machine's
    # noise is +-20% per run: many cheap runs make their medians trustworthy.
    if size <= 20:
        return 9 if quick else 15
    return 3 if quick else (4 if size >= TOGETHER else 5)


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def _header(load_before: str, args: argparse.Namespace) -> list[str]:
    runs = args.runs or (
        "9 up to 20 nodes, else 3"
        if args.quick
        else "15 up to 20 nodes, 5 at 100, 4 at 250 and 500"
    )
    return [
        f"eilint {_commit()}; Python {platform.python_version()}; "
        f"{os.cpu_count()} CPUs ({_cpu_model()}); runs per cell: {runs}, "
        "after one discarded warm-up (below 250 nodes); tools interleaved run by "
        f"run, sizes from {TOGETHER} nodes up measured together round by round.",
        f"Load average before: {load_before}; after: {_loadavg()} "
        "(with a busy machine, trust the CPU-time table over wall time).",
    ]


def _raw(results: list[tuple[dict[str, int], dict[str, Series]]]) -> list[object]:
    return [
        {
            **stats,
            "tools": {
                name: [[s.wall, s.rss_kib, s.cpu, s.status] for s in series.samples]
                for name, series in tools.items()
            },
        }
        for stats, tools in results
    ]


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
