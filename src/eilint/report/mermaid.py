"""``--format mermaid``: the topology graph as a Mermaid flowchart (deterministic)."""

from __future__ import annotations

import re
from typing import TextIO

from eilint.report import Report
from eilint.report.topology import Graph
from eilint.report.topology import graph_of
from eilint.report.topology import summary
from eilint.report.topology import worst

_NOT_ID = re.compile(r"[^A-Za-z0-9]+")
# Mermaid's shape brackets per element kind.
SHAPES = {
    "vhost": ("(", ")"),
    "upstream": ("[[", "]]"),
    "node": ("[", "]"),
    "db": ("[(", ")]"),
    "target": ("{{", "}}"),
    "member": ("{{", "}}"),
    "wkagroup": ("((", "))"),
}
ARROWS = {"wka": "-.->", "datasource": "---"}
CLASSES = (
    "classDef error stroke:#c62828,stroke-width:3px",
    "classDef warning stroke:#ef6c00,stroke-width:3px",
    "classDef note stroke:#1565c0,stroke-width:2px",
    "classDef writer fill:#c8e6c9,stroke-width:2px",
)


def text(value: str) -> str:
    """Escape a label for a quoted Mermaid string (entity codes)."""
    value = value.replace("#", "#35;").replace('"', "#quot;").replace("`", "#96;")
    return value.replace("<", "#lt;").replace(">", "#gt;").replace("\n", " ")


def mermaid_ids(graph: Graph) -> dict[str, str]:
    """Give each element a Mermaid-safe id from its canonical id (sorted, unique)."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for el in graph.elements:
        base = _NOT_ID.sub("_", el.id).strip("_") or "n"
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        ids[el.id] = name
    return ids


def graph_mermaid(graph: Graph) -> str:
    """Return the graph as a Mermaid flowchart, elements and edges in id order."""
    ids = mermaid_ids(graph)
    out = [f"%% eilint topology: {text(graph.title)}", "flowchart LR"]
    marked: dict[str, list[str]] = {
        "error": [],
        "warning": [],
        "note": [],
        "writer": [],
    }
    for el in graph.elements:
        lines = [el.title, *el.lines]
        found = graph.findings_of(el.id)
        severity = worst(found)
        if severity is not None:
            lines.append("! " + summary(found))
            marked[severity].append(ids[el.id])
        if "writer" in el.marks:
            lines[0] += " [registry writer]"
            marked["writer"].append(ids[el.id])
        left, right = SHAPES[el.kind]
        label = "<br/>".join(text(line) for line in lines)
        out.append(f'  {ids[el.id]}{left}"{label}"{right}')
    links: dict[str, list[str]] = {"error": [], "warning": [], "note": []}
    for number, edge in enumerate(graph.edges):
        found = graph.findings_of(edge.id)
        label = edge.label
        severity = worst(found)
        if severity is not None:
            label = f"{label} [{', '.join(sorted({f.rule_id for f in found}))}]".strip()
            links[severity].append(str(number))
        arrow = ARROWS.get(edge.kind, "-->")
        middle = f'|"{text(label)}"|' if label else ""
        out.append(f"  {ids[edge.source]} {arrow}{middle} {ids[edge.target]}")
    out += [f"  {line}" for line in CLASSES]
    out += [f"  class {','.join(v)} {k}" for k, v in marked.items() if v]
    colours = {"error": "#c62828", "warning": "#ef6c00", "note": "#1565c0"}
    out += [
        f"  linkStyle {','.join(v)} stroke:{colours[k]},stroke-width:2px"
        for k, v in links.items()
        if v
    ]
    return "\n".join(out) + "\n"


def render_mermaid(report: Report, stream: TextIO) -> None:
    """Write the report's topology as Mermaid."""
    stream.write(graph_mermaid(graph_of(report)))
