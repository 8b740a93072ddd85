"""A dependency-free SVG plot of time against N (log–log) for the fast and stock paths."""

from __future__ import annotations

import math
from typing import Any

W, H, M = 640, 400, 60


def _series(
    report: dict[str, Any], projected: set[tuple[str, int]]
) -> dict[str, list[tuple[int, float]]]:
    """The points of each line; ``projected`` collects those projected from a sample."""
    series: dict[str, list[tuple[int, float]]] = {
        "end to end: cdkg load --engine fast": [],
        "fast engine steps (bulk load + validate + classify)": [],
        "stock path, partitioned (2 processes; ○ projected from a sample)": [],
        "stock path, whole graph": [],
    }
    names = list(series)
    for n, entry in report["sizes"].items():
        if entry.get("end_to_end_seconds"):
            series[names[0]].append((int(n), float(entry["end_to_end_seconds"])))
        if entry.get("steps_seconds"):
            series[names[1]].append((int(n), float(entry["steps_seconds"])))
        for name, key in ((names[2], "stock"), (names[3], "stock_whole")):
            st = entry.get(key)
            if st and st.get("ok") and st.get("projected_seconds"):
                projected.add((name, int(n)))
                series[name].append((int(n), float(st["projected_seconds"])))
            elif st and (st.get("ok") or st.get("timeout")):
                series[name].append((int(n), float(st["seconds"])))
    return series


def svg_plot(report: dict[str, Any]) -> str:
    projected: set[tuple[str, int]] = set()
    series = _series(report, projected)
    points = [p for s in series.values() for p in s]
    if not points:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'
    xs = [math.log10(n) for n, _ in points]
    ys = [math.log10(max(t, 0.01)) for _, t in points]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    y0, y1 = math.floor(min(ys)), math.ceil(max(ys))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)

    def px(n: float, t: float) -> tuple[float, float]:
        x = M + (math.log10(n) - x0) / (x1 - x0) * (W - 2 * M)
        y = H - M - (math.log10(max(t, 0.01)) - y0) / (y1 - y0) * (H - 2 * M)
        return round(x, 1), round(y, 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{W}" height="{H}" fill="white"/>',
        f'<text x="{W / 2}" y="20" text-anchor="middle" font-size="14">'
        "Time against registry size (log–log)</text>",
    ]
    for e in range(x0, x1 + 1):
        x, _ = px(10**e, 1)
        out.append(f'<line x1="{x}" y1="{M}" x2="{x}" y2="{H - M}" stroke="#ddd"/>')
        out.append(f'<text x="{x}" y="{H - M + 18}" text-anchor="middle">{10**e:,}</text>')
    for e in range(y0, y1 + 1):
        _, y = px(10**x0, 10**e)
        out.append(f'<line x1="{M}" y1="{y}" x2="{W - M}" y2="{y}" stroke="#ddd"/>')
        out.append(f'<text x="{M - 6}" y="{y + 4}" text-anchor="end">{10**e:g} s</text>')
    out.append(f'<text x="{W / 2}" y="{H - 15}" text-anchor="middle">initiatives</text>')
    colours = ("#1f77b4", "#17becf", "#d62728", "#ff7f0e")
    for (label, pts), colour, row in zip(series.items(), colours, range(4), strict=True):
        if not pts:
            continue
        coords = [(px(n, t), (label, n) in projected) for n, t in sorted(pts)]
        path = " ".join(f"{x},{y}" for (x, y), _ in coords)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for (x, y), hollow in coords:
            fill = 'fill="white" stroke-width="2"' if hollow else f'fill="{colour}"'
            out.append(f'<circle cx="{x}" cy="{y}" r="4" {fill} stroke="{colour}"/>')
        ly = M + 10 + 18 * row
        out.append(f'<rect x="{M + 10}" y="{ly - 9}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{M + 28}" y="{ly + 1}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
