"""``--format html``: one self-contained page with the cluster's topology.

No external resource of any kind: the SVG, the style sheet and the script are
inline, and a Content-Security-Policy of ``default-src 'none'`` lets only that
style sheet and that script (by their SHA-256 hashes) run. Without script the
page still shows everything (SVG ``<title>`` tooltips, the full table); the
script adds the side list on hover/focus and the table filters.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import TextIO

from eilint.findings import Finding
from eilint.report import Report
from eilint.report.layout import LINE_H
from eilint.report.layout import PAD
from eilint.report.layout import Box
from eilint.report.layout import Layout
from eilint.report.layout import layout
from eilint.report.layout import num
from eilint.report.topology import SEVERITY_ORDER
from eilint.report.topology import Edge
from eilint.report.topology import Element
from eilint.report.topology import Graph
from eilint.report.topology import graph_of
from eilint.report.topology import shown
from eilint.report.topology import summary
from eilint.report.topology import worst

KIND_NAMES = {
    "vhost": "nginx virtual host",
    "upstream": "nginx upstream",
    "node": "EI node",
    "target": "backend that is no EI node",
    "member": "WKA member that is no node",
    "db": "database",
    "wkagroup": "nodes whose WKA lists name each other",
}

CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#212121;background:#fafafa}
header{padding:12px 20px;background:#263238;color:#fff}
header h1{font-size:18px;margin:0}
header p{margin:4px 0 0;color:#cfd8dc}
main{display:flex;gap:12px;padding:12px 20px;align-items:flex-start}
.picture{flex:1 1 auto;overflow:auto;background:#fff;border:1px solid #ddd;
max-height:80vh}
aside{flex:0 0 340px;background:#fff;border:1px solid #ddd;padding:8px 12px;
max-height:80vh;overflow:auto;overflow-wrap:anywhere}
aside h2{font-size:15px;margin:4px 0}
aside ul{padding-left:18px;margin:4px 0}
aside li{margin:4px 0}
.kind{color:#616161;font-size:12px}
code{font:12px ui-monospace,monospace;background:#eceff1;padding:0 3px}
svg text{font:11px ui-monospace,"DejaVu Sans Mono",monospace;fill:#212121}
svg .title{font-weight:bold}
.el rect.box{stroke:#546e7a;stroke-width:1}
.k-vhost rect.box{fill:#e3f2fd}
.k-upstream rect.box{fill:#e8eaf6}
.k-node rect.box{fill:#e8f5e9}
.k-db rect.box{fill:#fff8e1}
.k-target rect.box,.k-member rect.box{fill:#fff;stroke-dasharray:5 3}
.k-wkagroup rect.box{fill:#f3e5f5;stroke:#8e24aa;stroke-dasharray:6 4}
.m-writer rect.box{stroke:#2e7d32;stroke-width:3}
.m-shared rect.box{stroke:#6d4c41;stroke-width:2}
.m-placeholder rect.box,.m-unreadable rect.box{stroke-dasharray:5 3}
.edge path{fill:none;stroke:#78909c;stroke-width:1.5}
.edge.k-wka path{stroke-dasharray:6 4;stroke:#8e24aa}
.edge.k-datasource path{stroke:#8d6e63}
.edge text{fill:#455a64;font-size:10px}
.el.sev-error rect.box,.edge.sev-error path{stroke:#c62828;stroke-width:3}
.el.sev-warning rect.box,.edge.sev-warning path{stroke:#ef6c00;stroke-width:3}
.el.sev-note rect.box,.edge.sev-note path{stroke:#1565c0;stroke-width:2}
.badge circle{stroke:#fff;stroke-width:1}
.badge text{fill:#fff;font-size:10px;font-weight:bold}
.sev-error .badge circle,.dot-error{fill:#c62828}
.sev-warning .badge circle,.dot-warning{fill:#ef6c00}
.sev-note .badge circle,.dot-note{fill:#1565c0}
.el,.edge{cursor:pointer;outline:none}
.el.active rect.box{stroke:#000;stroke-width:4}
.edge.active path{stroke:#000;stroke-width:3.5}
#arrow path{fill:#78909c}
section{padding:0 20px 20px}
section h2{font-size:16px}
.filters label{margin-right:16px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eceff1}
tr.picked td{background:#fff59d}
td.sev{font-weight:bold}
td.sev-error,li.sev-error b{color:#c62828}
td.sev-warning,li.sev-warning b{color:#e65100}
td.sev-note,li.sev-note b{color:#1565c0}
.hint{color:#616161}
""".lstrip()

