"""The cluster as a graph: nginx vhosts, upstreams, EI nodes, databases, WKA edges.

Built once from the cluster model and the findings, then drawn as HTML, DOT or
Mermaid. Every id is a canonical key made from what the element *is* (an
upstream's name, a node's name, a database's identity), and elements and edges
are kept sorted by it, so the output never depends on the order the nodes were
given in. Every string meant for display passes through the same redaction as
the other reports (JDBC URLs may embed credentials).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Iterator
from typing import TextIO

from msgspec import Struct
from msgspec.structs import replace

from eilint.findings import Finding
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.nginx import Directive
from eilint.model.xml import XmlElement
from eilint.report import Report
from eilint.report.redact import redact_message

# Columns of the drawing, left to right.
RANKS = {
    "vhost": 0,
    "upstream": 1,
    "node": 2,
    "target": 2,
    "member": 2,
    "wkagroup": 2,
    "db": 3,
}


class Span(Struct, frozen=True):
    """Lines ``first..last`` of one file that an element stands for."""

    path: str
    first: int
    last: int

    def holds(self, loc: Location) -> bool:
        """Return True when the location's line lies in this span."""
        line = loc.line
        return (
            loc.path == self.path
            and line is not None
            and self.first <= line <= self.last
        )


class Element(Struct, frozen=True):
    """A box of the picture: ``kind`` is vhost, upstream, node, target, member or db.

    ``marks`` are flags renderers style (``writer``: the registry's read-write
    node; ``shared``/``local`` databases; ``unknown``: no node answers there).
    """

    id: str
    kind: str
    title: str
    lines: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()
    # Shown beside the picture (side list, tooltip), not in the box.
    notes: tuple[str, ...] = ()


class Edge(Struct, frozen=True):
    """An arrow: ``kind`` is proxy, server, datasource or wka."""

    id: str
    kind: str
    source: str
    target: str
    label: str = ""
    spans: tuple[Span, ...] = ()


class Graph(Struct, frozen=True):
    """Elements and edges sorted by id; the findings each one concerns.

    ``attached`` maps an element or edge id to indices into ``findings`` (sorted);
    ``general`` holds the findings no element of the picture stands for.
    """

    title: str
    elements: tuple[Element, ...]
    edges: tuple[Edge, ...]
    findings: tuple[Finding, ...]
    attached: dict[str, tuple[int, ...]]
    general: tuple[int, ...]

    def findings_of(self, item_id: str) -> list[Finding]:
        """Return the findings attached to an element or edge."""
        return [self.findings[i] for i in self.attached.get(item_id, ())]


def shown(text: str) -> str:
    """Return ``text`` safe to show: secrets masked, control characters replaced."""
    return redact_message(text)


def jdbc_shown(raw: str) -> str:
    """Return a JDBC URL with user/password parts masked."""
    from eilint.model.jdbc import parse_jdbc_url

    parsed = parse_jdbc_url(raw.strip())
    return shown(parsed.redacted() if parsed is not None else raw.strip())


def last_line(el: XmlElement) -> int:
    """Return the last line an XML element's descendants start on."""
    return max((e.where.line or 0) for e in el.iter())


def directive_span(d: Directive) -> Span:
    """Return the lines a directive (and its block) covers in its own file."""
    last = d.where.line or 0
    stack = list(d.block or ())
    while stack:
        child = stack.pop()
        if child.where.path == d.where.path:
            last = max(last, child.where.line or 0)
        stack.extend(child.block or ())
    return Span(d.where.path, d.where.line or 0, last)


def line_span(loc: Location) -> Span:
    """Return the one-line span of a location."""
    return Span(loc.path, loc.line or 0, loc.line or 0)


class _Builder:
    """Collects elements and edges; repeated ids merge their spans."""

    def __init__(self) -> None:
        self.elements: dict[str, Element] = {}
        self.edges: dict[str, Edge] = {}

    def element(self, el: Element) -> str:
        # Every string shown passes here: redacted once, whatever built it.
        el = replace(
            el,
            id=shown(el.id),
            title=shown(el.title),
            lines=tuple(shown(line) for line in el.lines),
            notes=tuple(shown(note) for note in el.notes),
        )
        old = self.elements.get(el.id)
        if old is not None:
            el = replace(old, spans=_merged(old.spans, el.spans))
        self.elements[el.id] = el
        return el.id

    def element_id(self, raw: str) -> str:
        """Return the id an element built from ``raw`` has."""
        return shown(raw)

    def edge(
        self, kind: str, source: str, target: str, label: str, spans: Iterable[Span]
    ) -> None:
        source, target, label = shown(source), shown(target), shown(label)
        edge_id = f"{kind}:{source}->{target}|{label}"
        old = self.edges.get(edge_id)
        spans = tuple(spans)
        if old is not None:
            spans = _merged(old.spans, spans)
        self.edges[edge_id] = Edge(edge_id, kind, source, target, label, spans)


