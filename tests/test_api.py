"""`reportgen.api`, the one face (issue 18): every call's result is of one family, a build
carries what the web page shows, the results come as a DataFrame, and the package's names
load only when used."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

import reportgen
from reportgen import api
from tests.conftest import SAMPLE, SAMPLE_OUTPUTS


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> api.Built:
    return api.build(SAMPLE, out=tmp_path_factory.mktemp("out"))


def family(result: api.Result) -> None:
    """What every result says, whatever call made it."""
    assert isinstance(result.ok, bool)
    assert isinstance(result.findings, api.Findings)
    assert isinstance(result.summary(), str) and result.summary()
    assert all(isinstance(p, Path) and p.is_file() for p in result.outputs)


def test_check_build_audit_and_template_check_answer_alike(built, tmp_path):
    checked = api.check(SAMPLE)
    family(checked)
    assert checked.ok and checked.outputs == []
    path = api.write_findings_report(checked, tmp_path)
    assert checked.outputs == [path] and path.name == api.FINDINGS_REPORT
    family(built)
    assert built.ok and sorted(p.name for p in built.outputs) == SAMPLE_OUTPUTS
    assert built.findings is built.checked.findings
    report = api.audit(SAMPLE, SAMPLE / "annex-2019.tsv")
    family(report)
    assert report.outputs == []
    template = api.template_check()
    family(template)
    assert template.ok and template.summary() == "Mẫu dùng được."


def test_a_blocked_build_says_why_in_its_summary(tmp_path):
    built = api.build(SAMPLE, [tmp_path], tmp_path / "out")  # no submission at all
    assert not built.ok and built.outputs == []
    assert built.summary() == f"Không tạo văn bản: {len(built.blocking)} lỗi cần sửa trước"
    assert not (tmp_path / "out").exists()


def test_a_build_carries_the_annex_tables_it_wrote(built):
    groups = [g.name for g in built.checked.assessment.groups]
    assert len(built.annex) == len(groups)
    for table, result in zip(built.annex, built.results):
        assert len(table.rows) == len(result.rows)


def test_the_results_as_a_dataframe_exact_or_float(built):
    frame = api.dataframe(built)
    rows = [(r.unit, r.total) for result in built.results for r in result.rows]
    assert len(frame) == len(rows)
    assert list(zip(frame["unit"], frame["total"])) == rows
    assert all(isinstance(v, Decimal) for v in frame["total"])
    keys = {c.key for s in built.checked.assessment.sets for _, c in s.nodes}
    assert keys <= set(frame.columns)
    floats = api.dataframe(built, exact=False)
    assert list(floats["total"]) == [float(total) for _, total in rows]
    assert floats["total"].dtype.kind == "f"


def test_the_outputs_in_reading_order_and_zipped_alike(built):
    folder = built.outputs[0].parent
    names = api.output_names(folder)
    assert names[:2] == ["quyet-dinh.docx", "phu-luc.xlsx"]
    assert names[2:5] == [api.FINDINGS_REPORT, "ket-qua.csv", "ket-qua.json"]
    assert sorted(names) == SAMPLE_OUTPUTS
    data = api.zip_files(folder, names)
    assert data == api.zip_files(folder, names)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == names
        assert archive.read("ket-qua.csv") == (folder / "ket-qua.csv").read_bytes()


def test_forms_one_or_all_in_a_zip():
    assessment = api.load(SAMPLE)
    units = [u.name for g in assessment.groups for u in g.units]
    name, data = api.form(assessment, units[0])
    assert name == f"{units[0]}.xlsx" and data[:2] == b"PK"
    archive = zipfile.ZipFile(io.BytesIO(api.forms_zip(assessment)))
    assert len(archive.namelist()) == len(units)
    assert archive.read(name) == data


def test_new_year_blanks_filled_as_typed_with_comments_kept(tmp_path):
    new = api.carry_over(SAMPLE, 2020)
    assert api.BLANK in new.text and "decision.number" in new.blanks
    typed = {
        "decision.number": " 15 ",
        "decision.date": "2021-01-08",
        "decision.proposal": "Xét đề nghị tại Tờ trình số 3/TTr ngày 28/12/2020,",
        "signer.name": "Nguyễn Văn A",
    }
    text = api.fill_blanks(new.text, typed)
    assert "number = 15" in text and "date = 2021-01-08" in text
    assert text.count("\n#") >= new.text.count("\n#")  # comments kept
    filled = api.parse(text)
    assert not filled.blanks and str(filled.decision.number) == "15"
    assert filled.signer.name == "Nguyễn Văn A"
    folder = api.write_config(tmp_path / "qn-2020", text)
    assert (folder / "assessment.toml").read_text(encoding="utf-8") == text
    assert (folder / "submissions").is_dir()
    with pytest.raises(FileExistsError):
        api.write_config(folder, text)


def test_a_date_that_is_no_date_stays_text_for_the_config_to_name():
    text = api.fill_blanks(api.carry_over(SAMPLE, 2020).text, {"decision.date": "32/1/2021"})
    with pytest.raises(api.ConfigError) as refused:
        api.parse(text)
    assert any(p.startswith("decision.date") for p in refused.value.problems)


def test_a_date_typed_day_first_is_a_date():
    text = api.fill_blanks(api.carry_over(SAMPLE, 2020).text, {"decision.date": "8/1/2021"})
    assert "date = 2021-01-08" in text


def test_an_upload_that_is_no_workbook_is_refused_in_words(tmp_path):
    fake = tmp_path / "bieu.xlsx"
    fake.write_bytes(b"%PDF-1.7 not a workbook")
    assert "PDF" in api.upload_refusal(fake)
    real = tmp_path / "that.xlsx"
    real.write_bytes(api.form(api.load(SAMPLE), "Sở Nội vụ")[1])
    assert api.upload_refusal(real) is None


def test_the_package_exports_the_api_names():
    assert reportgen.check is api.check and reportgen.Checked is api.Checked
    assert set(api.__all__) <= set(dir(reportgen))
    for name in api.__all__:
        assert getattr(api, name) is not None
    with pytest.raises(AttributeError):
        reportgen.no_such_name  # noqa: B018


def test_starting_the_cli_loads_no_pipeline():
    """`reportgen --help` stays light: the api imports a stage only when it is called."""
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['reportgen', '--help']\n"
        "try:\n"
        "    runpy.run_module('reportgen', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('reportgen.config', 'reportgen.pipeline.build', 'reportgen.pipeline.check',"
        " 'pydantic', 'reportgen.read.ingest')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
