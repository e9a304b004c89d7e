"""The answer workbook sent with a preliminary notice (Phiếu giải trình), through
`render.book`: one row per changed indicator — its self-score, preliminary verified score and
reason locked — and unlocked cells for the unit's opinion (a list: Thống nhất / Giải trình),
its explanation and additional evidence, and for the council's conclusion (Giữ nguyên /
Chấp nhận) and the score it accepts. `ingest` finds it by its headings (`ANSWER_HEADINGS`)
and reads it back like any submission."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from reportgen.config import Assessment
from reportgen.core.vnformat import short_date
from reportgen.judge.notices import Notice
from reportgen.read.answer_sheet import ANSWER_HEADINGS, ANSWER_SHEET, CONCLUSIONS, OPINIONS
from reportgen.render.book import Book, merged, print_a4
from reportgen.render.safe import Own, write
from reportgen.render.statements import row_height, text_formats

HEADER_ROW = 8  # 0-based row of the table header (row 9 in Excel)
WIDTHS = (6, 34, 10, 12, 28, 14, 32, 32, 14, 11)
WRITING_LINES = 3  # room left in a row for the unit's explanation
UNIT_FILL = "#FFF2CC"  # the unit's cells, as on the score-sheet form
COUNCIL_FILL = "#E2EFDA"  # the council's cells
NOTES = [
    "Hướng dẫn:",
    "- Đơn vị ghi vào các ô màu vàng: chọn 'Thống nhất' hoặc 'Giải trình' ở cột Ý kiến; khi "
    "giải trình, ghi nội dung và minh chứng bổ sung (số, ký hiệu, ngày, trích yếu văn bản; "
    "trang/mục, hoặc đường dẫn).",
    "- Không sửa tên đơn vị, tiêu chí, các điểm và lý do đã ghi; gửi lại tệp này (.xlsx) đúng "
    "hạn trả lời.",
    "- Các ô màu xanh do cơ quan thẩm định ghi: ngày nhận, kết luận của Hội đồng và điểm "
    "chấp nhận.",
]


def answer_bytes(
    assessment: Assessment,
    notice: Notice,
    answers: Mapping[str, tuple[str, str, str]] | None = None,
    answered: dt.date | None = None,
) -> bytes:
    """The answer workbook of one notice as .xlsx bytes (the same bytes for the same notice).
    `answers` (indicator key → (a key of `OPINIONS`, explanation, additional evidence)) and
    `answered` fill the unit's cells: an answer given on the unit's page (`reportgen serve`),
    received the day it was given."""
    answers = answers or {}
    book = Book(dt.datetime.combine(assessment.stamp, dt.time()))
    f = text_formats(book, assessment.scoring.decimals)
    number = f["num_format"]
    unit = book.format(**f["box_props"], locked=False, bg_color=UNIT_FILL)
    council = book.format(**f["box_props"], locked=False, bg_color=COUNCIL_FILL)
    council_number = book.format(
        **f["box_props"], locked=False, bg_color=COUNCIL_FILL, align="center", num_format=number
    )
    ws = book.sheet(ANSWER_SHEET)
    last = len(ANSWER_HEADINGS) - 1
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    merged(
        ws, 0, 0, last, f"PHIẾU GIẢI TRÌNH KẾT QUẢ THẨM ĐỊNH SƠ BỘ NĂM {notice.year}", f["title"]
    )
    merged(ws, 1, 0, last, assessment.title[:1].upper() + assessment.title[1:], f["centre"])
    ws.set_row(1, 32)
    deadline = assessment.verification.deadline
    facts = [
        ("Đơn vị:", notice.unit),
        ("Thông báo:", f"Số {notice.number} {notice.dated} của {notice.issuer}"),
        ("Hạn trả lời:", short_date(deadline) if deadline else "không đặt hạn"),
    ]
    for row, (label, value) in enumerate(facts, start=2):
        merged(ws, row, 0, 1, label, f["label"])
        merged(ws, row, 2, last, value, f["text"])
    dates = [("Ngày trả lời (đơn vị ghi):", UNIT_FILL), ("Ngày nhận (văn thư ghi):", COUNCIL_FILL)]
    for row, (label, fill) in enumerate(dates, start=5):
        merged(ws, row, 0, 1, label, f["label"])
        cell = book.format(
            font_name="Times New Roman",
            font_size=12,
            border=1,
            locked=False,
            bg_color=fill,
            num_format="dd/mm/yyyy",
            align="left",
        )
        write(ws, row, 2, answered, cell)
        ws.data_validation(
            row,
            2,
            row,
            2,
            {
                "validate": "date",
                "criteria": ">=",
                "value": dt.date(notice.year, 1, 1),
                "error_message": "Ghi ngày dạng ngày/tháng/năm, ví dụ 10/01/2026.",
            },
        )
    for col, heading in enumerate(ANSWER_HEADINGS):
        write(ws, HEADER_ROW, col, heading, f["header"])
    ws.set_row(HEADER_ROW, row_height(list(zip(ANSWER_HEADINGS, WIDTHS))))
    first = HEADER_ROW + 1
    for i, change in enumerate(notice.rows):
        r = first + i
        write(ws, r, 0, i + 1, f["centre_box"])
        write(ws, r, 1, change.label, f["box"])
        write(ws, r, 2, change.self_score, f["number"])
        write(ws, r, 3, change.preliminary, f["number"])
        write(ws, r, 4, change.reason, f["box"])
        opinion, explanation, evidence = answers.get(change.key, (None, None, None))
        given = (OPINIONS[opinion] if opinion else None, explanation, evidence)
        for col, value in zip((5, 6, 7), given):
            write(ws, r, col, value, unit)
        write(ws, r, 8, None, council)
        write(ws, r, 9, None, council_number)
        ws.set_row(r, row_height([(change.label, WIDTHS[1]), (change.reason, WIDTHS[4])], 3))
        ws.data_validation(
            r,
            9,
            r,
            9,
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": change.minimum,
                "maximum": change.maximum,
                "input_title": "Điểm chấp nhận",
                "input_message": "Khi Chấp nhận: điểm được công nhận (để trống = điểm tự chấm).",
                "error_message": f"Điểm phải từ {change.minimum} đến {change.maximum}.",
            },
        )
    if notice.rows:
        end = first + len(notice.rows) - 1
        lists = [
            (5, OPINIONS, "Ý kiến của đơn vị", "Chọn Thống nhất, hoặc Giải trình và ghi lý do."),
            (8, CONCLUSIONS, "Kết luận của Hội đồng", "Hội đồng ghi Giữ nguyên hoặc Chấp nhận."),
        ]
        for col, choices, title, message in lists:
            ws.data_validation(
                first,
                col,
                end,
                col,
                {
                    "validate": "list",
                    "source": list(choices.values()),
                    "input_title": title,
                    "input_message": message,
                },
            )
    for k, text in enumerate(NOTES, start=first + len(notice.rows) + 1):
        merged(ws, k, 0, last, Own(text), f["label"] if text == NOTES[0] else f["wrap"])
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    print_a4(ws, landscape=True)
    ws.center_horizontally()
    return book.bytes()
