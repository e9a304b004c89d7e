"""Generate the default decision template `templates/quyet-dinh.docx` (python-docx).

The committed .docx is the source of truth that clerks edit in Word; this script records how
the first version was laid out (Nghị định 30/2020/NĐ-CP, Phụ lục I) and can rebuild it.
Every Jinja tag sits in a run of its own; no `{%p %}` tag shares a paragraph with a
section break. Usage: python scripts/make_template.py templates/quyet-dinh.docx
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from reportgen import atomic

FONT = "Times New Roman"
CENTER, JUSTIFY, LEFT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.LEFT,
)


def style_base(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0


def page_setup(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True  # no page number on the first page
    para = section.header.paragraphs[0]
    para.alignment = CENTER
    field(para, "PAGE", size=13)


def field(para, instruction: str, size: int) -> None:
    """A Word field (PAGE) as begin / instrText / separate / result / end runs."""

    def run_with(child):
        run = para.add_run()
        run.font.size = Pt(size)
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    para.add_run("1").font.size = Pt(size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def paragraph(
    container,
    text="",
    *,
    size=14,
    bold=False,
    italic=False,
    align=CENTER,
    indent=False,
    after=0,
    runs=None,
):
    para = container.add_paragraph()
    para.alignment = align
    pf = para.paragraph_format
    pf.space_after = Pt(after)
    if indent:
        pf.first_line_indent = Cm(1.27)
    for chunk, chunk_bold in runs or [(text, bold)]:
        run = para.add_run(chunk)
        run.font.size = Pt(size)
        run.bold = chunk_bold
        run.italic = italic
    return para


def rule(container, width_mm: float, cell_mm: float) -> None:
    """A short solid rule, centred: an empty paragraph whose bottom border spans `width_mm`."""
    para = container.add_paragraph()
    side = Mm(max(0.0, (cell_mm - width_mm) / 2))
    para.paragraph_format.left_indent = side
    para.paragraph_format.right_indent = side
    run = para.add_run()
    run.font.size = Pt(2)
    ppr = para._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.insert_element_before(border, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def two_columns(doc, left_mm: float, right_mm: float):
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    no_borders(table)
    for cell, width in zip(table.rows[0].cells, (left_mm, right_mm)):
        cell.width = Mm(width)
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table.rows[0].cells


def build() -> bytes:
    doc = Document()
    style_base(doc)
    page_setup(doc.sections[0])
    left, right = two_columns(doc, 65, 100)

    paragraph(left, "{{ issuer.name }}", size=13, bold=True)
    rule(left, 20, 65)
    paragraph(left, "Số: {{ number }}", size=13)
    paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
    paragraph(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True)
    rule(right, 62, 100)
    paragraph(right, "{{ place_date }}", size=14, italic=True)

    paragraph(doc, "", size=14)
    paragraph(doc, "QUYẾT ĐỊNH", size=14, bold=True)
    paragraph(doc, "{{ decision.summary }}", size=14, bold=True)
    rule(doc, 40, 165)
    paragraph(doc, "", size=14)
    paragraph(doc, "{{ decision.authority }}", size=14, bold=True, after=6)

    paragraph(doc, "{%p for line in decision.legal_bases %}", size=14, align=LEFT)
    paragraph(doc, "{{ line }}", size=14, italic=True, align=JUSTIFY, indent=True, after=6)
    paragraph(doc, "{%p endfor %}", size=14, align=LEFT)
    paragraph(
        doc, "{{ decision.proposal }}", size=14, italic=True, align=JUSTIFY, indent=True, after=6
    )
    paragraph(doc, "QUYẾT ĐỊNH:", size=14, bold=True, after=6)
    paragraph(doc, "{%p for article in decision.articles %}", size=14, align=LEFT)
    paragraph(
        doc,
        size=14,
        align=JUSTIFY,
        indent=True,
        after=6,
        runs=[("Điều {{ loop.index }}.", True), (" {{ article }}", False)],
    )
    paragraph(doc, "{%p endfor %}", size=14, align=LEFT)
    paragraph(doc, "{{ decision.closing }}", size=14, align=JUSTIFY, indent=True, after=6)

    left, right = two_columns(doc, 80, 85)
    paragraph(
        left, "", size=12, bold=True, italic=True, align=LEFT, runs=[("Nơi nhận:", True)]
    ).runs[0].italic = True
    paragraph(left, "{%p for recipient in decision.recipients %}", size=11, align=LEFT)
    paragraph(left, "- {{ recipient }}", size=11, align=LEFT)
    paragraph(left, "{%p endfor %}", size=11, align=LEFT)
    paragraph(right, "{%p for line in signer.lines %}", size=14)
    paragraph(right, "{{ line }}", size=14, bold=True)
    paragraph(right, "{%p endfor %}", size=14)
    for _ in range(4):
        paragraph(right, "", size=14)
    paragraph(right, "{{ signer.name }}", size=14, bold=True)

    annex = doc.add_section(WD_SECTION.NEW_PAGE)
    annex.header.is_linked_to_previous = False
    annex.first_page_header.is_linked_to_previous = False
    page_setup(annex)
    start = OxmlElement("w:pgNumType")
    start.set(qn("w:start"), "1")  # the annex is numbered on its own
    annex._sectPr.append(start)

    paragraph(doc, "{{ annex.title }}", size=14, bold=True)
    paragraph(doc, "{{ annex.reference }}", size=14, italic=True, after=12)
    paragraph(doc, "{{p annex_tables }}", size=14, align=LEFT)

    doc.core_properties.title = "Quyết định"
    doc.core_properties.author = "reportgen"
    buffer = io.BytesIO()
    doc.save(buffer)
    return atomic.stable_zip(buffer.getvalue())


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "templates/quyet-dinh.docx")
    atomic.write_bytes(target, build())
    print(f"wrote {target}")
