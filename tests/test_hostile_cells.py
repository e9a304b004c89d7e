"""Hostile cell values end in a located finding and a written report, never a traceback:
huge and tiny numbers, digits of other scripts, spreadsheet error values, control characters."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.core.findings import Finding, Severity, UnitStatus
from reportgen.core.location import Location
from reportgen.pipeline.check import check
from reportgen.read.workbook import blank_reasons
from reportgen.render.findings_report import render_findings
from tests import builders
from tests.conftest import SAMPLE

SY = "Sở Y tế"
CRITERION = "Ứng dụng CNTT trong hoạt động nội bộ cơ quan"  # D9 of the form
runner = CliRunner()


def validate(path: Path, out: Path):
    """`reportgen validate` on one file: exit code, output, and the report's finding rows."""
    result = runner.invoke(app, ["validate", str(SAMPLE), str(path), "--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    book = openpyxl.load_workbook(out / "bao-cao-kiem-tra.xlsx")
    rows = [r for r in book["Phát hiện"].iter_rows(min_row=2, values_only=True)]
    return result, [r for r in rows if r[3] != "UNIT_MISSING"]


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (1e16, "SCORE_ABOVE_MAX", "là 10.000.000.000.000.000, vượt điểm tối đa 36"),
        (1e300, "SCORE_ABOVE_MAX", "là 1e+300, vượt"),
        ("12345678901234567890123", "SCORE_ABOVE_MAX", "là 1,2345678901234567890123e+22, vượt"),
        ("9" * 5000, "SCORE_ABOVE_MAX", "là 9," + "9" * 22 + "…e+4999, vượt"),
        (1e-308, "SCORE_TOO_PRECISE", "là 1e-308: quá 2 chữ số thập phân"),
        (0.001, "SCORE_TOO_PRECISE", "là 0,001: quá 2 chữ số thập phân"),
        ("٣٤", "SCORE_NOT_NUMBER", "'٣٤' (chữ số Ả Rập–Ấn Độ, không phải 0–9"),
        ("３４", "SCORE_NOT_NUMBER", "'３４' (chữ số toàn khổ (full-width), không phải 0–9"),
        ("๓๔", "SCORE_NOT_NUMBER", "'๓๔' (chữ số Thái, không phải 0–9"),
        ("#DIV/0!", "SCORE_ERROR_CELL", "chứa lỗi #DIV/0! của bảng tính"),
        ("#REF!", "SCORE_ERROR_CELL", "chứa lỗi #REF! của bảng tính"),
        ("#N/A", "SCORE_ERROR_CELL", "chứa lỗi #N/A của bảng tính"),
    ],
)
def test_hostile_score_is_a_located_finding(tmp_path, assessment, value, code, shown):
    path = builders.form(tmp_path, assessment, SY, {"D9": value})
    result, rows = validate(path, tmp_path / "out")
    assert result.exit_code == 3
    assert [(r[1], r[3], r[4], r[5], r[6]) for r in rows] == [
        (SY, code, "Sở Y tế.xlsx", "Phiếu chấm điểm", "D9")
    ]
    assert CRITERION in rows[0][7] and shown in rows[0][7], rows[0][7]


def test_error_cell_is_not_reported_as_missing(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, SY, {"D9": "#N/A"})
    codes = {f.code for f in check(SAMPLE, [path]).findings if f.unit == SY}
    assert codes == {"SCORE_ERROR_CELL"}


