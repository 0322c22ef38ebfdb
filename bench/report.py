"""Render benchmark results: time and memory tables, scaling and target checks."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from measure import Series

Result = tuple[dict[str, int], dict[str, Series]]
TOOLS = (
    "eilint",
    "eilint-noxsd",
    "eilint-first",
    "floor",
    "gixy-ng",
    "xmllint",
    "python",
)


def _cell(tools: dict[str, Series], name: str, attr: str) -> str:
    return f"{getattr(tools[name], attr):.3f}" if name in tools else "-"


def _ratio(tools: dict[str, Series], a: str, b: str, attr: str) -> str:
    if a not in tools or b not in tools:
        return "-"
    return f"{getattr(tools[a], attr) / getattr(tools[b], attr):.2f}x"


def time_table(results: Sequence[Result], attr: str) -> list[str]:
    """Median seconds (wall or CPU) per tool and size, with eilint's ratios."""
    head = "| nodes | XML files | input MB | " + " | ".join(TOOLS)
    lines = [
        head + " | eilint/floor | eilint/gixy-ng |",
        "|" + "---:|" * (len(TOOLS) + 5),
    ]
    for stats, tools in results:
        cells = " | ".join(_cell(tools, name, attr) for name in TOOLS)
        lines.append(
            f"| {stats['nodes']} | {stats['xml_files']} | {stats['bytes'] / 1e6:.1f} "
            f"| {cells} | {_ratio(tools, 'eilint', 'floor', attr)} "
            f"| {_ratio(tools, 'eilint', 'gixy-ng', attr)} |"
        )
    return lines


def memory_table(results: Sequence[Result]) -> list[str]:
    """Median peak RSS (MiB) per tool and size."""
    lines = [
        "| nodes | " + " | ".join(TOOLS) + " |",
        "|" + "---:|" * (len(TOOLS) + 1),
    ]
    for stats, tools in results:
        cells = [f"{tools[n].rss_mib:.1f}" if n in tools else "-" for n in TOOLS]
        lines.append(f"| {stats['nodes']} | " + " | ".join(cells) + " |")
    return lines


def _marginal(results: Sequence[Result], tool: str, attr: str) -> list[str]:
    out = []
    for (s1, t1), (s2, t2) in itertools.pairwise(results):
        if tool not in t1 or tool not in t2:
            continue
        per = (getattr(t2[tool], attr) - getattr(t1[tool], attr)) / (
            s2["nodes"] - s1["nodes"]
        )
        value = f"{per * 1000:.2f} ms" if attr != "rss_mib" else f"{per:.3f} MiB"
        out.append(f"{s1['nodes']}->{s2['nodes']}: {value}")
    return out


def scaling_lines(results: Sequence[Result]) -> list[str]:
    """Marginal cost per added node between consecutive sizes."""
    lines = []
    for tool in ("eilint", "eilint-noxsd", "floor"):
        for attr, what in (("wall", "wall"), ("cpu", "CPU"), ("rss_mib", "peak RSS")):
            steps = _marginal(results, tool, attr)
            if steps:
                lines.append(f"- {tool} {what} per node: " + ", ".join(steps))
    return lines


def _verdict(ok: bool) -> str:
    return "HOLDS" if ok else "FAILS"


def _both(tools: dict[str, Series], a: str, b: str, limit: float) -> str:
    wall = tools[a].wall / tools[b].wall
    cpu = tools[a].cpu / tools[b].cpu
    return (
        f"wall {wall:.2f}x {_verdict(wall <= limit)}, "
        f"CPU {cpu:.2f}x {_verdict(cpu <= limit)}"
    )


def targets(results: Sequence[Result]) -> list[str]:
    """Check the issue's targets against the measured medians."""
    by = {stats["nodes"]: tools for stats, tools in results}
    lines = []
    if 2 in by:
        t = by[2]
        lines.append(
            f"- 2 nodes, eilint <= 2.5x floor: {_both(t, 'eilint', 'floor', 2.5)}"
        )
        if "eilint-first" in t:
            lines.append(
                "- 2 nodes, first run after install <= 1.2x a warm run: "
                f"{_both(t, 'eilint-first', 'eilint', 1.2)}"
            )
        if "gixy-ng" in t:
            lines.append(
                "- 2 nodes, eilint (cluster + nginx) below gixy-ng (nginx tree "
                f"alone): {_both(t, 'eilint', 'gixy-ng', 1.0)}"
            )
    big = max(by)
    if big >= 100:
        lines.append(
            f"- {big} nodes, eilint <= 1.5x floor: "
            f"{_both(by[big], 'eilint', 'floor', 1.5)}"
        )
    return lines + _linearity(by)


def _slope(by: dict[int, dict[str, Series]], n1: int, n2: int, attr: str) -> float:
    delta = getattr(by[n2]["eilint"], attr) - getattr(by[n1]["eilint"], attr)
    return float(delta) / (n2 - n1)


def _linearity(by: dict[int, dict[str, Series]]) -> list[str]:
    sizes = sorted(n for n in by if n >= 20)
    if len(sizes) < 3:
        return ["- linearity: needs three sizes of 20 nodes or more (not --quick)"]
    a, b, c = sizes[-3:]
    lines = []
    for attr, what in (("cpu", "CPU"), ("wall", "wall"), ("rss_mib", "peak RSS")):
        first, last = _slope(by, a, b, attr), _slope(by, b, c, attr)
        growth = last / first if first > 0 else float("inf")
        unit, scale = ("MiB", 1) if attr == "rss_mib" else ("ms", 1000)
        lines.append(
            f"- eilint {what} per added node {a}->{b}: {first * scale:.2f} {unit}, "
            f"{b}->{c}: {last * scale:.2f} {unit} (x{growth:.2f}; linear if <= 1.3) "
            f"{_verdict(growth <= 1.3)}"
        )
    slope = _slope(by, b, c, "rss_mib") * 1.048576
    ok = _verdict(slope <= 1.0)
    lines.append(f"- eilint peak RSS per node {b}->{c}: {slope:.3f} MB (<= 1) {ok}")
    return lines


def render(results: Sequence[Result], header: list[str]) -> str:
    """The whole report as Markdown."""
    parts = [
        *header,
        "",
        "Wall time, seconds (median; a fresh process each run):",
        "",
        *time_table(results, "wall"),
        "",
        "CPU time (user + system), seconds (median):",
        "",
        *time_table(results, "cpu"),
        "",
        "Peak RSS, MiB (median):",
        "",
        *memory_table(results),
        "",
        "Marginal cost per added node:",
        "",
        *scaling_lines(results),
        "",
        "Targets:",
        "",
        *targets(results),
    ]
    return "\n".join(parts) + "\n"
