"""The annex as a formatted workbook: one sheet per group, ready to print on A4."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from copy import copy

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from reportgen import atomic
from reportgen.config import Assessment
from reportgen.render.safe import cell_text
from reportgen.render.tables import AnnexTable

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 chars, none of []:*?/\\)."""
    base = "".join("-" if ch in "[]:*?/\\" else ch for ch in text)[:31] or "Khoi"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def render_annex(
    assessment: Assessment,
    tables: list[AnnexTable],
    group_names: list[str],
    extra: Callable[[Workbook], None] | None = None,
) -> bytes:
    """The annex workbook; `extra` adds sheets after the groups' (charts, year-over-year)."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    styles: dict[tuple[bool, bool], object] = {}  # (header, left) → the cell's style array
    for table, name in zip(tables, group_names):
        ws = wb.create_sheet(sheet_title(name, taken))
        width = len(table.columns)
        lines = [(assessment.annex.title, True, False), (table.heading, True, False)]
        for r, (text, bold, italic) in enumerate(lines, start=1):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            cell = ws.cell(r, 1, cell_text(text))
            cell.font = Font(name=_FONT, size=13, bold=bold, italic=italic)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.row_dimensions[r].height = 36
        header = len(lines) + 2
        for r, values in enumerate([table.headings, *table.rows], start=header):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(r, c, cell_text(value))
                left = c == 2 and r > header
                style = styles.get((r == header, left))
                if style is not None:  # seen before: the same style indices, without
                    cell._style = copy(style)  # openpyxl hashing three style objects per cell
                    continue
                cell.font = Font(name=_FONT, size=12, bold=r == header)
                cell.border = _BOX
                cell.alignment = Alignment(
                    horizontal="left" if left else "center", vertical="center", wrap_text=True
                )
                styles[(r == header, left)] = copy(cell._style)
        ws.row_dimensions[header].height = 80
        ws.column_dimensions["A"].width = 6
        ws.column_dimensions["B"].width = 38
        for c in range(3, width + 1):
            ws.column_dimensions[get_column_letter(c)].width = 14
        ws.print_title_rows = f"{header}:{header}"
        ws.freeze_panes = ws.cell(header + 1, 3)
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if extra:
        extra(wb)
    return atomic.workbook_bytes(wb, dt.datetime.combine(assessment.decision.date, dt.time()))
