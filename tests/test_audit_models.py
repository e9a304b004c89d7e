"""audit ranks the published rows with rank.py, so it checks every model build accepts (issue
23): the Đà Nẵng 2025 sample — three criteria sets, trees, a weighted index, bonus and
penalty, bands by share, units not ranked and not assessed, verified scores — audits clean
from its own decision and workbook, and each planted change is found at its row."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.judge.audit import audit
from reportgen.pipeline import build as api
from tests.conftest import ROOT

DA_NANG = ROOT / "samples" / "da-nang-2025"
runner = CliRunner()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("da-nang")
    built = api.build(DA_NANG, out=out)
    assert built.ok, [str(f) for f in built.blocking]
    return out


@pytest.mark.parametrize("name", ["quyet-dinh.docx", "phu-luc.xlsx", "ket-qua.csv"])
def test_the_samples_own_outputs_audit_clean(outputs, name):
    report = audit(DA_NANG, outputs / name)
    assert [str(f) for f in report.findings] == []
    assert report.complete
    assert {t.group.key for t in report.tables} == {"so-nganh", "trung-uong", "xa-phuong"}
    result = runner.invoke(app, ["audit", str(DA_NANG), str(outputs / name)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("Phụ lục khớp")


def _plant(outputs, tmp_path, sheet: str, unit: str, heading: str, value):
    """A copy of phu-luc.xlsx with one cell changed: `heading`'s column of `unit`'s row."""
    book = openpyxl.load_workbook(outputs / "phu-luc.xlsx")
    ws = book[sheet]
    rows = list(ws.iter_rows())
    header = next(r for r in rows if any(c.value == "STT" for c in r))
    column = next(c.column for c in header if c.value == heading)
    row = next(r for r in rows if any(c.value == unit for c in r))
    cell = ws.cell(row[0].row, column)
    cell.value = value
    path = tmp_path / "phu-luc.xlsx"
    book.save(path)
    return path, cell.coordinate


def _errors(path):
    return audit(DA_NANG, path).findings.errors


COMMUNES = "UBND phường, xã, đặc khu"


def test_a_weighted_index_digit(outputs, tmp_path):
    path, cell = _plant(outputs, tmp_path, COMMUNES, "Xã Trà Đốc", "Chỉ số", 0.937)
    (error,) = _errors(path)
    assert (error.code, error.location.sheet, error.location.cell) == (
        "AUDIT_INDEX_WRONG",
        COMMUNES,
        cell,
    )
    assert error.message == (
        "Dòng 3: Xã Trà Đốc ghi chỉ số 0,937, nhưng tính lại từ điểm các tiêu chí được 0,936."
    )


def test_a_shared_rank_by_index(outputs, tmp_path):
    # Phường Sơn Trà and Xã Tây Hồ share 0,911 and so rank 8: one printed 09 is wrong
    path, cell = _plant(outputs, tmp_path, COMMUNES, "Xã Tây Hồ", "Xếp hạng", "09")
    (error,) = _errors(path)
    assert (error.code, error.location.cell) == ("AUDIT_RANK", cell)
    assert error.message.endswith("(0,911) ghi xếp hạng 09, nhưng theo chỉ số xếp hạng 8.")


def test_a_unit_not_ranked_given_a_rank(outputs, tmp_path):
    unit = "Đài Phát thanh - Truyền hình"
    path, cell = _plant(outputs, tmp_path, "Sở, ngành", unit, "Xếp hạng", "17")
    (error,) = _errors(path)
    assert (error.code, error.location.cell, error.unit) == ("AUDIT_NOT_RANKED", cell, unit)
    assert "không xếp hạng (đơn vị sự nghiệp, không có thủ tục hành chính)" in error.message


def test_a_penalty_dropped(outputs, tmp_path):
    # Sở Xây dựng lost 20 points for late reports; printed as 0, its total no longer adds up
    path, cell = _plant(outputs, tmp_path, "Sở, ngành", "Sở Xây dựng", "Điểm thưởng, điểm trừ", 0)
    errors = _errors(path)
    assert [e.code for e in errors] == ["AUDIT_TOTAL_WRONG", "AUDIT_INDEX_WRONG"]
    assert {e.location.row for e in errors} == {int(cell[1:])}  # the same row
    assert [e.message for e in errors] == [
        "Dòng 15: Sở Xây dựng ghi tổng điểm 544,5, nhưng tổng các tiêu chí là 564,5.",
        "Dòng 15: Sở Xây dựng ghi chỉ số 0,5445, nhưng tính lại từ điểm các tiêu chí được 0,5645.",
    ]


def test_a_unit_not_assessed_listed(outputs, tmp_path):
    unit = "Sở Dân tộc và Tôn giáo"  # not assessed this year: its name put over Sở Ngoại vụ
    path, cell = _plant(outputs, tmp_path, "Sở, ngành", "Sở Ngoại vụ", "Tên cơ quan, đơn vị", unit)
    (error,) = _errors(path)  # Sở Ngoại vụ is still listed on the detail sheet
    assert (error.code, error.location.cell, error.unit) == ("AUDIT_NOT_ASSESSED", cell, unit)
