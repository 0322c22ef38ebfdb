"""nginx layouts as nginx reads them, and directives checked as ``nginx -t`` does.

tests/test_nginx_agreement.py proves the verdicts against real nginx; these
tests pin the messages, locations and the layouts' edge cases.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from eilint.loaders.nginx import NginxInputError
from eilint.loaders.nginx import load_nginx
from eilint.model.cluster import LoadProblem
from eilint.model.nginx import upstreams

EVENTS = "events {}\n"
UPSTREAM = "upstream bps {\n    ip_hash;\n    server 10.0.0.11:9445;\n}\n"


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
    return root


def _problems(problems: list[LoadProblem]) -> list[tuple[str, str, int | None, str]]:
    return sorted(
        (p.rule_id, Path(p.where.path).name, p.where.line, p.message) for p in problems
    )


def _http(body: str) -> str:
    return EVENTS + "http {\n" + body + "}\n"


def test_etc_nginx_without_nginx_conf_reads_conf_d_in_http(tmp_path: Path) -> None:
    _write(tmp_path, {"conf.d/ei.conf": UPSTREAM, "conf.d/README": "not nginx\n"})
    config, problems = load_nginx(tmp_path)
    assert [u.name for u in upstreams(config)] == ["bps"]
    ((rule, name, line, message),) = _problems(problems)
    assert (rule, name, line) == ("NGX008", tmp_path.name, None)
    assert "conf.d/ files are read in nginx's http context" in message


def test_debian_links_into_sites_available_are_rerooted(tmp_path: Path) -> None:
    main = _http(
        "    include /etc/nginx/conf.d/*.conf;\n"
        "    include /etc/nginx/sites-enabled/*;\n"
    )
    _write(
        tmp_path,
        {
            "nginx.conf": "include /etc/nginx/modules-enabled/*.conf;\n" + main,
            "sites-available/ei": UPSTREAM,
            "sites-available/unused": "this is not nginx at all {\n",
        },
    )
    (tmp_path / "sites-enabled").mkdir()
    os.symlink("/etc/nginx/sites-available/ei", tmp_path / "sites-enabled" / "ei")
    config, problems = load_nginx(tmp_path)
    assert problems == []  # no modules-enabled, no conf.d: both fine, as in nginx
    (bps,) = upstreams(config)
    # Shown as nginx shows it: the path included, the link.
    assert bps.directive.where.path.endswith("sites-enabled/ei")


def test_modules_enabled_links_out_of_the_tree_are_out_of_scope(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "nginx.conf": "load_module modules/ngx_stream_module.so;\n"
            "include /etc/nginx/modules-enabled/*.conf;\n" + _http(UPSTREAM),
        },
    )
    (tmp_path / "modules-enabled").mkdir()
    os.symlink(
        "/usr/share/nginx/modules-available/mod-stream.conf",
        tmp_path / "modules-enabled" / "50-mod-stream.conf",
    )
    _, problems = load_nginx(tmp_path)
    assert problems == []


def test_link_out_of_the_tree_is_still_refused(tmp_path: Path) -> None:
    _write(tmp_path, {"nginx.conf": _http("    include sites-enabled/*;\n")})
    (tmp_path / "sites-enabled").mkdir()
    os.symlink("/opt/elsewhere/ei", tmp_path / "sites-enabled" / "ei")
    _, problems = load_nginx(tmp_path)
    assert [(p.rule_id, p.where.line) for p in problems] == [("EIL005", 3)]


def test_single_vhost_file_is_read_in_http(tmp_path: Path) -> None:
    vhost = UPSTREAM + "server {\n    listen 80;\n    location / {\n"
    vhost += "        proxy_pass http://bps;\n    }\n}\n"
    _write(tmp_path, {"ei.conf": vhost})
    config, problems = load_nginx(tmp_path / "ei.conf")
    assert problems == []
    assert [u.name for u in upstreams(config)] == ["bps"]


def test_a_file_with_events_is_a_main_file_whatever_its_name(tmp_path: Path) -> None:
    _write(tmp_path, {"lb.conf": _http(UPSTREAM)})
    config, problems = load_nginx(tmp_path / "lb.conf")
    assert problems == []
    assert [u.name for u in upstreams(config)] == ["bps"]


def test_no_nginx_files_names_every_layout_looked_for(tmp_path: Path) -> None:
    _write(tmp_path, {"README": "nothing here\n"})
    with pytest.raises(NginxInputError, match=r"conf.d/\*.conf, sites-enabled/\*"):
        load_nginx(tmp_path)


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("upstream b {\n ip_hsah;\n server 10.0.0.1;\n}\n", 4,
         'unknown directive "ip_hsah"; did you mean "ip_hash"?'),
        ("server {\n location / {\n  proxy_read_timout 5s;\n }\n}\n", 5,
         'unknown directive "proxy_read_timout"; did you mean "proxy_read_timeout"?'),
        ("upstream b {\n ip_hash\n server 10.0.0.1;\n}\n", 4,
         'invalid number of arguments in "ip_hash" directive'),
        ("server {\n listen 80\n server_name a;\n}\n", 4,
         'invalid parameter "server_name" in "listen" (a missing ";" before it?)'),
        ("server {\n location / {\n  listen 81;\n }\n}\n", 5,
         '"listen" directive is not allowed here'),
        ("proxy_buffering maybe;\n", 3,
         'invalid value "maybe" in "proxy_buffering" directive, it must be "on" or '
         '"off"'),
        ("frobnicate on;\n", 3, 'unknown directive "frobnicate"'),
    ],
)  # fmt: skip
def test_directive_errors_as_nginx_t_reports_them(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    _write(tmp_path, {"nginx.conf": _http(body)})
    _, problems = load_nginx(tmp_path)
    assert _problems(problems) == [("NGX007", "nginx.conf", line, message)]


def test_blocks_of_data_are_not_directives(tmp_path: Path) -> None:
    body = (
        "types {\n text/html html;\n}\nmap $http_upgrade $conn {\n default upgrade;\n"
        " '' close;\n}\nserver {\n listen 443 ssl default_server backlog=511;\n"
        " if ($host = a) {\n  return 404;\n }\n}\n"
    )
    _write(tmp_path, {"nginx.conf": _http(body)})
    _, problems = load_nginx(tmp_path)
    assert problems == []


def test_included_file_is_checked_in_the_context_it_is_included_in(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "nginx.conf": _http("    include conf.d/*.conf;\n"),
            "conf.d/ei.conf": "server {\n    listen 80;\n}\n",
            "snippets/bad.conf": "server {\n}\n",
        },
    )
    _, problems = load_nginx(tmp_path)
    assert problems == []  # server is fine in http; snippets/ is included nowhere


def test_modules_loaded_leave_unknown_names_alone_but_not_typos(tmp_path: Path) -> None:
    body = "more_set_headers 'Server: lb';\nproxy_read_timout 5s;\n"
    _write(tmp_path, {"nginx.conf": "load_module m/x.so;\n" + _http(body)})
    _, problems = load_nginx(tmp_path)
    assert [(p.rule_id, p.where.line) for p in problems] == [("NGX007", 5)]


def test_bom_is_reported_and_the_upstream_still_read(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "nginx.conf": _http("    include conf.d/*.conf;\n"),
            "conf.d/ei.conf": b"\xef\xbb\xbf" + UPSTREAM.encode(),
        },
    )
    config, problems = load_nginx(tmp_path)
    ((rule, name, line, message),) = _problems(problems)
    assert (rule, name, line) == ("NGX007", "ei.conf", 1)
    assert "byte order mark" in message
    assert [u.name for u in upstreams(config)] == ["bps"]


def test_nul_in_a_directive_is_an_error_in_a_comment_not(tmp_path: Path) -> None:
    body = b"# a \x00 comment\nupstream b {\n server 10.0.0.1:80\x00;\n}\n"
    _write(tmp_path, {"nginx.conf": b"events {}\nhttp {\n" + body + b"}\n"})
    _, problems = load_nginx(tmp_path)
    assert _problems(problems) == [
        ("NGX007", "nginx.conf", 5, 'a NUL byte in the "server" directive')
    ]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "http {\n}\n"])
def test_main_file_without_events_is_refused(tmp_path: Path, text: str) -> None:
    _write(tmp_path, {"nginx.conf": text})
    _, problems = load_nginx(tmp_path)
    assert [(p.rule_id, p.message) for p in problems] == [
        ("NGX007", 'no "events" section in configuration; nginx refuses to start')
    ]


def test_conf_d_only_tree_checks_the_cluster_through_the_cli_api(
    tmp_path: Path,
) -> None:
    # The first report: exit 2 "no nginx.conf" left the cluster unchecked.
    _write(tmp_path / "nginx", {"conf.d/ei.conf": UPSTREAM})
    _write(tmp_path / "node1", {"carbon.xml": "<Server/>\n"})
    report = lint(
        LintOptions(
            nodes=[f"node1={tmp_path / 'node1'}"],
            nginx=tmp_path / "nginx",
            select=["NGX"],
        )
    )
    assert [f.rule_id for f in report.findings] == ["NGX008"]


def test_directives_newer_than_the_table_are_known(tmp_path: Path) -> None:
    body = (
        "keepalive_time 1h;\nserver {\n listen 443 ssl;\n http2 on;\n"
        " ssl_conf_command Options PrioritizeChaCha;\n ssl_reject_handshake off;\n}\n"
    )
    _write(tmp_path, {"nginx.conf": _http(body)})
    _, problems = load_nginx(tmp_path)
    assert problems == []


def test_debian_modules_include_leaves_module_directives_alone(tmp_path: Path) -> None:
    body = "more_set_headers 'Server: lb';\nproxy_read_timout 5s;\n"
    main = "include /etc/nginx/modules-enabled/*.conf;\n" + _http(body)
    _write(tmp_path, {"nginx.conf": main})
    _, problems = load_nginx(tmp_path)
    assert [(p.rule_id, p.where.line) for p in problems] == [("NGX007", 5)]
