"""Place the topology graph: Graphviz ``dot`` when installed, else a layered layout.

Both engines give the same thing: a box per element (its size chosen here, from
its text) and an SVG path with a label point per edge, so the HTML page is drawn
by one renderer whichever engine placed it. ``EILINT_LAYOUT=builtin`` forces
the built-in engine (what ``pip install .`` alone gives).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import defaultdict

from msgspec import Struct

from eilint.report.topology import RANKS
from eilint.report.topology import Element
from eilint.report.topology import Graph

CHAR_W = 6.6  # 11px monospace
LINE_H = 14.0
PAD = 8.0
MARGIN = 12.0
ROW_GAP = 22.0
COLUMN_GAP = 170.0
DOT_TIMEOUT = 10.0
# Past this many arrows dot's crossing minimisation takes minutes: built-in.
MAX_DOT_EDGES = 2000


class Box(Struct, frozen=True):
    """An element's rectangle: top-left corner, width, height."""

    x: float
    y: float
    w: float
    h: float


class EdgePath(Struct, frozen=True):
    """An edge's SVG path data and where its label goes."""

    d: str
    lx: float
    ly: float
    anchor: str = "middle"


class Layout(Struct, frozen=True):
    """Where everything is; ``engine`` is ``graphviz`` or ``builtin``."""

    engine: str
    width: float
    height: float
    boxes: dict[str, Box]
    paths: dict[str, EdgePath]


def box_size(el: Element) -> tuple[float, float]:
    """Return the width and height an element's text needs."""
    longest = max(len(line) for line in (el.title, *el.lines))
    return longest * CHAR_W + 2 * PAD, (1 + len(el.lines)) * LINE_H + 2 * PAD


def layout(graph: Graph, engine: str | None = None) -> Layout:
    """Place ``graph``: Graphviz when asked or found, else the layered fallback."""
    engine = engine or os.environ.get("EILINT_LAYOUT", "auto")
    wanted = engine in ("auto", "graphviz") and len(graph.edges) <= MAX_DOT_EDGES
    dot = shutil.which("dot") if wanted else None
    if dot is not None:
        try:
            return graphviz_layout(graph, dot)
        except (OSError, subprocess.SubprocessError, ValueError, KeyError):
            pass  # a broken or slow Graphviz: the page still comes out
    return layered_layout(graph)


def num(value: float) -> str:
    """Render a coordinate with at most one decimal (``12``, ``12.5``)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def layout_dot(graph: Graph) -> str:
    """Return the DOT text Graphviz places (boxes of our size, no node labels)."""
    index = {el.id: i for i, el in enumerate(graph.elements)}
    out = [
        "digraph layout {",
        "rankdir=LR; nodesep=0.35; ranksep=1.2; splines=true;",
        'node [shape=box fixedsize=true label=""];',
        'edge [fontname="Courier" fontsize=11];',
    ]
    columns: dict[int, list[str]] = defaultdict(list)
    for i, el in enumerate(graph.elements):
        w, h = box_size(el)
        out.append(f"n{i} [width={w / 72:.3f} height={h / 72:.3f}];")
        columns[RANKS[el.kind]].append(f"n{i}")
    out += [f"{{rank=same; {' '.join(names)}}}" for _, names in sorted(columns.items())]
    for i, edge in enumerate(graph.edges):
        extra = " constraint=false" if edge.kind == "wka" else ""
        source, target = index[edge.source], index[edge.target]
        label = _quote(edge.label)
        out.append(f'n{source} -> n{target} [id="e{i}" label={label}{extra}];')
    out.append("}")
    return "\n".join(out) + "\n"


def graphviz_layout(graph: Graph, dot: str) -> Layout:
    """Run ``dot -Tjson`` (with a timeout) and read the positions back."""
    done = subprocess.run(
        [dot, "-Tjson"],
        input=layout_dot(graph),
        capture_output=True,
        text=True,
        timeout=DOT_TIMEOUT,
        check=True,
    )
    data = json.loads(done.stdout)
    height = float(data["bb"].split(",")[3])
    width = float(data["bb"].split(",")[2])

    def point(text: str) -> tuple[float, float]:
        x, y = text.split(",")[-2:]
        return float(x) + MARGIN, height - float(y) + MARGIN

    boxes: dict[str, Box] = {}
    for obj in data.get("objects", ()):
        name = obj.get("name", "")
        if "pos" not in obj or not name.startswith("n"):
            continue
        el = graph.elements[int(name[1:])]
        w, h = box_size(el)
        cx, cy = point(obj["pos"])
        boxes[el.id] = Box(cx - w / 2, cy - h / 2, w, h)
    paths: dict[str, EdgePath] = {}
    for obj in data.get("edges", ()):
        edge = graph.edges[int(obj["id"][1:])]
        paths[edge.id] = _spline(obj["pos"], obj.get("lp"), point)
    return Layout("graphviz", width + 2 * MARGIN, height + 2 * MARGIN, boxes, paths)


def _spline(pos: str, lp: str | None, point) -> EdgePath:  # type: ignore[no-untyped-def]
    end = None
    points = []
    for token in pos.split():
        if token.startswith("e,"):
            end = point(token[2:])
        elif not token.startswith("s,"):
            points.append(point(token))
    parts = [f"M{num(points[0][0])},{num(points[0][1])}"]
    for i in range(1, len(points) - 2, 3):
        chunk = points[i : i + 3]
        parts.append("C" + " ".join(f"{num(x)},{num(y)}" for x, y in chunk))
    if end is not None:
        parts.append(f"L{num(end[0])},{num(end[1])}")
    lx, ly = point(lp) if lp else points[len(points) // 2]
    return EdgePath(" ".join(parts), lx, ly)


# --- the built-in layered layout ---------------------------------------------


def _order(graph: Graph) -> dict[int, list[str]]:
    """Return each column's ids, ordered to cut crossings (barycentre sweeps)."""
    rank = {el.id: RANKS[el.kind] for el in graph.elements}
    columns: dict[int, list[str]] = defaultdict(list)
    for el in graph.elements:
        columns[rank[el.id]].append(el.id)
    links: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges:
        if rank[edge.source] != rank[edge.target]:
            links[edge.source].add(edge.target)
            links[edge.target].add(edge.source)
    last = max(columns, default=0)
    for sweep in (range(1, last + 1), range(last - 1, -1, -1)) * 2:
        for col in sweep:
            if not columns.get(col):
                continue
            position = {i: p for c in columns.values() for p, i in enumerate(c)}
            near = _Near(col, position, links, rank)
            columns[col].sort(key=near.key)
    return columns