# Error cells in .ods and .xls: python-calamine gives them as "" (like .xlsx's), so
# `workbook.blank_reasons` reads the file itself. The two fixtures are real submissions made
# once with LibreOffice 7 from the tool's own form for Sở Y tế (2019 sample, published scores):
#   builders.form(folder, assessment, "Sở Y tế",
#                 {"D9": "=1/0", "D10": "=NA()", "D11": "=#REF!", "D12": "=SQRT(-1)"})
#   soffice --headless --convert-to ods "Sở Y tế.xlsx"   → tests/data/error-cells/form.ods
#   soffice --headless --convert-to xls "Sở Y tế.xlsx"   → tests/data/error-cells/form.xls
# LibreOffice computes every formula on conversion: D9–D12 and the total D13 hold errors.
# =SQRT(-1) is LibreOffice's own "Err:502" in .ods; in .xls it is stored as #VALUE!.
ERROR_CELLS = Path(__file__).parent / "data" / "error-cells"
FORM_ERRORS = {
    "ods": {"D9": "#DIV/0!", "D10": "#N/A", "D11": "#REF!", "D12": "Err:502"},
    "xls": {"D9": "#DIV/0!", "D10": "#N/A", "D11": "#REF!", "D12": "#VALUE!"},
}


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_error_cells_of_ods_and_xls_are_named(tmp_path, suffix):
    path = tmp_path / f"{SY}.{suffix}"
    shutil.copyfile(ERROR_CELLS / f"form.{suffix}", path)
    result, rows = validate(path, tmp_path / "out")
    assert result.exit_code == 3
    labels = builders.LABELS[1:]
    assert [(r[1], r[3], r[4], r[5], r[6]) for r in rows] == [
        (SY, "SCORE_ERROR_CELL", path.name, "Phiếu chấm điểm", cell) for cell in FORM_ERRORS[suffix]
    ]
    for row, error, label in zip(rows, FORM_ERRORS[suffix].values(), labels):
        assert f"'{label}' chứa lỗi {error} của bảng tính" in row[7], row[7]


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_blank_reasons_of_ods_and_xls_answer_only_what_is_asked(suffix):
    asked = {"D8", "D9", "D12", "D13", "B9", "ZZ1", "not a cell"}
    assert blank_reasons(ERROR_CELLS / f"form.{suffix}", "Phiếu chấm điểm", asked) == {
        "D9": FORM_ERRORS[suffix]["D9"],
        "D12": FORM_ERRORS[suffix]["D12"],
        "D13": "#DIV/0!",  # the total, =SUM(D8:D12)
    }
    assert blank_reasons(ERROR_CELLS / f"form.{suffix}", "Không có", asked) == {}


def test_damaged_xls_never_raises_out_of_blank_reasons(tmp_path, capsys):
    """xlrd raises many kinds of errors on a damaged file and logs to stdout; neither gets
    out. (sniff still accepts these files: its checks stop at the CFB directory.)"""
    data = (ERROR_CELLS / "form.xls").read_bytes()
    path = tmp_path / "hong.xls"
    for start in range(1536, len(data) - 64, 512):
        for junk in (b"\x00", b"\xff", bytes(range(64))):
            path.write_bytes(data[:start] + (junk * 64)[:64] + data[start + 64 :])
            reasons = blank_reasons(path, "Phiếu chấm điểm", {"D9", "D10"})
            assert set(reasons) <= {"D9", "D10"}
    path.write_bytes(data[:4096])  # truncated
    assert blank_reasons(path, "Phiếu chấm điểm", {"D9"}) == {}
    assert capsys.readouterr().out == ""


