"""The annex as a formatted workbook: one sheet per group, ready to print on A4. Scores,
totals and numbers are stored as numbers, each with the format that shows it as the decision
prints it (`35,5`, `36`; Excel shows the decimal comma on a Vietnamese system)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from copy import copy
from decimal import ROUND_HALF_UP, Decimal, localcontext

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter

from reportgen import atomic
from reportgen.config import Assessment
from reportgen.numbers import places
from reportgen.render.safe import cell_text, mark_text
from reportgen.render.tables import AnnexTable, Column

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"
_CENTRE = dict(horizontal="center", vertical="center", wrap_text=True)
# The cell styles of the annex sheets, by name (Excel's Cell Styles, LibreOffice's cell
# styles), as the decision's annex has its Word styles: a clerk changes every cell of a kind
# in one place. A cell gets its style by name and only its number format on top.
STYLES = {
    "Annex Title": (Font(name=_FONT, size=13, bold=True), None, Alignment(**_CENTRE)),
    "Annex Header": (Font(name=_FONT, size=12, bold=True), _BOX, Alignment(**_CENTRE)),
    "Annex Cell": (Font(name=_FONT, size=12), _BOX, Alignment(**_CENTRE)),
    "Annex Name": (
        Font(name=_FONT, size=12),
        _BOX,
        Alignment(horizontal="left", vertical="center", wrap_text=True),
    ),
    "Annex Note": (
        Font(name=_FONT, size=12, italic=True),
        None,
        Alignment(horizontal="left", vertical="top", wrap_text=True),
    ),
}


def _add_styles(wb: Workbook) -> None:
    for name, (font, border, alignment) in STYLES.items():
        style = NamedStyle(name=name, font=font, alignment=alignment)
        if border is not None:
            style.border = border
        wb.add_named_style(style)


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 chars, none of []:*?/\\)."""
    base = "".join("-" if ch in "[]:*?/\\" else ch for ch in text)[:31] or "Khoi"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def stored(value: object, column: Column) -> int | Decimal | str | None:
    """A cell as the workbook stores it: a number rounded as the decision prints it (to the
    column's decimals, half-up; trailing zeros dropped unless the column keeps them), text
    made safe, None left empty."""
    if value is None or isinstance(value, int):
        return value
    if not isinstance(value, Decimal):
        return mark_text(str(value)) if column.kind == "change" else cell_text(str(value))
    decimals = column.decimals or 0
    with localcontext() as context:  # enough digits for any value: never InvalidOperation
        context.prec = max(28, value.adjusted() + decimals + 2)
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if not column.fixed:
            rounded = rounded.quantize(Decimal(1).scaleb(-places(rounded)))
    return rounded


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
    extra: Callable[[Workbook], None] | None = None,
) -> bytes:
    """A sheet per group; then, when given, a detail sheet per group (every criterion of
    the tree) and a sheet of the verified scores that replaced self-assessed ones; `extra`
    adds sheets last (charts, year over year)."""
    wb = Workbook()
    wb.remove(wb.active)
    _add_styles(wb)
    taken: set[str] = set()
    styles: dict[tuple[bool, bool, str], object] = {}  # (header, left, format) → style array
    sheets = list(zip(tables, group_names))
    sheets += [(table, f"Chi tiết - {name}") for table, name in zip(details, group_names)]
    if adjustments is not None:
        sheets.append((adjustments, "Điều chỉnh thẩm định"))
    for table, name in sheets:
        _sheet(wb.create_sheet(sheet_title(name, taken)), assessment, table, styles)
    if extra:
        extra(wb)
    return atomic.workbook_bytes(wb, dt.datetime.combine(assessment.stamp, dt.time()))


def _lines(text: str, kind: str) -> int:
    """About how many lines `text` wraps to in a column of its kind (12 pt in a column
    `WIDTHS` characters wide)."""
    return lines_in(text, WIDTHS.get(kind, 14))


def lines_in(text: str, width: float) -> int:
    """About how many lines `text` wraps to at 12 pt in a column `width` characters wide
    (spreadsheet programs do not grow a row for wrapped text on opening: the writer sets
    16 pt a line)."""
    return -(-len(text) // int(width * 1.2)) or 1


def _sheet(ws, assessment: Assessment, table: AnnexTable, styles: dict) -> None:
    width = len(table.columns)
    name_col = 1 + next((i for i, c in enumerate(table.columns) if c.kind == "name"), 1)
    lines = [assessment.annex.title, table.heading]
    for r, text in enumerate(lines, start=1):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        ws.cell(r, 1, cell_text(text)).style = "Annex Title"
        ws.row_dimensions[r].height = 36
    header = len(lines) + 2
    body = table.values or table.rows  # numbers where the table has them, else its text
    grid = [table.headings, *body] if table.rows else []  # nobody: no empty table
    for r, values in enumerate(grid, start=header):
        for c, (column, raw) in enumerate(zip(table.columns, values), start=1):
            value = cell_text(raw) if r == header else stored(raw, column)
            cell = ws.cell(r, c, value)
            left = c == name_col and r > header
            fmt = number_format(value) if isinstance(value, (int, Decimal)) else "General"
            key = (r == header, left, fmt)
            style = styles.get(key)
            if style is not None:  # seen before: the same style indices, without openpyxl
                cell._style = copy(style)  # looking the style up for every cell
                continue
            cell.style = "Annex Header" if r == header else "Annex Name" if left else "Annex Cell"
            cell.number_format = fmt
            styles[key] = copy(cell._style)
        texts = table.headings if r == header else table.rows[r - header - 1]
        lines = max((_lines(v, table.columns[c].kind) for c, v in enumerate(texts)), default=1)
        if r > header and lines > 1:  # the row grows with a wrapped name (spreadsheet
            ws.row_dimensions[r].height = 16 * lines  # programs do not grow it on opening)
    first_note = header + len(table.rows) + 2 if grid else header  # a group nobody was
    for k, text in enumerate(table.notes, start=first_note):  # assessed in: its one line
        ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=width)
        ws.cell(k, 1, cell_text(text)).style = "Annex Note"
        ws.row_dimensions[k].height = 16 * (1 + len(text) // 120)
    if grid:
        ws.row_dimensions[header].height = 80
        ws.print_title_rows = f"{header}:{header}"
    for c, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS.get(column.kind, 14)
    ws.freeze_panes = ws.cell(header + 1, name_col + 1)
    print_a4_landscape(ws)


def print_a4_landscape(ws, title_rows: str | None = None) -> None:
    """Print `ws` on A4 landscape, one page wide (as long as it needs); `title_rows`
    ("3:3") are repeated at the top of every page."""
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