class _Near:
    """Sort key of one sweep: the mean position of an item's neighbours."""

    def __init__(
        self,
        col: int,
        position: dict[str, int],
        links: dict[str, set[str]],
        rank: dict[str, int],
    ) -> None:
        self.col, self.position, self.links, self.rank = col, position, links, rank

    def key(self, item: str) -> tuple[float, str]:
        near = [
            self.position[o]
            for o in self.links[item]
            if abs(self.rank[o] - self.col) == 1
        ]
        mean = sum(near) / len(near) if near else float(self.position[item])
        return mean, item


def layered_layout(graph: Graph) -> Layout:
    """Place elements in columns (vhost, upstream, node, database), edges curved."""
    by_id = {el.id: el for el in graph.elements}
    columns = _order(graph)
    sizes = {el.id: box_size(el) for el in graph.elements}
    heights = {
        c: sum(sizes[i][1] for i in ids) + ROW_GAP * (len(ids) - 1)
        for c, ids in columns.items()
    }
    tallest = max(heights.values(), default=0.0)
    boxes: dict[str, Box] = {}
    x = MARGIN
    for col in sorted(columns):
        width = max(sizes[i][0] for i in columns[col])
        y = MARGIN + (tallest - heights[col]) / 2
        for item in columns[col]:
            w, h = sizes[item]
            boxes[item] = Box(x + (width - w) / 2, y, w, h)
            y += h + ROW_GAP
        x += width + COLUMN_GAP
    fan_out: dict[str, int] = defaultdict(int)
    fan_in: dict[str, int] = defaultdict(int)
    for e in graph.edges:
        fan_out[e.source] += 1
        fan_in[e.target] += 1
    paths = {}
    for e in graph.edges:
        # The label goes near the end with fewer edges, where it has room.
        at = 0.75 if fan_out[e.source] > fan_in[e.target] else 0.25
        ranks = (RANKS[by_id[e.source].kind], RANKS[by_id[e.target].kind])
        paths[e.id] = _curve(boxes[e.source], boxes[e.target], ranks, at)
    return Layout(
        "builtin", x - COLUMN_GAP + MARGIN + 60, tallest + 2 * MARGIN, boxes, paths
    )


def _cubic(points: list[tuple[float, float]]) -> str:
    (x0, y0), *rest = points
    return f"M{num(x0)},{num(y0)} C" + " ".join(f"{num(x)},{num(y)}" for x, y in rest)


def _along(points: list[tuple[float, float]], t: float) -> tuple[float, float]:
    """Return the point at ``t`` of a cubic Bezier curve."""
    weights = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3)
    x = sum(w * p[0] for w, p in zip(weights, points, strict=True))
    y = sum(w * p[1] for w, p in zip(weights, points, strict=True))
    return x, y


def _curve(a: Box, b: Box, ranks: tuple[int, int], at: float) -> EdgePath:
    rank_a, rank_b = ranks
    ay, by = a.y + a.h / 2, b.y + b.h / 2
    if rank_a == rank_b:
        # Same column (WKA): an arc out to the right of the column.
        x1, x2 = a.x + a.w, b.x + b.w
        bulge = max(x1, x2) + 40 + abs(by - ay) * 0.2
        d = _cubic([(x1, ay), (bulge, ay), (bulge, by), (x2, by)])
        return EdgePath(d, bulge - 10, (ay + by) / 2)
    x1, x2 = (a.x + a.w, b.x) if rank_a < rank_b else (a.x, b.x + b.w)
    mid = (x1 + x2) / 2
    points = [(x1, ay), (mid, ay), (mid, by), (x2, by)]
    # Text ends before the box it is near, so no box hides it.
    anchor = "end" if (at > 0.5) == (rank_a < rank_b) else "start"
    return EdgePath(_cubic(points), *_along(points, at), anchor)