JS = """
(function () {
  "use strict";
  var details = document.querySelectorAll(".detail");
  var items = document.querySelectorAll("svg .el, svg .edge");
  function show(id) {
    details.forEach(function (d) { d.hidden = d.getAttribute("data-for") !== id; });
    items.forEach(function (g) { g.classList.toggle("active", g.id === id); });
  }
  items.forEach(function (g) {
    ["mouseenter", "focus", "click"].forEach(function (type) {
      g.addEventListener(type, function () { show(g.id); });
    });
  });
  var rows = document.querySelectorAll("#findings tbody tr");
  var sev = document.getElementById("filter-severity");
  var rule = document.getElementById("filter-rule");
  var count = document.getElementById("filter-count");
  function filter() {
    var shownRows = 0;
    rows.forEach(function (r) {
      var ok = (!sev.value || r.getAttribute("data-severity") === sev.value) &&
        (!rule.value || r.getAttribute("data-rule") === rule.value);
      r.hidden = !ok;
      if (ok) { shownRows += 1; }
    });
    count.textContent = shownRows + " of " + rows.length + " findings shown";
  }
  sev.addEventListener("change", filter);
  rule.addEventListener("change", filter);
  rows.forEach(function (r) {
    r.addEventListener("click", function () {
      rows.forEach(function (o) { o.classList.toggle("picked", o === r); });
      var first = (r.getAttribute("data-items") || "").split(" ")[0];
      show(first || "overview");
      var target = first && document.getElementById(first);
      if (target && target.scrollIntoView) {
        target.scrollIntoView({block: "nearest"});
      }
    });
  });
  filter();
  show("overview");
})();
""".lstrip()


def csp_hash(text: str) -> str:
    """Return the CSP source expression allowing exactly this inline block."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


CSP = (
    f"default-src 'none'; style-src {csp_hash(CSS)}; script-src {csp_hash(JS)}; "
    "base-uri 'none'; form-action 'none'"
)


def _a(text: str) -> str:
    return escape(text, quote=True)


class _Ids:
    """Short DOM ids (``el-3``, ``ed-7``) in the graph's sorted order."""

    def __init__(self, graph: Graph) -> None:
        self.dom = {el.id: f"el-{i}" for i, el in enumerate(graph.elements)}
        self.dom.update({e.id: f"ed-{i}" for i, e in enumerate(graph.edges)})
        self.names = {el.id: el.title for el in graph.elements}


def _sev_class(found: list[Finding]) -> str:
    severity = worst(found)
    return f" sev-{severity}" if severity else ""


def _svg_element(graph: Graph, el: Element, box: Box, ids: _Ids) -> str:
    found = graph.findings_of(el.id)
    classes = (
        f"el k-{el.kind}" + "".join(f" m-{m}" for m in el.marks) + _sev_class(found)
    )
    tip = [el.title, *el.lines, *el.notes, *(_finding_line(f) for f in found)]
    out = [
        f'<g class="{classes}" id="{ids.dom[el.id]}" data-id="{_a(el.id)}" '
        f'data-kind="{el.kind}" tabindex="0">',
        f"<title>{_a(chr(10).join(tip))}</title>",
        f'<rect class="box" x="{num(box.x)}" y="{num(box.y)}" width="{num(box.w)}" '
        f'height="{num(box.h)}" rx="4"/>',
    ]
    text_x = num(box.x + PAD)
    for row, line in enumerate((el.title, *el.lines)):
        cls = ' class="title"' if row == 0 else ""
        y = box.y + PAD + LINE_H * (row + 0.8)
        out.append(f'<text x="{text_x}" y="{num(y)}"{cls}>{_a(line)}</text>')
    if found:
        cx, cy = box.x + box.w, box.y
        out.append(
            f'<g class="badge"><circle cx="{num(cx)}" cy="{num(cy)}" r="9"/>'
            f'<text x="{num(cx)}" y="{num(cy + 3.5)}" text-anchor="middle">'
            f"{len(found)}</text></g>"
        )
    out.append("</g>")
    return "".join(out)


