"""Text written into spreadsheet-like outputs (.xlsx, .csv) must not start a formula, nor hold
a control character (openpyxl refuses them; a terminal would act on them)."""

from __future__ import annotations

from reportgen.numbers import is_number_text
from reportgen.text import visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: str) -> str:
    """Neutralise text a spreadsheet program would run as a formula (`=HYPERLINK(...)`), and
    show control characters as escapes (`\\x01`)."""
    value = visible(value)
    if value.startswith(FORMULA_STARTS) and not is_number_text(value):
        return "'" + value
    return value


def mark_text(value: str) -> str:
    """A year-over-year mark ("▲ 2", "=", "Mới") for an .xlsx cell: a lone "=" (no change) is
    kept as it is — openpyxl stores it as text and no spreadsheet program runs it — where
    `cell_text` would show "'="; anything else goes through `cell_text`. Not for CSV, where
    a program may read "=" as the start of a formula."""
    return value if value == "=" else cell_text(value)
