"""Render benchmark results: the timing and memory tables and the target checks."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from measure import Series

Result = tuple[dict[str, int], dict[str, Series]]
TIME_COLS = ("eilint", "eilint-noxsd", "floor", "gixy-ng", "xmllint", "python")


def _secs(tools: dict[str, Series], name: str) -> str:
    return f"{tools[name].wall:.3f}" if name in tools else "n/a"


def _ratio(tools: dict[str, Series], a: str, b: str) -> str:
    if a not in tools or b not in tools:
        return "n/a"
    return f"{tools[a].wall / tools[b].wall:.2f}x"


def time_table(results: Sequence[Result]) -> list[str]:
    """Median wall seconds per tool and size, with eilint's ratios."""
    head = (
        "| nodes | XML files | input MB | eilint s | (spread) | eilint no-XSD s "
        "| floor s | eilint/floor | gixy-ng s | eilint/gixy-ng | xmllint s "
        "| python -c pass s |"
    )
    lines = [head, "|" + "---:|" * 12]
    for stats, tools in results:
        spread = f"{tools['eilint'].spread:.3f}"
        lines.append(
            f"| {stats['nodes']} | {stats['xml_files']} | {stats['bytes'] / 1e6:.1f} "
            f"| {_secs(tools, 'eilint')} | {spread} | {_secs(tools, 'eilint-noxsd')} "
            f"| {_secs(tools, 'floor')} | {_ratio(tools, 'eilint', 'floor')} "
            f"| {_secs(tools, 'gixy-ng')} | {_ratio(tools, 'eilint', 'gixy-ng')} "
            f"| {_secs(tools, 'xmllint')} | {_secs(tools, 'python')} |"
        )
    return lines


def memory_table(results: Sequence[Result]) -> list[str]:
    """Median peak RSS per tool and size."""
    names = ("eilint", "eilint-noxsd", "floor", "gixy-ng", "xmllint", "python")
    lines = [
        "| nodes | " + " | ".join(f"{n} MiB" for n in names) + " |",
        "|" + "---:|" * (len(names) + 1),
    ]
    for stats, tools in results:
        cells = [f"{tools[n].rss_mib:.1f}" if n in tools else "n/a" for n in names]
        lines.append(f"| {stats['nodes']} | " + " | ".join(cells) + " |")
    return lines


def _marginal(results: Sequence[Result], tool: str, attr: str) -> list[str]:
    out = []
    for (s1, t1), (s2, t2) in itertools.pairwise(results):
        if tool not in t1:
            continue
        delta = getattr(t2[tool], attr) - getattr(t1[tool], attr)
        per = delta / (s2["nodes"] - s1["nodes"])
        unit = "ms" if attr == "wall" else "MiB"
        scale = 1000 if attr == "wall" else 1
        out.append(f"{s1['nodes']}->{s2['nodes']}: {per * scale:.2f} {unit}/node")
    return out


def scaling_lines(results: Sequence[Result]) -> list[str]:
    """Marginal cost per added node between consecutive sizes."""
    lines = []
    for tool in ("eilint", "floor"):
        lines.append(f"- {tool} time: " + ", ".join(_marginal(results, tool, "wall")))
        lines.append(
            f"- {tool} peak RSS: " + ", ".join(_marginal(results, tool, "rss_mib"))
        )
    return lines


def _by_nodes(results: Sequence[Result]) -> dict[int, dict[str, Series]]:
    return {stats["nodes"]: tools for stats, tools in results}


def _verdict(ok: bool) -> str:
    return "HOLDS" if ok else "FAILS"


def targets(results: Sequence[Result]) -> list[str]:
    """Check the issue's targets against the measured medians."""
    by = _by_nodes(results)
    lines = []
    if 2 in by:
        t = by[2]
        ratio = t["eilint"].wall / t["floor"].wall
        ok = _verdict(ratio <= 2.5)
        lines.append(f"- 2 nodes, eilint <= 2.5x floor: {ratio:.2f}x {ok}")
        if "gixy-ng" in t:
            e, g = t["eilint"].wall, t["gixy-ng"].wall
            ok = _verdict(e < g)
            lines.append(
                "- 2 nodes, eilint (cluster + nginx) < gixy-ng (nginx tree alone): "
                f"{e:.3f} s vs {g:.3f} s {ok}"
            )
    big = max(by)
    if big >= 100:
        ratio = by[big]["eilint"].wall / by[big]["floor"].wall
        ok = _verdict(ratio <= 1.5)
        lines.append(f"- {big} nodes, eilint <= 1.5x floor: {ratio:.2f}x {ok}")
    lines += _linearity(by)
    return lines


def _linearity(by: dict[int, dict[str, Series]]) -> list[str]:
    sizes = sorted(n for n in by if n >= 20)
    if len(sizes) < 3:
        return ["- linearity: needs three sizes of 20 nodes or more (not --quick)"]
    a, b, c = sizes[-3:]
    lines = []
    for attr, unit, what in (("wall", "ms", "time"), ("rss_mib", "MiB", "peak RSS")):
        first = _slope(by, a, b, attr)
        last = _slope(by, b, c, attr)
        growth = last / first if first > 0 else float("inf")
        scale = 1000 if unit == "ms" else 1
        ok = _verdict(growth <= 1.3)
        lines.append(
            f"- eilint {what} per added node {a}->{b}: {first * scale:.2f} {unit}, "
            f"{b}->{c}: {last * scale:.2f} {unit} (x{growth:.2f}; linear if <= 1.3) "
            f"{ok}"
        )
    slope = _slope(by, b, c, "rss_mib") * 1.048576
    ok = _verdict(slope <= 1.0)
    lines.append(f"- eilint peak RSS slope {b}->{c}: {slope:.3f} MB/node (<= 1) {ok}")
    return lines


def _slope(by: dict[int, dict[str, Series]], n1: int, n2: int, attr: str) -> float:
    """Growth of eilint's ``attr`` per added node between two sizes."""
    delta = getattr(by[n2]["eilint"], attr) - getattr(by[n1]["eilint"], attr)
    return float(delta) / (n2 - n1)


def render(results: Sequence[Result]) -> str:
    """The whole report as Markdown."""
    parts = [
        "Wall time (median of the runs; fresh process each run):",
        "",
        *time_table(results),
        "",
        "Peak RSS (median):",
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
