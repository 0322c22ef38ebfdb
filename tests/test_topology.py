"""The topology formats (#18): the graph, DOT/Mermaid snapshots, the HTML page.

The samples under sample-configs/ are linted through the real CLI from their own
directory (as an operator runs ``eilint check`` there), so every path shown is
relative and the outputs can be compared byte for byte with the snapshots in
tests/snapshots/topology/ (``EILINT_UPDATE_SNAPSHOTS=1`` rewrites them).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

import lxml.html
import pytest

from eilint.model.datasources import datasources
from eilint.model.nginx import upstreams
from eilint.report import Report
from eilint.report import layout as layout_mod
from eilint.report.html import CSP
from eilint.report.html import csp_hash
from eilint.report.layout import layout
from eilint.report.topology import Graph
from eilint.report.topology import graph_of
from tests.conftest import REPO
from tests.workflow_helpers import CLEAN_ENV

SAMPLES = REPO / "sample-configs"
SNAPSHOTS = Path(__file__).parent / "snapshots" / "topology"
FORMATS = {"dot": "dot", "mermaid": "mmd", "html": "html"}


def _cli(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    from typer.testing import CliRunner

    from eilint.cli import app

    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(app, ["check", *args], env=CLEAN_ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.output
    )
    return result.exit_code


def _render(
    sample: Path, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    out = tmp_path / f"out.{FORMATS[fmt]}"
    code = _cli(["--format", fmt, "--output", str(out)], sample, monkeypatch)
    assert code in (0, 1)
    return out.read_text(encoding="utf-8")


def _graph(sample: Path, monkeypatch: pytest.MonkeyPatch) -> Graph:
    return graph_of(_report(sample, monkeypatch))


def _report(sample: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    from eilint.api import lint
    from eilint.workflow import CheckArgs
    from eilint.workflow import build_options
    from eilint.workflow import load_manifest

    monkeypatch.chdir(sample)
    return lint(build_options(CheckArgs(), load_manifest(None)))


def _need_dot() -> None:
    if shutil.which("dot") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Graphviz dot is missing in CI (tests/run installs graphviz)")
        pytest.skip("Graphviz dot is not installed")


# --- snapshots and determinism ------------------------------------------------


@pytest.mark.parametrize("sample", ["good", "broken"])
@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
def test_snapshot(
    sample: str, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _render(SAMPLES / sample, fmt, tmp_path, monkeypatch)
    snapshot = SNAPSHOTS / f"{sample}.{FORMATS[fmt]}"
    if os.environ.get("EILINT_UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8")


def _reversed_copy(sample: Path, dest: Path) -> Path:
    """Copy a sample with its manifest's node list in the opposite order."""
    shutil.copytree(sample, dest)
    manifest = dest / "eilint.yaml"
    text = manifest.read_text()
    head, _, rest = text.partition("nodes:\n")
    block, sep, tail = rest.partition("nginx:")
    entries = re.split(r"(?m)^(?=  - name:)", block)
    nodes = [e for e in entries if e.strip()]
    manifest.write_text(head + "nodes:\n" + "".join(reversed(nodes)) + sep + tail)
    assert manifest.read_text() != text
    return dest


def _without_messages(page: str) -> str:
    # Cross-node rules name the nodes in the order given (REG012: "on ei-node1
    # ..., but ... on ei-node2"): the page quotes them, the picture does not move.
    page = re.sub(r"(?s)<title>.*?</title>", "", page)
    page = re.sub(r"(?s)<li class=\"sev-.*?</li>", "", page)
    return re.sub(r"(?s)<tbody>.*</tbody>", "<tbody></tbody>", page)


