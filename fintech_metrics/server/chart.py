"""A line chart as plain SVG, drawn on the server: no script, no fonts or files fetched."""

from __future__ import annotations

import datetime as dt
import math
import re
from html import escape

WIDTH, HEIGHT = 640, 280
RIGHT, TOP, BOTTOM = 24, 16, 44

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


_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def format_tick(value: float) -> str:
    """An axis label short enough to stay inside the frame: 226,000,000,000 → 226B, 1,500 → 1,500."""
    for scale, suffix in _SCALES:
        if abs(value) >= scale * 10 or (scale >= 1e6 and abs(value) >= scale):
            return f"{value / scale:,.4g}{suffix}"
    return format_value(float(round(value, 6)))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) that cover [low, high]."""
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.5:
        ticks.append(float(round(value, 10)))
        value += step
    if ticks[-1] < high:
        ticks.append(float(round(value, 10)))
    return ticks


CHAR_WIDTH = 7  # px of one character of the 12px labels, near enough to keep them inside the frame


def line_chart(points: list[tuple[str, float]], title: str, unit: str = "") -> str:
    """``points`` are (as_of, value) in order. X is proportional to time when every as_of is a date,
    evenly spaced otherwise. The y axis has round ticks and says its ``unit``."""
    if not points:
        raise ValueError("a chart needs at least one point")
    points, xs = _x_positions(points)
    values = [value for _, value in points]
    ticks = nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    labels = [format_tick(t) for t in ticks]
    left = 28 + CHAR_WIDTH * max(len(label) for label in labels) + 8
    plot_w, plot_h = WIDTH - left - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return round(left + x * plot_w, 1)

    def py(value: float) -> float:
        return round(TOP + (high - value) / (high - low) * plot_h, 1)

    coords = [(px(x), py(value)) for x, value in zip(xs, values, strict=True)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{TOP}" x2="{left}" y2="{HEIGHT - BOTTOM}" stroke="#888"/>',
        f'<line x1="{left}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" stroke="#888"/>',
    ]
    if unit:
        middle = TOP + plot_h / 2
        parts.append(f'<text x="14" y="{middle}" transform="rotate(-90 14 {middle})" text-anchor="middle" '
                     f'font-size="12" class="unit">{escape(unit)}</text>')
    for value, label in zip(ticks, labels, strict=True):
        y = py(value)
        parts.append(f'<line x1="{left - 4}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" font-size="12">{escape(label)}</text>')
    shown = {0, len(points) - 1} | ({len(points) // 2} if len(points) > 2 else set())
    for i in sorted(shown):
        anchor = "start" if i == 0 else "end" if i == len(points) - 1 else "middle"
        parts.append(f'<text x="{coords[i][0]}" y="{HEIGHT - BOTTOM + 18}" text-anchor="{anchor}" '
                     f'font-size="12">{escape(points[i][0])}</text>')
    if len(coords) > 1:
        line = " ".join(f"{x},{y}" for x, y in coords)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    for (x, y), (as_of, value) in zip(coords, points, strict=True):
        parts.append(f'<circle cx="{x}" cy="{y}" r="3.5" fill="#1f5fa8">'
                     f"<title>{escape(as_of)}: {escape(format_value(value))}{' ' + escape(unit) if unit else ''}"
                     "</title></circle>")
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