def _svg_edge(graph: Graph, edge: Edge, lay: Layout, ids: _Ids) -> str:
    found = graph.findings_of(edge.id)
    path = lay.paths[edge.id]
    classes = f"edge k-{edge.kind}" + _sev_class(found)
    ends = f"{ids.names[edge.source]} -> {ids.names[edge.target]}"
    tip = [f"{edge.kind}: {ends}", edge.label, *(_finding_line(f) for f in found)]
    marker = "" if edge.kind == "datasource" else ' marker-end="url(#arrow)"'
    label = edge.label + (f" ({len(found)})" if found else "")
    return (
        f'<g class="{classes}" id="{ids.dom[edge.id]}" data-id="{_a(edge.id)}" '
        f'data-kind="{edge.kind}" tabindex="0">'
        f"<title>{_a(chr(10).join(t for t in tip if t))}</title>"
        f'<path d="{path.d}"{marker}/>'
        f'<text x="{num(path.lx)}" y="{num(path.ly - 3)}" text-anchor="{path.anchor}">'
        f"{_a(label)}</text></g>"
    )


def _finding_line(f: Finding) -> str:
    return shown(f"{f.severity.value} {f.rule_id} {f.location.label()}: {f.message}")


def render_svg(graph: Graph, lay: Layout) -> str:
    """Return the picture as inline SVG (edges under boxes)."""
    ids = _Ids(graph)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(lay.width)}" '
        f'height="{num(lay.height)}" viewBox="0 0 {num(lay.width)} {num(lay.height)}" '
        f'role="img" aria-label="cluster topology" data-layout="{lay.engine}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
        '<g class="edges">',
    ]
    out += [_svg_edge(graph, e, lay, ids) for e in graph.edges]
    out.append('</g><g class="elements">')
    out += [_svg_element(graph, el, lay.boxes[el.id], ids) for el in graph.elements]
    out.append("</g></svg>")
    return "\n".join(out)


def _finding_items(findings: list[Finding]) -> str:
    if not findings:
        return "<p>No findings here.</p>"
    items = [
        f'<li class="sev-{f.severity.value}"><b>{f.rule_id}</b> {f.severity.value}: '
        f"{_a(shown(f.message))}<br><code>{_a(shown(f.location.label()))}</code></li>"
        for f in findings
    ]
    return "<ul>" + "".join(items) + "</ul>"


def _details(graph: Graph, ids: _Ids) -> str:
    general = [graph.findings[i] for i in graph.general]
    out = [
        '<div class="detail" data-for="overview">',
        "<h2>Hover or focus a box or an arrow</h2>",
        "<p>Its settings and the findings that concern it appear here, with "
        "<code>file:line</code>. Boxes with a red, orange or blue frame have "
        "errors, warnings or notes; the green thick frame is the node that writes "
        "the shared registry.</p>",
        f"<h2>Findings about no single box ({len(general)})</h2>",
        _finding_items(general),
        "</div>",
    ]
    for el in graph.elements:
        found = graph.findings_of(el.id)
        lines = "".join(f"<li>{_a(line)}</li>" for line in (*el.lines, *el.notes))
        out.append(
            f'<div class="detail" data-for="{ids.dom[el.id]}" hidden>'
            f'<h2>{_a(el.title)}</h2><p class="kind">{KIND_NAMES[el.kind]}</p>'
            f"<ul>{lines}</ul><h2>Findings ({len(found)})</h2>"
            f"{_finding_items(found)}</div>"
        )
    for edge in graph.edges:
        found = graph.findings_of(edge.id)
        ends = f"{ids.names[edge.source]} \u2192 {ids.names[edge.target]}"
        out.append(
            f'<div class="detail" data-for="{ids.dom[edge.id]}" hidden>'
            f'<h2>{_a(ends)}</h2><p class="kind">{edge.kind} {_a(edge.label)}</p>'
            f"<h2>Findings ({len(found)})</h2>{_finding_items(found)}</div>"
        )
    return "\n".join(out)


