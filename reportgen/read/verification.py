"""The Sở's verification list: a header row with a unit column, a "Tiêu chí" column,
"Điểm thẩm định" and "Lý do" (optionally the council's conclusion and accepted score), one
adjustment per row."""

from __future__ import annotations

from reportgen.core.text import clean, label_key
from reportgen.read.headings import (
    ACCEPTED_HEADERS,
    CONCLUSION_HEADERS,
    ITEM_HEADERS,
    NAME_HEADERS,
    REASON_HEADERS,
    VERIFIED_HEADERS,
)
from reportgen.read.raw import RawValue, RawVerification
from reportgen.read.workbook import Sheet


def verification_rows(sheet: Sheet, shown: str) -> list[RawVerification] | None:
    """The rows of a verification list, or None when the sheet is not one: a header row with
    a unit column, an indicator column, "Điểm thẩm định" and "Lý do"."""
    for i, row in enumerate(sheet.rows):
        if sum(isinstance(c, str) and bool(c.strip()) for c in row) < 4:
            continue  # a header names four columns: spares folding every unit row of a table
        folded = [label_key(c) if isinstance(c, str) else "" for c in row]
        columns = [
            next((j for j, h in enumerate(folded) if h in wanted), None)
            for wanted in (NAME_HEADERS, ITEM_HEADERS, VERIFIED_HEADERS, REASON_HEADERS)
        ]
        if any(j is None for j in columns):
            continue
        unit, item, score, reason = columns
        conclusion = next((j for j, h in enumerate(folded) if h in CONCLUSION_HEADERS), None)
        accepted = next((j for j, h in enumerate(folded) if h in ACCEPTED_HEADERS), None)
        out = []
        for k in range(i + 1, len(sheet.rows)):
            values = [RawValue.at(sheet, shown, k, j) for j in (unit, item, score, reason)]
            if not any(clean(v.value) for v in values[:3]):
                continue  # a blank or note row
            extra = [
                None if j is None else RawValue.at(sheet, shown, k, j)
                for j in (conclusion, accepted)
            ]
            out.append(RawVerification(*values, *extra))
        return out
    return None
