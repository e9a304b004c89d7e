"""Generate the default decision template `templates/quyet-dinh.docx` (python-docx).

The committed .docx is the source of truth that clerks edit in Word; this script records how
the first version was laid out and can rebuild it. The layout follows Nghị định
30/2020/NĐ-CP, Phụ lục I (thể thức và kỹ thuật trình bày văn bản hành chính), element by
element — the numbers below cite it. Every Jinja tag sits in a run of its own; no `{%p %}`
tag shares a paragraph with a section break (`reportgen template check` verifies both).

Usage: python scripts/make_template.py templates/quyet-dinh.docx
       python scripts/make_template.py templates/cong-van.docx   (the correction letter)
"""

from __future__ import annotations

import datetime as dt
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

from reportgen.core import atomic
from reportgen.render import wordml
from reportgen.render.annex import add_styles as add_annex_styles

FONT = "Times New Roman"  # I.4: Times New Roman, Unicode, black
CENTER, JUSTIFY, LEFT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.LEFT,
)
# I.3: A4, margins top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
PAGE_W, PAGE_H = 210, 297
TOP, BOTTOM, LEFT_M, RIGHT_M = 20, 20, 30, 15
TEXT_W = PAGE_W - LEFT_M - RIGHT_M  # 165 mm
# IV (vị trí): ô 2-3 (issuer, number) on the left, ô 1 and 4 (Quốc hiệu, date) on the right.
HEAD_LEFT, HEAD_RIGHT = 68, TEXT_W - 68
# The rule under the Tiêu ngữ is as long as the line: "Độc lập - Tự do - Hạnh phúc" in
# Times New Roman 13 pt bold measures 56,1 mm (pdftotext -bbox on the rendered PDF).
MOTTO_RULE = 56
ISSUER_RULE = 18  # 1/3 to 1/2 of the issuer's line
SUMMARY_RULE = 55  # 1/3 to 1/2 of the summary's line
BODY = 14  # II.6: 13-14, one size for all body text
INDENT = Cm(1.27)  # first-line indent 1-1,27 cm
GAP = 6  # at least 6 pt between paragraphs


def style_base(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "000000")
    rpr.find(qn("w:sz")).addprevious(color)  # schema order: rFonts, color, sz, lang
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0


def page_setup(section) -> None:
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT_M), Mm(RIGHT_M)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # I.7: page numbers centred in the top margin, 13-14 upright, not shown on page 1.
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = CENTER
    field(para, "PAGE", size=BODY)


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
    para.add_run("2").font.size = Pt(size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def paragraph(
    container,
    text="",
    *,
    size=BODY,
    bold=False,
    italic=False,
    align=CENTER,
    indent=False,
    after=0,
    before=0,
    runs=None,
):
    para = container.add_paragraph()
    para.alignment = align
    pf = para.paragraph_format
    pf.space_after = Pt(after)
    pf.space_before = Pt(before)
    if indent:
        pf.first_line_indent = INDENT
    for chunk, chunk_bold in runs or [(text, bold)]:
        run = para.add_run(chunk)
        run.font.size = Pt(size)
        run.bold = chunk_bold
        run.italic = italic
    mark_size(para, size)  # the paragraph mark: same size, so empty lines are as tall
    return para


def mark_size(para, size: float) -> None:
    ppr = para._p.get_or_add_pPr()
    mark = ppr.find(qn("w:rPr"))
    if mark is None:
        mark = OxmlElement("w:rPr")
        ppr.append(mark)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    mark.append(sz)


def tag(container, text: str, size=BODY, align=LEFT):
    """A paragraph holding only a `{%p ... %}` tag (docxtpl removes the paragraph)."""
    return paragraph(container, text, size=size, align=align)


def rule(container, width_mm: float, cell_mm: float, after: float = 0) -> None:
    """A solid rule, centred: an empty paragraph whose bottom border spans `width_mm`."""
    para = container.add_paragraph()
    side = Mm(max(0.0, (cell_mm - width_mm) / 2))
    pf = para.paragraph_format
    pf.left_indent = pf.right_indent = side
    pf.space_after = Pt(after)
    pf.line_spacing = Pt(4)
    ppr = para._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.insert_element_before(border, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")
    mark_size(para, 2)


def layout_table(doc, widths_mm: list[float]):
    """A borderless one-row table with fixed column widths (tblW, tblGrid and tcW agree, so
    Word and LibreOffice lay it out alike) and no cell padding left and right."""
    table = doc.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(round(sum(widths_mm) * 56.6929)))
    width.set(qn("w:type"), "dxa")
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    tblpr.append(width)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tblpr.append(margins)
    wordml.in_order(tblpr, wordml.TABLE_PROPERTIES)
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(round(w * 56.6929)))
    for cell, w in zip(table.rows[0].cells, widths_mm):
        cell.width = Mm(w)
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table.rows[0].cells


def header(doc, letter: bool = False) -> None:
    """Ô 1-4: issuer and number on the left, Quốc hiệu, Tiêu ngữ, place and date on the
    right; a công văn's trích yếu (ô 5b, "V/v …") under its number."""
    left, right = layout_table(doc, [HEAD_LEFT, HEAD_RIGHT])
    tag(left, "{%p if issuer.parent %}", size=13, align=CENTER)
    paragraph(left, "{{ issuer.parent }}", size=13)  # II.2: cơ quan chủ quản, 12-13 upright
    tag(left, "{%p endif %}", size=13, align=CENTER)
    paragraph(left, "{{ issuer.header }}", size=13, bold=True)  # II.2: caps, 12-13, bold
    rule(left, ISSUER_RULE, HEAD_LEFT, after=6)
    paragraph(left, "Số: {{ number }}", size=13)  # II.3: 13, upright
    if letter:
        paragraph(left, "V/v {{ decision.summary }}", size=12, before=6)  # II.5b: 12-13
    paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)  # II.1a
    paragraph(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)  # II.1b
    rule(right, MOTTO_RULE, HEAD_RIGHT, after=6)
    paragraph(right, "{{ place_date }}", size=BODY, italic=True)  # II.4: 13-14, italic


