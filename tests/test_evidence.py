"""Evidence on the forms (scoring.evidence): references read leniently, EVIDENCE_MISSING at
its cell, an explanation alone enough, a date outside the period a warning, the register."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import jsonschema
import pytest

from reportgen import config
from reportgen.config import EvidencePolicy
from reportgen.judge.validate import validate
from reportgen.pipeline import build
from reportgen.read import evidence
from reportgen.read.ingest import ingest_file
from reportgen.read.layout import Layout
from tests import builders
from tests.conftest import ROOT, SAMPLE

EVIDENCE_HEADING = "Minh chứng: số, ký hiệu, ngày, trích yếu văn bản; trang/mục, hoặc đường dẫn"
EXPLANATION_HEADING = "Giải trình (nếu không có minh chứng)"


@pytest.mark.parametrize(
    ("line", "number", "date", "url"),
    [
        (
            "Quyết định số 123/QĐ-UBND ngày 05/3/2025 về kế hoạch CĐS; trang 4",
            "123/QĐ-UBND",
            dt.date(2025, 3, 5),
            "",
        ),
        ("KH 45/KH-SKHCN 12/02/2025", "45/KH-SKHCN", dt.date(2025, 2, 12), ""),
        ("Công văn 7/SYT-VP ngày 01 tháng 12 năm 2024", "7/SYT-VP", dt.date(2024, 12, 1), ""),
        ("https://danang.gov.vn/bao-cao 2025-06-30", "", dt.date(2025, 6, 30), None),
        ("Báo cáo tổng kết năm, mục II", "", None, ""),
        ("Quyết định 9/QĐ-UBND ngày 31/02/2025", "9/QĐ-UBND", None, ""),
    ],
)
def test_references_are_read_leniently(line, number, date, url):
    (ref,) = evidence.references(line)
    assert (ref.text, ref.number, ref.date) == (line, number, date)
    if url is None:
        assert ref.url == "https://danang.gov.vn/bao-cao"
    else:
        assert ref.url == url


def test_a_cell_holds_one_reference_a_line():
    refs = evidence.references("QĐ 1/QĐ-UBND 02/01/2025\n\n  https://x.vn/a  ")
    assert [r.text for r in refs] == ["QĐ 1/QĐ-UBND 02/01/2025", "https://x.vn/a"]
    assert evidence.references(dt.datetime(2025, 4, 1))[0].date == dt.date(2025, 4, 1)


def _with(assessment, policy: str, period=None):
    scoring = {"evidence": EvidencePolicy(policy)}
    if period:
        scoring["period"] = period
    return assessment.model_copy(update={"scoring": assessment.scoring.model_copy(update=scoring)})


def _form(tmp_path, assessment, cells: dict[str, object], columns: bool = True):
    """Sở Y tế's filled form, with the evidence columns E and F (row 7 headings) when
    `columns`, and `cells` edited (the criteria sit on rows 8–12)."""
    edits = {"E7": EVIDENCE_HEADING, "F7": EXPLANATION_HEADING} if columns else {}
    return builders.form(tmp_path, assessment, "Sở Y tế", {**edits, **cells})


def _checked(path, assessment):
    entries, problems = ingest_file(path, path.name, Layout(assessment))
    assert problems == []
    return validate(entries, assessment, "x")


FULL = {f"E{row}": "QĐ 12/QĐ-SYT ngày 10/01/2019" for row in range(8, 13)}


def test_required_a_score_without_evidence_or_explanation_is_missing_at_its_cell(
    tmp_path, assessment
):
    required = _with(assessment, "required")
    result = _checked(_form(tmp_path, required, {**FULL, "E9": None}), required)
    mine = [f for f in result.findings if f.unit == "Sở Y tế"]
    assert [(f.code, f.location.cell) for f in mine] == [("EVIDENCE_MISSING", "E9")]
    assert "Ứng dụng CNTT trong hoạt động nội bộ cơ quan" in mine[0].message


def test_an_explanation_alone_satisfies_required(tmp_path, assessment):
    required = _with(assessment, "required")
    path = _form(tmp_path, required, {**FULL, "E9": None, "F9": "Chưa ban hành văn bản riêng"})
    result = _checked(path, required)
    assert [f.code for f in result.findings if f.unit == "Sở Y tế"] == []
    cited = next(c for c in result.evidence if c.key == "noi_bo")
    assert (cited.references, cited.explanation) == ((), "Chưa ban hành văn bản riêng")


def test_a_zero_score_needs_no_evidence_and_optional_never_asks(tmp_path, assessment):
    required = _with(assessment, "required")
    path = _form(tmp_path, required, {**FULL, "D9": 0, "E9": None})
    assert [f.code for f in _checked(path, required).findings if f.unit == "Sở Y tế"] == []
    optional = _with(assessment, "optional")
    path = _form(tmp_path, optional, {"E9": None})
    assert [f.code for f in _checked(path, optional).findings if f.unit == "Sở Y tế"] == []


def test_a_form_without_the_evidence_column_is_missing_at_the_score_cells(tmp_path, assessment):
    required = _with(assessment, "required")  # an old form: made without evidence columns
    result = _checked(_form(tmp_path, assessment, {}, columns=False), required)
    cells = [f.location.cell for f in result.findings if f.code == "EVIDENCE_MISSING"]
    assert cells == ["D8", "D9", "D10", "D11", "D12"]


def test_a_verified_score_settles_missing_evidence(tmp_path, assessment):
    required = _with(assessment, "required")
    path = _form(tmp_path, required, {**FULL, "E9": None, "G7": "Điểm thẩm định", "G9": 0})
    result = _checked(path, required)
    assert [f.code for f in result.findings if f.unit == "Sở Y tế"] == []


def test_a_reference_dated_outside_the_year_is_out_of_period(tmp_path, assessment):
    optional = _with(assessment, "optional")
    path = _form(tmp_path, optional, {"E10": "KH 45/KH-SYT 12/02/2018\nQĐ 3/QĐ-SYT 4/5/2019"})
    result = _checked(path, optional)
    (found,) = [f for f in result.findings if f.unit == "Sở Y tế"]
    assert (found.code, found.location.cell) == ("EVIDENCE_OUT_OF_PERIOD", "E10")
    assert "12/02/2018" in found.message and "01/01/2019 – 31/12/2019" in found.message


def test_the_period_comes_from_the_config_when_given(tmp_path, assessment):
    period = [dt.date(2018, 1, 1), dt.date(2019, 12, 31)]
    optional = _with(assessment, "optional", period)
    path = _form(tmp_path, optional, {"E10": "KH 45/KH-SYT 12/02/2018"})
    assert [f.code for f in _checked(path, optional).findings if f.unit == "Sở Y tế"] == []


def test_off_reads_no_evidence(tmp_path, assessment):
    path = _form(tmp_path, assessment, {"E10": "KH 45/KH-SYT 12/02/2018"})
    result = _checked(path, assessment)
    assert result.evidence == []
    assert [f.code for f in result.findings if f.unit == "Sở Y tế"] == []


def test_the_register_is_in_ket_qua_json_by_unit_and_criterion(tmp_path):
    folder = tmp_path / "qn"
    (folder / "submissions").mkdir(parents=True)
    text = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    text = text.replace("[scoring]", '[scoring]\nevidence = "optional"', 1)
    assert 'evidence = "optional"' in text
    (folder / "assessment.toml").write_text(text, encoding="utf-8")
    loaded = config.load(folder)
    for unit in builders.published_scores():
        edits = {"E7": EVIDENCE_HEADING, "F7": EXPLANATION_HEADING}
        if unit == "Sở Y tế":
            edits["E8"] = "QĐ 12/QĐ-SYT ngày 10/01/2019\nhttps://syt.vn/qd12"
        builders.form(folder / "submissions", loaded, unit, edits)
    built = build.build(folder, out=tmp_path / "out")
    assert built.ok, [str(f) for f in built.blocking]
    data = json.loads((tmp_path / "out" / "ket-qua.json").read_text(encoding="utf-8"))
    assert data["schema"] == 3
    schema = json.loads((ROOT / "docs" / "ket-qua.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    keys = [e["criterion"] for e in data["evidence"]]
    assert keys == sorted(
        keys, key=["ha_tang", "noi_bo", "nguoi_dan", "nhan_luc", "moi_truong"].index
    )  # one indicator across units
    mine = [e for e in data["evidence"] if e["unit"] == "Sở Y tế"]
    assert mine[0]["references"] == [
        {
            "text": "QĐ 12/QĐ-SYT ngày 10/01/2019",
            "number": "12/QĐ-SYT",
            "date": "2019-01-10",
            "url": None,
        },
        {"text": "https://syt.vn/qd12", "number": None, "date": None, "url": "https://syt.vn/qd12"},
    ]
    assert Decimal(str(mine[0]["score"])) == builders.published_scores()["Sở Y tế"]["ha_tang"]
    assert len(data["evidence"]) == 5 * len(builders.published_scores())


def test_off_writes_what_a_config_without_the_key_writes(tmp_path):
    """evidence = "off" is the default: the 2019 outputs are the same bytes as without it."""
    folder = tmp_path / "qn"
    folder.mkdir()
    text = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    text = text.replace("[scoring]", '[scoring]\nevidence = "off"', 1)
    (folder / "assessment.toml").write_text(text, encoding="utf-8")
    inputs = [SAMPLE / "submissions"]
    assert build.build(folder, inputs, tmp_path / "off").ok
    assert build.build(SAMPLE, inputs, tmp_path / "none").ok
    for path in sorted((tmp_path / "none").iterdir()):
        assert (tmp_path / "off" / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_form_asks_for_evidence_and_ingest_reads_it_back(tmp_path, assessment):
    """With evidence on, each leaf row has an open evidence and explanation cell; what a unit
    writes there is read into the register."""
    import openpyxl

    from reportgen.render import forms

    optional = _with(assessment, "optional")
    scores = builders.published_scores()["Sở Y tế"]
    cited = {"ha_tang": ("KH 7/KH-SYT ngày 03/02/2019; mục I", ""), "noi_bo": ("", "Chưa có")}
    path = tmp_path / "Sở Y tế.xlsx"
    path.write_bytes(forms.form_bytes(optional, "Sở Y tế", scores, evidence=cited))
    sheet = openpyxl.load_workbook(path)[forms.SHEET]
    assert [sheet.cell(7, c).value for c in (5, 6)] == [EVIDENCE_HEADING, EXPLANATION_HEADING]
    assert not sheet["E8"].protection.locked and not sheet["F8"].protection.locked
    assert sheet["B8"].protection.locked
    result = _checked(path, optional)
    register = {c.key: c for c in result.evidence}
    assert register["ha_tang"].references[0].number == "7/KH-SYT"
    assert register["noi_bo"].explanation == "Chưa có" and register["noi_bo"].references == ()
    plain = openpyxl.load_workbook(io.BytesIO(forms.form_bytes(assessment, "Sở Y tế")))
    assert plain[forms.SHEET].cell(7, 5).value is None  # off: no evidence column
