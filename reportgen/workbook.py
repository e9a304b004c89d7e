"""Reading spreadsheet files into plain grids of cell values (python-calamine).

Only this module touches the spreadsheet reader. Files are opened read-only; a file that
cannot be read becomes a finding, never an exception."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from reportgen.findings import Finding, Location, finding

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


@dataclass(frozen=True)
class Sheet:
    """A sheet's used range: `rows[i][j]` is the cell at (top + i, left + j), 0-based."""

    name: str
    rows: list[list[object]]
    top: int = 0
    left: int = 0

    def address(self, i: int, j: int) -> str:
        """The A1 reference of `rows[i][j]`."""
        return column_letter(self.left + j) + str(self.top + i + 1)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_sheets(path: Path, shown: str) -> tuple[list[Sheet], list[Finding]]:
    """All sheets of a workbook, or a finding saying why it cannot be read."""
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=True)
            top, left = sheet.start or (0, 0)
            sheets.append(Sheet(name, rows, top, left))
        return sheets, []
    except Exception as exc:  # the reader's own errors vary by format: all mean "unreadable"
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return [], [finding("FILE_UNREADABLE", Location(shown), detail=detail)]
