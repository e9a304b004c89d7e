"""--allow-missing says who is missing where it matters: under the group's table in the
decision and the annex workbook, in ket-qua.json, and on the console as units left out."""

import json
import shutil

import docx
import openpyxl
from typer.testing import CliRunner

from reportgen.cli import app
from tests.conftest import SAMPLE

runner = CliRunner()
SY = "Sở Y tế"
REASON = "chưa nộp biểu chấm điểm"


def _build(tmp_path, assessment):
    """Every Sở/Ban/ngành form but Sở Y tế's, and no district's."""
    folder = tmp_path / "nop"
    folder.mkdir()
    first, districts = assessment.groups
    for unit in first.units:
        if unit.name != SY:
            shutil.copy(SAMPLE / "submissions" / f"{unit.name}.xlsx", folder)
    out = tmp_path / "o"
    result = runner.invoke(
        app, ["build", str(SAMPLE), str(folder), "--allow-missing", "--out", str(out)]
    )
    return result, out, [u.name for u in districts.units]


def test_console_shows_units_left_out_not_errors(tmp_path, assessment):
    result, _, districts = _build(tmp_path, assessment)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert not [line for line in lines if ": lỗi " in line]
    assert (
        f"nop: cảnh báo UNIT_LEFT_OUT: {SY}: Đơn vị '{SY}' (khối Sở, Ban, ngành) chưa nộp biểu "
        "chấm điểm: không đánh giá, được ghi tên dưới bảng của khối (--allow-missing)."
    ) in lines
    assert f"    không đánh giá: {SY} ({REASON})" in lines
    assert "  UBND huyện, thị xã, thành phố: 0 đơn vị" in lines


def test_decision_names_every_unit_not_assessed_under_its_table(tmp_path, assessment):
    result, out, districts = _build(tmp_path, assessment)
    assert result.exit_code == 0, result.output
    document = docx.Document(out / "quyet-dinh.docx")
    texts = [p.text for p in document.paragraphs]
    note = f"Ghi chú: đơn vị không thực hiện đánh giá năm nay: {SY} ({REASON})."
    assert note in texts
    (nobody,) = [t for t in texts if t.startswith("Không có đơn vị nào được đánh giá: ")]
    assert nobody == f"Không có đơn vị nào được đánh giá: {', '.join(districts)} ({REASON})."
    annex_tables = [t for t in document.tables if t.rows[0].cells[0].text in ("STT", "Xếp hạng")]
    assert len(annex_tables) == 1 and len(annex_tables[0].rows) == 1 + 19
    # the note follows the group's table, the one line follows the second heading
    heading = assessment.groups[1].heading
    assert texts.index(nobody) == texts.index(heading) + 1


def test_annex_workbook_and_json_name_them(tmp_path, assessment):
    result, out, districts = _build(tmp_path, assessment)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / "phu-luc.xlsx")
    first, second = book.worksheets[:2]  # then the chart sheet
    first_texts = [c for row in first.iter_rows(values_only=True) for c in row if c]
    assert f"Ghi chú: đơn vị không thực hiện đánh giá năm nay: {SY} ({REASON})." in first_texts
    second_texts = [c for row in second.iter_rows(values_only=True) for c in row if c]
    assert "STT" not in second_texts  # no empty table
    assert second_texts[-1].startswith("Không có đơn vị nào được đánh giá: ")
    document = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    so, huyen = document["groups"]
    assert so["not_assessed"] == [{"unit": SY, "reason": REASON}]
    assert [u["unit"] for u in huyen["not_assessed"]] == districts
    assert huyen["results"] == [] and len(so["results"]) == 19


def test_strict_does_not_turn_units_left_out_into_errors(tmp_path, assessment):
    folder = tmp_path / "nop"
    shutil.copytree(SAMPLE / "submissions", folder)
    (folder / f"{SY}.xlsx").unlink()
    args = ["build", str(SAMPLE), str(folder), "--allow-missing", "--strict"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    without = runner.invoke(app, ["build", str(SAMPLE), str(folder), "--out", str(tmp_path / "x")])
    assert without.exit_code == 3 and "UNIT_MISSING" in without.output
