"""How far each sheet's cells reach, found from the file itself before a reader builds a grid.

python-calamine turns a sheet into a dense grid from its first to its last cell: one cell at
XFD1048576 beside A1 asks for 2^34 cells (549 755 813 888 bytes) and the process aborts. So
the extent is measured here first, from the cells themselves — never from what the file
declares about itself (`<dimension>` can lie) — and a sheet whose grid would exceed
`MAX_SHEET_CELLS` is refused before the reader sees the file. Each format is scanned the way
the reader places its cells, counted, never expanded, in memory that does not grow with the
sheet:

* .xlsx/.xlsm: the sheet XML's `<row>` and `<c>` start tags, read in chunks (a cell without
  `r` follows the one before it; an empty `<c/>` only moves on).
* .ods: `content.xml`'s rows and cells with their `number-rows/columns-repeated` counts; a
  cell with a value or formula that is repeated fills its whole span.
* .xls: the BIFF records of each sheet's substream (cells, and `DIMENSIONS`, which the reader
  reserves memory for).

What cannot be scanned is left to the reader, which then reports the file unreadable."""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location, column_letter
from reportgen.safety.filesafety import FileKind

# A consolidated sheet of 10 000 units × 200 columns is 2 000 000 cells; the reader holds
# ~32 bytes a cell (plus a Python object per value), so this bounds one sheet to ~130 MB.
MAX_SHEET_CELLS = 4_000_000
_CHUNK = 1 << 20  # bytes of sheet XML looked at at once