@pytest.mark.parametrize("sample", ["good", "broken"])
@pytest.mark.parametrize("fmt", ["dot", "mermaid", "html"])
def test_node_order_changes_nothing(
    sample: str, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forward = shutil.copytree(SAMPLES / sample, tmp_path / "a" / "cluster")
    backward = _reversed_copy(SAMPLES / sample, tmp_path / "b" / "cluster")
    first = _render(forward, fmt, tmp_path / "a", monkeypatch)
    again = _render(forward, fmt, tmp_path / "a", monkeypatch)
    other = _render(backward, fmt, tmp_path / "b", monkeypatch)
    assert first == again
    if fmt == "html" and sample == "broken":
        first, other = _without_messages(first), _without_messages(other)
        assert "<svg" in first and "<tbody>" in first
    assert first == other


def test_format_from_output_suffix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, dot = tmp_path / "topology.html", tmp_path / "topology.gv"
    code = _cli(["-o", str(page), "-o", str(dot)], SAMPLES / "good", monkeypatch)
    assert code == 0
    assert page.read_text().startswith("<!DOCTYPE html>")
    assert "digraph eilint {" in dot.read_text()


# --- the graph ------------------------------------------------------------------


def test_graph_holds_the_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _graph(SAMPLES / "good", monkeypatch)
    kinds = {el.id: el.kind for el in graph.elements}
    assert {i for i, k in kinds.items() if k == "node"} == {
        "node:ei-node1",
        "node:ei-node2",
    }
    writers = [el.id for el in graph.elements if "writer" in el.marks]
    assert len(writers) == 1
    dbs = [el for el in graph.elements if el.kind == "db"]
    assert dbs and all("shared" in el.marks or "local" in el.marks for el in dbs)
    assert any(e.kind == "server" for e in graph.edges)
    assert any(e.kind == "wka" for e in graph.edges)
    assert not graph.findings


def test_findings_attach_to_the_element_they_concern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    graph = _graph(SAMPLES / "broken", monkeypatch)
    edges = {e.id: e for e in graph.edges}

    def rules(item: str) -> set[str]:
        return {f.rule_id for f in graph.findings_of(item)}

    server_edges = [i for i, e in edges.items() if e.kind == "server"]
    assert all("EDG002" in rules(i) for i in server_edges)
    assert "NGX006" in rules("upstream:ssl.wso2.ei.com@nginx/ei.https.conf:28")
    assert "NGX006" not in rules("upstream:ssl.wso2.ei.com")
    wka = [i for i, e in edges.items() if e.kind == "wka" and "member:" in e.target]
    assert wka and all("CLU010" in rules(i) for i in wka)
    local = [i for i, e in edges.items() if "(local registry)" in e.label]
    assert local and all("DSR008" in rules(i) for i in local)
    assert "BPS003" in rules("node:ei-node2")
    # Every finding is on some element or listed as a cluster-wide one.
    placed = {i for ids in graph.attached.values() for i in ids} | set(graph.general)
    assert placed == set(range(len(graph.findings)))


SECRET_URLS = {
    "WSO2_USER_DB": "jdbc:mysql://dbadmin:Hunter2Pw@db.cluster.internal:3306/"
    "WSO2_USER_DB?password=Hunter3Pw",
    "ACTIVITI_DB": "jdbc:oracle:thin:scott/Tiger4Pw@db.cluster.internal:1521:BPMN",
}


def _set_urls(cluster: Path, urls: dict[str, str]) -> None:
    """Rewrite the <url> of the named datasources on every node."""
    for path in cluster.glob("ei-node*/wso2/business-process/conf/datasources/*.xml"):
        text = path.read_text()
        for name, url in urls.items():
            pattern = rf"(?s)(<name>{name}</name>.*?<url>)[^<]*(</url>)"
            escaped = url.replace("&", "&amp;").replace("\\", "\\\\")
            text = re.sub(pattern, rf"\g<1>{escaped}\g<2>", text)
        path.write_text(text)


def test_secrets_never_appear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cluster = shutil.copytree(SAMPLES / "good", tmp_path / "cluster")
    _set_urls(cluster, SECRET_URLS)
    for fmt in ("html", "dot", "mermaid"):
        text = _render(cluster, fmt, tmp_path, monkeypatch)
        assert "jdbc:oracle:thin:" in text or fmt != "html"
        assert "db.cluster.internal:1521/BPMN" in text
        for secret in ("Hunter2Pw", "Hunter3Pw", "Tiger4Pw"):
            assert secret not in text, (fmt, secret)


def test_what_no_other_node_can_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster = shutil.copytree(SAMPLES / "good", tmp_path / "cluster")
    urls = {
        "WSO2_USER_DB": "jdbc:mysql://localhost:3306/WSO2_USER_DB",
        "ACTIVITI_DB": "jdbc:h2:./repository/database/activiti",
        "BPS_DS": "${bps.db.url}",
    }
    _set_urls(cluster, urls)
    graph = _graph(cluster, monkeypatch)
    lines = {el.id: el.lines[0] for el in graph.elements if el.kind == "db"}
    for node in ("ei-node1", "ei-node2"):
        own = lines[f"{node}|db:mysql://localhost:3306/WSO2_USER_DB"]
        assert own == f"on {node}'s own host (a loopback address)"
        embedded = lines[f"{node}|db:jdbc:h2:./repository/database/activiti"]
        assert embedded == f"embedded in {node} (H2 file or memory)"
    assert lines["db:${bps.db.url}"] == "a placeholder, resolved at start-up"
    assert lines["db:mysql://db.cluster.internal:3306/REGISTRY_DB"] == (
        "shared by 2 nodes"
    )
    placeholder = [e for e in graph.edges if e.target == "db:${bps.db.url}"]
    assert len(placeholder) == 2


def test_names_are_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cluster = shutil.copytree(SAMPLES / "good", tmp_path / "cluster")
    vhost = cluster / "nginx" / "conf.d" / "ei.http.conf"
    vhost.write_text(
        vhost.read_text().replace(
            "server_name ei.example.com;", "server_name '<b>\"x\"#1';"
        )
    )
    page = _render(cluster, "html", tmp_path, monkeypatch)
    assert "<b>" not in page
    assert "&lt;b&gt;&quot;x&quot;#1" in page
    dot = _render(cluster, "dot", tmp_path, monkeypatch)
    assert '"vhost:<b>\\"x\\"#1 80"' in dot
    mermaid = _render(cluster, "mermaid", tmp_path, monkeypatch)
    assert "#lt;b#gt;#quot;x#quot;#35;1" in mermaid
    assert '<b>"x"' not in mermaid


# --- layout -------------------------------------------------------------------


def _check_layout(graph: Graph, engine: str) -> None:
    placed = layout(graph, engine)
    assert placed.engine == engine
    assert set(placed.boxes) == {el.id for el in graph.elements}
    assert set(placed.paths) == {e.id for e in graph.edges}
    for box in placed.boxes.values():
        assert box.x >= 0 and box.x + box.w <= placed.width + 1
        assert box.y >= 0 and box.y + box.h <= placed.height + 1
    # No two boxes overlap.
    boxes = sorted(placed.boxes.values(), key=lambda b: (b.x, b.y))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a.x + a.w <= b.x
                or b.x + b.w <= a.x
                or a.y + a.h <= b.y
                or b.y + b.h <= a.y
            )
            assert apart, (a, b)


