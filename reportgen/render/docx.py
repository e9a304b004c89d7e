"""The decision .docx: a docxtpl template (autoescape, StrictUndefined) filled from the
config, with the annex tables built as a python-docx subdocument. Raw WordprocessingML
stays in this module."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined

from reportgen import atomic
from reportgen.config import Assessment
from reportgen.render.tables import AnnexTable
from reportgen.vnformat import date_line, document_number, short_date

TABLE_FONT_PT = 12
NUMBER_COL_MM, TOTAL_COL_MM, GRADE_COL_MM = 11, 15, 18
NAME_SHARE = 0.34  # of the width left after the fixed columns; criteria share the rest


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
    return {
        "year": assessment.year,
        "issuer": assessment.issuer.model_dump(),
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
    tpl = DocxTemplate(str(template or default_template()))
    annex = tpl.new_subdoc()
    landscape = assessment.annex.landscape
    section = tpl.docx.sections[-1]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    usable_mm = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    for table in tables:
        _annex_table(annex, table, usable_mm)
    values = context(assessment) | {"annex_tables": annex}
    env = Environment(autoescape=True, undefined=StrictUndefined)
    tpl.render(values, jinja_env=env, autoescape=True)
    props = tpl.docx.core_properties
    stamp = dt.datetime.combine(assessment.decision.date, dt.time())
    props.author = props.last_modified_by = "reportgen"
    props.created = props.modified = stamp
    props.revision = 1
    props.title = assessment.decision.summary
    buffer = io.BytesIO()
    tpl.save(buffer)
    return atomic.stable_zip(buffer.getvalue())


def _annex_table(doc, table: AnnexTable, usable_mm: float) -> None:
    heading = doc.add_paragraph()
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)
    heading.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    run = heading.add_run(table.heading)
    run.bold = True
    run.font.size = Pt(14)

    n_criteria = len(table.columns) - 4
    flexible = usable_mm - NUMBER_COL_MM - TOTAL_COL_MM - GRADE_COL_MM
    name_mm = flexible * NAME_SHARE
    widths = [
        NUMBER_COL_MM,
        name_mm,
        *[(flexible - name_mm) / n_criteria] * n_criteria,
        TOTAL_COL_MM,
        GRADE_COL_MM,
    ]
    # Body rows differ only in their text: when every text is plain (one <w:t> per cell),
    # the first body row is built through python-docx and the others are copies of it with
    # their texts set — the same XML, without python-docx's per-cell cost (and without
    # `Table.cell()`, which walks the whole table on each call: quadratic in the rows).
    from copy import deepcopy

    def plain(text: str) -> bool:
        return bool(text) and text == text.strip() and not any(ch in text for ch in "\t\r\n")

    copies = all(plain(v) for values in table.rows for v in values)
    built = table.rows[:1] if copies else table.rows
    grid = doc.add_table(rows=1 + len(built), cols=len(table.columns))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _borders(grid)
    _mark_header(grid.rows[0])
    for r, (row, values) in enumerate(zip(grid.rows, [table.columns, *built])):
        for c, (cell, value) in enumerate(zip(row.cells, values)):
            cell.width = Mm(widths[c])
            para = cell.paragraphs[0]
            para.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if (c == 1 and r) else WD_ALIGN_PARAGRAPH.CENTER
            )
            run = para.add_run(value)
            run.font.size = Pt(TABLE_FONT_PT)
            run.bold = r == 0
            _vcenter(cell)
    if copies and len(table.rows) > 1:
        first = grid.rows[1]._tr
        for values in table.rows[1:]:
            tr = deepcopy(first)
            for t, value in zip(tr.iter(qn("w:t")), values, strict=True):
                t.text = value
            grid._tbl.append(tr)


def _borders(table) -> None:
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
    table._tbl.tblPr.append(borders)


def _mark_header(row) -> None:
    """Repeat the row at the top of every page; never split it."""
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _vcenter(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    align = OxmlElement("w:vAlign")
    align.set(qn("w:val"), "center")
    tcpr.append(align)
