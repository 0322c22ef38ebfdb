"""The nginx loader: includes, re-rooting, vhost directories, nginx -T dumps, safety."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from eilint.loaders.nginx import NginxInputError
from eilint.loaders.nginx import load_nginx
from eilint.model.nginx import Address
from eilint.model.nginx import NginxConfig
from eilint.model.nginx import parse_address
from eilint.model.nginx import upstreams
from eilint.model.nginx import walk

EVENTS = "events {}\n"


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _where(config: NginxConfig, name: str, arg: str | None = None) -> tuple[str, int]:
    for _, d in walk(config.directives):
        if d.name == name and (arg is None or (d.args and d.args[0] == arg)):
            return Path(d.where.path).name, d.where.line or 0
    raise AssertionError(f"{name} {arg} not found")


def test_glob_include_keeps_each_file_and_line(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "nginx.conf": EVENTS
            + "http {\n  include conf.d/*.conf;\n  server_tokens off;\n}\n",
            "conf.d/a.conf": "upstream a {\n  server 10.0.0.11:9445;\n}\n",
            "conf.d/b.conf": "\n\nupstream b {\n  server 10.0.0.12:9445;\n}\n",
        },
    )
    config, problems = load_nginx(tmp_path)
    assert problems == []
    assert _where(config, "upstream", "a") == ("a.conf", 1)
    assert _where(config, "upstream", "b") == ("b.conf", 3)
    # The directive after the include is still nginx.conf's (crossplane PR #95).
    assert _where(config, "server_tokens") == ("nginx.conf", 4)
    assert len(config.files) == 3


def test_absolute_include_is_rerooted_under_the_tree(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "nginx.conf": EVENTS + "http {\n  include /etc/nginx/conf.d/*.conf;\n}\n",
            "conf.d/ei.conf": "upstream bps {\n  server 10.0.0.11:9445;\n}\n",
        },
    )
    config, problems = load_nginx(tmp_path / "nginx.conf")
    assert problems == []
    assert [u.name for u in upstreams(config)] == ["bps"]


def test_missing_explicit_include_is_eil006(tmp_path: Path) -> None:
    _write(tmp_path, {"nginx.conf": EVENTS + "http {\n  include conf.d/x.conf;\n}\n"})
    _, problems = load_nginx(tmp_path)
    assert [(p.rule_id, p.where.line) for p in problems] == [("EIL006", 3)]


def test_empty_glob_is_no_problem(tmp_path: Path) -> None:
    _write(tmp_path, {"nginx.conf": EVENTS + "http {\n  include conf.d/*.conf;\n}\n"})
    assert load_nginx(tmp_path)[1] == []


def test_vhost_directory_is_wrapped_in_http(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "ei.http.conf": "upstream a {\n  server 10.0.0.11:9765;\n}\n",
            "ui.https.conf": "server {\n  listen 443 ssl;\n}\n",
        },
    )
    config, problems = load_nginx(tmp_path)
    assert problems == []
    assert [d.name for d in config.top()] == ["http"]
    assert _where(config, "listen") == ("ui.https.conf", 2)


def test_no_nginx_files_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(NginxInputError):
        load_nginx(tmp_path)


DUMP = """nginx: the configuration file /etc/nginx/nginx.conf syntax is ok
# configuration file /etc/nginx/nginx.conf:
events {}
http {
    include conf.d/*.conf;
}

# configuration file /etc/nginx/conf.d/ei.conf:
# services
upstream bps.https {
    ip_hash;
    server 10.0.0.11:9445;
}

"""


def test_nginx_t_dump_keeps_original_files_and_lines(tmp_path: Path) -> None:
    dump = _write(tmp_path, {"dump.txt": DUMP}) / "dump.txt"
    config, problems = load_nginx(dump)
    assert problems == []
    server = next(s for _, s in walk(config.directives) if s.name == "server")
    assert (server.where.path, server.where.line) == ("/etc/nginx/conf.d/ei.conf", 4)
    assert "/etc/nginx/nginx.conf" in config.files
    assert config.referenced == {}  # a dump says nothing about certificates


def test_marker_comment_in_a_normal_file_is_not_a_dump(tmp_path: Path) -> None:
    text = "# nginx.conf\n# configuration file /x:\nevents {}\n"
    config, _ = load_nginx(_write(tmp_path, {"nginx.conf": text}) / "nginx.conf")
    assert [d.name for d in config.top() if d.name != "#"] == ["events"]


def test_include_cycle_is_reported_once_per_site_and_terminates(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "nginx.conf": EVENTS + "include a.conf;\n",
            "a.conf": "include b.conf;\n",
            "b.conf": "include a.conf;\ninclude nginx.conf;\n",
        },
    )
    _, problems = load_nginx(tmp_path)
    assert sorted((Path(p.where.path).name, p.where.line) for p in problems) == [
        ("b.conf", 1),
        ("b.conf", 2),
    ]
    assert {p.rule_id for p in problems} == {"EIL006"}


def test_include_fan_out_is_capped(tmp_path: Path) -> None:
    # 2**25 directives if fully inlined: must stop early, with a finding.
    files = {
        f"l{i}.conf": f"include l{i + 1}.conf;\ninclude l{i + 1}.conf;\n"
        for i in range(25)
    }
    files["l25.conf"] = "worker_processes 1;\n"
    files["nginx.conf"] = "include l0.conf;\n"
    _write(tmp_path, files)
    started = time.monotonic()
    _, problems = load_nginx(tmp_path)
    assert time.monotonic() - started < 30
    assert any("more than" in p.message for p in problems)


def test_special_files_and_directories_are_never_read(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "nginx.conf": (
                EVENTS + "include /dev/zero;\ninclude conf.d;\ninclude conf.d/*.conf;\n"
            ),
            "conf.d/ok.conf": "worker_processes 1;\n",
        },
    )
    os.mkfifo(tmp_path / "conf.d" / "fifo.conf")
    os.symlink("/dev/zero", tmp_path / "conf.d" / "zero.conf")
    started = time.monotonic()
    config, problems = load_nginx(tmp_path)
    assert time.monotonic() - started < 10
    got = sorted((p.rule_id, p.where.line) for p in problems)
    assert got == [("EIL005", 3), ("EIL005", 4), ("EIL005", 4), ("EIL006", 2)]
    assert _where(config, "worker_processes") == ("ok.conf", 1)


def test_unbalanced_braces_are_eil003(tmp_path: Path) -> None:
    _write(
        tmp_path, {"nginx.conf": "http {\n  upstream a {\n    server 10.0.0.11;\n}\n"}
    )
    _, problems = load_nginx(tmp_path)
    assert [p.rule_id for p in problems] == ["EIL003"]


def test_certificate_files_known_only_where_the_tree_holds_them(tmp_path: Path) -> None:
    server = (
        "http {\n server {\n  ssl_certificate /etc/nginx/ssl/a.crt;\n"
        "  ssl_certificate_key /etc/nginx/ssl/a.key;\n"
        "  ssl_trusted_certificate /etc/pki/ca.pem;\n"
        "  ssl_client_certificate ca.pem;\n }\n}\n"
    )
    _write(tmp_path, {"nginx.conf": server, "ssl/a.crt": "placeholder\n"})
    config, _ = load_nginx(tmp_path)
    assert config.referenced == {
        "/etc/nginx/ssl/a.crt": True,
        "/etc/nginx/ssl/a.key": False,
        "ca.pem": False,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.0.0.11:9445", Address("10.0.0.11", 9445)),
        ("Node1.Example.com", Address("node1.example.com", 80)),
        ("[::1]:9443", Address("::1", 9443)),
        ("unix:/run/bps.sock", None),
        ("$backend", None),
    ],
)
def test_parse_address(text: str, expected: Address | None) -> None:
    assert parse_address(text, 80) == expected


def test_relative_include_out_of_the_tree_is_eil006_and_not_read(
    tmp_path: Path,
) -> None:
    tree = tmp_path / "nginx"
    _write(tmp_path, {"outside.conf": "worker_processes 1;\n"})
    _write(tree, {"nginx.conf": EVENTS + "include ../outside.conf;\n"})
    config, problems = load_nginx(tree)
    assert [(p.rule_id, p.where.line) for p in problems] == [("EIL006", 2)]
    assert len(config.files) == 1  # only nginx.conf was read


def test_stream_upstreams_are_not_http_upstreams(tmp_path: Path) -> None:
    conf = (
        "stream {\n upstream tcp {\n  server 10.0.0.1:5432;\n }\n}\n"
        "http {\n upstream bps {\n  server [fe80::1]:9445;\n }\n}\n"
    )
    config, _ = load_nginx(_write(tmp_path, {"nginx.conf": conf}))
    (bps,) = upstreams(config)
    assert bps.name == "bps"
    assert bps.servers[0].address is not None
    assert bps.servers[0].address.label() == "[fe80::1]:9445"
