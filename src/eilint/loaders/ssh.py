"""Run one command through the system OpenSSH client with a deadline and a cap.

The system client is used on purpose: ``~/.ssh/config`` (Host aliases, ProxyJump,
IdentityFile, ControlMaster), the agent and known_hosts then work exactly as in
the operator's shell. Host key checking is never turned off here.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import IO

from msgspec import Struct

# What one remote node may send: its config files (each at most the loaders'
# 16 MiB limit, normally tens of kilobytes) plus a listing. Past this the
# remote side is not the script we sent, and we stop reading.
MAX_OUTPUT = 128 * 1024 * 1024
MAX_STDERR = 64 * 1024
_CHUNK = 256 * 1024
_POLL = 0.05
# Every child still running, so an interrupted run can stop them (they lead
# their own sessions and do not see the terminal's Ctrl-C).
_LIVE: set[subprocess.Popen[bytes]] = set()
_LIVE_LOCK = threading.Lock()


class FetchError(Exception):
    """A node that could not be read at all; the message is one line."""


class Completed(Struct, frozen=True):
    """What a finished command left: exit status, stdout, stderr."""

    returncode: int
    stdout: bytes
    stderr: bytes


def ssh_command(
    destination: str, remote: str, connect_timeout: int, config: Path | None
) -> list[str]:
    """Return the argv running ``remote`` on ``destination`` without a terminal."""
    argv = ["ssh"]
    if config is not None:
        argv += ["-F", str(config)]
    argv += [
        # Never prompt (a password prompt would hang a parallel run), never
        # allocate a tty, never forward anything; host keys are still checked.
        "-o",
        "BatchMode=yes",
        "-o",
        f"ConnectTimeout={connect_timeout}",
        "-o",
        "ClearAllForwardings=yes",
        "-T",
        "--",
        destination,
        remote,
    ]
    return argv


class _Capped:
    """Read a pipe to the end in a thread, keeping at most ``limit`` bytes."""

    def __init__(self, pipe: IO[bytes], limit: int) -> None:
        self.pipe = pipe
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0
        self.overflow = False
        self.failure: str | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            while chunk := self.pipe.read1(_CHUNK):  # type: ignore[attr-defined]
                if self.size + len(chunk) > self.limit:
                    self.overflow = True
                    self.parts.append(chunk[: self.limit - self.size])
                    self.size = self.limit
                    break
                self.parts.append(chunk)
                self.size += len(chunk)
        except (OSError, ValueError) as exc:
            self.failure = str(exc) or type(exc).__name__
        finally:
            self.pipe.close()

    def data(self) -> bytes:
        return b"".join(self.parts)


def stop_all() -> None:
    """Kill every command still running (after Ctrl-C or another error)."""
    with _LIVE_LOCK:
        running = list(_LIVE)
    for proc in running:
        _kill(proc)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    # The child leads its own session (start_new_session), so this reaches only
    # the ssh we started and anything it spawned (a ProxyCommand), nothing else.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def run_bounded(
    argv: list[str], script: bytes, timeout: float, limit: int = MAX_OUTPUT
) -> Completed:
    """Run ``argv`` with ``script`` on stdin; raise FetchError past the deadline."""
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise FetchError(f"cannot run {argv[0]}: {exc.strerror}") from None
    with _LIVE_LOCK:
        _LIVE.add(proc)
    deadline = time.monotonic() + timeout
    try:
        out = _Capped(proc.stdout, limit)  # type: ignore[arg-type]
        err = _Capped(proc.stderr, MAX_STDERR)  # type: ignore[arg-type]
        _feed(proc, script)
        _wait(proc, out, (deadline, timeout), limit)
        _drain(proc, out, err, deadline)
    finally:
        with _LIVE_LOCK:
            _LIVE.discard(proc)
    if out.overflow:
        raise FetchError(f"sent more than {limit} bytes; stopped reading")
    return Completed(proc.returncode, out.data(), err.data())


def _drain(
    proc: subprocess.Popen[bytes], out: _Capped, err: _Capped, deadline: float
) -> None:
    # ssh has exited; what it wrote is in the pipes. Read to the end, unless
    # something it started (a ProxyCommand) still holds them open.
    for reader in (out, err):
        reader.thread.join(timeout=max(5.0, deadline - time.monotonic()))
    if out.thread.is_alive():
        _kill(proc)
        raise FetchError("its output did not end after the command exited")
    if out.failure:
        raise FetchError(f"reading its output failed: {out.failure}")


def _wait(
    proc: subprocess.Popen[bytes],
    out: _Capped,
    deadline: tuple[float, float],
    limit: int,
) -> None:
    """Wait for the command; ``deadline`` is (monotonic end, seconds allowed)."""
    end, timeout = deadline
    while True:
        try:
            proc.wait(timeout=_POLL)
            return
        except subprocess.TimeoutExpired:
            pass
        if out.overflow:
            _kill(proc)
            raise FetchError(f"sent more than {limit} bytes; stopped reading")
        if time.monotonic() >= end:
            _kill(proc)
            raise FetchError(f"timed out after {timeout:g}s")


def _feed(proc: subprocess.Popen[bytes], script: bytes) -> None:
    # The script is a few kilobytes, far below a pipe buffer, so this write
    # cannot block; a peer that exits early only breaks the pipe.
    assert proc.stdin is not None
    try:
        proc.stdin.write(script)
        proc.stdin.close()
    except OSError:
        pass


# ssh's own messages (exit status 255), most specific first, as one-line reasons.
_SSH_ERRORS = (
    (re.compile(r"Could not resolve hostname ([^:\s]+)"), "unknown host {0}"),
    (re.compile(r"Connection refused"), "connection refused"),
    (re.compile(r"Connection timed out|Operation timed out"), "connection timed out"),
    (re.compile(r"No route to host"), "no route to host"),
    (
        re.compile(r"Host key verification failed|REMOTE HOST IDENTIFICATION"),
        "host key verification failed (host unknown to known_hosts, or its key "
        "changed); connect once with ssh to check and accept the key",
    ),
    (
        re.compile(r"Permission denied \(([^)]*)\)"),
        "authentication failed ({0}); check the user, key and ssh-agent",
    ),
    (re.compile(r"Too many authentication failures"), "authentication failed"),
    (
        re.compile(r"Connection (?:closed|reset) by"),
        "connection closed by the remote host",
    ),
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(text: str, limit: int = 200) -> str:
    """Return remote-controlled text safe for one terminal line."""
    text = _CONTROL.sub("?", text.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ssh_failure(stderr: bytes) -> str:
    """Turn ssh's stderr (exit status 255) into a one-line reason."""
    text = stderr.decode("utf-8", "replace")
    for pattern, reason in _SSH_ERRORS:
        match = pattern.search(text)
        if match:
            return reason.format(*(clean(g, 80) for g in match.groups()))
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and not line.startswith("Warning: Permanently added")
    ]
    return f"ssh failed: {clean(lines[-1])}" if lines else "ssh failed (status 255)"
