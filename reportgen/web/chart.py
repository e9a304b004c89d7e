"""The ranking of one group as an inline SVG bar chart: one bar per unit, in rank order, its
length the group's measure (total or index, as `GroupResult.measure` says) against its full
scale, its colour the grade. Every text is escaped."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from markupsafe import Markup

from reportgen import api

COLOURS = ["#2e7d32", "#1565c0", "#ef6c00", "#c62828", "#6a1b9a", "#546e7a"]  # by grade band
ROW, LABEL, BAR, GAP = 22, 300, 420, 70


def ranking_svg(result: api.GroupResult, assessment: api.Assessment) -> Markup:
    criteria = result.criteria or assessment.criteria_set(result.group)
    full = Decimal(1) if result.measure == "index" else criteria.max_total
    values = [result.value(row) for row in result.rows]
    maximum = max([full, *values]) or 1  # a bonus can pass the full scale
    grades = criteria.grades
    colour = {g.name: COLOURS[min(i, len(COLOURS) - 1)] for i, g in enumerate(grades)}
    height = ROW * len(result.rows) + 30
    width = LABEL + BAR + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(result.group.name)}: {result.measure_label.lower()} theo thứ hạng</title>",
    ]
    for i, (row, value) in enumerate(zip(result.rows, values)):
        y = 5 + i * ROW
        length = float(value / maximum) * BAR
        shown = result.format_value(value, assessment.scoring.decimals)
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end">'
            f"{row.stt}. {escape(row.unit)}</text>"
            f'<rect x="{LABEL}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" '
            f'fill="{colour.get(row.grade, COLOURS[1])}"><title>{escape(row.unit)}: {shown}'
            f"{f' ({escape(row.grade)})' if row.grade else ''}</title></rect>"
            f'<text x="{LABEL + length + 6:.1f}" y="{y + 15}">{shown}</text>'
        )
    legend_y = height - 8
    x = LABEL
    for grade in grades:
        parts.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" '
            f'fill="{colour[grade.name]}"/><text x="{x + 16}" y="{legend_y}">'
            f"{escape(grade.name)}</text>"
        )
        x += 30 + 9 * len(grade.name)
    parts.append("</svg>")
    return Markup("".join(parts))