_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix
_ATTRS = rb"""((?:[^<>"']+|"[^"]*"|'[^']*')*)"""  # attribute values may hold '>'
_XLSX_TAG = re.compile(rb"<(/?)" + _NAME + rb"(row|c)(?=[\s/>])" + _ATTRS + rb">")
_ATTR = re.compile(rb"""([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_A1 = re.compile(r"\s*([A-Za-z]*)\s*([0-9]+)\s*")


@dataclass(frozen=True)
class Extent:
    """The cells a sheet spans: rows `top`..`bottom`, columns `left`..`right` (0-based)."""

    sheet: str
    top: int
    left: int
    bottom: int
    right: int

    @property
    def cells(self) -> int:
        return (self.bottom - self.top + 1) * (self.right - self.left + 1)

    def finding(self, shown: str) -> Finding:
        """SHEET_TOO_LARGE for this extent of the file shown as `shown`."""
        rows, columns = self.bottom - self.top + 1, self.right - self.left + 1
        return finding(
            "SHEET_TOO_LARGE",
            Location(shown, self.sheet, row=self.bottom + 1, column=self.right + 1),
            sheet=self.sheet,
            span=f"{_a1(self.top, self.left)}:{_a1(self.bottom, self.right)}",
            rows=_count(rows),
            columns=_count(columns),
            limit=_count(MAX_SHEET_CELLS),
            last=_a1(self.bottom, self.right),
        )


def _a1(row: int, column: int) -> str:
    return f"{column_letter(column)}{row + 1}"


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # 1.048.576, as Vietnamese writes it


def oversized(path: Path, kind: FileKind) -> Extent | None:
    """The first sheet of `path` (a file `filesafety` accepted as `kind`) whose cells span
    more than `MAX_SHEET_CELLS`, or None. A file that cannot be scanned gives None: the
    reader then reports it unreadable."""
    scan = {
        FileKind.XLSX: _xlsx_extents,
        FileKind.XLSM: _xlsx_extents,
        FileKind.ODS: _ods_extents,
        FileKind.XLS: _xls_extents,
    }.get(kind)
    if scan is None:
        return None
    try:
        for extent in scan(path):
            if extent.cells > MAX_SHEET_CELLS:
                return extent
    except Exception:  # a malformed file (zip, XML, CFB): the reader will say it is unreadable
        return None
    return None


class _Box:
    """The bounding box of the cells seen so far."""

    def __init__(self) -> None:
        self.top = self.left = self.bottom = self.right = None

    def add(self, top: int, left: int, bottom: int, right: int) -> None:
        if self.top is None:
            self.top, self.left, self.bottom, self.right = top, left, bottom, right
            return
        self.top, self.left = min(self.top, top), min(self.left, left)
        self.bottom, self.right = max(self.bottom, bottom), max(self.right, right)

    def extent(self, sheet: str) -> Extent | None:
        if self.top is None:
            return None
        return Extent(sheet, self.top, self.left, self.bottom, self.right)


# --- .xlsx / .xlsm ----------------------------------------------------------------------------
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def xlsx_sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip entry of its XML) for each sheet workbook.xml lists, in order."""
    from defusedxml.ElementTree import fromstring

    book = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    parts = []
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        part = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        parts.append((sheet.get("name", ""), posixpath.normpath(part)))
    return parts


def _xlsx_extents(path: Path):
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for sheet, part in xlsx_sheet_parts(archive):
            if part in names:
                with archive.open(part) as xml:
                    box = _xlsx_box_fast(xml)
                if box is None:
                    with archive.open(part) as xml:
                        box = _xlsx_box(xml)
                yield box.extent(sheet)


def _chunks(xml):
    """The XML in pieces of about `_CHUNK` bytes, each cut before its last '<' (a tag is
    never split: '<' stands in no attribute value)."""
    tail = b""
    while True:
        chunk = xml.read(_CHUNK)
        if not chunk:
            if tail:
                yield tail
            return
        data = tail + chunk
        cut = data.rfind(b"<")
        if cut <= 0:
            cut = len(data)
        tail = data[cut:]
        yield data[:cut]


_CELL_R_FIRST = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_CELL_R_REST = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"([^<>]*)>')
_SELF_CLOSING_CELL = re.compile(rb'<c r="[^<>]*/>')
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")
_ODD = (b"='", b"= ", b"\t", b"\n", b"\r", b" =", b"<c>", b"<c/")


def _xlsx_box_fast(xml) -> _Box | None:
    """`_xlsx_box` for the sheets spreadsheet programs write, in a few regular expressions
    and byte counts a chunk: every cell `<c r="A1" ...>` with its `r` first and only once,
    values in double quotes (no `='`), no namespace prefix, no whitespace but single spaces
    (none beside `=`). None when a
    chunk is written otherwise (then `_xlsx_box` reads the sheet tag by tag)."""
    box = _Box()
    columns: dict[bytes, int] = {}
    for data in _chunks(xml):
        if data.startswith(b"<?xml"):  # the declaration's line break is no cell's business
            data = data[data.find(b"?>") + 2 :]
        found = _CELL_R_FIRST.findall(data)
        if (
            any(odd in data for odd in _ODD)
            or data.count(b"<c ") != len(found)
            or data.count(b" r=") != len(found) + data.count(b'<row r="')  # r twice, r= in text
            or (b":c" in data and _PREFIXED_CELL.search(data))
        ):
            return None
        if _SELF_CLOSING_CELL.search(data):  # empty cells: only the others count
            found = []
            for letters, digits, rest in _CELL_R_REST.findall(data):
                if not rest.endswith(b"/"):
                    found.append((letters, digits))
                elif rest.count(b'"') % 2:  # a '/>' inside a value: not the tag's end
                    return None
        if not found:
            continue
        letters, digits = zip(*found)
        rows = list(map(int, digits))
        used = set(letters)
        for name in used - columns.keys():
            columns[name] = _column(name)
        indices = [columns[name] for name in used]
        box.add(min(rows) - 1, min(indices), max(rows) - 1, max(indices))
    return box


def _column(letters: bytes) -> int:
    """b"A" → 0, b"XFD" → 16383 (any letters, either case)."""
    column = 0
    for letter in letters.upper():
        column = column * 26 + letter - 64
    return column - 1


def _xlsx_box(xml) -> _Box:
    """The box of the cells holding anything, placed as the reader places them: a `<c>`'s
    `r`, else the column after the previous cell in the row; a row's `r`, else the row after
    the previous one. A self-closing `<c/>` is empty (it only moves on); any other counts."""
    box = _Box()
    row = column = 0
    for data in _chunks(xml):
        for match in _XLSX_TAG.finditer(data):
            closing, tag, attrs = match.groups()
            empty = attrs.endswith(b"/")
            if tag == b"row":
                if not closing:
                    for r in _xlsx_refs(attrs):
                        row = r[0]
                if closing or empty:
                    row, column = row + 1, 0
                continue
            if closing:
                continue
            refs = [r for r in _xlsx_refs(attrs) if r[1] is not None]
            if not refs:
                refs = [(row, column)]
            if not empty:
                for here, there in refs:
                    box.add(here, there, here, there)
            column = refs[-1][1] + 1
    return box


def _xlsx_refs(attrs: bytes) -> list[tuple[int, int | None]]:
    """Every `r` attribute of a tag (the reader may take the first or the last of two) as
    (0-based row, 0-based column or None); what is not an A1 reference is left out (the
    reader refuses it)."""
    refs = []
    for name, double, single in _ATTR.findall(attrs):
        if name == b"r":
            ref = _A1.fullmatch((double or single).decode("ascii", "replace"))
            if ref is not None and ref[2].strip("0"):
                refs.append((int(ref[2]) - 1, _column(ref[1].encode()) if ref[1] else None))
    return refs


# --- .ods -------------------------------------------------------------------------------------
_NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_NS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TABLE = f"{_NS_TABLE}table"
_ODS_ROW = f"{_NS_TABLE}table-row"
_ODS_CELLS = {f"{_NS_TABLE}table-cell", f"{_NS_TABLE}covered-table-cell"}


def _repeat(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _ods_extents(path: Path):
    """Each table of content.xml with the box of its cells that hold a value, a formula or
    text, repeated rows and columns counted (a repeated full cell fills its whole span)."""
    from defusedxml.ElementTree import iterparse

    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as xml:
        stack: list = []
        in_cell = 0
        sheet: str | None = None
        box = _Box()
        row = column = 0
        rows_here = 1
        for event, element in iterparse(xml, events=("start", "end")):
            tag = element.tag
            if event == "start":
                stack.append(element)
                if tag in _ODS_CELLS:
                    in_cell += 1
                elif in_cell:
                    continue
                elif tag == _ODS_TABLE:
                    sheet, box, row = element.get(f"{_NS_TABLE}name", ""), _Box(), 0
                elif tag == _ODS_ROW:
                    rows_here = _repeat(element.get(f"{_NS_TABLE}number-rows-repeated"))
                    column = 0
                continue
            stack.pop()
            if tag in _ODS_CELLS:
                in_cell -= 1
                if not in_cell:
                    columns = _repeat(element.get(f"{_NS_TABLE}number-columns-repeated"))
                    full = (
                        element.get(f"{_NS_OFFICE}value-type") is not None
                        or element.get(f"{_NS_TABLE}formula") is not None
                        or len(element)
                    )
                    if full:
                        box.add(row, column, row + rows_here - 1, column + columns - 1)
                    column += columns
            elif in_cell:
                continue
            elif tag == _ODS_ROW:
                row += rows_here
            elif tag == _ODS_TABLE and sheet is not None:
                yield box.extent(sheet)
                sheet = None
            if stack:
                stack[-1].remove(element)


# --- .xls -------------------------------------------------------------------------------------
_BOF, _EOF, _BOUNDSHEET, _DIMENSIONS, _FORMULA, _MULRK = 0x0809, 0x000A, 0x0085, 0x0200, 6, 0xBD
# Records that place one cell at (row u16, column u16): Number, Label, RString, BoolErr, Rk,
# LabelSst and Formula — the ones the reader keeps (Blank and MulBlank it skips).
_XLS_CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, _FORMULA}


def _xls_records(stream: bytes, pos: int):
    """(type, data) of the BIFF records from `pos` on."""
    end = len(stream)
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, pos)
        yield kind, stream[pos + 4 : pos + 4 + size]
        pos += 4 + size


