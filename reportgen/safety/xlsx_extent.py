"""How far each sheet of an .xlsx/.xlsm reaches: the sheet XML's `<row>` and `<c>` start tags,
read in chunks (a cell without `r` follows the one before it; an empty `<c/>` only moves on) —
a fast path of regular expressions for the usual writing, tag by tag otherwise."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from reportgen.safety.extent import Box

_CHUNK = 1 << 20  # bytes of sheet XML looked at at once

_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix
_ATTRS = rb"""((?:[^<>"']+|"[^"]*"|'[^']*')*)"""  # attribute values may hold '>'
_XLSX_TAG = re.compile(rb"<(/?)" + _NAME + rb"(row|c)(?=[\s/>])" + _ATTRS + rb">")
_ATTR = re.compile(rb"""([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_A1 = re.compile(r"\s*([A-Za-z]*)\s*([0-9]+)\s*")
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


def xlsx_extents(path: Path):
    """Each sheet workbook.xml lists, with the box of its cells holding anything."""
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


def _xlsx_box_fast(xml) -> Box | None:
    """`_xlsx_box` for the sheets spreadsheet programs write, in a few regular expressions
    and byte counts a chunk: every cell `<c r="A1" ...>` with its `r` first and only once,
    values in double quotes (no `='`), no namespace prefix, no whitespace but single spaces
    (none beside `=`). None when a
    chunk is written otherwise (then `_xlsx_box` reads the sheet tag by tag)."""
    box = Box()
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


def _xlsx_box(xml) -> Box:
    """The box of the cells holding anything, placed as the reader places them: a `<c>`'s
    `r`, else the column after the previous cell in the row; a row's `r`, else the row after
    the previous one. A self-closing `<c/>` is empty (it only moves on); any other counts."""
    box = Box()
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
