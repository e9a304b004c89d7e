"""Hostile cell values end in a located finding and a written report, never a traceback:
huge and tiny numbers, digits of other scripts, spreadsheet error values, control characters."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from reportgen import build as api
from reportgen.cli import app
from reportgen.findings import Finding, Location, Severity, UnitStatus
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
    codes = {f.code for f in api.check(SAMPLE, [path]).findings if f.unit == SY}
    assert codes == {"SCORE_ERROR_CELL"}


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
