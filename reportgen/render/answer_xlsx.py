"""The answer workbook sent with a preliminary notice (Phiếu giải trình), written with
XlsxWriter: one row per changed indicator — its self-score, preliminary verified score and
reason locked — and unlocked cells for the unit's opinion (a list: Thống nhất / Giải trình),
its explanation and additional evidence, and for the council's conclusion (Giữ nguyên /
Chấp nhận) and the score it accepts. `ingest` finds it by its headings (`ANSWER_HEADINGS`)
and reads it back like any submission."""

from __future__ import annotations

import datetime as dt
import io

from reportgen import atomic
from reportgen.config import Assessment
from reportgen.ingest import ANSWER_HEADINGS, ANSWER_SHEET, CONCLUSIONS, OPINIONS
from reportgen.notices import Notice
from reportgen.render.safe import cell_text
from reportgen.render.statements import row_height
from reportgen.vnformat import short_date

FONT = "Times New Roman"
HEADER_ROW = 8  # 0-based row of the table header (row 9 in Excel)
WIDTHS = (6, 34, 10, 12, 28, 14, 32, 32, 14, 11)
WRITING_LINES = 3  # room left in a row for the unit's explanation
UNIT_FILL = "#FFF2CC"  # the unit's cells, as on the score-sheet form
COUNCIL_FILL = "#E2EFDA"  # the council's cells


def answer_bytes(assessment: Assessment, notice: Notice) -> bytes:
    """The answer workbook of one notice as .xlsx bytes (the same bytes for the same notice)."""
    import xlsxwriter

    buffer = io.BytesIO()
    stamp = dt.datetime.combine(assessment.stamp, dt.time())
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    wb.set_properties({"title": ANSWER_SHEET, "author": "reportgen", "created": stamp})
    f = _formats(wb, assessment.scoring.decimals)
    ws = wb.add_worksheet(ANSWER_SHEET)
    last = len(ANSWER_HEADINGS) - 1
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    ws.merge_range(
        0, 0, 0, last, f"PHIẾU GIẢI TRÌNH KẾT QUẢ THẨM ĐỊNH SƠ BỘ NĂM {notice.year}", f["title"]
    )
    ws.merge_range(
        1, 0, 1, last, cell_text(assessment.title[:1].upper() + assessment.title[1:]), f["centre"]
    )
    ws.set_row(1, 32)
    deadline = assessment.verification.deadline
    facts = [
        ("Đơn vị:", notice.unit),
        ("Thông báo:", f"Số {notice.number} {notice.dated} của {notice.issuer}"),
        ("Hạn trả lời:", short_date(deadline) if deadline else "không đặt hạn"),
    ]
    for row, (label, value) in enumerate(facts, start=2):
        ws.merge_range(row, 0, row, 1, label, f["label"])
        ws.merge_range(row, 2, row, last, cell_text(value), f["text"])
    dates = [
        ("Ngày trả lời (đơn vị ghi):", f["unit_date"]),
        ("Ngày nhận (văn thư ghi):", f["council_date"]),
    ]
    for row, (label, style) in enumerate(dates, start=5):
        ws.merge_range(row, 0, row, 1, label, f["label"])
        ws.write_blank(row, 2, None, style)
    for row in (5, 6):
        ws.data_validation(
            row,
            1,
            row,
            1,
            {
                "validate": "date",
                "criteria": ">=",
                "value": dt.date(notice.year, 1, 1),
                "error_message": "Ghi ngày dạng ngày/tháng/năm, ví dụ 10/01/2026.",
            },
        )
    for col, heading in enumerate(ANSWER_HEADINGS):
        ws.write_string(HEADER_ROW, col, heading, f["header"])
    ws.set_row(HEADER_ROW, row_height([(h, w) for h, w in zip(ANSWER_HEADINGS, WIDTHS)]))
    ws.repeat_rows(HEADER_ROW)
    first = HEADER_ROW + 1
    for i, row in enumerate(notice.rows):
        r = first + i
        ws.write_number(r, 0, i + 1, f["centre_box"])
        ws.write_string(r, 1, cell_text(row.label), f["box"])
        ws.write_number(r, 2, row.self_score, f["number"])
        ws.write_number(r, 3, row.preliminary, f["number"])
        ws.write_string(r, 4, cell_text(row.reason), f["box"])
        ws.set_row(r, row_height([(row.label, WIDTHS[1]), (row.reason, WIDTHS[4])], WRITING_LINES))
        for col in (5, 6, 7):
            ws.write_blank(r, col, None, f["unit"])
        ws.write_blank(r, 8, None, f["council"])
        ws.write_blank(r, 9, None, f["council_number"])
        ws.data_validation(
            r,
            9,
            r,
            9,
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": row.minimum,
                "maximum": row.maximum,
                "input_title": "Điểm chấp nhận",
                "input_message": "Khi Chấp nhận: điểm được công nhận (để trống = điểm tự chấm).",
                "error_message": f"Điểm phải từ {row.minimum} đến {row.maximum}.",
            },
        )
    if notice.rows:
        end = first + len(notice.rows) - 1
        ws.data_validation(
            first,
            5,
            end,
            5,
            {
                "validate": "list",
                "source": list(OPINIONS.values()),
                "input_title": "Ý kiến của đơn vị",
                "input_message": "Chọn Thống nhất, hoặc Giải trình và ghi giải trình, minh chứng.",
            },
        )
        ws.data_validation(
            first,
            8,
            end,
            8,
            {
                "validate": "list",
                "source": list(CONCLUSIONS.values()),
                "input_title": "Kết luận của Hội đồng",
                "input_message": "Hội đồng ghi: Giữ nguyên, hoặc Chấp nhận (và điểm chấp nhận).",
            },
        )
    notes = [
        "Hướng dẫn:",
        "- Đơn vị ghi vào các ô màu vàng: chọn 'Thống nhất' hoặc 'Giải trình' ở cột Ý kiến; khi "
        "giải trình, ghi nội dung và minh chứng bổ sung (số, ký hiệu, ngày, trích yếu văn bản; "
        "trang/mục, hoặc đường dẫn).",
        "- Không sửa tên đơn vị, tiêu chí, các điểm và lý do đã ghi; gửi lại tệp này (.xlsx) đúng "
        "hạn trả lời.",
        "- Các ô màu xanh do cơ quan thẩm định ghi: ngày nhận, kết luận của Hội đồng và điểm "
        "chấp nhận.",
    ]
    for k, text in enumerate(notes, start=first + len(notice.rows) + 1):
        ws.merge_range(k, 0, k, last, text, f["label"] if text == notes[0] else f["wrap"])
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    wb.close()
    return atomic.stable_zip(buffer.getvalue())


