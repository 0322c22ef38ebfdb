"""``--format dot``: the topology graph as Graphviz DOT text (deterministic)."""

from __future__ import annotations

from typing import TextIO

from eilint.report import Report
from eilint.report.topology import Edge
from eilint.report.topology import Element
from eilint.report.topology import Graph
from eilint.report.topology import graph_of
from eilint.report.topology import summary
from eilint.report.topology import worst

COLOURS = {"error": "#c62828", "warning": "#ef6c00", "note": "#1565c0"}
SHAPES = {
    "vhost": 'shape=box style="rounded"',
    "upstream": 'shape=box style="filled" fillcolor="#e8eaf6"',
    "node": 'shape=box style="filled" fillcolor="#e8f5e9"',
    "db": 'shape=cylinder style="filled" fillcolor="#fff8e1"',
    "target": 'shape=box style="dashed"',
    "member": 'shape=box style="dashed"',
    "wkagroup": 'shape=ellipse style="dashed"',
}
EDGE_STYLES = {
    "wka": 'style="dashed" constraint=false',
    "datasource": 'arrowhead="none"',
}


def quote(text: str) -> str:
    """Quote a DOT string (backslashes and quotes escaped, no raw newlines)."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\n", " ").replace("\r", " ") + '"'


def _label(lines: list[str]) -> str:
    # \l ends a left-justified line; escape each line, then join.
    body = "".join(quote(line)[1:-1] + "\\l" for line in lines)
    return f'"{body}"'


def _element(graph: Graph, el: Element) -> str:
    found = graph.findings_of(el.id)
    lines = [el.title, *el.lines]
    if "writer" in el.marks:
        lines[0] += "  [registry writer]"
    attrs = [f"label={_label(lines)}", SHAPES[el.kind], f'class="{el.kind}"']
    if "writer" in el.marks:
        attrs.append("penwidth=2")
    severity = worst(found)
    if severity is not None:
        lines_note = summary(found)
        attrs[0] = f"label={_label([*lines, '! ' + lines_note])}"
        attrs += [
            f'color="{COLOURS[severity]}"',
            "penwidth=2",
            f"tooltip={quote(lines_note)}",
        ]
    return f"  {quote(el.id)} [{' '.join(attrs)}];"


def _edge(graph: Graph, edge: Edge) -> str:
    found = graph.findings_of(edge.id)
    label = edge.label
    attrs = [f'class="{edge.kind}"']
    if edge.kind in EDGE_STYLES:
        attrs.append(EDGE_STYLES[edge.kind])
    severity = worst(found)
    if severity is not None:
        rules = ", ".join(sorted({f.rule_id for f in found}))
        label = f"{label} [{rules}]".strip()
        attrs += [f'color="{COLOURS[severity]}"', f"tooltip={quote(summary(found))}"]
    attrs.insert(0, f"label={quote(label)}")
    return f"  {quote(edge.source)} -> {quote(edge.target)} [{' '.join(attrs)}];"


def graph_dot(graph: Graph) -> str:
    """Return the graph as DOT text, elements and edges in id order."""
    out = [
        f"// eilint topology: {graph.title}",
        "// nginx vhosts -> upstreams -> node ports; datasources -> databases; "
        "WKA members (dashed)",
        "digraph eilint {",
        "  rankdir=LR;",
        '  node [fontname="Helvetica" fontsize=10];',
        '  edge [fontname="Helvetica" fontsize=9];',
    ]
    out += [_element(graph, el) for el in graph.elements]
    for kind in ("vhost", "upstream", "db"):
        ids = [quote(el.id) for el in graph.elements if el.kind == kind]
        if ids:
            out.append(f"  {{ rank=same; {' '.join(ids)} }}")
    out += [_edge(graph, edge) for edge in graph.edges]
    out.append("}")
    return "\n".join(out) + "\n"


def render_dot(report: Report, stream: TextIO) -> None:
    """Write the report's topology as DOT."""
    stream.write(graph_dot(graph_of(report)))