def ods(path: Path, rows: str) -> Path:
    """An .ods whose one sheet "Tổng hợp" has the given `<table:table-row>` XML."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
        'office:version="1.3"><office:body><office:spreadsheet>'
        '<table:table table:name="Ghi chú"><table:table-row><table:table-cell '
        'table:formula="of:=1/0" office:value-type="string" calcext:value-type="error">'
        "<text:p>#DIV/0!</text:p></table:table-cell></table:table-row></table:table>"
        f'<table:table table:name="Tổng hợp">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
    return path


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def text_row(*values: object) -> str:
    return "<table:table-row>" + "".join(text_cell(v) for v in values) + "</table:table-row>"


def text_cell(value: object) -> str:
    if isinstance(value, (int, float)):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    )


@pytest.mark.parametrize(
    ("cell", "code", "shown"),
    [
        (
            '<table:table-cell table:formula="of:=[.C3]/0" office:value-type="string" '
            'office:string-value="" calcext:value-type="error"><text:p>Err:532</text:p>'
            "</table:table-cell>",
            "SCORE_ERROR_CELL",
            "chứa lỗi Err:532 của bảng tính",
        ),
        (  # written by a program that does not calculate: a formula and no value at all
            '<table:table-cell table:formula="of:=20+14"/>',
            "FORMULA_NO_VALUE",
            "là công thức chưa có kết quả",
        ),
    ],
)
def test_ods_table_error_and_uncalculated_formula(tmp_path, cell, code, shown):
    header = text_row("Bảng tổng hợp") + text_row("STT", "Tên đơn vị", *builders.LABELS)
    unit = f"<table:table-row>{text_cell(1)}{text_cell(SY)}{text_cell(10)}{cell}"
    unit += "".join(text_cell(v) for v in (27.5, 8, 10)) + "</table:table-row>"
    path = ods(tmp_path / "tong-hop.ods", header + unit)
    found = [f for f in check(SAMPLE, [path]).findings if f.unit == SY]
    assert [(f.code, f.location.sheet, f.location.cell) for f in found] == [
        (code, "Tổng hợp", "D3")
    ]
    assert CRITERION in found[0].message and shown in found[0].message


def test_ods_repeats_are_counted_not_expanded(tmp_path):
    """LibreOffice writes the rest of a sheet as repeated rows and columns (16 384 columns,
    1 048 576 rows); an error cell repeated that way stands for 17 billion cells. Asking
    about a few of them answers at once, and covered cells of a merge count as columns."""
    error = (
        'table:formula="of:=NA()" office:value-type="string" office:string-value="" '
        'calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>'
    )
    rows = (
        '<table:table-row table:number-rows-repeated="8">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-spanned="2"/>'
        "<table:covered-table-cell/><table:table-cell/>"
        f'<table:table-cell table:number-columns-repeated="16381" {error}</table:table-row>'
        '<table:table-row table:number-rows-repeated="1048567">'
        f'<table:table-cell table:number-columns-repeated="16384" {error}</table:table-row>'
    )
    path = ods(tmp_path / "lap.ods", rows)
    asked = {"C9", "D9", "XFD9", "A10", "XFD1048576", "A1", "D8"}
    assert blank_reasons(path, "Tổng hợp", asked) == {
        "D9": "#N/A",
        "XFD9": "#N/A",
        "A10": "#N/A",
        "XFD1048576": "#N/A",
    }
    assert blank_reasons(path, "Ghi chú", {"A1", "A2"}) == {"A1": "#DIV/0!"}


def test_huge_stated_total_is_a_warning_not_a_crash(tmp_path):
    path = builders.table(tmp_path, [[1, SY, 10, 34, 27.5, 8, 10, 1e16, "Tốt"]])
    result, rows = validate(path, tmp_path / "out")
    assert result.exit_code == 3  # the other units are missing; the mismatch only warns
    assert [(r[3], r[6]) for r in rows] == [("TOTAL_MISMATCH", "H3")]
    assert "là 10.000.000.000.000.000, khác tổng các tiêu chí 89,5" in rows[0][7]


def test_negative_zero_is_written_as_zero(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, SY, {"D9": "-0"})
    result = runner.invoke(
        app, ["build", str(SAMPLE), str(path), "--allow-missing", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "o" / "ket-qua.csv").read_text(encoding="utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["unit"] == SY)
    assert row["noi_bo"] == "0"
    assert "-0" not in text


@pytest.mark.parametrize(
    ("edits", "cell", "code"),
    [
        ({"B3": "Sở Y_x0001_ tê"}, "B3", "UNIT_UNKNOWN"),
        ({"B3": "Sở Y tế_x001B_]0;pwned_x0007_"}, "B3", "UNIT_UNKNOWN"),
        ({"D9": "3_x0001_4"}, "D9", "SCORE_NOT_NUMBER"),
    ],
)
def test_control_characters_from_a_cell_reach_the_report_escaped(
    tmp_path, assessment, edits, cell, code
):
    path = builders.form(tmp_path, assessment, SY, edits)
    result, rows = validate(path, tmp_path / "out")
    assert result.exit_code == 3
    assert [(r[3], r[6]) for r in rows] == [(code, cell)]
    assert "\\x01" in rows[0][7] or "\\x1b" in rows[0][7]
    assert not any(ch < " " for ch in rows[0][7])


def test_control_characters_in_a_grade_reach_the_report_escaped(tmp_path):
    path = builders.table(tmp_path, [[1, SY, 10, 34, 27.5, 8, 10, 89.5, "T_x0001_ốt"]])
    result, rows = validate(path, tmp_path / "out")
    assert [(r[3], r[6]) for r in rows] == [("GRADE_MISMATCH", "I3")]
    assert "'T\\x01ốt'" in rows[0][7]


def test_report_writes_control_characters_in_any_text_escaped(assessment):
    """A sheet name can only carry control characters in formats other than .xlsx (.ods,
    .xls); the report escapes every text it writes, wherever it came from."""
    found = Finding(
        "SCORE_MISSING",
        Severity.ERROR,
        "Thiếu\x07 điểm",
        Location("a\x1b[2J.xlsx", "Ph\x01iếu", row=9, column=4),
        "Sở\x00 Y tế",
    )
    missing = {u.name: UnitStatus.MISSING for g in assessment.groups for u in g.units}
    book = openpyxl.load_workbook(io.BytesIO(render_findings(assessment, [found], missing)))
    row = next(book["Phát hiện"].iter_rows(min_row=2, values_only=True))
    assert row[1:] == (
        "Sở\\x00 Y tế",
        "Lỗi",
        "SCORE_MISSING",
        "a\\x1b[2J.xlsx",
        "Ph\\x01iếu",
        "D9",
        "Thiếu\\x07 điểm",
    )
