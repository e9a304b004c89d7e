"""Where a finding points (a file, a sheet, a cell or a row) and the A1 references of cells:
the one place a location becomes text."""

from __future__ import annotations

import re
from dataclasses import dataclass


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_index(ref: str) -> tuple[int, int] | None:
    """ "D9" → (8, 3): the 0-based row and column of an A1 reference; None if it is not one."""
    match = re.fullmatch(r"([A-Z]{1,3})([1-9][0-9]{0,6})", ref)
    if match is None:
        return None
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - 64
    return int(match[2]) - 1, column - 1


@dataclass(frozen=True, slots=True)  # slots: one per cell read, so small
class Location:
    """Where a finding points: a file, optionally a sheet, and a row and column (1-based): a
    cell when both are given, a row of a table or a line of a text file when only the row.
    The one place where a location becomes text (`cell`, `__str__`, `ref`)."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: int | None = None

    @property
    def cell(self) -> str | None:
        """The A1 reference ("B17"), when the location is a cell."""
        if self.row is None or self.column is None:
            return None
        return column_letter(self.column - 1) + str(self.row)

    @property
    def place(self) -> str:
        """The cell ("B17"), or the row ("dòng 17"), or ""."""
        if self.cell:
            return self.cell
        return f"dòng {self.row}" if self.row is not None else ""

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.cell:
            parts.append(f"ô {self.cell}")
        elif self.row is not None:
            parts.append(f"dòng {self.row}")
        return ", ".join(parts)

    @property
    def ref(self) -> str:
        """The location as one token, as spreadsheets write it: `file!sheet!B17`."""
        return "!".join(p for p in (self.file, self.sheet, self.place) if p)
