"""Vietnamese presentation of dates and document numbers, shared by every writer
(numbers: `reportgen.core.numbers`)."""

from __future__ import annotations

import datetime as dt
import re

_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")


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


def read_date(text: str) -> dt.date | None:
    """A date as a clerk types it: `08/01/2021` (day first, as Vietnamese write it; `.` or `-`
    between the parts too) or `2021-01-08`; None when it is neither or no such day."""
    text = text.strip()
    found = _DAY_FIRST.fullmatch(text)
    try:
        if found:
            day, month, year = (int(g) for g in found.groups())
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        return None
    return None
