"""Reading spreadsheet files into plain grids of cell values (python-calamine).

Only this module touches the spreadsheet reader. A file is sniffed first (`filesafety`):
what is not a safe spreadsheet is refused before any parser sees it. Files are opened
read-only; a file that cannot be read becomes a finding, never an exception."""

from __future__ import annotations

import io
import re
import zipfile
from bisect import bisect_left
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from python_calamine import CalamineWorkbook

from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location, cell_index
from reportgen.safety.extent import oversized
from reportgen.safety.filesafety import FileKind, sniff

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
MAX_ERROR_TEXT = 16  # error values are short (#DIV/0!, #GETTING_DATA); more is not one
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_NS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_NS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_NS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_ODS_TABLE = f"{_NS_TABLE}table"
_ODS_ROW = f"{_NS_TABLE}table-row"
_ODS_CELLS = {f"{_NS_TABLE}table-cell", f"{_NS_TABLE}covered-table-cell"}


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
    file that `filesafety` accepts is read; any problem reading it gives an empty dict (the
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
    from defusedxml.ElementTree import fromstring, iterparse

    with zipfile.ZipFile(path) as archive:
        book = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        rid = next(
            s.get(f"{_NS_REL}id")
            for s in book.iter(f"{_NS_MAIN}sheet")
            if s.get("name") == sheet_name
        )
        target = next(
            r.get("Target") for r in rels.iter(f"{_NS_PKG_REL}Relationship") if r.get("Id") == rid
        )
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        found: dict[str, str | None] = {}
        with archive.open(re.sub(r"^\./", "", part)) as xml:
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


def _count(value: str | None) -> int:
    """A `number-rows/columns-repeated` attribute as a count ≥ 1 (garbage counts as 1)."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _ods_reasons(path: Path, sheet_name: str, cells: Collection[str]) -> dict[str, str | None]:
    """`blank_reasons` of an .ods: in content.xml, the cells of the `table:table` named
    `sheet_name` with `calcext:value-type="error"` (their text is the error: `#DIV/0!`,
    `Err:502`) and those with a `table:formula` but no `office:value-type` (never calculated).

    Rows and cells may stand for many (`number-rows-repeated`, `number-columns-repeated`:
    LibreOffice writes 16 384 columns and 1 048 576 rows that way); positions are counted,
    never expanded, so the work is one step per XML element whatever the counts say. Only rows
    that hold an asked cell look at their cells, parsing stops after the last asked row, and
    every finished element is dropped from the tree (memory stays flat)."""
    from defusedxml.ElementTree import iterparse

    spots = _positions(cells)
    if not spots:
        return {}
    spot_rows = [r for r, _, _ in spots]
    last_row = spot_rows[-1]
    found: dict[str, str | None] = {}
    stack: list = []  # open elements; a finished one is removed from its parent
    in_cell = 0  # depth of table cells around the element (a cell may hold a sub-table)
    target = False  # inside the table named sheet_name (at cell depth 0)
    row = 0  # 0-based index of the current row of the target table
    rows_here = 1  # how many rows the current row element stands for
    column = 0  # 0-based index of the next cell in the current row
    pending: list[tuple[int, str]] = []  # (column, A1) asked for in the current row(s)
    pending_columns: list[int] = []
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as xml:
        for event, element in iterparse(xml, events=("start", "end")):
            tag = element.tag
            if event == "start":
                stack.append(element)
                if tag in _ODS_CELLS:
                    in_cell += 1
                elif in_cell:
                    continue
                elif tag == _ODS_TABLE:
                    target = element.get(f"{_NS_TABLE}name") == sheet_name
                elif target and tag == _ODS_ROW:
                    if row > last_row:
                        break
                    rows_here = _count(element.get(f"{_NS_TABLE}number-rows-repeated"))
                    column = 0
                    lo = bisect_left(spot_rows, row)
                    hi = bisect_left(spot_rows, row + rows_here)
                    pending = sorted((c, ref) for _, c, ref in spots[lo:hi])
                    pending_columns = [c for c, _ in pending]
                continue
            stack.pop()
            if tag in _ODS_CELLS:
                in_cell -= 1
                if target and not in_cell:
                    columns = _count(element.get(f"{_NS_TABLE}number-columns-repeated"))
                    if pending:
                        reason = _ods_reason(element)
                        if reason is not _NO_REASON:
                            i = bisect_left(pending_columns, column)
                            while i < len(pending) and pending_columns[i] < column + columns:
                                found[pending[i][1]] = reason
                                i += 1
                    column += columns
            elif in_cell:
                continue  # a cell's content stays until the cell is done
            elif target and tag == _ODS_ROW:
                row += rows_here
                pending, pending_columns = [], []
            elif tag == _ODS_TABLE and target:
                break
            if stack:
                stack[-1].remove(element)
    return found


_NO_REASON = object()


def _ods_reason(cell) -> object:
    """What `blank_reasons` says of one .ods cell: its error text, None for a formula never
    calculated, or _NO_REASON."""
    if cell.get(f"{_NS_CALCEXT}value-type") == "error":
        paragraphs = cell.findall(f"{_NS_TEXT}p")
        text = " ".join("".join(p.itertext()) for p in paragraphs).strip()
        return text[:MAX_ERROR_TEXT] if text else _NO_REASON
    if cell.get(f"{_NS_TABLE}formula") and cell.get(f"{_NS_OFFICE}value-type") is None:
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
