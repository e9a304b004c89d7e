"""The annex writer (issue 14): tables written as WordprocessingML in named styles, placed
after docxtpl has rendered the narrative.

`tests/data/annex-300.document.xml.gz` is the document.xml of a 300-unit decision made by
this writer. Before it was committed, that decision and the 2019 one were rendered by
LibreOffice next to the same decisions made by the previous writer (python-docx, direct
formatting, commit 587c38b): every page image was identical, pixel for pixel (pdftoppm at
120 and 150 dpi). The XML differs from that writer's by design: styles instead of per-run
formatting, `<w:cantSplit/>` for `w:val="true"`.

Being made by the code it checks, the reference is itself checked by `worked_out`: what
the tables must hold, worked out from the input tables and the page alone (texts, order,
styles, header rows, widths filling the page's text width), so a rewritten reference
cannot bless a wrong annex."""

from __future__ import annotations

import gzip
import io
import os
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from lxml import etree

from reportgen import config
from reportgen.render import annex
from reportgen.render import docx as docx_writer
from reportgen.render.tables import AnnexTable, Column
from tests.conftest import SAMPLE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REFERENCE = Path(__file__).parent / "data" / "annex-300.document.xml.gz"
STYLED = {annex.HEADER, annex.CELL, annex.NAME}


