"""Accessible SVG charts, drawn on the server: a title and a description inside the SVG, the
series told apart by line style and marker shape as well as colour, and always shown beside
the same figures as a table (the page's job). Pure Python; the markup is escaped here."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 16, 64
STYLES = [  # colour, dash pattern, marker
    ("#1d70b8", "", "circle"),
    ("#0b0c0c", "6 4", "square"),
    ("#d4351c", "2 3", "triangle"),
]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},'
            f'{y + 4:.1f}" fill="{colour}"/>')


def _runs(points, xy) -> list[list[tuple[float, float]]]:
    """The stretches of consecutive points with a value: a missing one ends a stretch."""
    runs, run = [], []
    for period, value in points:
        if value is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(xy(period, value))
    if run:
        runs.append(run)
    return runs


def line_chart(*, title: str, series: list[tuple[str, list[tuple[str, float | None]]]],
               unit: str = "", breaks: list[tuple[str, str, str]] = (),
               periods: list[str] | None = None) -> str:
    """An SVG line chart of a few series over the same periods (None values leave a gap: no
    line joins across a missing period). `breaks` are series breaks, (last period before,
    first period after, what it is), each drawn as a labelled vertical line between the two
    periods, and no line joins across one. `periods` gives the x axis in order (default: the
    periods of the series, in the order they first appear)."""
    periods = list(periods or dict.fromkeys(p for _, points in series for p, _ in points))
    every = set(periods)
    series = [(name, [(p, v) for p, v in points if p in every]) for name, points in series]
    cut = {first for _, first, _ in breaks}
    split = []  # a break ends a line as a missing period does
    for name, points in series:
        marked = []
        for p, v in points:
            if p in cut and marked:
                marked.append((None, None))
            marked.append((p, v))
        split.append((name, marked))
    values = [v for _, points in series for _, v in points if v is not None]
    low, high = (min(values + [0]), max(values + [1])) if values else (0, 1)
    if unit == "%":
        low, high = 0, max(100, high)
    span = (high - low) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(periods) - 1, 1)

    def xy(period, value):
        x = LEFT + periods.index(period) * step if len(periods) > 1 else LEFT + plot_w / 2
        return x, TOP + plot_h - (value - low) / span * plot_h

    described = "; ".join(
        f"{name}: " + ", ".join(f"{p} {'no value' if v is None else f'{v:g}{unit}'}"
                                for p, v in points) for name, points in series)
    for before, after, what in breaks:
        described += f". Series break between {before} and {after}: {what}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-labelledby="chart-title chart-desc" class="lapis-chart">',
             f'<title id="chart-title">{escape(title)}</title>',
             f'<desc id="chart-desc">{escape(described)}</desc>']
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = low + span * fraction
        y = TOP + plot_h - fraction * plot_h
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#b1b4b6" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="16">{value:g}{escape(unit if unit == "%" else "")}</text>')
    for i, period in enumerate(periods):
        x = LEFT + i * step if len(periods) > 1 else LEFT + plot_w / 2
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
                     f'font-size="16">{escape(period)}</text>')
    for before, after, _ in breaks:
        if before in every and after in every and len(periods) > 1:
            x = LEFT + (periods.index(before) + periods.index(after)) / 2 * step
            parts.append(f'<line class="lapis-chart-break" x1="{x:.1f}" x2="{x:.1f}" '
                         f'y1="{TOP}" y2="{TOP + plot_h}" stroke="#0b0c0c" stroke-width="2" '
                         'stroke-dasharray="8 4"/>')
            parts.append(f'<text x="{x + 4:.1f}" y="{TOP + 14}" font-size="14">'
                         'Series break</text>')
    # The legend: each entry placed after the one before (about 0.53 em a character), in a
    # smaller type when long names would not fit across the chart.
    size = 16
    if LEFT + sum(34 + len(name) * 0.53 * 16 + 20 for name, _ in split) > WIDTH:
        size = 13
    places, lx = [], LEFT
    for name, _ in split:
        places.append(lx)
        lx += 34 + len(name) * 0.53 * size + 20
    for index, (name, points) in enumerate(split):
        colour, dash, marker = STYLES[index % len(STYLES)]
        for run in _runs(points, xy):
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                             f'stroke-width="2.5"'
                             + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
            parts.extend(_marker(marker, x, y, colour) for x, y in run)
        lx = round(places[index])
        ly = HEIGHT - 14
        parts.append(f'<line x1="{lx}" x2="{lx + 28}" y1="{ly - 4}" y2="{ly - 4}" '
                     f'stroke="{colour}" stroke-width="2.5"'
                     + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        parts.append(_marker(marker, lx + 14, ly - 4, colour))
        parts.append(f'<text x="{lx + 34}" y="{ly}" font-size="{size}">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