def _merged(a: tuple[Span, ...], b: Iterable[Span]) -> tuple[Span, ...]:
    return tuple(sorted({*a, *b}, key=lambda s: (s.path, s.first, s.last)))


def build_graph(
    cluster: Cluster, findings: Iterable[Finding], title: str = "cluster"
) -> Graph:
    """Build the topology graph of ``cluster`` with ``findings`` attached."""
    from eilint.report.topology_parts import add_databases
    from eilint.report.topology_parts import add_nginx
    from eilint.report.topology_parts import add_nodes
    from eilint.report.topology_parts import add_wka

    b = _Builder()
    add_nodes(b, cluster)
    add_nginx(b, cluster)
    add_databases(b, cluster)
    add_wka(b, cluster)
    elements = tuple(sorted(b.elements.values(), key=lambda e: e.id))
    edges = tuple(sorted(b.edges.values(), key=lambda e: e.id))
    ordered = tuple(sorted(findings, key=lambda f: f.sort_key()))
    attached, general = attach(elements, edges, ordered)
    return Graph(shown(title), elements, edges, ordered, attached, general)


def attach(
    elements: tuple[Element, ...],
    edges: tuple[Edge, ...],
    findings: tuple[Finding, ...],
) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """Attach each finding to the items its locations fall in (the narrowest)."""
    items: list[tuple[str, tuple[Span, ...]]] = [(e.id, e.spans) for e in elements]
    items += [(e.id, e.spans) for e in edges]
    by_path: dict[str, list[tuple[Span, str]]] = defaultdict(list)
    for item_id, spans in items:
        for span in spans:
            by_path[span.path].append((span, item_id))
    node_ids = {e.id for e in elements if e.kind == "node"}
    found: dict[str, list[int]] = defaultdict(list)
    general: list[int] = []
    for index, finding in enumerate(findings):
        targets: set[str] = set()
        for loc in (finding.location, *finding.related):
            targets.update(_targets(loc, by_path, node_ids))
        for target in sorted(targets):
            found[target].append(index)
        if not targets:
            general.append(index)
    return {k: tuple(v) for k, v in sorted(found.items())}, tuple(general)


def _targets(
    loc: Location, by_path: dict[str, list[tuple[Span, str]]], node_ids: set[str]
) -> Iterator[str]:
    holding = [
        (s.last - s.first, i) for s, i in by_path.get(loc.path, ()) if s.holds(loc)
    ]
    if holding:
        narrowest = min(width for width, _ in holding)
        yield from (i for width, i in holding if width == narrowest)
    elif loc.node and shown(f"node:{loc.node}") in node_ids:
        yield shown(f"node:{loc.node}")


def node_id(node: Node) -> str:
    """Return the canonical id of an EI node."""
    return f"node:{node.name}"


SEVERITY_ORDER = ("error", "warning", "note")


def worst(findings: Iterable[Finding]) -> str | None:
    """Return the worst severity among findings (None when there are none)."""
    present = {f.severity.value for f in findings}
    return next((s for s in SEVERITY_ORDER if s in present), None)


def summary(findings: list[Finding]) -> str:
    """Render ``2 errors, 1 warning: EDG002, NGX006`` (empty for no findings)."""
    if not findings:
        return ""
    counts = [
        (sum(1 for f in findings if f.severity.value == s), s) for s in SEVERITY_ORDER
    ]
    parts = [f"{n} {s}{'s' if n > 1 else ''}" for n, s in counts if n]
    rules = ", ".join(sorted({f.rule_id for f in findings}))
    return f"{', '.join(parts)}: {rules}"


def graph_of(report: Report) -> Graph:
    """Build the graph of a report (an empty picture when no model was kept)."""
    cluster = report.cluster or Cluster(nodes=())
    names = sorted(report.nodes)
    title = ", ".join(names[:6]) + (
        f" and {len(names) - 6} more" if len(names) > 6 else ""
    )
    if report.nginx:
        title += " + nginx"
    return build_graph(cluster, report.findings, title or "no nodes")


def render_topology(fmt: str, report: Report, stream: TextIO) -> None:
    """Write ``html``, ``dot`` or ``mermaid`` (each module imported only when used)."""
    if fmt == "html":
        from eilint.report.html import render_html

        render_html(report, stream)
    elif fmt == "dot":
        from eilint.report.dot import render_dot

        render_dot(report, stream)
    else:
        from eilint.report.mermaid import render_mermaid

        render_mermaid(report, stream)
