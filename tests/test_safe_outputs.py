"""Text that would start a formula is neutralised in .xlsx and .csv outputs."""

import csv
import shutil

import openpyxl

from reportgen.pipeline import build as api
from reportgen.pipeline.check import check, write_findings_report
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
    # blank: its findings are located at the file
    path = builders.form(tmp_path, assessment, "Sở Y tế", name="=cmd.xlsx", filled=False)
    checked = check(SAMPLE, [path])
    report = write_findings_report(checked, tmp_path / "out")
    sheet = openpyxl.load_workbook(report)["Phát hiện"]
    files = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=cmd.xlsx" in files


def test_unit_names_starting_like_a_formula_stay_text(tmp_path):
    """A registered name starting with "=" or "+" (the forms still say the plain name, an
    alias) reaches ket-qua.csv and phu-luc.xlsx as text, never as a formula."""
    folder = tmp_path / "qn"
    shutil.copytree(SAMPLE, folder)
    toml = folder / "assessment.toml"
    text = toml.read_text(encoding="utf-8")
    for plain, formula in (("Ban Dân tộc", "=Ban Dân tộc"), ("Sở Ngoại vụ", "+Sở Ngoại vụ")):
        old = f'{{ name = "{plain}" }}'
        assert old in text
        text = text.replace(old, f'{{ name = "{formula}", aliases = ["{plain}"] }}')
    toml.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    built = api.build(folder, out=out)
    assert built.ok, [f.code for f in built.blocking]

    rows = list(csv.reader((out / "ket-qua.csv").read_text(encoding="utf-8-sig").splitlines()))
    names = [row[rows[0].index("unit")] for row in rows[1:]]
    assert "'=Ban Dân tộc" in names and "'+Sở Ngoại vụ" in names
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell

    sheet = openpyxl.load_workbook(out / "phu-luc.xlsx")["Sở, Ban, ngành"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    shown = {c.value for c in cells}
    assert "'=Ban Dân tộc" in shown and "'+Sở Ngoại vụ" in shown
    assert all(c.data_type == "s" for c in cells if str(c.value).startswith(("'=", "'+")))
    assert not any(str(c.value).startswith(("=", "+")) for c in cells)
