"""The charts as PNG files: one per group for the output folder, and those the decision
shows under its tables, a large group's cut into charts a page can hold."""

from __future__ import annotations

from reportgen import config
from reportgen.core.catalogue import finding
from reportgen.core.findings import Findings
from reportgen.core.location import Location

# Units per chart in the decision: as many as fit the annex page's text height with the
# chart's 11 pt names still at 8 pt or more (a 63 px row at 0,12 mm a pixel); landscape
# pages are lower. A group with more gets one chart per this many.
DECISION_CHART_UNITS = {False: 25, True: 15}  # annex.landscape → units


def decision_charts(
    series, pngs: dict[str, bytes], assessment: config.Assessment
) -> list[list[tuple[str, bytes]]]:
    """Per group, the charts the decision shows under its table: the group's PNG, or for a
    group of more than `DECISION_CHART_UNITS` units one chart per that many (a single chart
    of 93 communes, shrunk to a page, could not be read); none for a group nobody was
    assessed in or when no font was found."""
    from reportgen.render import charts
    from reportgen.render.chart_png import chart_png, png_name

    per_chart = DECISION_CHART_UNITS[assessment.annex.landscape]
    out = []
    for s in series:
        name = png_name(s)
        if not s.units or name not in pngs:
            out.append([])
        elif len(s.units) <= per_chart:
            out.append([(name, pngs[name])])
        else:
            parts = charts.pages(s, per_chart)
            decimals = assessment.scoring.decimals
            stem = name.removesuffix(".png")
            out.append(
                [(f"{stem}-{i}.png", chart_png(p, decimals)) for i, p in enumerate(parts, 1)]
            )
    return out


def chart_pngs(series, assessment: config.Assessment, found: Findings) -> dict[str, bytes]:
    """`bieu-do-<group>.png` per group; none, and `CHART_NO_FONT` in `found`, when no serif
    font is installed (a warning about this computer: it never blocks)."""
    from reportgen.render import fonts
    from reportgen.render.chart_png import chart_png, png_name

    if fonts.serif() is None:
        found.add(
            finding("CHART_NO_FONT", Location("bieu-do-*.png"), fonts=", ".join(fonts.FAMILIES))
        )
        return {}
    decimals = assessment.scoring.decimals
    return {png_name(s): chart_png(s, decimals) for s in series}
