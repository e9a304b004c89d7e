"""Reading spreadsheet files into plain grids of cell values (python-calamine).

Only this module touches the spreadsheet reader. A file is sniffed first (`filesafety`):
what is not a safe spreadsheet is refused before any parser sees it. Files are opened
read-only; a file that cannot be read becomes a finding, never an exception."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from python_calamine import CalamineWorkbook

from reportgen.filesafety import FileKind, sniff
from reportgen.findings import Finding, Location, finding

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
MAX_ERROR_TEXT = 16  # error values are short (#DIV/0!, #GETTING_DATA); more is not one
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


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
        return [], [finding("FILE_UNREADABLE", Location(shown), detail=exc.strerror or exc)]
    if sniffed.refusal:
        return [], [finding(sniffed.refusal.code, Location(shown), detail=sniffed.refusal.message)]
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
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return [], [finding("FILE_UNREADABLE", Location(shown), detail=detail)]


def blank_reasons(path: Path, sheet_name: str) -> dict[str, str | None]:
    """Why cells that the reader gives as empty are empty, on one sheet of an .xlsx/.xlsm:
    A1 reference → the error value the cell holds (`#DIV/0!`, `#REF!`, `#N/A`: the reader
    gives errors as empty), or None for a formula with no stored result (a file written by a
    program that does not calculate, never opened in Excel). Other formats: nothing known;
    any problem reading the XML gives an empty dict."""
    from defusedxml.ElementTree import fromstring, iterparse

    try:
        if sniff(path).kind not in (FileKind.XLSX, FileKind.XLSM):
            return {}
        with zipfile.ZipFile(path) as archive:
            book = fromstring(archive.read("xl/workbook.xml"))
            rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            rid = next(
                s.get(f"{_NS_REL}id")
                for s in book.iter(f"{_NS_MAIN}sheet")
                if s.get("name") == sheet_name
            )
            target = next(
                r.get("Target")
                for r in rels.iter(f"{_NS_PKG_REL}Relationship")
                if r.get("Id") == rid
            )
            part = (
                target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            )
            found: dict[str, str | None] = {}
            with archive.open(re.sub(r"^\./", "", part)) as xml:
                for _, cell in iterparse(xml):
                    if cell.tag != f"{_NS_MAIN}c":
                        continue
                    formula = cell.find(f"{_NS_MAIN}f")
                    value = cell.find(f"{_NS_MAIN}v")
                    text = (value.text or "").strip() if value is not None else ""
                    if cell.get("t") == "e" and text:
                        found[cell.get("r", "")] = text[:MAX_ERROR_TEXT]
                    elif formula is not None and not text:
                        found[cell.get("r", "")] = None
                    cell.clear()
            return found
    except Exception:  # unreadable XML: the cell is reported as missing instead
        return {}
