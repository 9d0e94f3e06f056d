"""A line chart as plain SVG, drawn on the server: no script, no fonts or files fetched."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 90, 24, 16, 44

_AS_OF = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-Q([1-4])|-H([12]))?$")


def as_of_date(text: str) -> dt.date | None:
    """The first day an ISO-like as_of names: 2025 → Jan 1, 2025-Q3 → Jul 1, 2025-H2 → Jul 1."""
    match = _AS_OF.fullmatch(text.strip())
    if not match:
        return None
    year, month, day, quarter, half = match.groups()
    if quarter:
        month = str(3 * int(quarter) - 2)
    elif half:
        month = "1" if half == "1" else "7"
    try:
        return dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def format_value(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4g}"


def line_chart(points: list[tuple[str, float]], title: str) -> str:
    """``points`` are (as_of, value) in order. X is proportional to time when every as_of is a date,
    evenly spaced otherwise."""
    if not points:
        raise ValueError("a chart needs at least one point")
    points, xs = _x_positions(points)
    values = [value for _, value in points]
    low, high = min(values), max(values)
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return round(LEFT + x * plot_w, 1)

    def py(value: float) -> float:
        return round(TOP + (high - value) / (high - low) * plot_h, 1)

    coords = [(px(x), py(value)) for x, value in zip(xs, values, strict=True)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="#888"/>',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" stroke="#888"/>',
    ]
    for value in (high, (high + low) / 2, low):
        y = py(value)
        parts.append(f'<line x1="{LEFT - 4}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#eee"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4}" text-anchor="end" font-size="12">'
                     f"{escape(format_value(value))}</text>")
    labels = {0, len(points) - 1} | ({len(points) // 2} if len(points) > 2 else set())
    for i in sorted(labels):
        anchor = "start" if i == 0 else "end" if i == len(points) - 1 else "middle"
        parts.append(f'<text x="{coords[i][0]}" y="{HEIGHT - BOTTOM + 18}" text-anchor="{anchor}" '
                     f'font-size="12">{escape(points[i][0])}</text>')
    if len(coords) > 1:
        line = " ".join(f"{x},{y}" for x, y in coords)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    for (x, y), (as_of, value) in zip(coords, points, strict=True):
        parts.append(f'<circle cx="{x}" cy="{y}" r="3.5" fill="#1f5fa8">'
                     f"<title>{escape(as_of)}: {escape(format_value(value))}</title></circle>")
    parts.append("</svg>")
    return "\n".join(parts)


def _x_positions(points: list[tuple[str, float]]) -> tuple[list[tuple[str, float]], list[float]]:
    """Points in time order with x in [0, 1]. Sorting by date, not text, puts 2025-Q1 before 2025-12."""
    if len(points) == 1:
        return points, [0.5]
    dated = [(as_of_date(as_of), (as_of, value)) for as_of, value in points]
    if all(day is not None for day, _ in dated):
        dated.sort(key=lambda item: item[0])
        first, last = dated[0][0].toordinal(), dated[-1][0].toordinal()
        if first != last:
            return [point for _, point in dated], [(day.toordinal() - first) / (last - first) for day, _ in dated]
        points = [point for _, point in dated]
    return points, [i / (len(points) - 1) for i in range(len(points))]
