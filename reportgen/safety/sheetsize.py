"""Whether a workbook has a sheet too large to read, found from the file itself before a reader
builds a grid.

python-calamine turns a sheet into a dense grid from its first to its last cell: one cell at
XFD1048576 beside A1 asks for 2^34 cells (549 755 813 888 bytes) and the process aborts. So
the extent is measured here first, from the cells themselves — never from what the file
declares about itself (`<dimension>` can lie) — and a sheet whose grid would exceed
`MAX_SHEET_CELLS` is refused before the reader sees the file. Each format is scanned the way
the reader places its cells, counted, never expanded, in memory that does not grow with the
sheet: `xlsx_extent`, `ods_extent`, `xls_extent`. What cannot be scanned is left to the
reader, which then reports the file unreadable."""

from __future__ import annotations

from pathlib import Path

from reportgen.safety.extent import MAX_SHEET_CELLS, Extent
from reportgen.safety.ods_extent import ods_extents
from reportgen.safety.verdict import FileKind
from reportgen.safety.xls_extent import xls_extents
from reportgen.safety.xlsx_extent import xlsx_extents


def oversized(path: Path, kind: FileKind) -> Extent | None:
    """The first sheet of `path` (a file `sniff` accepted as `kind`) whose cells span more than
    `MAX_SHEET_CELLS`, or None. A file that cannot be scanned gives None: the reader then
    reports it unreadable."""
    scan = {
        FileKind.XLSX: xlsx_extents,
        FileKind.XLSM: xlsx_extents,
        FileKind.ODS: ods_extents,
        FileKind.XLS: xls_extents,
    }.get(kind)
    if scan is None:
        return None
    try:
        for extent in scan(path):
            if extent is not None and extent.cells > MAX_SHEET_CELLS:  # None: no cells
                return extent
    except Exception:  # a malformed file (zip, XML, CFB): the reader will say it is unreadable
        return None
    return None