@pytest.mark.parametrize("sample", ["good", "broken"])
def test_builtin_layout(sample: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _check_layout(_graph(SAMPLES / sample, monkeypatch), "builtin")


@pytest.mark.parametrize("sample", ["good", "broken"])
def test_graphviz_layout(sample: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _need_dot()
    _check_layout(_graph(SAMPLES / sample, monkeypatch), "graphviz")


def _fake_dot(folder: Path, body: str) -> None:
    folder.mkdir()
    script = folder / "dot"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


@pytest.mark.parametrize(
    "body", ["exit 3", "echo not-json", "sleep 5"], ids=["fails", "junk", "hangs"]
)
def test_a_broken_graphviz_falls_back(
    body: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = _graph(SAMPLES / "good", monkeypatch)
    _fake_dot(tmp_path / "bin", body)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(layout_mod, "DOT_TIMEOUT", 0.5)
    assert layout(graph).engine == "builtin"


def test_without_graphviz_the_page_is_built_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    page = _render(SAMPLES / "good", "html", tmp_path, monkeypatch)
    assert 'data-layout="builtin"' in page
    monkeypatch.setenv("EILINT_LAYOUT", "builtin")
    monkeypatch.setenv("PATH", os.defpath)
    assert _render(SAMPLES / "good", "html", tmp_path, monkeypatch) == page


# --- the page -----------------------------------------------------------------


def _page(
    sample: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[lxml.html.HtmlElement, Graph]:
    text = _render(SAMPLES / sample, "html", tmp_path, monkeypatch)
    return lxml.html.fromstring(text.encode("utf-8")), _graph(
        SAMPLES / sample, monkeypatch
    )


def _titles(doc: lxml.html.HtmlElement, kind: str) -> set[str]:
    return {
        "".join(g.xpath("./*[local-name()='text'][1]//text()"))
        for g in doc.xpath(f"//*[@data-kind='{kind}']")
    }


@pytest.mark.parametrize("sample", ["good", "broken"])
def test_page_shows_every_node_db_and_upstream(
    sample: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc, _ = _page(sample, tmp_path, monkeypatch)
    report = _report(SAMPLES / sample, monkeypatch)
    cluster = report.cluster
    assert cluster is not None and cluster.nginx is not None
    assert _titles(doc, "node") == set(report.nodes)
    assert _titles(doc, "upstream") == {u.name for u in upstreams(cluster.nginx)}
    # Each database by what its URL reaches: mysql://host:port/NAME.
    expected = set()
    for node in cluster.nodes:
        for ds in datasources(node):
            url = ds.url
            assert url is not None and url.identity is not None
            family, hosts, name = url.identity
            host, port = hosts[0]
            expected.add(f"{family}://{host}:{port}/{name}")
    assert _titles(doc, "db") == expected
    assert _titles(doc, "vhost")
    for kind in ("server", "wka", "datasource", "proxy"):
        assert doc.xpath(f"//*[@data-kind='{kind}']"), kind
    node = doc.xpath("//*[@data-kind='node'][.//*[text()='ei-node1']]")[0]
    text = " ".join(node.xpath(".//text()"))
    for word in (
        "address",
        "member port",
        "offset",
        "registry",
        "NodeId",
        "taskServerMode",
    ):
        assert word in text
    assert (
        len(doc.xpath("//*[contains(@class, 'm-writer')]")) == 1 or sample == "broken"
    )


def test_page_findings_table_and_side_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc, graph = _page("broken", tmp_path, monkeypatch)
    rows = doc.xpath("//table[@id='findings']/tbody/tr")
    assert len(rows) == len(graph.findings) > 20
    ids = set(doc.xpath("//svg//@id | //*[local-name()='svg']//@id"))
    for row in rows:
        assert row.get("data-severity") in ("error", "warning", "note")
        assert re.fullmatch(r"[A-Z]{3}\d{3}", row.get("data-rule"))
        assert set(row.get("data-items").split()) <= ids
    rules = doc.xpath("//select[@id='filter-rule']/option/@value")
    assert rules[1:] == sorted({f.rule_id for f in graph.findings})
    sev = doc.xpath("//select[@id='filter-severity']/option/@value")
    assert sev == ["", "error", "warning", "note"]
    # The side list of the edge that EDG002 concerns names the finding with file:line.
    edge = doc.xpath("//*[@data-kind='server'][contains(@class, 'sev-error')]")[0]
    detail = doc.xpath(f"//div[@data-for='{edge.get('id')}']")[0]
    assert "EDG002" in detail.text_content()
    assert re.search(r"nginx/ei\.https?\.conf:\d+", detail.text_content())


def test_page_is_self_contained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc, _ = _page("broken", tmp_path, monkeypatch)
    meta = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert meta == [CSP]
    assert CSP.startswith("default-src 'none'")
    (style,) = doc.xpath("//style")
    (script,) = doc.xpath("//script")
    assert csp_hash(style.text) in CSP and csp_hash(script.text) in CSP
    assert "unsafe" not in CSP
    assert not doc.xpath("//script[@src] | //link | //img | //iframe | //object")
    assert not doc.xpath("//@style | //@*[starts-with(name(), 'on')]")
    for attr in doc.xpath("//@href | //@src | //@*[local-name()='href']"):
        assert attr.startswith("#") or attr.startswith("url(#"), attr


@pytest.mark.parametrize("sample", ["good", "broken"])
def test_graphviz_reads_the_dot_output(
    sample: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    _need_dot()
    text = _render(SAMPLES / sample, "dot", tmp_path, monkeypatch)
    done = subprocess.run(
        ["dot", "-Tsvg"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not done.stderr.strip(), done.stderr
    assert done.stdout.count('class="node') >= 5


# --- every fixture case: no traceback, every element drawn, nothing leaks ------


def _fixture_cases() -> list[Path]:
    from tests.conftest import FIXTURES

    return sorted(
        case
        for case in FIXTURES.glob("*/*")
        if case.is_dir()
        and any(p.is_dir() and p.name != "nginx" for p in case.iterdir())
    )


def test_every_fixture_case_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    from eilint.report.dot import graph_dot
    from eilint.report.html import graph_html
    from eilint.report.layout import layered_layout
    from eilint.report.mermaid import graph_mermaid
    from tests.conftest import lint_case

    cases = _fixture_cases()
    assert len(cases) > 200
    kinds: set[str] = set()
    for case in cases:
        graph = graph_of(lint_case(case))
        page = graph_html(graph, layered_layout(graph))
        doc = lxml.html.fromstring(page.encode("utf-8"))
        drawn = doc.xpath("//*[contains(@class, 'el ')]/@data-id")
        assert sorted(drawn) == [el.id for el in graph.elements], case
        rows = doc.xpath("//table[@id='findings']/tbody/tr")
        assert len(rows) == len(graph.findings), case
        assert graph_dot(graph).endswith("}\n")
        assert graph_mermaid(graph).startswith("%% eilint topology")
        kinds |= {el.kind for el in graph.elements}
    # Graphviz on every fifth case (a real run each: keep the suite short).
    if shutil.which("dot") is not None:
        for case in cases[::5]:
            graph = graph_of(lint_case(case))
            placed = layout(graph, "graphviz")
            assert placed.engine == "graphviz", case
            assert set(placed.boxes) == {e.id for e in graph.elements}
    assert kinds == {"vhost", "upstream", "node", "target", "member", "db"} | (
        kinds & {"wkagroup"}
    )


def _three_nodes(root: Path, node1_lists_node3: bool) -> Path:
    """The good sample plus ei-node3 (10.0.0.13) in every WKA list."""
    cluster = shutil.copytree(SAMPLES / "good", root)
    shutil.copytree(cluster / "ei-node2", cluster / "ei-node3")
    third = "<member>\n<hostName>10.0.0.13</hostName>\n<port>4100</port>\n</member>\n"
    for node in ("ei-node1", "ei-node2", "ei-node3"):
        axis2 = cluster / node / "wso2/business-process/conf/axis2/axis2.xml"
        text = axis2.read_text()
        if node == "ei-node3":
            text = text.replace(">10.0.0.12</parameter>", ">10.0.0.13</parameter>")
        if node != "ei-node1" or node1_lists_node3:
            text = text.replace("</members>", third + "</members>", 1)
        axis2.write_text(text)
    manifest = cluster / "eilint.yaml"
    entry = "  - name: ei-node3\n    path: ei-node3\n    address: 10.0.0.13\n"
    text = manifest.read_text()
    manifest.write_text(text.replace("nginx:", entry + "nginx:", 1))
    return cluster


def test_a_full_wka_mesh_is_one_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = _graph(_three_nodes(tmp_path / "mesh", True), monkeypatch)
    assert len([el for el in graph.elements if el.kind == "node"]) == 3
    groups = [el for el in graph.elements if el.kind == "wkagroup"]
    assert [g.title for g in groups] == ["WKA group of 3 nodes"]
    wka = [e for e in graph.edges if e.kind == "wka"]
    assert sorted(e.source for e in wka) == [
        "node:ei-node1",
        "node:ei-node2",
        "node:ei-node3",
    ]
    assert {e.target for e in wka} == {groups[0].id}
    assert {e.label for e in wka} == {"lists all 2"}
    # One list short: no mesh, every reach drawn (node1 reaches only node2).
    graph = _graph(_three_nodes(tmp_path / "short", False), monkeypatch)
    assert not [el for el in graph.elements if el.kind == "wkagroup"]
    pairs = sorted((e.source, e.target) for e in graph.edges if e.kind == "wka")
    assert pairs == [
        ("node:ei-node1", "node:ei-node2"),
        ("node:ei-node2", "node:ei-node1"),
        ("node:ei-node2", "node:ei-node3"),
        ("node:ei-node3", "node:ei-node1"),
        ("node:ei-node3", "node:ei-node2"),
    ]


def test_too_many_arrows_skip_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    _need_dot()
    graph = _graph(SAMPLES / "good", monkeypatch)
    assert layout(graph).engine == "graphviz"
    monkeypatch.setattr(layout_mod, "MAX_DOT_EDGES", len(graph.edges) - 1)
    assert layout(graph).engine == "builtin"
