"""The annex tables of the decision, written as WordprocessingML text and placed into the
rendered body after docxtpl has filled in the narrative (never through Jinja).

The look lives in named styles of the template (a clerk changes every annex cell in Word in
one place: Home → Styles): paragraph styles for the heading above a table, the header cells,
the body cells, the name column and the notes under a table, and a table style for the
borders and cell padding. A template without them (made before they existed) gets them at
render time. Each cell carries only its width and, when many columns force the font down
from the style's 12 pt, its size."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx.shared import Mm
from lxml import etree

from reportgen.render.tables import AnnexTable

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MARK = "reportgen:annex"  # the text of the paragraph docxtpl renders for {{p annex_tables }}
MARK_XML = f"<w:p><w:r><w:t>{MARK}</w:t></w:r></w:p>"
TWIPS_PER_MM = 56.6929
CELL_PAD_TWIPS = 57  # 1 mm left and right inside a cell
HEADING, HEADER, CELL, NAME, NOTE, TABLE, CHART = (
    "AnnexHeading",
    "AnnexHeader",
    "AnnexCell",
    "AnnexName",
    "AnnexNote",
    "AnnexTable",
    "AnnexChart",
)
CELL_PT, HEADER_PT = 12, 11  # the sizes in the styles; the writer may go smaller


def _fonts(size_pt: float, extra: str = "") -> str:
    tnr = "Times New Roman"
    return (
        f'<w:rPr><w:rFonts w:ascii="{tnr}" w:hAnsi="{tnr}" w:eastAsia="{tnr}" w:cs="{tnr}"/>'
        f'{extra}<w:sz w:val="{int(size_pt * 2)}"/></w:rPr>'
    )


def _paragraph_style(style_id: str, name: str, ppr: str, rpr: str, based_on="Normal") -> str:
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/><w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr>{rpr}</w:style>"
    )


_EDGES = "".join(
    f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
)
# The annex styles, in schema order inside each (pPr before rPr; keepNext, spacing, jc).
STYLES = {
    HEADING: _paragraph_style(
        HEADING,
        "Annex Heading",
        '<w:keepNext/><w:spacing w:before="240" w:after="120"/><w:jc w:val="both"/>',
        _fonts(14, "<w:b/>"),
    ),
    HEADER: _paragraph_style(
        HEADER,
        "Annex Header",
        '<w:spacing w:before="40" w:after="40"/><w:jc w:val="center"/>',
        _fonts(HEADER_PT, "<w:b/>"),
    ),
    CELL: _paragraph_style(
        CELL,
        "Annex Cell",
        '<w:spacing w:before="40" w:after="40"/><w:jc w:val="center"/>',
        _fonts(CELL_PT),
    ),
    NAME: _paragraph_style(NAME, "Annex Name", '<w:jc w:val="left"/>', "", based_on=CELL),
    NOTE: _paragraph_style(
        NOTE,
        "Annex Note",
        '<w:spacing w:before="120"/><w:jc w:val="both"/>',
        _fonts(CELL_PT, "<w:i/>"),
    ),
    TABLE: (
        f'<w:style w:type="table" w:customStyle="1" w:styleId="{TABLE}">'
        '<w:name w:val="Annex Table"/><w:tblPr>'
        f"<w:tblBorders>{_EDGES}</w:tblBorders><w:tblCellMar>"
        f'<w:left w:w="{CELL_PAD_TWIPS}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_PAD_TWIPS}" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>"
    ),
}


# Added only to a decision with charts (a decision without them keeps its bytes).
CHART_STYLE = _paragraph_style(
    CHART,
    "Annex Chart",
    '<w:spacing w:before="240" w:after="120"/><w:jc w:val="center"/>',
    "",
)


def add_styles(styles_element, charts: bool = False) -> None:
    """Add every annex style the template lacks (a clerk's own is kept as it is); the chart
    paragraph's style only with `charts`."""
    present = {s.get(f"{{{W_NS}}}styleId") for s in styles_element.iter(f"{{{W_NS}}}style")}
    wanted = STYLES | ({CHART: CHART_STYLE} if charts else {})
    for style_id, xml in wanted.items():
        if style_id not in present:
            wrapped = f'<w:styles xmlns:w="{W_NS}">{xml}</w:styles>'
            styles_element.append(etree.fromstring(wrapped)[0])


def _text(text: str) -> str:
    """A run's text element; spaces at either end kept."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:t{space}>{_escape(text)}</w:t>"


def _escape(text: str) -> str:
    """`text` as XML character data (xml.sax.saxutils' escape imports urllib.request and ssl:
    20 to 80 ms of every start-up)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text: str) -> str:
    """`text` as a quoted XML attribute value, line breaks and tabs kept."""
    text = _escape(text).replace('"', "&quot;")
    return '"' + text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def _paragraph(style: str, text: str, size_pt: float | None = None) -> str:
    rpr = f'<w:rPr><w:sz w:val="{int(size_pt * 2)}"/></w:rPr>' if size_pt else ""
    run = f"<w:r>{rpr}{_text(text)}</w:r>" if text else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p>'


@dataclass(frozen=True)
class Picture:
    """An image part already in the package, placed inline in its own paragraph."""

    rid: str  # the document part's relationship id of the image part
    width_emu: int
    height_emu: int
    shape_id: int  # wp:docPr id, unique in the document
    name: str  # the image's file name (bieu-do-so-nganh.png)
    description: str  # alternative text


WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def picture_xml(p: Picture) -> str:
    """A paragraph in the Annex Chart style holding `p` inline (DrawingML, as Word writes a
    picture: ECMA-376 Part 1 §20.4.2.8 inline, §20.2.2.5 pic)."""
    size = f'cx="{p.width_emu}" cy="{p.height_emu}"'
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{CHART}"/></w:pPr><w:r><w:drawing>'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0" xmlns:wp="{WP_NS}"'
        f' xmlns:a="{A_NS}" xmlns:pic="{PIC_NS}" xmlns:r="{R_NS}">'
        f"<wp:extent {size}/>"
        f'<wp:docPr id="{p.shape_id}" name={_attribute(p.name)}'
        f" descr={_attribute(p.description)}/>"
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="{PIC_NS}"><pic:pic>'
        f'<pic:nvPicPr><pic:cNvPr id="0" name={_attribute(p.name)}/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{p.rid}"/><a:stretch><a:fillRect/></a:stretch>'
        "</pic:blipFill>"
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext {size}/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def table_xml(
    table: AnnexTable,
    widths_mm: list[float],
    size: int,
    pictures: Sequence[Picture] = (),
    rotated_mm: float = 0.0,
) -> str:
    """The heading, the table, its notes and, when given, the group's charts under them.
    Rows are built from one prototype per column: the cell's opening (width, vertical
    centring, style) is made once and reused. A group with nobody assessed gets its heading
    and notes, not an empty table. `rotated_mm`: criterion headings read upwards in a header
    row at least this high."""
    chart = "".join(picture_xml(p) for p in pictures)
    if not table.rows:
        notes = "".join(_paragraph(NOTE, note) for note in table.notes)
        return _paragraph(HEADING, table.heading) + notes + chart
    name_col = next((i for i, c in enumerate(table.columns) if c.kind == "name"), 1)
    grid = "".join(f'<w:gridCol w:w="{int(w * TWIPS_PER_MM)}"/>' for w in widths_mm)
    total = sum(int(w * TWIPS_PER_MM) for w in widths_mm)
    cell_size = None if size == CELL_PT else size
    header_size = None if size - 1 == HEADER_PT else size - 1
    rpr_cell = f'<w:rPr><w:sz w:val="{size * 2}"/></w:rPr>' if cell_size else ""
    opening = [
        f'<w:tc><w:tcPr><w:tcW w:w="{Mm(w).twips}" w:type="dxa"/><w:vAlign w:val="center"/>'
        f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{NAME if c == name_col else CELL}"/></w:pPr>'
        for c, w in enumerate(widths_mm)
    ]
    parts = [
        _paragraph(HEADING, table.heading),
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{TABLE}"/><w:tblW w:w="{total}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1"'
        ' w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>",
        "<w:tr><w:trPr><w:cantSplit/>"
        + (f'<w:trHeight w:val="{Mm(rotated_mm).twips}" w:hRule="atLeast"/>' if rotated_mm else "")
        + "<w:tblHeader/></w:trPr>",
    ]
    for w, column in zip(widths_mm, table.columns):
        upwards = rotated_mm and column.kind == "criterion"  # read bottom to top
        direction = '<w:textDirection w:val="btLr"/>' if upwards else ""
        parts.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{Mm(w).twips}" w:type="dxa"/>{direction}'
            f'<w:vAlign w:val="center"/></w:tcPr>'
            f"{_paragraph(HEADER, column.heading, header_size)}</w:tc>"
        )
    parts.append("</w:tr>")
    for row in table.rows:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for start, text in zip(opening, row):
            run = f"<w:r>{rpr_cell}{_text(text)}</w:r>" if text else ""
            parts.append(f"{start}{run}</w:p></w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    parts.extend(_paragraph(NOTE, note) for note in table.notes)
    parts.append(chart)
    return "".join(parts)


def mark(body) -> bool:
    """Replace the paragraph docxtpl rendered for `{{p annex_tables }}` by an XML comment that
    `splice` finds in the saved part; False when the template has no such paragraph."""
    for paragraph in body.iter(f"{{{W_NS}}}p"):  # before the annex: a short walk
        if "".join(t.text or "" for t in paragraph.iter(f"{{{W_NS}}}t")) == MARK:
            paragraph.getparent().replace(paragraph, etree.Comment(MARK))
            return True
    return False


def splice(document_xml: bytes, annex_xml: str) -> bytes:
    """word/document.xml with the annex in place of the comment `mark` left.

    Text, not a tree: moving tens of thousands of parsed elements into python-docx's tree
    costs lxml quadratic time (74 s for 5 000 rows), parsing them alone 1 s; the annex is
    well-formed by construction. Where the part does not bind `w:` at its root (no Word
    or LibreOffice file does that), each annex element declares it itself."""
    root = re.search(rb"<[^?!][^>]*>", document_xml)  # the root's start tag
    if root is None or f'xmlns:w="{W_NS}"'.encode() not in root.group(0):
        annex_xml = _declare_w(annex_xml)
    return document_xml.replace(f"<!--{MARK}-->".encode(), annex_xml.encode("utf-8"), 1)


def _declare_w(xml: str) -> str:
    declaration = f' xmlns:w="{W_NS}"'
    for tag in ("<w:p>", "<w:tbl>"):
        xml = xml.replace(tag, tag[:-1] + declaration + ">")
    return xml