def _reserved(data: bytes) -> tuple[int, int, int, int]:
    """The box a DIMENSIONS record makes the reader reserve: its rows and columns are counted
    as the reader counts them (unsigned 32-bit, so a last row before the first wraps round)."""
    wide_rows = len(data) == 14
    top, after = struct.unpack_from("<II" if wide_rows else "<HH", data)
    left, right_after = struct.unpack_from("<HH", data, 8 if wide_rows else 4)
    if left > 0xFF or right_after < left:
        left = 0
    if after >= 1 and right_after >= 1:
        bottom, right = after - 1, right_after - 1
    else:
        bottom, right = top, left
    rows = (bottom - top + 1) % (1 << 32)
    columns = (right - left + 1) % (1 << 32)
    return top, left, top + max(rows, 1) - 1, left + max(columns, 1) - 1


def _xls_extents(path: Path):
    """Each sheet named by a BOUNDSHEET record, with the box of its cell records and of what
    its DIMENSIONS record declares (the reader reserves memory for that), nested substreams
    (embedded charts) skipped as the reader skips them."""
    import io

    from xlrd.compdoc import CompDoc

    cfb = CompDoc(path.read_bytes(), logfile=io.StringIO())
    stream = cfb.get_named_stream("Workbook") or cfb.get_named_stream("Book")
    if not stream:
        return
    sheets = []
    for kind, data in _xls_records(stream, 0):
        if kind == _BOUNDSHEET and len(data) >= 8:
            length = data[6]
            wide = len(data) > 7 and data[7] & 1
            raw = data[8 : 8 + length * (2 if wide else 1)]
            name = raw.decode("utf-16-le" if wide else "latin-1", "replace")
            sheets.append((struct.unpack_from("<I", data)[0], name))
        elif kind == _EOF:
            break
    for pos, name in sheets:
        box = _Box()
        depth = 0
        seen_bof = False
        for kind, data in _xls_records(stream, pos):
            if depth:
                depth += (kind == _BOF) - (kind == _EOF)
                continue
            if kind == _BOF:
                depth, seen_bof = (1, True) if seen_bof else (0, True)
            elif kind == _EOF:
                break
            elif kind in _XLS_CELLS and len(data) >= 4:
                r, c = struct.unpack_from("<HH", data)
                box.add(r, c, r, c)
            elif kind == _MULRK and len(data) >= 6:
                r, first = struct.unpack_from("<HH", data)
                (last,) = struct.unpack_from("<H", data, len(data) - 2)
                box.add(r, first, r, max(first, last))
            elif kind == _DIMENSIONS and len(data) in (10, 14):
                box.add(*_reserved(data))
        yield box.extent(name)
