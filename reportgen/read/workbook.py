"""Reading spreadsheet files into plain grids of cell values (python-calamine).

Only this module touches the spreadsheet reader. A file is sniffed first (`safety.sniff`):
what is not a safe spreadsheet is refused before any parser sees it. Files are opened
read-only; a file that cannot be read becomes a finding, never an exception."""

from __future__ import annotations

import io
import zipfile
from bisect import bisect_left
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location, cell_index
from reportgen.safety.ods_walk import (
    CELL,
    NS_OFFICE,
    NS_TABLE,
    ROW,
    ROW_END,
    TABLE,
    TABLE_END,
    walk,
)
from reportgen.safety.sheetsize import oversized
from reportgen.safety.sniff import sniff
from reportgen.safety.verdict import FileKind
from reportgen.safety.xlsx_extent import xlsx_sheet_parts

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
MAX_ERROR_TEXT = 16  # error values are short (#DIV/0!, #GETTING_DATA); more is not one
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_NS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


@dataclass(frozen=True)
class Sheet:
    """A sheet's used range: `rows[i][j]` is the cell at (top + i, left + j), 0-based."""

    name: str
    rows: list[list[object]]
    top: int = 0
    left: int = 0

    def address(self, i: int, j: int) -> str:
        """The A1 reference of `rows[i][j]`."""
        return self.location("", i, j).cell or ""

    def location(self, file: str, i: int, j: int) -> Location:
        """The location of `rows[i][j]` in `file`."""
        return Location(file, self.name, row=self.top + i + 1, column=self.left + j + 1)


def read_sheets(path: Path, shown: str) -> tuple[list[Sheet], list[Finding]]:
    """All sheets of a workbook, or a finding saying why it cannot be read."""
    try:
        sniffed = sniff(path)
    except OSError as exc:
        error = exc.strerror or str(exc)
        return [], [finding("FILE_UNREADABLE", Location(shown), name=shown, case="os", error=error)]
    if sniffed.refusal:
        refusal = sniffed.refusal
        return [], [finding(refusal.code, Location(shown), **refusal.params)]
    too_large = oversized(path, sniffed.kind)  # before the reader builds any grid
    if too_large is not None:
        return [], [too_large.finding(shown)]
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=True)
            top, left = sheet.start or (0, 0)
            sheets.append(Sheet(name, rows, top, left))
        return sheets, []
    except BaseException as exc:  # the reader's errors (incl. Rust panics) all mean "unreadable"
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        error = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return [], [
            finding("FILE_UNREADABLE", Location(shown), name=shown, case="reader", error=error)
        ]


def blank_reasons(path: Path, sheet_name: str, cells: Collection[str]) -> dict[str, str | None]:
    """Why cells that the reader gives as empty are empty, for the A1 references `cells` of
    one sheet: A1 → the error value the cell holds (`#DIV/0!`, `#REF!`, `#N/A`, LibreOffice's
    `Err:502`: the reader gives errors as empty), or None for a formula with no stored result
    (a file written by a program that does not calculate, never opened in a spreadsheet
    program). Cells with neither are left out. Read from the file itself, by format: the
    sheet XML of .xlsx/.xlsm, content.xml of .ods, the BIFF records of .xls (xlrd). Only a
    file that `sniff` accepts is read; any problem reading it gives an empty dict (the
    cells are then reported as missing)."""
    try:
        sniffed = sniff(path)
        if sniffed.refusal or not cells:
            return {}
        if sniffed.kind in (FileKind.XLSX, FileKind.XLSM):
            return _xlsx_reasons(path, sheet_name, set(cells))
        if sniffed.kind is FileKind.ODS:
            return _ods_reasons(path, sheet_name, cells)
        if sniffed.kind is FileKind.XLS:
            return _xls_reasons(path, sheet_name, cells)
        return {}
    except Exception:  # unreadable file or XML: the cell is reported as missing instead
        return {}


