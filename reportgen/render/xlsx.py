"""The annex as a formatted workbook: one sheet per group, ready to print on A4. Scores,
totals and numbers are stored as numbers, each with the format that shows it as the decision
prints it (`35,5`, `36`; Excel shows the decimal comma on a Vietnamese system)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from reportgen.config import Assessment
from reportgen.core.numbers import half_up, places
from reportgen.render import safe
from reportgen.render.book import Book, lines_in, merged, print_a4, print_wide
from reportgen.render.tables import AnnexTable, Column

_FONT = "Times New Roman"
_CENTRE = {"align": "center", "valign": "vcenter", "text_wrap": True}
# The cell styles of the annex sheets, by name (Excel's Cell Styles, LibreOffice's cell
# styles), as the decision's annex has its Word styles: a clerk changes every cell of a kind
# in one place. A cell gets its style by name and only its number format on top.
STYLES = {
    "Annex Title": {"font_name": _FONT, "font_size": 13, "bold": True, **_CENTRE},
    "Annex Header": {"font_name": _FONT, "font_size": 12, "bold": True, "border": 1, **_CENTRE},
    "Annex Cell": {"font_name": _FONT, "font_size": 12, "border": 1, **_CENTRE},
    "Annex Name": {
        "font_name": _FONT,
        "font_size": 12,
        "border": 1,
        "align": "left",
        "valign": "vcenter",
        "text_wrap": True,
    },
    "Annex Note": {
        "font_name": _FONT,
        "font_size": 12,
        "italic": True,
        "align": "left",
        "valign": "top",
        "text_wrap": True,
    },
}


def stored(value: object, column: Column) -> int | Decimal | str | None:
    """A cell as the workbook stores it: a number rounded as the decision prints it (to the
    column's decimals, half-up; trailing zeros dropped unless the column keeps them); text
    and None as they are."""
    if not isinstance(value, Decimal):
        return value
    rounded = half_up(value, column.decimals or 0)
    return rounded if column.fixed else half_up(rounded, places(rounded))


def number_format(value: int | Decimal) -> str:
    """A score: `#,##0` with as many decimals as it has (`#,##0.0` for 35.5, `#,##0.0000` for
    an index kept at 0.8220), grouped as `format_number` groups it; an STT or rank: `0`."""
    if not isinstance(value, Decimal):
        return "0"
    digits = max(0, -value.as_tuple().exponent)
    return "#,##0" + ("." + "0" * digits if digits else "")


WIDTHS = {"stt": 6, "rank": 6, "name": 38, "text": 38, "change": 18}  # characters; other columns 14


def render_annex(
    assessment: Assessment,
    tables: list[AnnexTable],
    group_names: list[str],
    details: list[AnnexTable] = (),
    adjustments: AnnexTable | None = None,
    extra: Callable[[Book], None] | None = None,
    computations: AnnexTable | None = None,
) -> bytes:
    """A sheet per group; then, when given, a detail sheet per group (every criterion of
    the tree), a sheet of the verified scores that replaced self-assessed ones and one of the
    scores worked out from the units' figures; `extra` adds sheets last (charts, year over
    year)."""
    book = Book(dt.datetime.combine(assessment.stamp, dt.time()), STYLES)
    sheets = list(zip(tables, group_names))
    sheets += [(table, f"Chi tiết - {name}") for table, name in zip(details, group_names)]
    if adjustments is not None:
        sheets.append((adjustments, "Điều chỉnh thẩm định"))
    if computations is not None:
        sheets.append((computations, "Điểm tính theo số liệu"))
    for table, name in sheets:
        _sheet(book, book.sheet(name), assessment, table, wide=table in details)
    if extra:
        extra(book)
    return book.bytes()


def _lines(text: str, kind: str) -> int:
    """About how many lines `text` wraps to in a column of its kind (12 pt in a column
    `WIDTHS` characters wide)."""
    return lines_in(text, WIDTHS.get(kind, 14))


def _sheet(book: Book, ws, assessment: Assessment, table: AnnexTable, wide: bool = False) -> None:
    """The group's table (0-based rows: two title lines, a blank row, the header, the
    body), then its notes. `wide`: a detail sheet, printed by `print_wide`."""
    last = len(table.columns) - 1
    name_col = next((i for i, c in enumerate(table.columns) if c.kind == "name"), 1)
    for r, text in enumerate([assessment.annex.title, table.heading]):
        merged(ws, r, 0, last, text, book.style("Annex Title"))
        ws.set_row(r, 36)
    header = 3
    if table.rows:  # nobody: no empty table
        for c, text in enumerate(table.headings):
            safe.write(ws, header, c, text, book.style("Annex Header"))
        ws.set_row(header, 80)
        lines = [
            max((_lines(v, column.kind) for v, column in zip(texts, table.columns)), default=1)
            for texts in table.rows
        ]
        cell, name = book.style("Annex Cell"), book.style("Annex Name")
        for r, values in enumerate(table.values or table.rows, start=header + 1):
            for c, (column, raw) in enumerate(zip(table.columns, values)):
                value = stored(raw, column)
                if isinstance(value, (int, Decimal)):
                    fmt = book.style("Annex Cell", number_format(value))
                else:
                    fmt = name if c == name_col else cell
                safe.write(ws, r, c, value, fmt, mark=column.kind == "change")
            if lines[r - header - 1] > 1:  # the row grows with a wrapped name (spreadsheet
                ws.set_row(r, 16 * lines[r - header - 1])  # programs do not grow it)
        ws.repeat_rows(header)
    first_note = header + len(table.rows) + 2 if table.rows else header  # a group nobody
    for k, text in enumerate(table.notes, start=first_note):  # was assessed in: its line
        merged(ws, k, 0, last, text, book.style("Annex Note"))
        ws.set_row(k, 16 * (1 + len(text) // 120))
    for c, column in enumerate(table.columns):
        ws.set_column(c, c, WIDTHS.get(column.kind, 14))
    ws.freeze_panes(header + 1, name_col + 1)
    if wide:
        print_wide(ws, assessment.annex.detail_paper == "A3", header, name_col)
    else:
        print_a4(ws)
