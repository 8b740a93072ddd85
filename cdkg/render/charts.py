"""Inline SVG charts for the web pages: the participation profile and simple bar charts.

Every chart reads without colour: values are written as text next to each bar, the
participation levels that are sufficient for citizen data (¶12, ¶24) are drawn with a
hatch pattern *and* marked in words, and each ``<svg>`` carries a ``<title>`` and a
``<desc>`` that say in a sentence what the picture shows (``role="img"``). The pages
also give the same figures as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

#: Width of the label column and of one participation level, in SVG user units.
_LABEL_W = 230
_LEVEL_W = 78
_ROW_H = 30
_TOP = 64


@dataclass(frozen=True)
class ProfileRow:
    """One stage of the data value chain and the highest level citizens took part at."""

    stage: str
    label: str
    #: A narrower stage (the parts of design) is drawn indented under its broader stage.
    narrower: bool = False
    rank: int | None = None
    level_label: str | None = None
    href: str | None = None
    gsbpm: tuple[str, ...] = field(default=())


def _attr(text: str) -> str:
    return escape(text, quote=True)


def profile_description(rows: Sequence[ProfileRow]) -> str:
    """The chart in one sentence per stage (its ``<desc>`` and the alt text)."""
    parts = []
    for row in rows:
        if row.rank is None:
            parts.append(f"{row.label}: not recorded")
        else:
            parts.append(f"{row.label}: level {row.rank}, {row.level_label or ''}".rstrip(", "))
    return "; ".join(parts) + "." if parts else "No engagement is recorded."


def participation_profile_svg(
    rows: Sequence[ProfileRow],
    levels: Sequence[tuple[int, str]],
    *,
    title: str,
    chart_id: str = "profile",
    sufficient_rank: int = 4,
) -> str:
    """Stages (rows) × participation levels (columns): one bar per stage up to its level.

    ``levels`` are ``(rank, label)`` pairs in rank order. Bars at a sufficient level are
    hatched and say "sufficient"; stages without a recorded engagement say "not recorded".
    """
    n_levels = max((r for r, _ in levels), default=5)
    width = _LABEL_W + _LEVEL_W * n_levels + 250
    height = _TOP + _ROW_H * max(len(rows), 1) + 34
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart profile" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{tid} {did}" id="{_attr(chart_id)}">',
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(profile_description(rows))}</desc>',
        "<defs>",
        f'<pattern id="{chart_id}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="8" height="8" class="bar-sufficient"/>'
        '<line x1="0" y1="0" x2="0" y2="8" class="hatch"/></pattern>',
        f'<pattern id="{chart_id}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" class="bar-low"/>'
        '<circle cx="3" cy="3" r="1.1" class="dot"/></pattern>',
        "</defs>",
    ]
    # Column headings: level number and name.
    for rank, label in levels:
        x = _LABEL_W + _LEVEL_W * (rank - 1) + _LEVEL_W / 2
        # Level names alternate between two lines so long names do not overlap.
        name_y = 34 if rank % 2 else 46
        out.append(
            f'<text x="{x:.0f}" y="18" class="axis" text-anchor="middle">{rank}</text>'
            f'<text x="{x:.0f}" y="{name_y}" class="axis small" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    grid_bottom = _TOP + _ROW_H * len(rows)
    for rank, _ in levels:
        x = _LABEL_W + _LEVEL_W * rank
        out.append(f'<line x1="{x}" y1="{_TOP - 8}" x2="{x}" y2="{grid_bottom}" class="grid"/>')
    # The threshold: levels at or above it are sufficient at design and collection.
    tx = _LABEL_W + _LEVEL_W * (sufficient_rank - 1)
    out.append(
        f'<line x1="{tx}" y1="{_TOP - 14}" x2="{tx}" y2="{grid_bottom + 6}" class="threshold"/>'
        f'<text x="{tx + 4}" y="{grid_bottom + 22}" class="axis small">'
        f"levels {sufficient_rank}+ are sufficient at design and collection</text>"
    )
    for i, row in enumerate(rows):
        y = _TOP + _ROW_H * i
        indent = 18 if row.narrower else 0
        # No links inside the chart: an image must not hold interactive content (the
        # engagements table beside it links every stage).
        label = escape(row.label)
        out.append(
            f'<text x="{8 + indent}" y="{y + 20}" class="stage{" narrower" if indent else ""}">'
            f"{label}</text>"
        )
        if row.rank is None:
            out.append(f'<text x="{_LABEL_W + 6}" y="{y + 20}" class="missing">not recorded</text>')
            continue
        sufficient = row.rank >= sufficient_rank
        fill = f"url(#{chart_id}-{'hatch' if sufficient else 'dots'})"
        bar_w = _LEVEL_W * row.rank
        words = f"{row.rank} {row.level_label or ''}".strip()
        if sufficient:
            words += " (sufficient)"
        out.append(
            f'<rect x="{_LABEL_W}" y="{y + 5}" width="{bar_w}" height="{_ROW_H - 10}" '
            f'fill="{fill}" class="bar {"sufficient" if sufficient else "low"}">'
            f"<title>{escape(row.label)}: {escape(words)}</title></rect>"
            f'<text x="{_LABEL_W + bar_w + 6}" y="{y + 20}" class="value">{escape(words)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None
    #: A second, smaller number written beside the value (e.g. how many are citizen data).
    note: str | None = None


def bar_chart_svg(bars: Sequence[Bar], *, title: str, chart_id: str, unit: str = "") -> str:
    """A horizontal bar chart with the value written at the end of every bar."""
    label_w, bar_max, row_h = 300, 360, 26
    top = 8
    height = top + row_h * max(len(bars), 1) + 8
    width = label_w + bar_max + 200
    most = max((b.value for b in bars), default=0) or 1
    sentence = "; ".join(
        f"{b.label}: {b.value}" + (f" {unit}" if unit else "") + (f" ({b.note})" if b.note else "")
        for b in bars
    )
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="{tid} {did}" '
        f'id="{_attr(chart_id)}">',
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(sentence or "No data.")}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = top + row_h * i
        label = escape(bar.label)  # links live in the table beside the chart
        w = round(bar_max * bar.value / most)
        text = f"{bar.value}" + (f" ({bar.note})" if bar.note else "")
        out.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="stage">{label}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 8}" class="bar count"/>'
            f'<text x="{label_w + w + 6}" y="{y + 17}" class="value">{escape(text)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
