"""Text written into spreadsheet-like outputs (.xlsx, .csv) must not start a formula, nor hold
a control character (a spreadsheet program would run the one; a terminal would act on the
other). Every cell of every workbook reportgen writes goes through `write`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reportgen.core.numbers import is_number_text
from reportgen.core.text import visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Formula(str):
    """A formula reportgen itself makes (a parent's `SUM` in a form): the only text `write`
    writes as a formula."""


class Own(str):
    """reportgen's own words, written as they are ("- Lưu tệp …", a form's instructions: a
    text cell, never run, that `cell_text` would show as "'- Lưu tệp …")."""


def cell_text(value: str) -> str:
    """Neutralise text a spreadsheet program would run as a formula (`=HYPERLINK(...)`), and
    show control characters as escapes (`\\x01`)."""
    value = visible(value)
    if value.startswith(FORMULA_STARTS) and not is_number_text(value):
        return "'" + value
    return value


def mark_text(value: str) -> str:
    """A year-over-year mark ("▲ 2", "=", "Mới") for an .xlsx cell: a lone "=" (no change) is
    kept as it is — written as a text cell, no spreadsheet program runs it — where
    `cell_text` would show "'="; anything else goes through `cell_text`. Not for CSV, where
    a program may read "=" as the start of a formula."""
    return value if value == "=" else cell_text(value)


def write(ws, row: int, col: int, value: object, fmt=None, mark: bool = False) -> None:
    """Write one cell (0-based) of an XlsxWriter sheet: a number as a number cell, a
    `Formula` as a formula (no stored result: recalculated on opening), `Own` text as it is,
    any other text through `cell_text` (`mark_text` when `mark`), a date as a date cell,
    None or "" as an empty
    cell (formatted when `fmt` is given)."""
    if isinstance(value, str) and value:
        if isinstance(value, Formula):
            ws.write_formula(row, col, value, fmt, "")
        elif isinstance(value, Own):
            ws.write_string(row, col, value, fmt)
        else:
            ws.write_string(row, col, mark_text(value) if mark else cell_text(value), fmt)
    elif isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
    elif value is None or value == "":
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    else:
        raise TypeError(f"no cell for {type(value).__name__}")
