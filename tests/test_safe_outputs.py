"""Text that would start a formula is neutralised in .xlsx and .csv outputs."""

import csv

import openpyxl

from reportgen import build as api
from reportgen.render.safe import cell_text
from tests import builders
from tests.conftest import SAMPLE


def test_cell_text():
    assert cell_text('=HYPERLINK("http://x")') == """'=HYPERLINK("http://x")"""
    for start in "=+-@":
        assert cell_text(start + "cmd") == "'" + start + "cmd"
    assert cell_text("-2,5") == "-2,5"  # a number stays a number
    assert cell_text("Sở Y tế") == "Sở Y tế"


def test_submitted_formula_text_is_not_a_formula_in_the_report(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, "Sở Y tế", name="=cmd.xlsx")
    checked = api.check(SAMPLE, [path])
    report = api.write_findings_report(checked, tmp_path / "out")
    sheet = openpyxl.load_workbook(report)["Phát hiện"]
    files = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=cmd.xlsx" in files


def test_csv_cells_never_start_a_formula(tmp_path):
    built = api.build(SAMPLE, out=tmp_path)
    assert built.ok
    text = (tmp_path / "ket-qua.csv").read_text(encoding="utf-8-sig")
    for row in csv.reader(text.splitlines()):
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell
