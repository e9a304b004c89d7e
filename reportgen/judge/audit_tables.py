"""The tables of a published annex: one grid per header row and per value of a group column,
the group each table belongs to, the columns its header leaves unplaced, and where each of
its cells sits in the file (a workbook cell, a text line, the unit row of a Word table)."""

from __future__ import annotations

from collections import Counter

from reportgen.config import Assessment, Group
from reportgen.core.catalogue import finding
from reportgen.core.findings import Findings
from reportgen.core.location import Location, column_letter
from reportgen.core.numbers import parse_or_none, shown
from reportgen.core.text import clean, label_key
from reportgen.read.consolidated import TableColumns
from reportgen.read.headings import HEADER_SEARCH_UP, heading_kind
from reportgen.read.layout import Layout
from reportgen.read.published import CELLS, LINES
from reportgen.read.raw import RawEntry, RawValue
from reportgen.read.workbook import Sheet


def annex_tables(sheets: list[Sheet], layout: Layout, mode: str) -> list[tuple[Sheet, str]]:
    """One grid per header row, so that two tables on one sheet (or in one text) are two
    tables; each part keeps a few rows above its header for merged headings, and its offset
    so addresses stay those of the file. Returns (part, table name) pairs."""
    tables: list[tuple[Sheet, str]] = []
    for sheet in sheets:
        headers = [i for i, row in enumerate(sheet.rows) if layout.headers(row)]
        parts = []
        for k, h in enumerate(headers):
            start = max(h - HEADER_SEARCH_UP, headers[k - 1] + 1 if k else 0)
            end = headers[k + 1] if k + 1 < len(headers) else len(sheet.rows)
            parts += [(r, start + o) for r, o in _by_group(sheet.rows[start:end], h - start)]
        for k, (rows, start) in enumerate(parts):
            if mode == CELLS:
                name = sheet.name if len(parts) == 1 else f"{sheet.name} (bảng {k + 1})"
            else:
                name = f"Bảng {len(tables) + 1}"
            tables.append((Sheet(name, rows, sheet.top + start, sheet.left), name))
    return tables


def _by_group(rows: list[list[object]], header: int) -> list[tuple[list[list[object]], int]]:
    """A table with a group column ("group", "Khối": ket-qua.csv, the transcribed annex) as
    one table per group, the other groups' rows blanked so addresses stay the file's."""
    heads = [label_key(c) if isinstance(c, str) else "" for c in rows[header]]
    column = next((j for j, h in enumerate(heads) if heading_kind(h) == "group"), None)
    if column is None:
        return [(rows, 0)]

    def group(row: list[object]) -> str:
        return clean(row[column]) if column < len(row) else ""

    values = list(dict.fromkeys(group(r) for r in rows[header + 1 :] if group(r)))
    return [
        (
            [r if i <= header or group(r) == value else [""] * len(r) for i, r in enumerate(rows)],
            0,
        )
        for value in values
    ] or [(rows, 0)]


def shown_value(value: object) -> str:
    """A cell's value as a message quotes it: text as typed (`'a'`), a number cell as the
    document writes it (`'14,5'`, never `'14.5'`), or "ô trống"."""
    number = None if isinstance(value, str) else parse_or_none(value)
    text = clean(value) if number is None else shown(number)
    return f"'{text}'" if text else "ô trống"


class PublishedTable:
    """A published table's name and how its cells are located in the file."""

    def __init__(self, name: str, sheet: Sheet, entries: list[RawEntry], shown: str, mode: str):
        self.name, self.sheet, self.shown, self.mode = name, sheet, shown, mode
        self.positions = {
            self._line(e.name.location): i for i, e in enumerate(entries, start=1)
        }  # physical row → unit row, for Word tables

    @staticmethod
    def _line(location: Location) -> int:
        return location.row or 0

    def where(self, value: RawValue) -> Location:
        loc = value.location
        if self.mode == CELLS:
            return loc
        line = self._line(loc)
        row = line if self.mode == LINES else self.positions.get(line, line)
        return Location(loc.file, self.name, row=row)

    def header_cell(self, columns: TableColumns, j: int) -> Location:
        raw = RawValue.at(self.sheet, self.shown, columns.header, j)
        if self.mode == CELLS:
            return raw.location
        return Location(self.shown, self.name, row=raw.location.row)


def group_of(
    columns: TableColumns, units: list[str | None], assessment: Assessment
) -> Group | None:
    """The group most of the table's units belong to, among the groups of the criteria set
    its header names; None when no unit is known."""
    groups = [
        assessment.group_of(u)
        for u in units
        if u is not None and assessment.group_of(u).criteria_set == columns.criteria_set
    ]
    counts = Counter(g.key for g in groups)
    if not counts:
        return None
    key = counts.most_common(1)[0][0]
    return next(g for g in assessment.groups if g.key == key)


def unplaced_columns(table: PublishedTable, columns: TableColumns, out: Findings) -> list[str]:
    """The columns the header leaves unplaced ("cột D 'Vị thứ'"), each an AUDIT_COLUMN_UNKNOWN
    at its header cell."""
    unplaced = []
    for j, heading in columns.unplaced:
        letter = column_letter(j + table.sheet.left)  # the file's column, not the grid's
        shown_heading = heading or "(không có tiêu đề)"
        unplaced.append(f"cột {letter} '{shown_heading}'")
        out.add(
            finding(
                "AUDIT_COLUMN_UNKNOWN",
                table.header_cell(columns, j),
                table=table.name,
                letter=letter,
                heading=shown_heading,
                example=heading or "Tên cột",
            )
        )
    return unplaced