def signature(doc) -> None:
    """II.9 nơi nhận (left, level with the signer's authority) and II.7 the signer (right)."""
    paragraph(doc, "", size=6)
    left, right = layout_table(doc, [75, TEXT_W - 75])
    heading = paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT)
    heading.paragraph_format.keep_with_next = True
    tag(left, "{%p for recipient in decision.recipients %}", size=11)
    paragraph(left, "- {{ recipient }}", size=11, align=LEFT)
    tag(left, "{%p endfor %}", size=11)
    tag(right, "{%p for line in signer.lines %}", align=CENTER)
    paragraph(right, "{{ line }}", bold=True)  # TM./KT. and title: caps, 13-14, bold
    tag(right, "{%p endfor %}", align=CENTER)
    for _ in range(5):  # room for the signature and the seal
        paragraph(right, "")
    paragraph(right, "{{ signer.name }}", bold=True)  # the name: 13-14, bold


def annex_section(doc) -> None:
    """III.1: the annex on a new page, numbered on its own."""
    annex = doc.add_section(WD_SECTION.NEW_PAGE)
    annex.header.is_linked_to_previous = False
    annex.first_page_header.is_linked_to_previous = False
    page_setup(annex)
    start = OxmlElement("w:pgNumType")
    start.set(qn("w:start"), "1")
    annex._sectPr.append(start)
    wordml.in_order(annex._sectPr, wordml.SECTION_PROPERTIES)

    paragraph(doc, "{{ annex.title }}", bold=True)  # caps, 13-14, bold
    paragraph(doc, "{{ annex.reference }}", italic=True)  # 13-14, italic
    rule(doc, SUMMARY_RULE, TEXT_W, after=6)
    paragraph(doc, "{{p annex_tables }}", align=LEFT)
    add_annex_styles(doc.styles.element)  # Annex Heading, Annex Cell, …: one place to restyle


def finish(doc, title: str) -> bytes:
    props = doc.core_properties
    props.title = title
    props.author = props.last_modified_by = "reportgen"
    props.comments = f"Mẫu {title.lower()} của reportgen — xem docs/templates.md trước khi sửa."
    props.language = "vi-VN"
    props.created = props.modified = dt.datetime(2020, 1, 1)
    props.revision = 1
    wordml.set_compatibility_mode(doc.settings.element)
    buffer = io.BytesIO()
    doc.save(buffer)
    return atomic.stable_zip(buffer.getvalue())


def build() -> bytes:
    doc = Document()
    style_base(doc)
    page_setup(doc.sections[0])
    header(doc)

    # II.5: tên loại (caps, bold) and trích yếu (bold, a short rule under it).
    paragraph(doc, "QUYẾT ĐỊNH", bold=True, before=18)
    paragraph(doc, "{{ decision.summary }}", bold=True)
    rule(doc, SUMMARY_RULE, TEXT_W, after=12)
    paragraph(doc, "{{ decision.authority }}", bold=True, after=12)  # thẩm quyền ban hành

    # II.6a: căn cứ, italic, each on its own line.
    tag(doc, "{%p for line in decision.legal_bases %}")
    paragraph(doc, "{{ line }}", italic=True, align=JUSTIFY, indent=True, after=GAP)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if decision.proposal %}")
    paragraph(doc, "{{ decision.proposal }}", italic=True, align=JUSTIFY, indent=True, after=GAP)
    tag(doc, "{%p endif %}")
    paragraph(doc, "QUYẾT ĐỊNH:", bold=True, before=6, after=12)

    # II.6b: body justified, first-line indent, at least 6 pt apart; "Điều" bold.
    tag(doc, "{%p for article in decision.articles %}")
    paragraph(
        doc,
        align=JUSTIFY,
        indent=True,
        after=GAP,
        runs=[("Điều {{ loop.index }}.", True), (" {{ article }}", False)],
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if decision.closing %}")
    paragraph(doc, "{{ decision.closing }}", align=JUSTIFY, indent=True, after=GAP)
    tag(doc, "{%p endif %}")
    signature(doc)
    annex_section(doc)
    return finish(doc, "Quyết định")


def build_letter() -> bytes:
    """The công văn (`templates/cong-van.docx`, the correction of a number printed wrong):
    the same names as the decision — `decision.summary` is the trích yếu after "V/v",
    `decision.authority` whom it is sent to ("Kính gửi"), `decision.articles` its paragraphs."""
    doc = Document()
    style_base(doc)
    page_setup(doc.sections[0])
    header(doc, letter=True)
    paragraph(doc, "Kính gửi: {{ decision.authority }}", before=18, after=12)  # II.9b: 14
    tag(doc, "{%p for article in decision.articles %}")
    paragraph(doc, "{{ article }}", align=JUSTIFY, indent=True, after=GAP)  # II.6b
    tag(doc, "{%p endfor %}")
    signature(doc)
    annex_section(doc)
    return finish(doc, "Công văn")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "templates/quyet-dinh.docx")
    atomic.write_bytes(target, build_letter() if target.stem == "cong-van" else build())
    print(f"wrote {target}")