def _formats(wb, decimals: int) -> dict:
    number = "0" if decimals == 0 else "0." + "#" * decimals
    base = {"font_name": FONT, "font_size": 12, "valign": "vcenter"}
    box = {**base, "border": 1, "text_wrap": True}

    def fmt(**extra):
        return wb.add_format({**base, **extra})

    return {
        "title": fmt(bold=True, font_size=14, align="center"),
        "centre": fmt(align="center", text_wrap=True),
        "label": fmt(bold=True),
        "text": fmt(),
        "wrap": fmt(text_wrap=True),
        "header": wb.add_format({**box, "bold": True, "align": "center"}),
        "box": wb.add_format(box),
        "centre_box": wb.add_format({**box, "align": "center"}),
        "number": wb.add_format({**box, "align": "center", "num_format": number}),
        "unit": wb.add_format({**box, "locked": False, "bg_color": UNIT_FILL}),
        "council": wb.add_format({**box, "locked": False, "bg_color": COUNCIL_FILL}),
        "council_number": wb.add_format(
            {
                **box,
                "locked": False,
                "bg_color": COUNCIL_FILL,
                "align": "center",
                "num_format": number,
            }
        ),
        "unit_date": fmt(
            locked=False, bg_color=UNIT_FILL, border=1, num_format="dd/mm/yyyy", align="left"
        ),
        "council_date": fmt(
            locked=False, bg_color=COUNCIL_FILL, border=1, num_format="dd/mm/yyyy", align="left"
        ),
    }
