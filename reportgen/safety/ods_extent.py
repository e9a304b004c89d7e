"""How far each sheet of an .ods reaches: `content.xml`'s rows and cells with their repeat
counts (`ods_walk`); a cell with a value, a formula or text that is repeated fills its whole
span."""

from __future__ import annotations

import zipfile
from pathlib import Path

from reportgen.safety.extent import Box
from reportgen.safety.ods_walk import CELL, NS_OFFICE, NS_TABLE, TABLE, TABLE_END, walk


def ods_extents(path: Path):
    """Each table of content.xml with the box of its cells that hold a value, a formula or
    text, repeated rows and columns counted (a repeated full cell fills its whole span)."""
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as xml:
        box = Box()
        for step in walk(xml):
            if step.what == TABLE:
                box = Box()
            elif step.what == CELL:
                cell = step.cell
                full = (
                    cell.get(f"{NS_OFFICE}value-type") is not None
                    or cell.get(f"{NS_TABLE}formula") is not None
                    or len(cell)
                )
                if full:
                    bottom = step.row + step.rows - 1
                    box.add(step.row, step.column, bottom, step.column + step.columns - 1)
            elif step.what == TABLE_END:
                yield box.extent(step.table or "")
