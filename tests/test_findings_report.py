"""The findings report as read back by openpyxl, python-calamine and LibreOffice's reader:
every finding a row, the header bold and frozen, the widths set, errors filled, text that
would be a formula or a control character shown as text — and the same bytes every time."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
from python_calamine import CalamineWorkbook

from reportgen import config
from reportgen.core.catalogue import finding
from reportgen.core.findings import UnitStatus
from reportgen.core.location import Location
from reportgen.render.book import Book
from reportgen.render.findings_report import FINDING_HEADINGS, render_findings
from reportgen.render.safe import write
from tests.conftest import SAMPLE
from tests.moved_clock import call_later

# the second finding's row: a unit written as a formula stays text, a control character in a
# sheet name is shown, not written
WARNING_ROW = [2, "'=Ban Dân tộc", "Cảnh báo", "TOTAL_MISMATCH", "b.xlsx", "S\\x01", "H5"]


def _report() -> bytes:
    assessment = config.load(SAMPLE)
    findings = [
        finding(
            "UNIT_UNKNOWN",
            Location("a.xlsx", "Tổng hợp", 7, 2),
            name="=cmd|' /C calc'!A0",
            case="plain",
        ),
        finding(
            "TOTAL_MISMATCH",
            Location("b.xlsx", "S\x01", 5, 8),
            "=Ban Dân tộc",
            stated="98",
            computed="99",
        ),
        finding("UNIT_MISSING", Location("submissions"), "Sở Nội vụ", group="Sở, Ban, ngành"),
    ]
    statuses = {u.name: UnitStatus.OK for g in assessment.groups for u in g.units}
    return render_findings(assessment, findings, statuses)


def test_every_finding_is_a_row_with_its_place_and_message():
    book = openpyxl.load_workbook(io.BytesIO(_report()))
    assert book.sheetnames == ["Phát hiện", "Theo đơn vị"]
    sheet = book["Phát hiện"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == FINDING_HEADINGS
    assert rows[1][:7] == [1, None, "Lỗi", "UNIT_UNKNOWN", "a.xlsx", "Tổng hợp", "B7"]
    assert rows[1][7] == "Đơn vị '=cmd|' /C calc'!A0' không có trong danh sách đăng ký."
    assert rows[2][:7] == WARNING_ROW
    assert rows[3][0] == 3 and rows[3][6] is None  # no cell: no place
    assert len(rows) == 4
    assert sheet.freeze_panes == "A2"
    assert 90 <= sheet.column_dimensions["H"].width < 91  # 90 characters and Excel's padding
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet["C2"].fill.fgColor.rgb == "FFF8CBAD"  # an error's level is filled
    assert sheet["C3"].fill.fill_type is None  # a warning's is not
    assert sheet["H2"].alignment.wrap_text
    summary = list(book["Theo đơn vị"].iter_rows(values_only=True))
    assert summary[0] == ("Khối", "Đơn vị", "Tình trạng", "Số lỗi", "Số cảnh báo")
    nv = next(r for r in summary if r[1] == "Sở Nội vụ")
    assert nv[2:] == ("Đạt", 1, 0)
    assert len(summary) == 1 + 38


def test_calamine_reads_the_same_cells():
    book = CalamineWorkbook.from_filelike(io.BytesIO(_report()))
    rows = book.get_sheet_by_name("Phát hiện").to_python()
    assert rows[2][:7] == WARNING_ROW


def test_same_findings_same_bytes_in_another_process_years_later():
    assert call_later("tests.test_findings_report:_report") == _report()


def test_text_with_markup_characters_and_spaces_survives():
    book = Book(dt.datetime(2020, 1, 7), constant_memory=True)
    sheet = book.sheet("A & <B>")
    for r, value in enumerate(["x", "  a < b & c > d  ", Decimal("1.5"), 7]):
        write(sheet, r, 0, value)
    read = openpyxl.load_workbook(io.BytesIO(book.bytes()))
    assert read.sheetnames == ["A & <B>"]
    values = [r[0] for r in read.active.iter_rows(values_only=True)]
    assert values == ["x", "  a < b & c > d  ", 1.5, 7]
    assert read.properties.creator == "reportgen"
    assert read.properties.created == dt.datetime(2020, 1, 7)
