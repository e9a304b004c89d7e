"""The sheet "Biểu đồ" of the annex workbook: per group a small data table and a native
Excel bar chart of it (the clerk can restyle it in Excel), each on its own printed page."""

from __future__ import annotations

from decimal import Decimal

from reportgen.render.charts import Series, fitted_end, pages, tick_step

SHEET = "Biểu đồ"


def add_chart_sheet(book, series: list[Series]) -> None:
    """A sheet "Biểu đồ" of the annex workbook (`render.book.Book`): per group a small data
    table (unit, this year, last year) and a native horizontal bar chart of it, each on its
    own printed page (a page break before it); a group of more units than a page holds is
    cut into several charts on one value axis (`pages`), as in the decision."""
    from reportgen.render.book import print_a4

    ws = book.sheet(SHEET)
    ws.set_column(0, 0, 38)
    ws.set_column(1, 2, 12)
    ws.set_column(3, 17, 8.43)  # Excel's default width, written: a chart is anchored to cells
    # and LibreOffice's default columns are wider (the charts came out a third too wide)
    title = book.format(font_name="Times New Roman", bold=True, font_size=13)
    row, breaks = 0, []
    for group in series:
        if not group.units:
            continue
        fits = int((CHART_PAGE_CM - CHART_FRAME_CM) / _unit_cm(group))
        charts = -(-len(group.units) // fits)
        for s in pages(group, -(-len(group.units) // charts)):  # as even as can be
            if row:
                breaks.append(row)
            row = _chart_block(book, ws, s, row, title)
    ws.set_h_pagebreaks(breaks)
    print_a4(ws)  # one page wide; the breaks still cut it in height


# A chart's height: its frame (title, axis, legend) and a row per unit (0,6 cm; 0,9 cm for
# this year's and last year's bars); a printed page (A4 landscape, the sheet shrunk to its
# width) holds CHART_PAGE_CM of it.
CHART_PAGE_CM, CHART_FRAME_CM = 21.0, 3.0


def _unit_cm(s: Series) -> float:
    return 0.9 if s.previous is not None else 0.6


def _chart_block(book, ws, s: Series, row: int, title) -> int:
    """`s`'s title, data table and chart from `row`; the row after them."""
    from reportgen.render.safe import cell_text, write

    write(ws, row, 0, s.title + (" (tiếp theo)" if s.continued else ""), title)
    header = row + 1
    write(ws, header, 0, "Đơn vị")
    write(ws, header, 1, f"Năm {s.year}")
    if s.previous is not None:
        write(ws, header, 2, f"Năm {s.previous_year}" if s.previous_year else "Năm trước")
    for i, unit in enumerate(s.units, start=header + 1):
        write(ws, i, 0, unit)
        write(ws, i, 1, s.values[i - header - 1])
        if s.previous is not None:
            write(ws, i, 2, s.previous[i - header - 1])
    last = header + len(s.units)
    chart = book.workbook.add_chart({"type": "bar"})  # horizontal: names read along
    chart.set_style(10)
    heading = f"{s.title}: {s.measure.lower()} năm {s.year}" + (
        " (tiếp theo)" if s.continued else ""
    )
    chart.set_title({"name": cell_text(heading)})
    columns = 3 if s.previous is not None else 2
    for col in range(1, columns):
        chart.add_series(
            {
                "name": [ws.name, header, col],
                "categories": [ws.name, header + 1, 0, last, 0],
                "values": [ws.name, header + 1, col, last, col],
                "gap": 40,
            }
        )
    end = _value_axis_end(s)
    chart.set_x_axis(  # the value axis of a bar chart: 0 to the most a unit can get
        {"name": s.measure, "min": 0, "max": float(end), "major_unit": float(tick_step(end))}
    )
    chart.set_y_axis(  # rank 1 at the top, the values still along the bottom; every name
        {"reverse": True, "crossing": "max", "interval_unit": 1, "num_font": {"size": 8}}
    )
    chart.set_legend({"position": "bottom"})
    height = max(7.5, _unit_cm(s) * len(s.units) + CHART_FRAME_CM)  # cm
    chart.set_size({"width": _pixels(22), "height": _pixels(height)})
    ws.insert_chart(row, 4, chart)
    return row + max(len(s.units) + 3, int(height / 0.5) + 2)  # a row is ~0.5 cm


def _value_axis_end(s: Series) -> Decimal:
    """The Excel chart's value axis end: the most a unit can get (100, an index's 1), or
    past it when a bonus took a unit beyond; without a maximum, as the PNG's axis."""
    values = [*s.values, *(v for v in (s.previous or []) if v is not None)]
    if s.maximum is None or max(values, default=Decimal(0)) > s.maximum:
        return s.axis_end or fitted_end(s)
    return s.maximum


def _pixels(cm: float) -> int:
    return round(cm / 2.54 * 96)
