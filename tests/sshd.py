"""A real OpenSSH server on 127.0.0.1 for remote-node tests and the benchmark.

Everything lives in one temporary directory: host key, user key, authorized_keys,
sshd_config, a client ssh config with a ``Host`` alias and a known_hosts file.
sshd runs in the foreground (``-D``) as a child process and is stopped by pid.
When the tests run as root, the key is bound to a forced command that drops
CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH, so file permissions apply to the remote
side as they would for a normal operator account.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SSHD = Path("/usr/sbin/sshd")
ALIAS = "eitest"


@dataclass(frozen=True)
class SshServer:
    """A running test sshd and the client config that reaches it as ``eitest``."""

    port: int
    config: Path
    workdir: Path
    user: str

    def ssh(self, command: str) -> subprocess.CompletedProcess[str]:
        """Run a command on the server through the alias (for test set-up)."""
        return subprocess.run(
            ["ssh", "-F", str(self.config), "-o", "BatchMode=yes", ALIAS, command],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )


def available() -> str | None:
    """Return why a test sshd cannot run here, or None when it can."""
    if not SSHD.exists():
        return f"{SSHD} is not installed (tests/run installs openssh-server as root)"
    for tool in ("ssh", "ssh-keygen"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return "setpriv (util-linux) is not installed"
    return None


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _keygen(path: Path) -> str:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return path.with_suffix(".pub").read_text().strip()


def _authorized(pubkey: str) -> str:
    if os.geteuid() != 0:
        return pubkey + "\n"
    # As root every file is readable; drop the capabilities that make it so.
    wrapper = (
        "setpriv --bounding-set=-dac_override,-dac_read_search "
        '/bin/sh -c \\"$SSH_ORIGINAL_COMMAND\\"'
    )
    return f'command="{wrapper}" {pubkey}\n'


def _write_configs(work: Path, port: int, user: str) -> tuple[Path, Path]:
    host_pub = _keygen(work / "host_key")
    user_pub = _keygen(work / "user_key")
    (work / "authorized_keys").write_text(_authorized(user_pub))
    sshd_config = work / "sshd_config"
    sshd_config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {work / 'host_key'}\n"
        f"AuthorizedKeysFile {work / 'authorized_keys'}\n"
        # The temp dir sits below world-writable /tmp, which StrictModes rejects.
        "StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "UsePAM no\nPidFile none\nPermitRootLogin prohibit-password\n"
        "MaxStartups 50\nLogLevel VERBOSE\n"
    )
    (work / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_pub}\n")
    client = work / "ssh_config"
    client.write_text(
        f"Host {ALIAS}\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n"
        f"  IdentityFile {work / 'user_key'}\n  IdentitiesOnly yes\n"
        f"  UserKnownHostsFile {work / 'known_hosts'}\n"
        "  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n"
        "Host *\n  IdentitiesOnly yes\n  GlobalKnownHostsFile /dev/null\n"
        f"  UserKnownHostsFile {work / 'known_hosts'}\n"
    )
    return sshd_config, client


def _wait_listening(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"sshd exited: {log.read_text(errors='replace')}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=0.5),
        ):
            return
        time.sleep(0.05)
    raise RuntimeError("sshd did not start listening within 10 s")


@contextlib.contextmanager
def running_sshd(work: Path) -> Iterator[SshServer]:
    """Start sshd in ``work`` (an empty private directory); stop it afterwards."""
    import pwd

    user = pwd.getpwuid(os.geteuid()).pw_name
    port = free_port()
    sshd_config, client = _write_configs(work, port, user)
    if os.geteuid() == 0:
        # sshd's privilege separation directory; the package creates it at boot.
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    log = work / "sshd.log"
    with log.open("wb") as log_handle:
        proc = subprocess.Popen(
            [str(SSHD), "-D", "-e", "-f", str(sshd_config)],
            stdin=subprocess.DEVNULL,
            stdout=log_handle,
            stderr=log_handle,
        )
    try:
        _wait_listening(proc, port, log)
        yield SshServer(port, client, work, user)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