def _xlsx_reasons(path: Path, sheet_name: str, cells: set[str]) -> dict[str, str | None]:
    """`blank_reasons` of an .xlsx/.xlsm: `t="e"` cells and formulas without a `<v>`."""
    from defusedxml.ElementTree import iterparse

    with zipfile.ZipFile(path) as archive:
        part = dict(xlsx_sheet_parts(archive))[sheet_name]  # the sheet's XML, as extents find it
        found: dict[str, str | None] = {}
        with archive.open(part) as xml:
            for _, cell in iterparse(xml):
                if cell.tag != f"{_NS_MAIN}c":
                    continue
                ref = cell.get("r", "")
                if ref in cells:
                    formula = cell.find(f"{_NS_MAIN}f")
                    value = cell.find(f"{_NS_MAIN}v")
                    text = (value.text or "").strip() if value is not None else ""
                    if cell.get("t") == "e" and text:
                        found[ref] = text[:MAX_ERROR_TEXT]
                    elif formula is not None and not text:
                        found[ref] = None
                cell.clear()
        return found


def _positions(cells: Collection[str]) -> list[tuple[int, int, str]]:
    """The A1 references as sorted (row, column, A1), 0-based; what is not A1 is dropped."""
    spots = []
    for ref in cells:
        index = cell_index(ref)
        if index is not None:
            spots.append((*index, ref))
    return sorted(spots)


def _ods_reasons(path: Path, sheet_name: str, cells: Collection[str]) -> dict[str, str | None]:
    """`blank_reasons` of an .ods: in content.xml, the cells of the `table:table` named
    `sheet_name` with `calcext:value-type="error"` (their text is the error: `#DIV/0!`,
    `Err:502`) and those with a `table:formula` but no `office:value-type` (never calculated).

    Walked with `ods_walk` (repeated rows and cells counted, never expanded): only rows that
    hold an asked cell look at their cells, and the walk stops after the last asked row."""
    spots = _positions(cells)
    if not spots:
        return {}
    spot_rows = [r for r, _, _ in spots]
    last_row = spot_rows[-1]
    found: dict[str, str | None] = {}
    target = False  # inside the table named sheet_name
    pending: list[tuple[int, str]] = []  # (column, A1) asked for in the current row(s)
    pending_columns: list[int] = []
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as xml:
        for step in walk(xml):
            if step.what == TABLE:
                target = step.table == sheet_name
            elif not target:
                continue
            elif step.what == ROW:
                if step.row > last_row:
                    break
                lo = bisect_left(spot_rows, step.row)
                hi = bisect_left(spot_rows, step.row + step.rows)
                pending = sorted((c, ref) for _, c, ref in spots[lo:hi])
                pending_columns = [c for c, _ in pending]
            elif step.what == CELL:
                if pending:
                    reason = _ods_reason(step.cell)
                    if reason is not _NO_REASON:
                        i = bisect_left(pending_columns, step.column)
                        while i < len(pending) and pending_columns[i] < step.column + step.columns:
                            found[pending[i][1]] = reason
                            i += 1
            elif step.what == ROW_END:
                pending, pending_columns = [], []
            elif step.what == TABLE_END:
                break
    return found


_NO_REASON = object()


def _ods_reason(cell) -> object:
    """What `blank_reasons` says of one .ods cell: its error text, None for a formula never
    calculated, or _NO_REASON."""
    if cell.get(f"{_NS_CALCEXT}value-type") == "error":
        paragraphs = cell.findall(f"{_NS_TEXT}p")
        text = " ".join("".join(p.itertext()) for p in paragraphs).strip()
        return text[:MAX_ERROR_TEXT] if text else _NO_REASON
    if cell.get(f"{NS_TABLE}formula") and cell.get(f"{NS_OFFICE}value-type") is None:
        return None
    return _NO_REASON


def _xls_reasons(path: Path, sheet_name: str, cells: Collection[str]) -> dict[str, str | None]:
    """`blank_reasons` of an .xls: error cells (BIFF BOOLERR/FORMULA records with an error
    code) as xlrd reads them, named as Excel shows them (`xlrd.biffh.error_text_from_code`).
    xlrd does not tell a formula from a value, so a formula stored without a result (xlwt
    writes them so) is not known here: it stays a missing score. xlrd is imported here: only an
    .xls with an empty score cell needs it."""
    import xlrd

    found: dict[str, str | None] = {}
    log = io.StringIO()  # xlrd writes its warnings to a log file (stdout by default)
    with xlrd.open_workbook(str(path), logfile=log, on_demand=True) as book:
        sheet = book.sheet_by_name(sheet_name)
        for r, c, ref in _positions(cells):
            if r < sheet.nrows and c < sheet.row_len(r):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_ERROR:
                    text = xlrd.biffh.error_text_from_code.get(cell.value, f"#ERR{cell.value}!")
                    found[ref] = text[:MAX_ERROR_TEXT]
    return found