def synthetic_tables(n: int, seed: int = 300) -> list[AnnexTable]:
    """`n` units in two groups, the 2019 columns, scores in steps of 0,5 (a fixed seed)."""
    rng = random.Random(seed)
    criteria = [
        ("Hạ tầng", 10),
        ("Nội bộ", 36),
        ("Người dân", 36),
        ("Nhân lực", 8),
        ("Chính sách", 10),
    ]
    columns = [
        Column("stt", "STT"),
        Column("name", "Tên đơn vị"),
        *(Column("criterion", label, f"k{i}", 2) for i, (label, _) in enumerate(criteria)),
        Column("total", "Tổng", "", 2),
        Column("grade", "Xếp loại"),
    ]
    tables = []
    for group, size in (("1. Khối sở, ngành", n // 2), ("2. Khối xã, phường", n - n // 2)):
        rows = []
        for i in range(1, size + 1):
            scores = [Decimal(rng.randint(0, 2 * top)) / 2 for _, top in criteria]
            total = sum(scores)
            text = [str(s).replace(".", ",").removesuffix(",0") for s in [*scores, total]]
            grade = "Tốt" if total >= 80 else "Khá" if total >= 60 else "Trung bình"
            rows.append([str(i), f"Xã {i:04d} & <Thử>", *text, grade])
        tables.append(AnnexTable(group, columns, rows))
    return tables


def document_xml(decision: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(decision)).read("word/document.xml")


@pytest.fixture(scope="module")
def assessment():
    return config.load(SAMPLE)


@pytest.fixture(scope="module")
def decision_300(assessment):
    return docx_writer.render_decision(assessment, synthetic_tables(300))


def test_300_units_give_the_committed_document_xml(decision_300):
    ours = document_xml(decision_300)
    if os.environ.get("REPORTGEN_WRITE_REFERENCE"):  # after a deliberate, inspected change
        REFERENCE.write_bytes(gzip.compress(ours, mtime=0))
    assert ours == gzip.decompress(REFERENCE.read_bytes())


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def style_of(paragraph) -> str | None:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return None if style is None else style.get(f"{W}val")


def worked_out(document: bytes, tables: list[AnnexTable]) -> None:
    """The annex of `document` holds `tables` as the decision must show them: each heading
    in the heading style right above its table; a header row that repeats on every page,
    then one row per unit, no row split across pages; every text as given, the name column
    in the name style, the rest centred cells; no direct formatting on any run (12 pt fits
    these columns); columns as wide in every row as the grid says, filling the page's text
    width, all criteria equally wide and the name column the widest."""
    body = etree.fromstring(document).find(f"{W}body")
    page = body.find(f"{W}sectPr")
    size, margins = page.find(f"{W}pgSz"), page.find(f"{W}pgMar")
    text_width = int(size.get(f"{W}w")) - int(margins.get(f"{W}left"))
    text_width -= int(margins.get(f"{W}right"))  # twips
    grids = [t for t in body.iter(f"{W}tbl") if t.find(f"{W}tblPr/{W}tblStyle") is not None]
    assert len(grids) == len(tables)
    for grid, table in zip(grids, tables):
        heading = grid.getprevious()
        assert (style_of(heading), text_of(heading)) == ("AnnexHeading", table.heading)
        assert grid.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val") == "AnnexTable"
        widths = [int(c.get(f"{W}w")) for c in grid.findall(f"{W}tblGrid/{W}gridCol")]
        assert len(widths) == len(table.columns)
        assert abs(sum(widths) - text_width) <= len(widths)  # whole twips per column
        kinds = [c.kind for c in table.columns]
        criteria = {w for w, k in zip(widths, kinds) if k == "criterion"}
        assert len(criteria) == 1 and widths[kinds.index("name")] == max(widths)
        header, *rows = grid.findall(f"{W}tr")
        assert header.find(f"{W}trPr/{W}tblHeader") is not None
        assert header.find(f"{W}trPr/{W}cantSplit") is not None
        cells = header.findall(f"{W}tc")
        assert [text_of(c) for c in cells] == [c.heading for c in table.columns]
        assert {style_of(p) for c in cells for p in c.iter(f"{W}p")} == {"AnnexHeader"}
        assert len(rows) == len(table.rows)
        for row, given in zip(rows, table.rows):
            assert row.find(f"{W}trPr/{W}tblHeader") is None
            assert row.find(f"{W}trPr/{W}cantSplit") is not None
            cells = row.findall(f"{W}tc")
            assert [text_of(c) for c in cells] == given
            styles = [style_of(c.find(f"{W}p")) for c in cells]
            assert styles == ["AnnexName" if k == "name" else "AnnexCell" for k in kinds]
            for cell, width in zip(cells, widths):  # tcW in whole twips from the same mm
                assert abs(int(cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) - width) <= 1
        assert not [r for r in grid.iter(f"{W}r") if r.find(f"{W}rPr") is not None]


def test_the_committed_reference_and_our_annex_hold_the_tables(decision_300):
    tables = synthetic_tables(300)
    worked_out(gzip.decompress(REFERENCE.read_bytes()), tables)
    worked_out(document_xml(decision_300), tables)


def annex_tables_of(decision: bytes):
    body = etree.fromstring(document_xml(decision)).find(f"{W}body")
    return [t for t in body.iter(f"{W}tbl") if t.find(f"{W}tblPr/{W}tblStyle") is not None]


def test_the_annex_uses_the_named_styles_and_no_direct_formatting(decision_300):
    tables = annex_tables_of(decision_300)
    assert len(tables) == 2
    for table in tables:
        assert table.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val") == annex.TABLE
        assert table.find(f"{W}tblPr/{W}tblBorders") is None  # borders: the table style's
        heading = table.getprevious()
        assert heading.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == annex.HEADING
        for p in table.iter(f"{W}p"):
            assert p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") in STYLED
            assert p.find(f"{W}pPr/{W}jc") is None and p.find(f"{W}pPr/{W}spacing") is None
            for run in p.iter(f"{W}r"):  # 12 pt fits: no size, font or bold on any run
                assert run.find(f"{W}rPr") is None
    styles = zipfile.ZipFile(io.BytesIO(decision_300)).read("word/styles.xml").decode()
    for style_id in (*STYLED, annex.HEADING, annex.NOTE, annex.TABLE):
        assert f'w:styleId="{style_id}"' in styles


def test_cell_text_is_escaped_and_read_back(decision_300):
    document = docx.Document(io.BytesIO(decision_300))
    annex_grid = [t for t in document.tables if t.rows[0].cells[0].text == "STT"][0]
    assert annex_grid.rows[1].cells[1].text == "Xã 0001 & <Thử>"
    assert len(annex_grid.rows) == 151


def test_a_clerk_restyles_every_annex_cell_in_one_place(assessment, tmp_path):
    """Change the font of "Annex Cell" in the template (as in Word: Modify Style): every
    body cell of the annex follows, as nothing on the runs overrides it."""
    template = docx.Document(str(docx_writer.default_template()))
    template.styles["Annex Cell"].font.name = "Arial"
    path = tmp_path / "mau.docx"
    template.save(str(path))
    decision = docx.Document(
        io.BytesIO(docx_writer.render_decision(assessment, synthetic_tables(10), path))
    )
    grid = [t for t in decision.tables if t.rows[0].cells[0].text == "STT"][0]
    cells = [c for row in grid.rows[1:] for c in row.cells]
    for cell in cells:
        para = cell.paragraphs[0]
        assert para.style.name in ("Annex Cell", "Annex Name")
        style = para.style if para.style.name == "Annex Cell" else para.style.base_style
        assert style.font.name == "Arial"
        assert all(run.font.name is None for run in para.runs)


def test_a_template_without_the_styles_gets_them(assessment, tmp_path):
    """A template made before the annex styles existed: they are added when rendering."""
    template = docx.Document(str(docx_writer.default_template()))
    for style in list(template.styles):
        if style.name.startswith("Annex"):
            style.element.getparent().remove(style.element)
    path = tmp_path / "cu.docx"
    template.save(str(path))
    decision = docx.Document(
        io.BytesIO(docx_writer.render_decision(assessment, synthetic_tables(4), path))
    )
    names = {s.name for s in decision.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    assert {"Annex Heading", "Annex Header", "Annex Cell", "Annex Name", "Annex Note"} <= names


def test_many_columns_shrink_the_font_on_the_runs_only(assessment):
    """Twelve criteria do not fit at 12 pt: the cells carry a smaller size, the style stays."""
    columns = [
        Column("stt", "STT"),
        Column("name", "Tên đơn vị"),
        *(Column("criterion", f"Tiêu chí số {i} dài", f"k{i}", 2) for i in range(12)),
        Column("total", "Tổng", "", 2),
        Column("index", "Chỉ số", "", 4, True),
    ]
    rows = [["1", "Sở Y tế", *["10,5"] * 12, "126", "0,8220"], ["2", "Sở Nội vụ", *[""] * 14]]
    decision = docx_writer.render_decision(assessment, [AnnexTable("1. Khối", columns, rows)])
    (table,) = annex_tables_of(decision)
    body_rows = table.findall(f"{W}tr")[1:]
    sizes = {r.find(f"{W}rPr/{W}sz").get(f"{W}val") for row in body_rows for r in row.iter(f"{W}r")}
    assert sizes and sizes < {"22", "20"}
    empty = body_rows[1].findall(f"{W}tc")[2:]
    assert all(c.find(f".//{W}r") is None for c in empty)  # an empty value: no run at all


def test_notes_follow_their_table_in_the_note_style(assessment):
    tables = synthetic_tables(4)
    noted = AnnexTable(tables[0].heading, tables[0].columns, tables[0].rows, notes=["Ghi chú: x."])
    decision = docx_writer.render_decision(assessment, [noted, tables[1]])
    first = annex_tables_of(decision)[0]
    note = first.getnext()
    assert note.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == annex.NOTE
    assert "".join(t.text for t in note.iter(f"{W}t")) == "Ghi chú: x."


def test_the_part_declares_w_itself_where_the_root_does_not():
    """splice on a part whose root binds the main namespace to another prefix."""
    part = (
        b'<?xml version="1.0"?><x:document xmlns:x="' + W[1:-1].encode() + b'"><x:body>'
        b"<!--" + annex.MARK.encode() + b"--></x:body></x:document>"
    )
    xml = annex.table_xml(synthetic_tables(2)[0], [10.0] * 9, 12)
    tree = etree.fromstring(annex.splice(part, xml))
    assert tree.find(f"{W}body/{W}tbl") is not None


def test_a_group_with_nobody_assessed_has_no_empty_table(assessment):
    tables = synthetic_tables(4)
    empty = AnnexTable("2. Khối trống", tables[1].columns, [], notes=["Ghi chú: không có."])
    decision = docx_writer.render_decision(assessment, [tables[0], empty])
    assert len(annex_tables_of(decision)) == 1
    body = etree.fromstring(document_xml(decision)).find(f"{W}body")
    texts = ["".join(t.text for t in p.iter(f"{W}t")) for p in body.iterchildren(f"{W}p")]
    assert texts.index("2. Khối trống") + 1 == texts.index("Ghi chú: không có.")
