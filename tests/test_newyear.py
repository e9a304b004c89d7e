"""`reportgen init`: a new year's assessment from the 2019 sample."""

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from reportgen import config
from reportgen.cli import app
from reportgen.config import newyear
from reportgen.judge.validate import validate
from reportgen.pipeline import build as api
from reportgen.read.ingest import ingest
from tests import builders
from tests.conftest import SAMPLE

runner = CliRunner()
BLANKS = ["decision.number", "decision.date", "decision.proposal", "signer.name"]
FILLED = {  # what a clerk types over each blank
    'number = "<<CẦN ĐIỀN>>"': "number = 15",
    'date = "<<CẦN ĐIỀN>>"': "date = 2021-01-08",
    "Tờ trình số <<CẦN ĐIỀN>> ngày <<CẦN ĐIỀN>>": "Tờ trình số 301/TTr-STTTT ngày 28/12/2020",
    'name = "<<CẦN ĐIỀN>>"': 'name = "Lê Trí Thanh"',
}


def submissions_of_year(folder: Path, year: int) -> None:
    """The 2019 sample's forms, copied into `folder` with their year cell set to `year`."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted((SAMPLE / "submissions").glob("*.xlsx")):
        wb = openpyxl.load_workbook(source)
        wb.active["B5"] = year
        wb.save(folder / source.name)


def test_init_writes_the_new_year_with_blanks_and_keeps_comments(tmp_path):
    result = runner.invoke(
        app, ["init", str(tmp_path / "qn2020"), "--from", str(SAMPLE), "--year", "2020"]
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "qn2020" / "assessment.toml").read_text(encoding="utf-8")
    # comments of the source file survive, inline ones too
    assert "# ASSUMED grade bands. The province's regulation" in text
    assert '"alphabetical"   # equal totals: Vietnamese alphabetical order' in text
    assert "year = 2020\n" in text
    loaded = config.load(tmp_path / "qn2020")
    assert loaded.title.endswith("tỉnh Quảng Nam năm 2020")
    assert loaded.annex.title.endswith("QUẢNG NAM NĂM 2020")
    assert loaded.decision.articles[1].endswith("cơ quan nhà nước năm 2020.")
    assert list(loaded.blanks) == BLANKS
    assert loaded.decision.number is None and loaded.decision.date is None
    assert loaded.decision.proposal == (
        "Xét đề nghị của Giám đốc Sở Thông tin và Truyền thông tại Tờ trình số <<CẦN ĐIỀN>> "
        "ngày <<CẦN ĐIỀN>>,"
    )
    # carried over as they were
    source = config.load(SAMPLE)
    assert loaded.groups == source.groups and loaded.criteria == source.criteria
    assert loaded.grades == source.grades and loaded.issuer == source.issuer
    assert loaded.decision.legal_bases == source.decision.legal_bases
    assert (tmp_path / "qn2020" / "submissions").is_dir()
    for step in ("reportgen forms", "submissions/", "reportgen validate", "reportgen build"):
        assert step in result.output
    for key in BLANKS:
        assert key in result.output


def test_build_refuses_each_blank_while_validate_and_forms_work(tmp_path):
    new = newyear.init(SAMPLE, tmp_path / "qn2020", 2020)
    submissions_of_year(tmp_path / "qn2020" / "submissions", 2020)
    result = runner.invoke(app, ["build", str(new.folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for key in BLANKS:
        assert f"Khóa '{key}'" in result.output
    assert not (tmp_path / "out").exists()
    with pytest.raises(newyear.BlanksRemain) as info:
        api.build(new.folder, out=tmp_path / "out")
    assert [f.code for f in info.value.findings] == ["CONFIG_BLANK"] * 4
    assert [f.message.split("'")[1] for f in info.value.findings] == BLANKS

    forms = runner.invoke(app, ["forms", str(new.folder), "--out", str(tmp_path / "forms")])
    assert forms.exit_code == 0, forms.output
    assert len(list((tmp_path / "forms").glob("*.xlsx"))) == 38
    form = openpyxl.load_workbook(tmp_path / "forms" / "Sở Y tế.xlsx").active
    assert form["A1"].value == "PHIẾU CHẤM ĐIỂM NĂM 2020" and form["B5"].value == 2020
    checked = runner.invoke(app, ["validate", str(new.folder), "--out", str(tmp_path / "v")])
    assert checked.exit_code == 0, checked.output


def test_filled_blanks_and_2020_submissions_build(tmp_path):
    new = newyear.init(SAMPLE, tmp_path / "qn2020", 2020)
    path = new.folder / "assessment.toml"
    text = path.read_text(encoding="utf-8")
    for blank, value in FILLED.items():
        assert blank in text
        text = text.replace(blank, value)
    path.write_text(text, encoding="utf-8")
    submissions_of_year(new.folder / "submissions", 2020)
    result = runner.invoke(app, ["build", str(new.folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "out" / "ket-qua.json").read_text(encoding="utf-8"))
    assert document["year"] == 2020
    assert config.load(new.folder).decision.number == 15


def test_replacing_only_the_placeholders_in_notepad_gives_a_valid_file(tmp_path):
    """The quotes left around a number or a date (a clerk replaces the marked text only)."""
    new = newyear.init(SAMPLE, tmp_path / "qn2020", 2020)
    path = new.folder / "assessment.toml"
    text = path.read_text(encoding="utf-8")
    for value in ["15", "08/01/2021", "301", "28/12/2020", "Lê Trí Thanh"]:  # in file order
        text = text.replace(config.BLANK, value, 1)
    assert config.BLANK not in text and "CẦN ĐIỀN" not in text  # no comment asking still
    path.write_text(text, encoding="utf-8")
    decision = config.load(new.folder).decision
    assert (decision.number, str(decision.date)) == (15, "2021-01-08")
    assert "Tờ trình số 301 ngày 28/12/2020" in decision.proposal


def test_year_of_cited_documents_is_kept_and_reported(tmp_path):
    text = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    cited = "Căn cứ Kế hoạch số 10/KH-UBND năm 2019 của UBND tỉnh;"
    law = '    "Căn cứ Luật Công nghệ thông tin'
    text = text.replace(law, f'    "{cited}",\n{law}', 1)
    new = newyear.carry_over(text, 2020)
    assert cited in new.text
    assert new.still_naming == ["decision.legal_bases[1]"]
    assert any("decision.legal_bases[1]" in step for step in new.next_steps())


def test_init_refusals_exit_2(tmp_path):
    args = ["init", str(tmp_path / "a"), "--from", str(SAMPLE), "--year", "2019"]
    same = runner.invoke(app, args)
    assert same.exit_code == 2 and "năm 2019" in same.output
    assert not (tmp_path / "a").exists()
    runner.invoke(app, ["init", str(tmp_path / "b"), "--from", str(SAMPLE)])
    before = (tmp_path / "b" / "assessment.toml").read_bytes()
    again = runner.invoke(app, ["init", str(tmp_path / "b"), "--from", str(SAMPLE)])
    assert again.exit_code == 2 and "không ghi đè" in again.output
    assert (tmp_path / "b" / "assessment.toml").read_bytes() == before
    missing = runner.invoke(app, ["init", str(tmp_path / "c"), "--from", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_default_year_is_the_next(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "src", ignore=shutil.ignore_patterns("submissions"))
    assert newyear.init(tmp_path / "src", tmp_path / "new").year == 2020


def test_last_years_form_is_form_wrong_year_at_its_cell(tmp_path, assessment):
    twenty = assessment.model_copy(update={"year": 2020})
    path = builders.form(tmp_path, assessment, "Sở Y tế")  # the 2019 form, 2019 in B5
    checked = validate(ingest([path], twenty).entries, twenty, "nộp")
    wrong = [f for f in checked.findings if f.code == "FORM_WRONG_YEAR"]
    assert len(wrong) == 1
    assert (wrong[0].location.file, wrong[0].location.sheet, wrong[0].location.cell) == (
        "Sở Y tế.xlsx",
        "Phiếu chấm điểm",
        "B5",
    )
    assert wrong[0].severity.value == "error" and wrong[0].unit == "Sở Y tế"
    assert "2019 (ô B5)" in wrong[0].message and "năm 2020" in wrong[0].message
    # the same form in its own year is fine, and a year typed as text is read too
    assert not [
        f
        for f in validate(ingest([path], assessment).entries, assessment, "x").findings
        if f.code.startswith("FORM_")
    ]
    text_year = builders.form(tmp_path, assessment, "Sở Nội vụ", {"B5": "Năm 2019"})
    checked = validate(ingest([text_year], twenty).entries, twenty, "nộp")
    assert [f.location.cell for f in checked.findings if f.code == "FORM_WRONG_YEAR"] == ["B5"]


def test_renamed_and_removed_criterion_rows_are_named(tmp_path, assessment):
    path = builders.form(
        tmp_path, assessment, "Sở Y tế", {"B9": "Ứng dụng CNTT nội bộ", "B11": "Chữ ký số"}
    )
    findings = validate(ingest([path], assessment).entries, assessment, "nộp").findings
    assert [f.code for f in findings if f.unit == "Sở Y tế"] == ["FORM_CRITERIA_DIFFER"]
    (f,) = [f for f in findings if f.unit == "Sở Y tế"]
    assert f.location.cell == "B9"
    assert "dòng 9 'Ứng dụng CNTT nội bộ' không phải tiêu chí năm nay" in f.message
    assert "dòng 11 'Chữ ký số' không phải tiêu chí năm nay" in f.message
    assert "thiếu dòng tiêu chí 'Ứng dụng CNTT trong hoạt động nội bộ cơ quan'" in f.message
    assert "thiếu dòng tiêu chí 'Nguồn nhân lực CNTT'" in f.message


def test_an_added_criterion_is_named(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, "Sở Y tế")
    extra = config.Criterion(key="chuyen_doi_so", label="Chuyển đổi số", max=5)
    grown = assessment.model_copy(update={"criteria": [*assessment.criteria, extra]})
    findings = validate(ingest([path], grown).entries, grown, "nộp").findings
    (f,) = [f for f in findings if f.unit == "Sở Y tế"]
    assert f.code == "FORM_CRITERIA_DIFFER" and f.location.cell is None
    assert "thiếu dòng tiêu chí 'Chuyển đổi số'" in f.message and "dòng 1" not in f.message
