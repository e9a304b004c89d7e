"""Generate the preliminary-notice template `templates/thong-bao.docx` (python-docx).

A công văn under Nghị định 30/2020/NĐ-CP, Phụ lục I and Phụ lục III (mẫu 1.4): the same page,
fonts and header block as the decision (`make_template.py`, whose helpers this uses), the
trích yếu "V/v …" under the number, "Kính gửi:", the body, the table of changed indicators
(one row repeated by `{%tr for row in rows %}`), nơi nhận and the signature block. The
committed .docx is what clerks edit in Word; this script can rebuild it.

Usage: python scripts/make_notice_template.py templates/thong-bao.docx
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_template import (  # noqa: E402  (the decision template's helpers)
    BODY,
    CENTER,
    GAP,
    HEAD_LEFT,
    HEAD_RIGHT,
    ISSUER_RULE,
    JUSTIFY,
    LEFT,
    MOTTO_RULE,
    TEXT_W,
    layout_table,
    mark_size,
    page_setup,
    paragraph,
    rule,
    style_base,
    tag,
)

from reportgen.core import atomic  # noqa: E402
from reportgen.render import wordml  # noqa: E402

TABLE_PT = 12
# STT | Tiêu chí | Điểm tối đa | Điểm tự chấm | Điểm thẩm định sơ bộ | Lý do = the text width
COLUMNS = [
    ("STT", 12, "{{ row.number }}"),
    ("Tiêu chí", 52, "{{ row.label }}"),
    ("Điểm tối đa", 17, "{{ row.max }}"),
    ("Điểm tự chấm", 18, "{{ row.self }}"),
    ("Điểm thẩm định sơ bộ", 22, "{{ row.verified }}"),
    ("Lý do", TEXT_W - 121, "{{ row.reason }}"),
]


def _borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0")):
            el.set(qn(key), value)
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tblpr.append(borders)
    wordml.in_order(tblpr, wordml.TABLE_PROPERTIES)


def _cell_text(cell, text: str, bold: bool = False, align=CENTER) -> None:
    para = cell.paragraphs[0]
    para.alignment = align
    run = para.add_run(text)
    run.font.size = Pt(TABLE_PT)
    run.bold = bold
    mark_size(para, TABLE_PT)


def changes_table(doc) -> None:
    """Header row, a `{%tr for %}` row, the repeated row, a `{%tr endfor %}` row."""
    table = doc.add_table(rows=4, cols=len(COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    for col, (_, width, _) in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), COLUMNS):
        col.set(qn("w:w"), str(round(width * 56.6929)))
    for row in table.rows:
        for cell, (_, width, _) in zip(row.cells, COLUMNS):
            cell.width = Mm(width)
    header, start, body, end = table.rows
    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    trpr.append(repeat)
    for cell, (heading, _, _) in zip(header.cells, COLUMNS):
        _cell_text(cell, heading, bold=True)
    _cell_text(start.cells[0], "{%tr for row in rows %}", align=LEFT)
    for i, (cell, (_, _, value)) in enumerate(zip(body.cells, COLUMNS)):
        _cell_text(cell, value, align=LEFT if i in (1, 5) else CENTER)
    _cell_text(end.cells[0], "{%tr endfor %}", align=LEFT)


def build() -> bytes:
    doc = Document()
    style_base(doc)
    page_setup(doc.sections[0])

    # Ô 1-4 as in the decision; under the number the trích yếu of a công văn (ô 5b):
    # "V/v …", 12-13 upright, centred under the number.
    left, right = layout_table(doc, [HEAD_LEFT, HEAD_RIGHT])
    tag(left, "{%p if issuer.parent %}", size=13, align=CENTER)
    paragraph(left, "{{ issuer.parent }}", size=13)
    tag(left, "{%p endif %}", size=13, align=CENTER)
    paragraph(left, "{{ issuer.header }}", size=13, bold=True)
    rule(left, ISSUER_RULE, HEAD_LEFT, after=6)
    paragraph(left, "Số: {{ number }}", size=13)
    paragraph(left, "V/v thông báo kết quả thẩm định sơ bộ năm {{ year }}", size=12, before=6)
    paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    paragraph(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    rule(right, MOTTO_RULE, HEAD_RIGHT, after=6)
    paragraph(right, "{{ place_date }}", size=BODY, italic=True)

    # Ô 9a: "Kính gửi:" and the addressee, 14 upright, on one line.
    paragraph(doc, "Kính gửi: {{ unit }}.", before=18, after=12)

    body = [
        "Thực hiện {{ title }}, {{ issuer.short }} đã thẩm định kết quả tự đánh giá, chấm "
        "điểm năm {{ year }} của {{ unit }} (khối {{ group }}). Kết quả thẩm định sơ bộ khác "
        "điểm tự chấm ở {{ count }} tiêu chí như sau:",
    ]
    for text in body:
        paragraph(doc, text, align=JUSTIFY, indent=True, after=GAP)
    changes_table(doc)
    paragraph(
        doc,
        "Tổng điểm tự chấm: {{ self_total }}; tổng điểm sau thẩm định sơ bộ: {{ verified_total }}.",
        align=JUSTIFY,
        indent=True,
        before=GAP,
        after=GAP,
    )
    paragraph(
        doc,
        "Đề nghị {{ unit }} xem xét, ghi ý kiến vào Phiếu giải trình gửi kèm (Thống nhất; hoặc "
        "Giải trình, kèm minh chứng bổ sung) và gửi về {{ issuer.short }} {{ deadline }}. Quá "
        "thời hạn trên mà không có ý kiến, kết quả thẩm định sơ bộ được dùng làm kết quả "
        "chính thức./.",
        align=JUSTIFY,
        indent=True,
        after=GAP,
    )
    paragraph(doc, "", size=6)

    left, right = layout_table(doc, [75, TEXT_W - 75])
    heading = paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT)
    heading.paragraph_format.keep_with_next = True
    tag(left, "{%p for recipient in recipients %}", size=11)
    paragraph(left, "- {{ recipient }}", size=11, align=LEFT)
    tag(left, "{%p endfor %}", size=11)
    tag(right, "{%p for line in signer.lines %}", align=CENTER)
    paragraph(right, "{{ line }}", bold=True)
    tag(right, "{%p endfor %}", align=CENTER)
    for _ in range(5):
        paragraph(right, "")
    paragraph(right, "{{ signer.name }}", bold=True)

    props = doc.core_properties
    props.title = "Thông báo kết quả thẩm định sơ bộ"
    props.author = props.last_modified_by = "reportgen"
    props.comments = "Mẫu thông báo của reportgen — xem docs/templates.md trước khi sửa."
    props.language = "vi-VN"
    props.created = props.modified = dt.datetime(2020, 1, 1)
    props.revision = 1
    wordml.set_compatibility_mode(doc.settings.element)
    buffer = io.BytesIO()
    doc.save(buffer)
    return atomic.stable_zip(buffer.getvalue())


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "templates/thong-bao.docx")
    atomic.write_bytes(target, build())
    print(f"wrote {target}")
