"""Reading a published annex (`reportgen audit`): a Word decision, a workbook, or text with
tab- or comma-separated columns (the transcribed annex, reportgen's own ket-qua.csv) — each
as `Sheet` grids, with how their rows are to be located."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location
from reportgen.read.workbook import Sheet, read_sheets
from reportgen.safety.sniff import sniff
from reportgen.safety.verdict import FILE_NOT_SPREADSHEET, FileKind, describe

WORKBOOK_KINDS = {FileKind.XLSX, FileKind.XLSM, FileKind.XLS, FileKind.ODS}
TEXT_KINDS = {FileKind.TEXT, FileKind.CSV}

# How a source's cell addresses become locations: kept as cells (workbooks), turned into the
# line of the file (text), or into the unit row of the table (Word, whose rows carry no number).
CELLS, LINES, TABLE_ROWS = "cells", "lines", "table-rows"


def read_published(path: Path, shown: str) -> tuple[list[Sheet], str, list[Finding]]:
    """The grids of a published file and how to locate their rows, or why there are none."""
    if not path.is_file():
        return [], CELLS, [finding("INPUT_NOT_FOUND", Location(shown))]
    try:
        sniffed = sniff(path)
    except OSError as exc:
        error = exc.strerror or str(exc)
        return [], CELLS, [_unreadable(shown, "os", error=error)]
    refusal = sniffed.refusal
    if sniffed.kind in WORKBOOK_KINDS and refusal is None:
        sheets, problems = read_sheets(path, shown)
        return sheets, CELLS, problems
    if refusal is not None and refusal.code == FILE_NOT_SPREADSHEET:
        if sniffed.kind is FileKind.DOCX:
            return _guarded(docx_sheets, path, shown, TABLE_ROWS)
        if sniffed.kind in TEXT_KINDS:
            return _guarded(text_sheets, path, shown, LINES)
        return [], CELLS, [_unreadable(shown, "kind", what=refusal.params["what"])]
    if refusal is not None:
        return [], CELLS, [finding(refusal.code, Location(shown), **refusal.params)]
    return [], CELLS, [_unreadable(shown, "kind", what=describe(sniffed.kind))]


def _unreadable(shown: str, case: str, **params: object) -> Finding:
    return finding("FILE_UNREADABLE", Location(shown), name=shown, case=case, **params)


def _guarded(reader, path: Path, shown: str, mode: str) -> tuple[list[Sheet], str, list[Finding]]:
    try:
        return reader(path), mode, []
    except Exception as exc:  # any reader error means "unreadable", never a traceback
        error = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return [], mode, [_unreadable(shown, "reader", error=error)]


def docx_sheets(path: Path) -> list[Sheet]:
    """Each table of a Word document as a grid; row numbers count the table's rows."""
    import docx  # heavy: only when a Word file is audited

    document = docx.Document(str(path))
    return [
        Sheet("", [[cell.text for cell in row.cells] for row in table.rows])
        for table in document.tables
    ]


def text_sheets(path: Path) -> list[Sheet]:
    """Text as one grid, a line per row (headings and prose in one cell); columns split at
    tabs, or — when no line has a tab — as CSV (comma or semicolon, quotes honoured). Row
    numbers are the file's line numbers."""
    data = path.read_bytes()
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("tệp văn bản không ở dạng Unicode (UTF-8)") from None
    lines = text.splitlines()
    if any("\t" in line for line in lines):
        return [Sheet("", [line.split("\t") for line in lines])]
    delimiter = (
        ";" if sum(ln.count(";") for ln in lines) > sum(ln.count(",") for ln in lines) else ","
    )
    return [Sheet("", [row or [""] for row in csv.reader(lines, delimiter=delimiter)])]
