"""Vietnamese presentation of dates and document numbers, shared by every writer
(numbers: `reportgen.numbers`)."""

from __future__ import annotations

import datetime as dt


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
