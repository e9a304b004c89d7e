"""The answer workbook of a preliminary notice (`render.answer_xlsx` writes it, this reads
it): a cell "Đơn vị:", a header row with "Tiêu chí" and "Ý kiến của đơn vị", one row per
changed indicator with the unit's opinion and the council's conclusion."""

from __future__ import annotations

from collections.abc import Callable

from reportgen.core.text import clean, label_key
from reportgen.read.headings import (
    ACCEPTED_HEADERS,
    ANSWERED_LABELS,
    CONCLUSION_HEADERS,
    EVIDENCE_PREFIX,
    EXPLANATION_PREFIX,
    ITEM_HEADERS,
    OPINION_HEADERS,
    REASON_HEADERS,
    RECEIVED_LABELS,
    UNIT_LABELS,
    labelled_value,
)
from reportgen.read.raw import RawAnswer, RawValue
from reportgen.read.workbook import Sheet

ANSWER_SHEET = "Phiếu giải trình"
OPINIONS = {"agree": "Thống nhất", "explain": "Giải trình"}  # the unit's "Ý kiến"
CONCLUSIONS = {"keep": "Giữ nguyên", "accept": "Chấp nhận"}  # "Kết luận của Hội đồng"
ANSWER_HEADINGS = [
    "STT",
    "Tiêu chí",
    "Điểm tự chấm",
    "Điểm thẩm định sơ bộ",
    "Lý do",
    "Ý kiến của đơn vị",
    "Giải trình",
    "Minh chứng bổ sung",
    "Kết luận của Hội đồng",
    "Điểm chấp nhận",
]
ANSWER_HEADER_ROWS = 40  # the header is row 9 of the workbook reportgen writes; room for more


def answer_rows(sheet: Sheet, shown: str) -> list[RawAnswer] | None:
    """The rows of a returned answer workbook, or None when the sheet is not one: a cell
    "Đơn vị:" and, in the first ANSWER_HEADER_ROWS rows, a header row with "Tiêu chí" and "Ý
    kiến của đơn vị" (looked for in the top rows only: a 100 000-row table is not folded
    cell by cell once more)."""
    for i, row in enumerate(sheet.rows[:ANSWER_HEADER_ROWS]):
        if sum(isinstance(c, str) and bool(c.strip()) for c in row) < 4:
            continue  # the header names ten columns
        folded = [label_key(c) if isinstance(c, str) else "" for c in row]
        if not any(h in OPINION_HEADERS for h in folded):
            continue
        unit = labelled_value(sheet, shown, UNIT_LABELS)
        item = next((j for j, h in enumerate(folded) if h in ITEM_HEADERS), None)
        if unit is None or item is None:
            return None

        def column(test: Callable[[str], bool], folded: list[str] = folded) -> int | None:
            return next((j for j, h in enumerate(folded) if h and test(h)), None)

        columns = [
            column(lambda h: h.startswith("diem tham dinh")),
            column(lambda h: h in REASON_HEADERS),
            column(lambda h: h in OPINION_HEADERS),
            column(lambda h: h.startswith(EXPLANATION_PREFIX)),
            column(lambda h: h.startswith(EVIDENCE_PREFIX)),
        ]
        council = [
            column(lambda h: h in CONCLUSION_HEADERS),
            column(lambda h: h in ACCEPTED_HEADERS),
        ]
        answered = labelled_value(sheet, shown, ANSWERED_LABELS)
        received = labelled_value(sheet, shown, RECEIVED_LABELS)
        out = []
        for k in range(i + 1, len(sheet.rows)):
            label = RawValue.at(sheet, shown, k, item)
            if not clean(label.value):
                continue  # a blank or note row
            cells = [
                RawValue("", label.location) if j is None else RawValue.at(sheet, shown, k, j)
                for j in columns
            ]
            extra = [None if j is None else RawValue.at(sheet, shown, k, j) for j in council]
            out.append(RawAnswer(unit, label, *cells, *extra, answered, received))
        return out
    return None
