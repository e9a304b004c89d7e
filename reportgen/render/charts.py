"""Bar charts per group: a native Excel chart on a sheet of the annex workbook (the clerk can
restyle it in Excel) and the same chart as a PNG (matplotlib) for the report to the
leadership. Units in rank order, by total (or index); last year's value beside it when known."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from decimal import Decimal

from reportgen.rank import GroupResult
from reportgen.yoy import Comparison, index_digits

SHEET = "Biểu đồ"
FONTS = ["Times New Roman", "Liberation Serif", "DejaVu Serif"]  # first installed wins


@dataclass(frozen=True)
class Series:
    """One group's chart data."""

    key: str  # group key
    title: str
    measure: str  # "Tổng điểm" or "Chỉ số"
    units: list[str]
    values: list[Decimal]
    year: int
    previous: list[Decimal | None] | None  # None: no previous year known
    previous_year: int | None
    digits: int | None = None  # decimals of an index; None: a total


def group_series(
    results: list[GroupResult], year: int, comparison: Comparison | None
) -> list[Series]:
    """The chart data of every group (a group with no unit assessed has empty lists)."""
    changes = comparison.by_unit() if comparison else {}
    out = []
    for result in results:
        by_index = bool(result.rows) and all(
            getattr(r, "index", None) is not None for r in result.rows
        )
        values = [r.index if by_index else r.total for r in result.rows]
        previous = None
        if comparison is not None:
            previous = []
            for r in result.rows:
                past = changes[r.unit].previous if r.unit in changes else None
                previous.append(None if past is None else (past.index if by_index else past.total))
        out.append(
            Series(
                key=result.group.key,
                title=result.group.name,
                measure="Chỉ số" if by_index else "Tổng điểm",
                units=[r.unit for r in result.rows],
                values=values,
                year=year,
                previous=previous,
                previous_year=comparison.previous_year if comparison else None,
                digits=index_digits(result),
            )
        )
    return out


def add_chart_sheet(wb, series: list[Series]) -> None:
    """A sheet "Biểu đồ": per group a small data table (unit, this year, last year) and a
    native horizontal bar chart of it."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    ws = wb.create_sheet(SHEET)
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 12
    row = 1
    for s in series:
        if not s.units:
            continue
        ws.cell(row, 1, s.title).font = Font(name="Times New Roman", bold=True, size=13)
        header = row + 1
        ws.cell(header, 1, "Đơn vị")
        ws.cell(header, 2, f"Năm {s.year}")
        if s.previous is not None:
            ws.cell(header, 3, f"Năm {s.previous_year}" if s.previous_year else "Năm trước")
        for i, unit in enumerate(s.units):
            ws.cell(header + 1 + i, 1, unit)
            ws.cell(header + 1 + i, 2, s.values[i])
            if s.previous is not None and s.previous[i] is not None:
                ws.cell(header + 1 + i, 3, s.previous[i])
        last = header + len(s.units)
        chart = BarChart()
        chart.type = "bar"  # horizontal: long unit names read along the axis
        chart.style = 10
        chart.title = f"{s.title}: {s.measure.lower()} năm {s.year}"
        chart.y_axis.title = s.measure
        chart.x_axis.scaling.orientation = "maxMin"  # rank 1 at the top
        chart.y_axis.crosses = "max"  # ... and the value axis still at the bottom
        chart.gapWidth = 40
        chart.legend.position = "b"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        columns = 3 if s.previous is not None else 2
        data = Reference(ws, min_col=2, max_col=columns, min_row=header, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
        chart.height = max(7.5, 0.6 * len(s.units) * (columns - 1) + 3)  # cm
        chart.width = 22
        ws.add_chart(chart, f"E{row}")
        rows_taken = max(len(s.units) + 3, int(chart.height / 0.5) + 2)  # a row is ~0.5 cm
        row += rows_taken
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def chart_png(s: Series, decimals: int) -> bytes:
    """The group's bar chart as PNG bytes (Vietnamese labels; same input, same bytes)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = next((f for f in FONTS if f in installed), "serif")
    n = len(s.units)
    labels = [textwrap.fill(textwrap.shorten(u, 90, placeholder=" …"), 45) for u in s.units]
    lines = sum(label.count("\n") + 1 for label in labels)
    longest = max((len(line) for label in labels for line in label.splitlines()), default=10)
    width, height_in = 9.0, max(3.0, 0.3 * lines + 0.12 * n + 1.4)
    with plt.rc_context({"font.family": family, "font.size": 11, "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(width, height_in), dpi=150)
        # margins from the text sizes instead of tight_layout, which draws the figure twice
        left = min(0.55, (0.075 * longest + 0.3) / width)
        fig.subplots_adjust(left=left, right=0.95, top=1 - 0.55 / height_in, bottom=0.6 / height_in)
        positions = list(range(n))
        height = 0.4 if s.previous is not None else 0.7
        now = [float(v) for v in s.values]
        offset = height / 2 if s.previous is not None else 0
        bars = ax.barh(
            [p - offset for p in positions], now, height, label=f"Năm {s.year}", color="#1f5fa8"
        )
        if s.previous is not None:
            past = [float(v) if v is not None else 0.0 for v in s.previous]
            label = f"Năm {s.previous_year}" if s.previous_year else "Năm trước"
            ax.barh([p + offset for p in positions], past, height, label=label, color="#b0b7c3")
            ax.legend(loc="lower right", frameon=False)
        for bar, value in zip(bars, s.values):
            ax.text(
                bar.get_width(),
                bar.get_y() + bar.get_height() / 2,
                " " + _label(value, decimals, s.digits),
                va="center",
                fontsize=9,
            )
        ax.set_yticks(positions, labels)
        if not s.units:
            ax.text(0.5, 0.5, "Chưa có đơn vị được đánh giá", ha="center", transform=ax.transAxes)
            ax.set_xticks([])
        ax.invert_yaxis()  # rank 1 at the top
        ax.set_xlabel(s.measure)
        ax.set_title(f"{s.title}: {s.measure.lower()} năm {s.year}", fontweight="bold")
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlim(0, max(now + [0.0]) * 1.12 or 1)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        plt.close(fig)
    return buffer.getvalue()


def _label(value: Decimal, decimals: int, digits: int | None) -> str:
    from reportgen.numbers import format_number

    if digits is None:
        return format_number(value, decimals)
    return format_number(value, digits, fixed=True)  # an index keeps its digits: 0,880


def png_name(s: Series) -> str:
    return f"bieu-do-{s.key}.png"
