"""Vietnamese presentation of numbers, dates and document numbers, shared by every writer."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


def format_number(value: Decimal, decimals: int = 2, fixed: bool = False) -> str:
    """`Decimal('99.50')` → `'99,5'`; rounded half-up to `decimals`, no trailing zeros
    (with `fixed`, exactly `decimals` digits: an index `0,8220`), `.` between thousands
    (`1.000`)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    frac = frac if fixed else frac.rstrip("0")
    groups = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    text = ".".join([whole, *groups])
    return sign + text + ("," + frac if frac else "")


def date_line(day: dt.date) -> str:
    """The date as written after the place name: `ngày 07 tháng 01 năm 2020`.

    Nghị định 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: dt.date) -> str:
    """`07/01/2020`, as used in references to other documents."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def document_number(number: int, symbol: str) -> str:
    """`52/QĐ-UBND`; numbers below 10 take a leading zero (`05/QĐ-UBND`)."""
    return f"{number:02d}/{symbol}"
