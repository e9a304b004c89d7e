"""phu-luc.xlsx holds numbers a clerk can sum, sort and chart (issue 9, item 7): every score,
total and STT is a number cell whose format shows it as the decision prints it, and the
print layout (A4 landscape, one page wide, header row repeated) is kept."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from reportgen.pipeline import build as api
from reportgen.render.xlsx import number_format
from tests.conftest import SAMPLE, number

SCORES = ["ha_tang", "noi_bo", "nguoi_dan", "nhan_luc", "moi_truong", "total"]
HEADER_ROW = 4  # title, group heading, a blank row, then the header


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    out = tmp_path_factory.mktemp("annex")
    assert api.build(SAMPLE, out=out).ok
    return openpyxl.load_workbook(out / "phu-luc.xlsx")


def body(sheet):
    return list(sheet.iter_rows(min_row=HEADER_ROW + 1))


def test_scores_totals_and_stt_are_numbers_equal_to_the_published_annex(workbook, published):
    for sheet, key in zip(workbook.worksheets, ["so-nganh", "huyen"]):
        expected = {r["unit"]: r for r in published if r["group"] == key}
        rows = body(sheet)
        assert len(rows) == len(expected)
        for stt, row in enumerate(rows, start=1):
            assert row[0].data_type == "n" and row[0].value == stt
            record = expected[row[1].value]
            for cell, column in zip(row[2:8], SCORES):
                assert cell.data_type == "n", (sheet.title, cell.coordinate, cell.value)
                assert Decimal(str(cell.value)) == number(record[column])
            assert row[8].data_type == "s" and row[8].value == record["grade"]


def test_each_number_shows_the_decimals_the_decision_prints(workbook, published):
    sheet = workbook.worksheets[0]
    by_unit = {row[1].value: row for row in body(sheet)}
    transport = by_unit["Sở Giao thông vận tải"]  # 10 | 36 | 35,5 | 8 | 10 | 99,5
    assert [c.number_format for c in transport[2:8]] == [
        "#,##0",
        "#,##0",
        "#,##0.0",
        "#,##0",
        "#,##0",
        "#,##0.0",
    ]
    assert transport[0].number_format == "0"
    assert sheet.cell(HEADER_ROW, 3).data_type == "s"  # criterion labels stay text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("35.5"), "#,##0.0"), (Decimal("96.59"), "#,##0.00"), (Decimal("36"), "#,##0"),
     (Decimal("0.727"), "#,##0.000"), (7, "0")],
)  # fmt: skip
def test_number_format_follows_the_printed_decimals(value, expected):
    assert number_format(value) == expected


def test_print_layout_is_kept(workbook):
    for sheet in workbook.worksheets[:2]:  # the two group sheets; the chart sheet follows
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth or 1) == 1  # absent: 1, the schema's default
        assert sheet.page_setup.fitToHeight == 0  # as many pages long as it needs
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert sheet.freeze_panes == f"C{HEADER_ROW + 1}"


def test_every_annex_cell_carries_its_named_cell_style(workbook):
    """As the decision's annex has Word styles, the workbook's annex cells have named cell
    styles (a clerk finds and changes them in Excel's Cell Styles): titles, header, names,
    other cells, each Times New Roman as the decision."""
    styles = {s.name: s for s in workbook._named_styles}
    for name, size, bold in [
        ("Annex Title", 13, True),
        ("Annex Header", 12, True),
        ("Annex Cell", 12, False),
        ("Annex Name", 12, False),
        ("Annex Note", 12, False),
    ]:
        font = styles[name].font
        assert (font.name, font.sz, bool(font.b)) == ("Times New Roman", size, bold), name
    assert styles["Annex Name"].alignment.horizontal == "left"
    assert styles["Annex Cell"].border.left.style == "thin"
    for sheet in workbook.worksheets[:2]:
        assert sheet["A1"].style == sheet["A2"].style == "Annex Title"
        assert {c.style for c in sheet[HEADER_ROW]} == {"Annex Header"}
        for row in body(sheet):
            assert row[1].style == "Annex Name", row[1].coordinate
            assert {c.style for c in (row[0], *row[2:])} == {"Annex Cell"}
