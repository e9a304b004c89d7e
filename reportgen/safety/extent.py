"""What a sheet spans: the `Extent` of its cells (rows and columns from the first to the last
cell holding anything), the `Box` a scan grows cell by cell, and `MAX_SHEET_CELLS`, the most a
score sheet's grid may hold (`SHEET_TOO_LARGE` past it)."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location, column_letter

# A consolidated sheet of 10 000 units × 200 columns is 2 000 000 cells; the reader holds
# ~32 bytes a cell (plus a Python object per value), so this bounds one sheet to ~130 MB.
MAX_SHEET_CELLS = 4_000_000


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


class Box:
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
