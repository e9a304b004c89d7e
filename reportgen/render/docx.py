"""The decision .docx: a docxtpl template (autoescape, StrictUndefined) filled from the
config, with the annex tables built as a python-docx subdocument. Raw WordprocessingML
stays in this module."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path

import jinja2
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate

from reportgen import atomic
from reportgen.config import Assessment
from reportgen.render.tables import AnnexTable
from reportgen.vnformat import date_line, document_number, short_date

FONT = "Times New Roman"
TABLE_FONT_PT = 12  # 11 when the criteria columns get narrow
HEADING_PT = 14
CELL_PAD_MM = 1.0  # left and right padding inside annex cells
CRITERIA_SHARE = 0.64  # of the width left after number, total and grade
MIN_CRITERION_MM, MAX_CRITERION_MM = 12.0, 24.0
MIN_NAME_MM = 30.0
HEADER_LEFT_MM = 68.0  # the issuer's column in templates/quyet-dinh.docx
TWIPS_PER_MM = 56.6929

# Approximate Times New Roman advance widths in em, by base letter (diacritics removed).
_NARROW = set("ijlI.,;:'|!")
_HALF = set("frt()-/[]J")
_WIDE = set("mwMW")


def text_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """An estimate of the printed width of `text` in Times New Roman (within ~5%)."""
    em = 0.0
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            continue
        if ch == " ":
            em += 0.25
        elif ch in _NARROW:
            em += 0.28
        elif ch in _HALF:
            em += 0.36
        elif ch in _WIDE:
            em += 0.9 if ch.isupper() else 0.75
        elif ch.isupper():
            em += 0.74 if bold else 0.69
        elif ch.isdigit():
            em += 0.5
        else:
            em += 0.5 if bold else 0.46
    return em * size_pt * 25.4 / 72


def balanced_lines(text: str, width_mm: float, size_pt: float, bold: bool = False) -> str:
    """`text` broken at spaces into the fewest lines that fit `width_mm`, as even as
    possible (`ỦY BAN NHÂN DÂN` / `TỈNH QUẢNG NAM`, not `... QUẢNG` / `NAM`), joined by
    newlines (docxtpl turns them into line breaks). A word wider than the column widens it to
    that word. Of equally even splits, the earliest cuts win.

    Never tries every split: the fewest lines come from filling greedily; the most even
    split from a binary search over the widths of the lines that fit, each tried by
    greedy filling — about words × words-per-line × log(words) steps."""
    words = text.split(" ")
    if text_mm(text, size_pt, bold) <= width_mm or len(words) < 2:
        return text
    n = len(words)
    width_mm = max(width_mm, *(text_mm(word, size_pt, bold) for word in words))
    fits: list[list[float]] = []  # fits[i][k]: the width of words[i : i + k + 1], while it fits
    for i in range(n):
        row: list[float] = []
        for j in range(i + 1, n + 1):
            width = text_mm(" ".join(words[i:j]), size_pt, bold)
            if width > width_mm:
                break
            row.append(width)
        fits.append(row)
    count = _fewest_lines(fits, width_mm)[0]
    widths = sorted({w for row in fits for w in row})
    low, high = 0, len(widths) - 1  # the narrowest bound that still takes `count` lines
    while low < high:
        middle = (low + high) // 2
        if _fewest_lines(fits, widths[middle])[0] <= count:
            high = middle
        else:
            low = middle + 1
    bound = widths[low]
    fewest = _fewest_lines(fits, bound)
    lines, i = [], 0
    for left in range(count, 0, -1):  # the earliest cut from which the rest still fits
        j = next(
            i + k + 1
            for k, w in enumerate(fits[i])
            if w <= bound and fewest[i + k + 1] <= left - 1 <= n - (i + k + 1)
        )
        lines.append(" ".join(words[i:j]))
        i = j
    return "\n".join(lines)


def _fewest_lines(fits: list[list[float]], bound: float) -> list[int]:
    """For each first word i (and n, the end): the fewest lines no wider than `bound` that
    hold words[i:] (greedy filling is optimal); len(fits) + 1 where a word is wider."""
    n = len(fits)
    fewest = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        take = sum(1 for w in fits[i] if w <= bound)  # widths grow along a row
        fewest[i] = 1 + fewest[i + take] if take else n + 1
    return fewest


def default_template() -> Path:
    """The bundled template: `templates/` in a checkout, `reportgen/_templates` in a wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_templates", here.parent / "templates"):
        if (candidate / "quyet-dinh.docx").is_file():
            return candidate / "quyet-dinh.docx"
    raise FileNotFoundError("templates/quyet-dinh.docx")


def context(assessment: Assessment) -> dict[str, object]:
    """Everything the template may use, apart from `annex_tables`."""
    d = assessment.decision
    number = document_number(d.number, d.symbol)
    issuer = assessment.issuer.model_dump()
    issuer["header"] = balanced_lines(assessment.issuer.name, HEADER_LEFT_MM - 2, 13, bold=True)
    return {
        "year": assessment.year,
        "issuer": issuer,
        "number": number,
        "place_date": f"{assessment.issuer.place}, {date_line(d.date)}",
        "decision": d.model_dump(),
        "signer": assessment.signer.model_dump(),
        "annex": {
            "title": assessment.annex.title,
            "reference": f"(Ban hành kèm theo Quyết định số {number} ngày {short_date(d.date)}"
            f" của {assessment.issuer.short})",
        },
    }


