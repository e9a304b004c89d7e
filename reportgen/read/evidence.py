"""Evidence (minh chứng) as units write it: document references read leniently.

A form's evidence cell cites documents the way clerks type them — "Quyết định số
123/QĐ-UBND ngày 05/3/2025 …; trang 4", "KH 45/KH-SKHCN 12/02/2025", a link — one per line.
Each line becomes a `Reference`: its text always, and whatever could be read of it (number and
symbol, date, link). A line nothing can be read of stays text; nothing here fails."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from reportgen.core.location import Location
from reportgen.core.text import clean

_URL = re.compile(r"(?:https?://|www\.)[^\s;,]+", re.IGNORECASE)
# 123/QĐ-UBND, 45/KH-SKHCN, 07/2025/TT-BKHCN: a number, then a symbol of letters and dashes
_NUMBER = re.compile(r"\b(\d{1,6})/((?:\d{4}/)?[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*)", re.UNICODE)
_DMY = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_WORDS = re.compile(
    r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE | re.UNICODE
)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")


@dataclass(frozen=True)
class Reference:
    """One cited document or link, as written and as read."""

    text: str  # the line as written
    number: str = ""  # "123/QĐ-UBND" (số, ký hiệu), when one could be read
    date: dt.date | None = None  # the document's date, when one could be read
    written_date: str = ""  # the date as it was written ("05/3/2025"), for messages
    url: str = ""  # a link, when the line holds one


def references(value: object) -> list[Reference]:
    """The references of one evidence cell: a line each (empty lines dropped). A date cell
    (a spreadsheet date) is one reference with that date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        written = f"{value.day:02d}/{value.month:02d}/{value.year}"
        return [Reference(written, date=value, written_date=written)]
    if value is None:
        return []
    lines = (clean(line) for line in str(value).replace("\r", "\n").split("\n"))
    return [read(line) for line in lines if line]


def read(line: str) -> Reference:
    """What can be read of one reference line; the text always kept."""
    url = _URL.search(line)
    number = _NUMBER.search(line)
    rest = line if url is None else line[: url.start()] + " " + line[url.end() :]
    date, written = _date(rest)
    return Reference(
        line,
        number=f"{number[1]}/{number[2]}" if number else "",
        date=date,
        written_date=written,
        url=url.group() if url else "",
    )


def date_of(value: object) -> dt.date | None:
    """A date cell's date, or the first date written in a text cell; None when none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _date(clean(value))[0] if isinstance(value, str) else None


def _date(text: str) -> tuple[dt.date | None, str]:
    """The first real date in `text` (5/3/2025, 05.03.2025, ngày 05 tháng 3 năm 2025,
    2025-03-05) and how it was written; (None, "") when there is none (31/02/2025 is none)."""
    found = []
    for pattern, order in ((_WORDS, "dmy"), (_DMY, "dmy"), (_ISO, "ymd")):
        for m in pattern.finditer(text):
            parts = [int(g) for g in m.groups()]
            year, month, day = parts if order == "ymd" else parts[::-1]
            try:
                found.append((m.start(), dt.date(year, month, day), m.group()))
            except ValueError:
                continue
    if not found:
        return None, ""
    _, date, written = min(found, key=lambda f: f[0])
    return date, clean(written)


@dataclass(frozen=True)
class Cited:
    """One unit's evidence for one indicator, as the register lists it."""

    unit: str
    key: str
    label: str
    score: Decimal  # the self-score
    references: tuple[Reference, ...]
    explanation: str  # "Giải trình (nếu không có minh chứng)"
    location: Location  # the evidence cell (the score cell when the form has no such column)

    @property
    def text(self) -> str:
        """The evidence cell's lines, one per reference."""
        return "\n".join(r.text for r in self.references)

    @property
    def given(self) -> bool:
        """Whether evidence or an explanation was written."""
        return bool(self.references or self.explanation)
