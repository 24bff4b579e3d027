"""A horizontal bar chart as SVG, drawn on the server: a title and a description inside the
SVG, every bar labelled with its value as text, withheld figures not drawn but labelled in
words, and the LA average as a dashed line with its own label (told apart from the bars by
shape and text, not colour). The page shows the same figures in a table beside it.
Pure Python; every piece of text is escaped here."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

WIDTH = 480  # drawn at about its own size in half of the page, so 13px text stays 13px
LABEL_W = 196  # school or trust names, right-aligned against the bars
VALUE_W = 84  # room for the value written after the longest bar
ROW_H = 26
TOP, BOTTOM = 34, 40
BAR = "#1d70b8"
INK = "#0b0c0c"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not drawn
    text: str  # what is written beside it: "2.4", "fewer than 5", "no figure"


def _short(text: str, limit: int = 29) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _nice_max(high: float) -> float:
    for step in (1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if high <= step:
            return step
    return high


def bar_chart(*, chart_id: str, title: str, bars: list[Bar], unit: str, axis: str,
              average: tuple[str, float | None] | None = None) -> str:
    """`unit` is "%" (the axis runs 0 to 100) or a rate (the axis fits the largest value)."""
    values = [b.value for b in bars if b.value is not None]
    if average and average[1] is not None:
        values.append(average[1])
    high = 100.0 if unit == "%" else _nice_max(max(values + [0]) or 1)
    plot_w = WIDTH - LABEL_W - VALUE_W
    height = TOP + ROW_H * max(len(bars), 1) + BOTTOM

    def x(value: float) -> float:
        return LABEL_W + plot_w * min(value, high) / high

    described = "; ".join(f"{b.label}: {b.text}" + ("" if b.value is not None else
                                                    " (no bar drawn)") for b in bars)
    if average:
        described += f". {average[0]}: " + ("withheld" if average[1] is None
                                             else f"{average[1]:.1f}") + " (dashed line)"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="inclusion-chart" '
        f'width="100%" focusable="false" font-family="arial, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(described)}</desc>',
    ]
    axis_y = TOP + ROW_H * max(len(bars), 1)
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        gx = LABEL_W + plot_w * fraction
        parts.append(f'<line x1="{gx:.1f}" x2="{gx:.1f}" y1="{TOP - 4}" y2="{axis_y}" '
                     'stroke="#b1b4b6" stroke-width="1"/>')
        parts.append(f'<text x="{gx:.1f}" y="{axis_y + 18}" text-anchor="middle" '
                     f'font-size="13" fill="{INK}">{high * fraction:g}</text>')
    for i, bar in enumerate(bars):
        y = TOP + i * ROW_H
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + 18}" text-anchor="end" font-size="13" '
                     f'fill="{INK}">{escape(_short(bar.label))}</text>')
        if bar.value is not None:
            end = x(bar.value)
            parts.append(f'<rect x="{LABEL_W}" y="{y + 5}" width="{end - LABEL_W:.1f}" '
                         f'height="{ROW_H - 10}" fill="{BAR}"/>')
            parts.append(f'<text x="{end + 6:.1f}" y="{y + 18}" font-size="13" '
                         f'fill="{INK}">{escape(bar.text)}</text>')
        else:
            parts.append(f'<text x="{LABEL_W + 6}" y="{y + 18}" font-size="13" '
                         f'font-style="italic" fill="{INK}">{escape(bar.text)}</text>')
    if average and average[1] is not None:
        ax = x(average[1])
        parts.append(f'<line x1="{ax:.1f}" x2="{ax:.1f}" y1="{TOP - 6}" y2="{axis_y}" '
                     f'stroke="{INK}" stroke-width="2" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{ax:.1f}" y="{TOP - 12}" text-anchor="middle" font-size="13" '
                     f'fill="{INK}">{escape(average[0])} {average[1]:.1f} (dashed)</text>')
    parts.append(f'<text x="{LABEL_W + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" '
                 f'font-size="13" fill="{INK}">{escape(axis)}</text>')
    parts.append("</svg>")
    return "".join(parts)

