"""NGX/EDG behaviour that fixtures show less directly: inheritance, addresses, dumps."""

from __future__ import annotations

from pathlib import Path

from eilint.api import LintOptions
from eilint.api import lint
from eilint.report import Report

CARBON = """<Server xmlns="http://wso2.org/projects/carbon/carbon.xml">
    <HostName>ei.example.com</HostName>
    <Ports>
        <Offset>{offset}</Offset>
    </Ports>
</Server>
"""


def _node(root: Path, name: str, offset: int = 2) -> str:
    (root / name).mkdir(parents=True)
    (root / name / "carbon.xml").write_text(CARBON.format(offset=offset))
    return f"{name}={root / name}"


def _lint(
    tmp_path: Path,
    nginx: str,
    select: list[str],
    addresses: dict[str, str] | None = None,
    name: str = "nginx.conf",
) -> Report:
    nodes = [_node(tmp_path, "node1"), _node(tmp_path, "node2")]
    (tmp_path / "lb").mkdir()
    (tmp_path / "lb" / name).write_text(nginx)
    return lint(
        LintOptions(
            nodes=nodes,
            nginx=tmp_path / "lb" / name,
            select=select,
            addresses=addresses or {},
        )
    )


def _got(report: Report) -> list[tuple[str, int | None]]:
    return sorted((f.rule_id, f.location.line) for f in report.findings)


def test_headers_set_in_http_reach_locations_that_set_none(tmp_path: Path) -> None:
    conf = """events {}
http {
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    server {
        location / { proxy_pass http://10.0.0.11:9765; }
        location /ws {
            proxy_set_header Upgrade $http_upgrade;
            proxy_pass http://10.0.0.11:9765;
        }
    }
}
"""
    assert _got(_lint(tmp_path, conf, ["NGX003"])) == [("NGX003", 10)]


def test_manifest_addresses_resolve_host_names(tmp_path: Path) -> None:
    conf = """events {}
http {
    upstream bps {
        server ei-node1.internal:9445;
        server ei-node2.internal:9443;
    }
}
"""
    addresses = {"node1": "ei-node1.internal", "node2": "ei-node2.internal"}
    report = _lint(tmp_path, conf, ["EDG001", "EDG002"], addresses)
    assert _got(report) == [("EDG002", 5)]
    (finding,) = report.findings
    assert "expected 9445" in finding.message
    assert finding.related[0].path.endswith("node2/carbon.xml")


def test_without_any_node_address_no_server_is_called_foreign(tmp_path: Path) -> None:
    conf = "events {}\nhttp {\n upstream bps {\n  server 10.0.0.99:9445;\n }\n}\n"
    assert _got(_lint(tmp_path, conf, ["EDG001", "EDG003"])) == []


def test_unreferenced_upstream_port_guess_names_the_https_port(tmp_path: Path) -> None:
    conf = "events {}\nhttp {\n upstream bps {\n  server 10.0.0.11:8243;\n }\n}\n"
    report = _lint(tmp_path, conf, ["EDG002"], {"node1": "10.0.0.11"})
    (finding,) = report.findings
    assert "integrator" in finding.message
    assert "expected 9445 (servlet HTTPS 9443 + offset 2)" in finding.message


def test_findings_in_an_nginx_t_dump_point_at_the_original_file(tmp_path: Path) -> None:
    dump = """# configuration file /etc/nginx/nginx.conf:
events {}
http {
    include /etc/nginx/conf.d/*.conf;
}

# configuration file /etc/nginx/conf.d/ei.conf:
server {
    listen 443;
    ssl on;
}

"""
    report = _lint(tmp_path, dump, ["NGX002", "NGX005"], name="nginx-T.txt")
    assert {(f.rule_id, f.location.path, f.location.line) for f in report.findings} == {
        ("NGX002", "/etc/nginx/conf.d/ei.conf", 3)
    }


def test_colocated_nodes_are_told_apart_by_port(tmp_path: Path) -> None:
    conf = """events {}
http {
    upstream bps {
        server 10.0.0.11:9445;
    }
}
"""
    nodes = [_node(tmp_path, "node1", 2), _node(tmp_path, "node2", 3)]
    (tmp_path / "lb.conf").write_text(conf)
    report = lint(
        LintOptions(
            nodes=nodes,
            nginx=tmp_path / "lb.conf",
            select=["EDG001", "EDG002", "EDG003"],
            addresses={"node1": "10.0.0.11", "node2": "10.0.0.11"},
        )
    )
    (finding,) = report.findings
    assert finding.rule_id == "EDG003"
    assert "node node2 (10.0.0.11 ports " in finding.message
    assert "9446" in finding.message


def test_unknown_address_kind_asks_for_address_never_deletion(tmp_path: Path) -> None:
    conf = """events {}
http {
    upstream bps {
        server ei-node1.internal:9445;
        server 10.0.0.11:9445;
    }
}
"""
    # Both nodes known by IP (with no address at all a node could be any
    # server: EDG001 stays silent and EIL030 names its absent axis2.xml).
    addresses = {"node1": "10.0.0.11", "node2": "10.0.0.12"}
    report = _lint(tmp_path, conf, ["EDG001"], addresses)
    (finding,) = report.findings
    assert finding.location.line == 4
    assert "node1, node2 have no host name eilint knows" in finding.message
    assert "set `address:` for node1, node2 in eilint.yaml" in finding.hint


def test_edge_hints_never_say_to_delete_a_server() -> None:
    from eilint.catalog import load_catalog

    catalog = load_catalog()
    for rule_id, meta in catalog.rules.items():
        if rule_id.startswith(("EDG", "NGX")):
            text = f"{meta.hint} {meta.remediation}".lower()
            assert "delete" not in text or "ssl on" in text, rule_id
            assert "list only" not in text, rule_id


def test_site_without_nodes_is_left_alone_on_a_shared_lb(tmp_path: Path) -> None:
    conf = """events {}
http {
    upstream bps {
        server 10.0.0.11:9445;
        server 10.0.0.12:9445;
    }
    upstream grafana {
        server 10.0.0.50:3000;
    }
    server {
        listen 443;
        server_name grafana.example.com;
        location / {
            proxy_pass https://grafana;
        }
        location /x {
            proxy_pass http://127.0.0.1:8080;
        }
        location /y {
            proxy_pass http://grafana-old;
        }
    }
}
"""
    addresses = {"node1": "10.0.0.11", "node2": "10.0.0.12"}
    assert _got(_lint(tmp_path, conf, ["EDG", "NGX"], addresses)) == []
