"""The one walk over an .ods `content.xml`: its tables, rows and cells at their positions, for
every reader of them (a sheet's extent, the reasons cells are blank).

Rows and cells may stand for many (`number-rows-repeated`, `number-columns-repeated`:
LibreOffice writes 16 384 columns and 1 048 576 rows that way); positions are counted, never
expanded, so the work is one step per XML element whatever the counts say. A cell's content
(paragraphs, a sub-table) stays on it until the cell is done; every finished element is then
dropped from the tree, so memory stays flat."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, NamedTuple

NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
NS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = f"{NS_TABLE}table"
_ROW = f"{NS_TABLE}table-row"
_CELLS = {f"{NS_TABLE}table-cell", f"{NS_TABLE}covered-table-cell"}

# What a step is: a table starts, a row starts, a cell ends, a row ends, a table ends.
TABLE, ROW, CELL, ROW_END, TABLE_END = "table", "row", "cell", "row end", "table end"


class Step(NamedTuple):
    """One step of the walk, in the table named `table` (None: it has no name): at 0-based
    `row`, standing for `rows` rows; a CELL at 0-based `column`, standing for `columns`
    columns, its element `cell` with its content."""

    what: str
    table: str | None
    row: int = 0
    rows: int = 1
    column: int = 0
    columns: int = 1
    cell: object = None


def _repeat(value: str | None) -> int:
    """A `number-rows/columns-repeated` attribute as a count ≥ 1 (garbage counts as 1)."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def walk(xml: IO[bytes]) -> Iterator[Step]:
    """The steps of the top-level tables of `content.xml` (open as `xml`), in document order;
    rows and cells outside a table, and the cells of tables inside a cell, are no steps. The
    caller may stop at any step."""
    from defusedxml.ElementTree import iterparse

    stack: list = []  # open elements; a finished one is removed from its parent
    in_cell = 0  # depth of table cells around the element (a cell may hold a sub-table)
    in_table = False  # inside a top-level table
    table: str | None = None
    row = 0  # 0-based index of the current row of the table
    rows_here = 1  # how many rows the current row element stands for
    column = 0  # 0-based index of the next cell in the current row
    for event, element in iterparse(xml, events=("start", "end")):
        tag = element.tag
        if event == "start":
            stack.append(element)
            if tag in _CELLS:
                in_cell += 1
            elif in_cell:
                continue
            elif tag == _TABLE:
                in_table, table, row = True, element.get(f"{NS_TABLE}name"), 0
                yield Step(TABLE, table)
            elif in_table and tag == _ROW:
                rows_here = _repeat(element.get(f"{NS_TABLE}number-rows-repeated"))
                column = 0
                yield Step(ROW, table, row, rows_here)
            continue
        stack.pop()
        if tag in _CELLS:
            in_cell -= 1
            if in_table and not in_cell:
                columns = _repeat(element.get(f"{NS_TABLE}number-columns-repeated"))
                yield Step(CELL, table, row, rows_here, column, columns, element)
                column += columns
        elif in_cell:
            continue  # a cell's content stays until the cell is done
        elif in_table and tag == _ROW:
            yield Step(ROW_END, table, row, rows_here)
            row += rows_here
        elif in_table and tag == _TABLE:
            yield Step(TABLE_END, table)
            in_table = False
        if stack:
            stack[-1].remove(element)
