"""Benchmark: are remote nodes fetched in parallel? (wall time, 1 node vs 3 nodes)

Starts the test sshd on 127.0.0.1 (tests/sshd.py), then times ``fetch_all`` for
one node, three nodes with ``--jobs 1`` and three nodes with ``--jobs 3``, each
the median of a few runs. Loopback has no network latency, so every connection
goes through a ProxyCommand relay that waits ``--latency`` seconds (default 0.5)
before connecting, as a distant host would. With ``--latency 0`` the work is pure
CPU (ssh handshakes, the remote login shell) and two cores cap the gain.

    .venv/bin/python bench/remote.py [--latency 0.5] [--runs 3]

Exit status 1 when three nodes with --jobs 3 take longer than ``--max-ratio``
times one node (default 2.0; serial fetching would be about 3.0).
"""

from __future__ import annotations

import argparse
import os
import selectors
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from tests import sshd  # noqa: E402

from eilint.loaders.resolve import fetch_all  # noqa: E402
from eilint.loaders.targets import RemoteSettings  # noqa: E402
from eilint.loaders.targets import parse_target  # noqa: E402

SAMPLE = REPO / "sample-configs" / "good" / "ei-node1"


def relay(delay: float, host: str, port: int) -> None:
    """ProxyCommand: wait ``delay`` seconds, then shuttle stdin/stdout <-> TCP."""
    time.sleep(delay)
    sock = socket.create_connection((host, port))
    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    sel = selectors.DefaultSelector()
    sel.register(stdin, selectors.EVENT_READ, "in")
    sel.register(sock, selectors.EVENT_READ, "net")
    while True:
        for key, _ in sel.select():
            if key.data == "in":
                data = os.read(stdin, 65536)
                if data:
                    sock.sendall(data)
                else:
                    sel.unregister(stdin)
                    sock.shutdown(socket.SHUT_WR)
                continue
            data = sock.recv(65536)
            if not data:
                return
            while data:
                data = data[os.write(stdout, data) :]


def _config(server: sshd.SshServer, latency: float) -> Path:
    if latency <= 0:
        return server.config
    proxy = (
        f"  ProxyCommand {sys.executable} {Path(__file__).resolve()} "
        f"--relay {latency} 127.0.0.1 %p\n"
    )
    text = server.config.read_text().replace(
        f"Host {sshd.ALIAS}\n", f"Host {sshd.ALIAS}\n{proxy}", 1
    )
    path = server.workdir / "ssh_config_latency"
    path.write_text(text)
    return path


def _time(nodes: list[str], settings: RemoteSettings, runs: int) -> float:
    targets = [t for t in map(parse_target, nodes) if t is not None]
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as work:
            start = time.perf_counter()
            results = fetch_all(targets, Path(work), settings)
            times.append(time.perf_counter() - start)
        failed = [r for r in results if isinstance(r, str)]
        if failed:
            raise SystemExit(f"fetch failed: {failed[0]}")
    return statistics.median(times)


def main() -> int:
    """Run the benchmark and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-ratio", type=float, default=2.0)
    args = parser.parse_args()
    why = sshd.available()
    if why:
        print(f"skipped: {why}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("n1", "n2", "n3"):
            shutil.copytree(SAMPLE, root / name)
        (root / "sshd").mkdir()
        with sshd.running_sshd(root / "sshd") as server:
            config = _config(server, args.latency)
            nodes = [f"{n}={sshd.ALIAS}:{root / n}" for n in ("n1", "n2", "n3")]
            one = _time(nodes[:1], RemoteSettings(jobs=3, ssh_config=config), args.runs)
            serial = _time(nodes, RemoteSettings(jobs=1, ssh_config=config), args.runs)
            parallel = _time(
                nodes, RemoteSettings(jobs=3, ssh_config=config), args.runs
            )
    ratio = parallel / one
    print(f"latency per connection: {args.latency:.2f}s, median of {args.runs} runs")
    print(f"  1 node            {one:6.2f}s")
    print(f"  3 nodes --jobs 1  {serial:6.2f}s  ({serial / one:.2f}x one node)")
    print(f"  3 nodes --jobs 3  {parallel:6.2f}s  ({ratio:.2f}x one node)")
    verdict = "ok" if ratio <= args.max_ratio else "TOO SLOW"
    print(f"parallel: {verdict} (limit {args.max_ratio:.2f}x; serial is about 3x)")
    return 0 if ratio <= args.max_ratio else 1


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--relay":
        relay(float(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
        sys.exit(0)
    sys.exit(main())