def render_decision(
    assessment: Assessment, tables: list[AnnexTable], template: Path | None = None
) -> bytes:
    from reportgen import templatecheck

    path = Path(template) if template else default_template()
    templatecheck.ensure_valid(path)  # a TemplateError names every problem before rendering
    tpl = DocxTemplate(str(path))
    annex = tpl.new_subdoc()
    section = tpl.docx.sections[-1]
    if assessment.annex.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        if section.page_width < section.page_height:
            section.page_width, section.page_height = section.page_height, section.page_width
    usable_mm = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    for table in tables:
        _annex_table(annex, table, usable_mm)
    values = context(assessment) | {"annex_tables": annex}
    try:
        tpl.render(values, jinja_env=templatecheck.environment(), autoescape=True)
    except jinja2.TemplateError as exc:  # what the check cannot see before rendering
        raise templatecheck.TemplateError(path, [f"lỗi khi điền mẫu: {exc}"]) from None
    props = tpl.docx.core_properties
    stamp = dt.datetime.combine(assessment.decision.date, dt.time())
    props.author = props.last_modified_by = "reportgen"
    props.created = props.modified = stamp
    props.revision = 1
    props.title = assessment.decision.summary
    buffer = io.BytesIO()
    tpl.save(buffer)
    return atomic.stable_zip(buffer.getvalue())


def column_widths(table: AnnexTable, usable_mm: float) -> tuple[list[float], int]:
    """Column widths (mm) that fill the usable width exactly, and the font size.

    Criterion columns share what is left with the name column (the name column keeps at
    least MIN_NAME_MM, long names wrap); every other column is as wide as its longest text.
    With many criteria the font drops to 11 pt. The header row is 1 pt smaller."""
    kinds = [c.kind for c in table.columns]
    crit = [i for i, k in enumerate(kinds) if k == "criterion"]
    fixed = [i for i, k in enumerate(kinds) if k not in ("criterion", "name")]
    n = max(len(crit), 1)
    for size in (TABLE_FONT_PT, 11, 10):
        pad = 2 * CELL_PAD_MM + 0.5

        def fit(col: int, size: float = size, pad: float = pad) -> float:
            cells = [row[col] for row in table.rows]
            body = max((text_mm(c, size) for c in cells), default=0.0)
            words = table.columns[col].heading.split() or [""]
            head = max(text_mm(w, size - 1, bold=True) for w in words)
            return max(body, head) + pad

        widths = {i: fit(i) for i in fixed}
        crit_need = max([fit(i) for i in crit] + [MIN_CRITERION_MM])
        flexible = usable_mm - sum(widths.values())
        criterion = min(MAX_CRITERION_MM, max(crit_need, flexible * CRITERIA_SHARE / n))
        name = flexible - len(crit) * criterion
        if name >= MIN_NAME_MM or size == 10:
            break
    if name < MIN_NAME_MM and crit:  # squeeze the criteria to keep the name column readable
        criterion = max(crit_need, (flexible - MIN_NAME_MM) / len(crit))
        name = flexible - len(crit) * criterion
    widths |= {i: criterion for i in crit}
    return [widths.get(i, name) for i in range(len(kinds))], size


def _annex_table(doc, table: AnnexTable, usable_mm: float) -> None:
    heading = doc.add_paragraph()
    pf = heading.paragraph_format
    pf.space_before = Pt(12)
    pf.space_after = Pt(6)
    pf.keep_with_next = True
    heading.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _run(heading, table.heading, HEADING_PT, bold=True)
    if table.rows:
        _grid(doc, table, usable_mm)
    for text in table.notes:  # under the table; the one line of a group nobody was assessed in
        note = doc.add_paragraph()
        note.paragraph_format.space_before = Pt(6)
        note.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _run(note, text, TABLE_FONT_PT).italic = True


def _grid(doc, table: AnnexTable, usable_mm: float) -> None:
    widths, size = column_widths(table, usable_mm)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    name_col = next((i for i, c in enumerate(table.columns) if c.kind == "name"), 1)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _table_geometry(grid, widths)
    _mark_header(grid.rows[0])
    for r, (row, values) in enumerate(zip(grid.rows, [table.headings, *table.rows])):
        if r:
            _cant_split(row)
        for c, (cell, value) in enumerate(zip(row.cells, values)):
            cell.width = Mm(widths[c])
            para = cell.paragraphs[0]
            para.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if (c == name_col and r) else WD_ALIGN_PARAGRAPH.CENTER
            )
            para.paragraph_format.space_before = para.paragraph_format.space_after = Pt(2)
            _run(para, value, size - 1 if r == 0 else size, bold=r == 0)
            _vcenter(cell)


def _run(para, text: str, size: float, bold: bool = False):
    run = para.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.font.name = FONT  # explicit: the subdocument's own defaults are not the template's
    fonts = run._r.get_or_add_rPr().find(qn("w:rFonts"))
    for attr in ("w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    return run


def _table_geometry(table, widths_mm: list[float]) -> None:
    """Fixed layout; tblW, tblGrid and every tcW agree, so Word and LibreOffice agree."""
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(int(w * TWIPS_PER_MM) for w in widths_mm)))
    width.set(qn("w:type"), "dxa")
    tblpr.append(width)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for key, value in (
            ("w:val", "single"),
            ("w:sz", "4"),
            ("w:space", "0"),
            ("w:color", "000000"),
        ):
            el.set(qn(key), value)
        borders.append(el)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(round(CELL_PAD_MM * TWIPS_PER_MM)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tblpr.append(margins)
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(int(w * TWIPS_PER_MM)))  # rounded down: never wider


def _mark_header(row) -> None:
    """Repeat the row at the top of every page; never split it."""
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _cant_split(row) -> None:
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _vcenter(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    align = OxmlElement("w:vAlign")
    align.set(qn("w:val"), "center")
    tcpr.append(align)