def _items_of(graph: Graph) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for item, indices in graph.attached.items():
        for i in indices:
            found.setdefault(i, []).append(item)
    return found


def _table(graph: Graph, ids: _Ids) -> str:
    items = _items_of(graph)
    rules = sorted({f.rule_id for f in graph.findings})
    sev_options = "".join(f'<option value="{s}">{s}</option>' for s in SEVERITY_ORDER)
    rule_options = "".join(f'<option value="{r}">{r}</option>' for r in rules)
    out = [
        f"<section><h2>Findings ({len(graph.findings)})</h2>",
        '<p class="filters"><label>Severity <select id="filter-severity">'
        f'<option value="">all</option>{sev_options}</select></label>'
        '<label>Rule <select id="filter-rule">'
        f'<option value="">all</option>{rule_options}</select></label>'
        '<span id="filter-count"></span></p>',
        '<table id="findings"><thead><tr><th>Severity</th><th>Rule</th>'
        "<th>Node</th><th>Where</th><th>Message</th><th>In the picture</th>"
        "</tr></thead><tbody>",
    ]
    for i, f in enumerate(graph.findings):
        where = [f.location, *f.related]
        places = "<br>".join(f"<code>{_a(shown(loc.label()))}</code>" for loc in where)
        mine = items.get(i, [])
        names = ", ".join(_a(_item_name(graph, ids, item)) for item in mine)
        dom = " ".join(ids.dom[item] for item in mine)
        out.append(
            f'<tr data-severity="{f.severity.value}" data-rule="{f.rule_id}" '
            f'data-items="{dom}"><td class="sev sev-{f.severity.value}">'
            f"{f.severity.value}</td><td>{f.rule_id}</td>"
            f"<td>{_a(shown(f.node or 'nginx'))}</td><td>{places}</td>"
            f"<td>{_a(shown(f.message))}"
            f'<br><span class="hint">fix: {_a(shown(f.hint))}</span></td>'
            f"<td>{names or '(whole cluster)'}</td></tr>"
        )
    out.append("</tbody></table></section>")
    return "\n".join(out)


def _item_name(graph: Graph, ids: _Ids, item: str) -> str:
    if item in ids.names:
        return ids.names[item]
    edge = next(e for e in graph.edges if e.id == item)
    return f"{ids.names[edge.source]} \u2192 {ids.names[edge.target]}"


def graph_html(graph: Graph, lay: Layout) -> str:
    """Return the whole page for a placed graph."""
    ids = _Ids(graph)
    counts = summary(list(graph.findings)) or "no findings"
    layout_name = "Graphviz dot" if lay.engine == "graphviz" else "built-in layout"
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en"><head><meta charset="utf-8">',
                f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>eilint topology: {_a(graph.title)}</title>",
                f"<style>{CSS}</style></head><body>",
                f"<header><h1>eilint topology: {_a(graph.title)}</h1>",
                f"<p>{len(graph.elements)} boxes, {len(graph.edges)} arrows; "
                f"{_a(counts.split(':')[0])}; {layout_name}</p></header>",
                '<main><div class="picture">',
                render_svg(graph, lay),
                '</div><aside id="side">',
                _details(graph, ids),
                "</aside></main>",
                _table(graph, ids),
                f"<script>{JS}</script>",
                "</body></html>",
            ]
        )
        + "\n"
    )


def render_html(report: Report, stream: TextIO) -> None:
    """Write the report's topology page."""
    graph = graph_of(report)
    stream.write(graph_html(graph, layout(graph)))
