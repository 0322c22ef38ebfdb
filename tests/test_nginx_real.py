"""Ground truth: real ``nginx -t`` on our nginx trees, and eilint agreeing with it.

Each tree is copied into tmp_path with its absolute paths (``/etc/nginx/``,
``/var/log/nginx/``, ``/run/``) moved under a temp prefix and a throw-away
certificate generated (openssl) at every ssl_certificate/ssl_certificate_key
path, so ``nginx -t`` reads nothing outside tmp and touches no address: upstream
servers are literal IPs and ``nginx -t`` opens no sockets.

The installed nginx is Debian 12's nginx-light 1.22: ``ssl on;`` is deprecated
there but accepted (removed in 1.25.1), and ``sticky`` is NGINX Plus only, so the
NGX006 ``sticky`` fixture is expected to be rejected by community nginx.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from eilint.loaders.nginx import load_nginx
from eilint.model.nginx import upstreams
from tests.conftest import FIXTURES
from tests.conftest import REPO
from tests.conftest import lint_case

SAMPLES = REPO / "sample-configs"
_ABSOLUTE = re.compile(r"(?<![\w.-])/(etc/nginx/|var/log/nginx/|etc/|run/)")
_CERT = re.compile(r"^\s*(ssl_certificate|ssl_certificate_key)\s+(\S+);", re.M)
# Fixtures nginx itself must reject, with the message that proves why.
REJECTED = {
    "NGX001/fail_guide_duplicate": 'duplicate upstream "bps.https"',
    "NGX006/pass_sticky_nginx_plus": 'unknown directive "sticky"',
}


def _tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed (CI=true: tests/run installs it)")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="module")
def cert_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """Return a throw-away self-signed certificate and key (never committed)."""
    openssl = _tool("openssl")
    tmp = tmp_path_factory.mktemp("cert")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=ei.example.com", "-keyout", str(tmp / "k.pem"),
         "-out", str(tmp / "c.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return (tmp / "c.pem").read_bytes(), (tmp / "k.pem").read_bytes()


def _rewrite(text: str, prefix: Path, tmp: Path) -> str:
    """Move absolute paths under tmp: /etc/nginx/ becomes the prefix."""
    moved = {"etc/nginx/": f"{prefix}/", "var/log/nginx/": f"{tmp}/logs/"}

    def repl(match: re.Match[str]) -> str:
        return moved.get(match.group(1), f"{tmp}/root/{match.group(1)}")

    return _ABSOLUTE.sub(repl, text)


def _loadable(tree: Path, tmp: Path, pair: tuple[bytes, bytes]) -> Path:
    """Copy an nginx tree under tmp, make it loadable there, return its main file."""
    prefix = tmp / "prefix"
    if (tree / "nginx.conf").is_file():
        shutil.copytree(tree, prefix)
    else:  # a directory of vhost files: nginx includes them in http {}
        shutil.copytree(tree, prefix / "conf.d")
        (prefix / "nginx.conf").write_text(
            "events {}\nhttp {\n    include conf.d/*.conf;\n}\n"
        )
    (tmp / "logs").mkdir()
    (tmp / "root" / "run").mkdir(parents=True)  # nginx -t opens the pid file too
    for path in sorted(p for p in prefix.rglob("*") if p.is_file()):
        path.write_text(_rewrite(path.read_text(), prefix, tmp))
    for path in sorted(p for p in prefix.rglob("*") if p.is_file()):
        for name, target in _CERT.findall(path.read_text()):
            data = pair[1] if name.endswith("_key") else pair[0]
            _install(prefix / target, data, tmp)  # an absolute target stays as is
    return prefix / "nginx.conf"


def _install(path: Path, data: bytes, tmp: Path) -> None:
    # Every path nginx will open must lie in tmp: nothing outside is touched.
    assert path.resolve().is_relative_to(tmp.resolve()), f"{path} is outside tmp"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _command(flag: str, main: Path, tmp: Path) -> list[str]:
    command = [_tool("nginx"), flag, "-p", f"{main.parent}/", "-c", str(main)]
    command += ["-e", str(tmp / "e.log")]  # the start-up log, before error_log
    if not re.search(r"^\s*pid\s", main.read_text(), re.M):
        # nginx -t opens the pid file: keep the compiled-in /run/nginx.pid untouched.
        command += ["-g", f"pid {tmp}/root/run/nginx.pid;"]
    return command


def _nginx_t(main: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command("-t", main, tmp),
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _nginx_trees() -> list[Path]:
    cases = sorted(FIXTURES.glob("NGX*/*/nginx")) + sorted(
        FIXTURES.glob("EDG*/*/nginx")
    )
    valid = [c for c in cases if c.parent.name.startswith("pass_")]
    named = [c for c in cases if _case_id(c) in REJECTED]
    return [SAMPLES / "good" / "nginx", *valid, *named]


def _case_id(tree: Path) -> str:
    if tree.is_relative_to(SAMPLES):
        return tree.relative_to(SAMPLES).parent.as_posix()
    return f"{tree.parent.parent.name}/{tree.parent.name}"


@pytest.mark.parametrize("tree", _nginx_trees(), ids=_case_id)
def test_nginx_itself_agrees(
    tree: Path, tmp_path: Path, cert_pair: tuple[bytes, bytes]
) -> None:
    result = _nginx_t(_loadable(tree, tmp_path, cert_pair), tmp_path)
    rejected = REJECTED.get(_case_id(tree))
    if rejected is None:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode != 0
        assert rejected in result.stderr


def test_guide_snippets_are_rejected_by_nginx_for_the_duplicate_upstream(
    tmp_path: Path, cert_pair: tuple[bytes, bytes]
) -> None:
    main = _loadable(SAMPLES / "broken" / "nginx", tmp_path, cert_pair)
    result = _nginx_t(main, tmp_path)
    assert result.returncode != 0
    assert 'duplicate upstream "ssl.wso2.ei.com"' in result.stderr


def test_ssl_on_is_only_deprecated_in_nginx_1_22(
    tmp_path: Path, cert_pair: tuple[bytes, bytes]
) -> None:
    main = _loadable(FIXTURES / "NGX002" / "fail_ssl_on" / "nginx", tmp_path, cert_pair)
    result = _nginx_t(main, tmp_path)
    version = re.search(r"nginx/1\.(\d+)", _version())
    if version is not None and int(version.group(1)) >= 25:
        assert result.returncode != 0  # removed in 1.25.1
    else:
        assert result.returncode == 0, result.stderr
        assert 'the "ssl" directive is deprecated' in result.stderr


def _version() -> str:
    done = subprocess.run(
        [_tool("nginx"), "-v"], capture_output=True, text=True, timeout=30, check=False
    )
    return done.stderr


def test_nginx_t_dump_of_the_good_sample_loads_with_original_files(
    tmp_path: Path, cert_pair: tuple[bytes, bytes]
) -> None:
    main = _loadable(SAMPLES / "good" / "nginx", tmp_path, cert_pair)
    dump = subprocess.run(
        _command("-T", main, tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    (tmp_path / "dump.txt").write_text(dump.stdout)
    config, problems = load_nginx(tmp_path / "dump.txt")
    assert problems == []
    by_name = {u.name: u for u in upstreams(config)}
    where = by_name["bps.https"].servers[0].directive.where
    assert (where.path, where.line) == (str(main.parent / "conf.d/ei.https.conf"), 4)


def test_good_sample_has_no_lb_findings_and_broken_has_the_guides_mistakes() -> None:
    good = lint_case(SAMPLES / "good", select=["NGX", "EDG"])
    assert [f.rule_id for f in good.findings] == []
    broken = lint_case(SAMPLES / "broken", select=["NGX", "EDG"])
    got = {
        (f.rule_id, Path(f.location.path).name, f.location.line)
        for f in broken.findings
    }
    expected = {
        ("EDG002", "ei.http.conf", 3),  # 10.0.0.12:8280, integrator port
        ("EDG002", "ei.https.conf", 3),  # 10.0.0.12:8243
        ("EDG002", "ui.https.conf", 15),  # console to 9443 without the offset
        ("NGX001", "ei.https.conf", 28),  # ssl.wso2.ei.com defined twice
        ("NGX002", "ei.https.conf", 10),  # ssl on
        ("NGX002", "ui.https.conf", 4),
    }
    assert expected <= got
    # No upstream reaches a servlet connector (all on wrong ports): the missing
    # proxyPort of ei-node2 is no concern of this load balancer yet.
    assert "EDG007" not in {rule for rule, _, _ in got}
