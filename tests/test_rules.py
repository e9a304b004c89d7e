"""Scoring rules as provinces write them (issue 22): criteria that do not apply to a unit,
scores computed from the unit's figures, scores from a survey table. Every expected number
is worked out by hand in the test from the config below, never taken from the code."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from reportgen import config
from reportgen.judge.rank import rank_all
from reportgen.pipeline.check import check, findings_report
from reportgen.render.tables import annex_tables
from tests.conftest import SAMPLE

# The 2019 sample's header (issuer, decision, signer, annex), then a 100-point set:
#   Thủ tục hành chính (may not apply): hồ sơ trực tuyến 20 (ratio), công khai 10
#   Nội bộ: họp 20 (steps), chữ ký số 10 (yes/no, own cell), kinh tế số 10 (may not apply)
#   Khảo sát 30 (from the survey table)
HEADER = (SAMPLE / "assessment.toml").read_text(encoding="utf-8").split("[scoring]")[0]
SET = """
[scoring]
decimals = 2
not_applicable_marks = ["Không áp dụng", "KAD", "-"]

[sources]
survey = "{survey}"

[[criteria_sets]]
key = "so"
not_applicable = "{mode}"
{index}
figures = [
    {{ key = "truc_tuyen", label = "Số hồ sơ nộp trực tuyến" }},
    {{ key = "tong_ho_so", label = "Tổng số hồ sơ tiếp nhận" }},
    {{ key = "so_cuoc_hop", label = "Số cuộc họp trong năm" }},
]

[[criteria_sets.criteria]]
key = "thu_tuc"
label = "Thủ tục hành chính"
may_not_apply = true

[[criteria_sets.criteria.items]]
key = "tt_ho_so"
label = "Tỷ lệ hồ sơ trực tuyến"
max = 20
rule = {{ kind = "ratio", inputs = ["truc_tuyen", "tong_ho_so"], zero = "{zero}" }}

[[criteria_sets.criteria.items]]
key = "tt_cong_khai"
label = "Công khai thủ tục"
max = 10

[[criteria_sets.criteria]]
key = "noi_bo"
label = "Nội bộ"

[[criteria_sets.criteria.items]]
key = "nb_hop"
label = "Họp về chuyển đổi số"
max = 20
rule = {{ kind = "steps", input = "so_cuoc_hop", steps = [[4, 20], [2, 10], [0, 0]] }}

[[criteria_sets.criteria.items]]
key = "nb_chu_ky"
label = "Dùng chữ ký số"
max = 10
rule = {{ kind = "yes_no", yes = 10 }}

[[criteria_sets.criteria.items]]
key = "nb_kinh_te"
label = "Kinh tế số"
max = 10
may_not_apply = true

[[criteria_sets.criteria]]
key = "khao_sat"
label = "Khảo sát"

[[criteria_sets.criteria.items]]
key = "ks_hai_long"
label = "Mức độ hài lòng"
max = 30
source = "survey"
may_not_apply = {survey_optional}

[[groups]]
key = "so"
name = "Sở, ngành"
heading = "I. KHỐI SỞ"
criteria_set = "so"
units = ["Sở A", "Sở B", {{ name = "Sở C", not_applicable = ["thu_tuc"] }}]
"""
LABELS = {
    "tt_ho_so": "Tỷ lệ hồ sơ trực tuyến",
    "tt_cong_khai": "Công khai thủ tục",
    "nb_hop": "Họp về chuyển đổi số",
    "nb_chu_ky": "Dùng chữ ký số",
    "nb_kinh_te": "Kinh tế số",
}
FIGURES = {
    "truc_tuyen": "Số hồ sơ nộp trực tuyến",
    "tong_ho_so": "Tổng số hồ sơ tiếp nhận",
    "so_cuoc_hop": "Số cuộc họp trong năm",
}
FIRST = 5  # the sheet's first criterion row (row 4 is the header)


def folder(
    tmp_path: Path,
    mode: str = "rescale",
    zero: str = "max",
    survey: str = "khao-sat.xlsx",
    survey_optional: bool = False,
) -> Path:
    index = (
        'rank_by = "index"\nindex = { method = "total", decimals = 4 }' if mode == "index" else ""
    )
    text = HEADER + SET.format(
        mode=mode,
        zero=zero,
        survey=survey,
        index=index,
        survey_optional=str(survey_optional).lower(),
    )
    (tmp_path / "submissions").mkdir()
    (tmp_path / "assessment.toml").write_text(text, encoding="utf-8")
    return tmp_path


def sheet(
    where: Path,
    unit: str,
    scores: dict[str, object],
    figures: dict[str, object],
    verified: dict[str, object] | None = None,
) -> Path:
    """A unit's score sheet as a clerk fills one: the criteria rows (parents as headings),
    the figures below them, each label with its value in the score column (D); with
    `verified`, the council's "Điểm thẩm định" column (E)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Phiếu"
    ws["A1"], ws["B1"] = "Đơn vị:", unit
    ws.append([])
    ws.append([])
    council = ["Điểm thẩm định"] if verified is not None else []
    ws.append(["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", *council])
    for key, label in LABELS.items():
        row = ["", label, "", scores.get(key)]
        if verified is not None:
            row.append(verified.get(key))
        ws.append(row)
    ws.append(["", "Tổng cộng", "", None])
    ws.append([])
    ws.append(["", "Số liệu dùng để tính điểm", "", "Giá trị"])
    for key, label in FIGURES.items():
        ws.append(["", label, "", figures.get(key)])
    path = where / "submissions" / f"{unit}.xlsx"
    book.save(path)
    return path


def survey(where: Path, rows: list[tuple[str, object]]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Khảo sát"
    ws.append(["KẾT QUẢ ĐIỀU TRA XÃ HỘI HỌC"])
    ws.append(["STT", "Tên đơn vị", "Mức độ hài lòng"])
    for i, (unit, score) in enumerate(rows, 1):
        ws.append([i, unit, score])
    path = where / "khao-sat.xlsx"
    book.save(path)
    return path


# Sở A: 45 of 50 dossiers online → 20 × 45 ÷ 50 = 18; công khai 10; 3 meetings → 10;
# chữ ký số "Có" → 10; kinh tế số 8; survey 24. Total 80 of 100.
A_SCORES = {"tt_cong_khai": 10, "nb_chu_ky": "Có", "nb_kinh_te": 8}
A_FIGURES = {"truc_tuyen": 45, "tong_ho_so": 50, "so_cuoc_hop": 3}
# Sở B skips two criteria: công khai ("Không áp dụng") and kinh tế số ("KAD").
B_SCORES = {"tt_cong_khai": "Không áp dụng", "nb_chu_ky": "Có", "nb_kinh_te": "KAD"}
# Sở C: the config says thủ tục does not apply (its cells are not read).
C_SCORES = {"tt_ho_so": "", "tt_cong_khai": "", "nb_chu_ky": "Không", "nb_kinh_te": 10}
C_FIGURES = {"so_cuoc_hop": 5}


def standard(where: Path, b_figures: dict | None = None) -> None:
    sheet(where, "Sở A", A_SCORES, A_FIGURES)
    sheet(where, "Sở B", B_SCORES, b_figures or A_FIGURES)
    sheet(where, "Sở C", C_SCORES, C_FIGURES)
    survey(where, [("Sở A", 24), ("Sở B", 24), ("Sở C", 21)])


def rows_of(where: Path) -> dict:
    checked = check(where)
    assert not checked.findings.errors, [str(f) for f in checked.findings]
    results = rank_all(checked.submissions, checked.assessment)
    return {row.unit: row for row in results[0].rows}, results, checked


def codes(where: Path) -> list[str]:
    return check(where).findings.codes()


def test_two_skipped_criteria_are_rescaled_to_the_set_maximum(tmp_path):
    where = folder(tmp_path)
    standard(where)
    by_unit, results, checked = rows_of(where)
    # Sở B: 18 + 10 + 10 + 24 = 62 scored, of 100 − 10 − 10 = 80 → 62 × 100 ÷ 80 = 77,5
    b = by_unit["Sở B"]
    assert b.scored == Decimal(62)
    assert b.unit_max == Decimal(80)
    assert b.total == Decimal("77.5")
    assert {"tt_cong_khai", "nb_kinh_te"} <= b.not_applicable
    assert by_unit["Sở A"].total == Decimal(80)  # everything applies: as scored
    # Sở C (config): thủ tục (30) out; 5 meetings 20, "Không" 0, kinh tế 10, survey 21 = 51
    # of 70 → 51 × 100 ÷ 70 = 72,857… → 72,86
    assert by_unit["Sở C"].total == Decimal("72.86")
    note = " ".join(annex_tables(results, checked.assessment)[0].notes)
    assert "Sở B: 'Công khai thủ tục', 'Kinh tế số'" in note
    assert "62 × 100 ÷ 80 = 77,5" in note
    assert "Sở C: 'Thủ tục hành chính'" in note
    assert [row.unit for row in results[0].rows] == ["Sở A", "Sở B", "Sở C"]


def test_index_divides_by_the_units_maximum(tmp_path):
    where = folder(tmp_path, mode="index")
    standard(where)
    by_unit, _, _ = rows_of(where)
    b = by_unit["Sở B"]
    assert b.total == Decimal(62)  # the total stays as scored
    assert b.index == Decimal("0.7750")  # 62 ÷ 80
    assert by_unit["Sở A"].index == Decimal("0.8000")  # 80 ÷ 100


def test_a_skip_on_a_criterion_that_always_applies_is_refused_at_its_cell(tmp_path):
    where = folder(tmp_path)
    standard(where)
    sheet(where, "Sở A", {**A_SCORES, "nb_chu_ky": "KAD"}, A_FIGURES)
    found = [f for f in check(where).findings if f.code == "NOT_APPLICABLE_REFUSED"]
    assert [(f.unit, f.location.cell) for f in found] == [("Sở A", f"D{FIRST + 3}")]
    assert "Dùng chữ ký số" in found[0].message


def test_an_area_whose_items_all_do_not_apply_does_not_apply(tmp_path):
    where = folder(tmp_path, zero="not_applicable")
    standard(where)
    figures = {"truc_tuyen": 0, "tong_ho_so": 0, "so_cuoc_hop": 3}
    sheet(where, "Sở A", {**A_SCORES, "tt_cong_khai": "-"}, figures)
    by_unit, _, _ = rows_of(where)
    # 0 ÷ 0 does not apply, công khai skipped: the whole area is out (30 points)
    assert "thu_tuc" in by_unit["Sở A"].not_applicable
    assert by_unit["Sở A"].unit_max == Decimal(70)


@pytest.mark.parametrize(
    ("zero", "score", "unit_max"),
    [("max", Decimal(20), None), ("zero", Decimal(0), None), ("not_applicable", None, Decimal(80))],
)
def test_a_ratio_over_zero_follows_the_zero_choice(tmp_path, zero, score, unit_max):
    where = folder(tmp_path, zero=zero)
    standard(where)
    sheet(where, "Sở A", A_SCORES, {"truc_tuyen": 0, "tong_ho_so": 0, "so_cuoc_hop": 3})
    by_unit, _, _ = rows_of(where)
    a = by_unit["Sở A"]
    assert a.scores.get("tt_ho_so") == score
    assert a.unit_max == unit_max


def test_rules_computed_from_a_filled_form(tmp_path):
    where = folder(tmp_path)
    standard(where)
    # 37 of 40 online: 20 × 37 ÷ 40 = 18,5; 4 meetings → 20; 1 meeting → 0 (below 2)
    sheet(where, "Sở A", A_SCORES, {"truc_tuyen": 37, "tong_ho_so": 40, "so_cuoc_hop": 4})
    sheet(where, "Sở B", {**A_SCORES, "nb_chu_ky": "Không"}, {**A_FIGURES, "so_cuoc_hop": 1})
    # 2 of 3: 20 × 2 ÷ 3 = 13,333… → 13,33 (half-up to 2 decimals)
    sheet(where, "Sở C", {**C_SCORES}, {"so_cuoc_hop": 2})
    by_unit, _, checked = rows_of(where)
    a, b, c = (by_unit[u].scores for u in ("Sở A", "Sở B", "Sở C"))
    assert (a["tt_ho_so"], a["nb_hop"], a["nb_chu_ky"]) == (Decimal("18.5"), 20, 10)
    assert (b["nb_hop"], b["nb_chu_ky"]) == (0, 0)
    assert c["nb_hop"] == 10
    workings = {(x.unit, x.key): x.working for x in checked.computations}
    assert workings[("Sở A", "tt_ho_so")] == "20 × 37 ÷ 40 = 18,5"
    assert workings[("Sở A", "nb_hop")] == "4 ≥ 4 → 20"
    assert workings[("Sở B", "nb_hop")] == "1 ≥ 0 → 0"
    report = openpyxl.load_workbook(io.BytesIO(findings_report(checked)))
    shown = [list(r) for r in report["Điểm tính theo số liệu"].iter_rows(values_only=True)]
    row = next(r for r in shown if r[1] == "Sở A" and r[2] == "Tỷ lệ hồ sơ trực tuyến")
    assert row[3:] == ["20 × 37 ÷ 40 = 18,5", "18,5", "Sở A.xlsx", "Phiếu", "D13"]


def test_a_ratio_rounds_half_up(tmp_path):
    where = folder(tmp_path)
    standard(where)
    sheet(where, "Sở A", A_SCORES, {"truc_tuyen": 2, "tong_ho_so": 3, "so_cuoc_hop": 3})
    by_unit, _, _ = rows_of(where)
    assert by_unit["Sở A"].scores["tt_ho_so"] == Decimal("13.33")  # 13,333…
    sheet(where, "Sở A", A_SCORES, {"truc_tuyen": 1, "tong_ho_so": 160, "so_cuoc_hop": 3})
    by_unit, _, _ = rows_of(where)
    assert by_unit["Sở A"].scores["tt_ho_so"] == Decimal("0.13")  # 0,125: half-up


def test_a_stated_score_that_differs_is_score_rule_mismatch(tmp_path):
    where = folder(tmp_path)
    standard(where)
    sheet(where, "Sở A", {**A_SCORES, "tt_ho_so": 20, "nb_hop": 10}, A_FIGURES)
    checked = check(where)
    found = [f for f in checked.findings if f.code == "SCORE_RULE_MISMATCH"]
    assert [(f.location.cell, f.severity.value) for f in found] == [(f"D{FIRST}", "warning")]
    assert "20" in found[0].message and "18" in found[0].message
    a = next(s for s in checked.submissions if s.unit == "Sở A")
    assert a.scores["tt_ho_so"] == 18  # the computed score is used


def test_a_numerator_above_its_denominator_is_located(tmp_path):
    where = folder(tmp_path)
    standard(where)
    sheet(where, "Sở A", A_SCORES, {"truc_tuyen": 60, "tong_ho_so": 50, "so_cuoc_hop": 3})
    found = [f for f in check(where).findings if f.code == "FIGURE_ABOVE_TOTAL"]
    figure_row = FIRST + len(LABELS) + 3  # criteria, total, blank, figures header
    assert [(f.unit, f.location.cell) for f in found] == [("Sở A", f"D{figure_row}")]


@pytest.mark.parametrize("value", ["nhiều", -3])
def test_a_bad_figure_is_located(tmp_path, value):
    where = folder(tmp_path)
    standard(where)
    sheet(where, "Sở A", A_SCORES, {**A_FIGURES, "so_cuoc_hop": value})
    found = [f for f in check(where).findings if f.code == "FIGURE_INVALID"]
    figure_row = FIRST + len(LABELS) + 3 + 2
    assert [(f.unit, f.location.cell) for f in found] == [("Sở A", f"D{figure_row}")]


def test_an_empty_figure_is_missing(tmp_path):
    where = folder(tmp_path)
    standard(where)
    sheet(where, "Sở A", A_SCORES, {"truc_tuyen": 45, "so_cuoc_hop": 3})
    assert "FIGURE_MISSING" in codes(where)


def test_a_unit_missing_from_the_survey_is_located_at_the_table(tmp_path):
    where = folder(tmp_path)
    standard(where)
    survey(where, [("Sở A", 24), ("Sở C", 21), ("Sở Không Có", 20)])
    found = check(where).findings
    missing = [f for f in found if f.code == "SOURCE_SCORE_MISSING"]
    assert [(f.unit, f.location.file, f.location.sheet) for f in missing] == [
        ("Sở B", "khao-sat.xlsx", "Khảo sát")
    ]
    unknown = [f for f in found if f.code == "VERIFY_UNIT_UNKNOWN"]
    assert [f.location.cell for f in unknown] == ["B5"]


def test_the_survey_table_supplies_its_criterion(tmp_path):
    where = folder(tmp_path)
    standard(where)
    survey(where, [("Sở A", 27.5), ("Sở B", 24), ("Sở C", 21)])
    by_unit, _, _ = rows_of(where)
    assert by_unit["Sở A"].scores["ks_hai_long"] == Decimal("27.5")
    assert by_unit["Sở A"].scores["khao_sat"] == Decimal("27.5")
    assert by_unit["Sở A"].total == Decimal("83.5")  # 18 + 10 + 10 + 10 + 8 + 27,5


def test_an_optional_survey_not_run_is_rescaled(tmp_path):
    where = folder(tmp_path, survey="", survey_optional=True)
    standard(where)
    (where / "khao-sat.xlsx").unlink()
    by_unit, _, _ = rows_of(where)
    # Sở A without the survey: 18 + 10 + 10 + 10 + 8 = 56 of 70 → 56 × 100 ÷ 70 = 80
    assert by_unit["Sở A"].total == Decimal(80)
    # Sở B: 62 − 24 = 38 of 100 − 20 − 30 = 50 → 76
    assert by_unit["Sở B"].total == Decimal(76)


def test_a_required_survey_needs_its_table(tmp_path):
    with pytest.raises(config.ConfigError, match="sources.survey"):
        config.load(folder(tmp_path, survey=""))


def test_a_set_that_lets_criteria_go_must_say_how_to_compare(tmp_path):
    where = folder(tmp_path)
    text = (where / "assessment.toml").read_text(encoding="utf-8")
    (where / "assessment.toml").write_text(
        text.replace('not_applicable = "rescale"\n', ""), encoding="utf-8"
    )
    with pytest.raises(config.ConfigError, match="not_applicable"):
        config.load(where)


def test_a_unit_may_only_skip_what_may_not_apply(tmp_path):
    where = folder(tmp_path)
    text = (where / "assessment.toml").read_text(encoding="utf-8")
    (where / "assessment.toml").write_text(
        text.replace('not_applicable = ["thu_tuc"]', 'not_applicable = ["noi_bo"]'),
        encoding="utf-8",
    )
    with pytest.raises(config.ConfigError, match="noi_bo"):
        config.load(where)


def test_the_form_asks_for_the_figures_and_computes_from_them(tmp_path):
    """reportgen's own form: figure rows under the total (validated input cells), the rule
    scores by formula, "Không áp dụng" accepted where the criterion may be skipped; filled in
    and read back, the scores are computed from the figures."""
    from reportgen.render import forms

    where = folder(tmp_path)
    standard(where)
    assessment = config.load(where)
    cells = {"tt_cong_khai": "Không áp dụng", "nb_chu_ky": "Có", "nb_kinh_te": 8}
    figures = {"truc_tuyen": 30, "tong_ho_so": 40, "so_cuoc_hop": 4}
    data = forms.form_bytes(assessment, "Sở A", cells, figures=figures)
    (where / "submissions" / "Sở A.xlsx").write_bytes(data)
    sheet = openpyxl.load_workbook(io.BytesIO(data))[forms.SHEET]
    rows = {r[1].value: r for r in sheet.iter_rows() if isinstance(r[1].value, str)}
    assert rows["Tỷ lệ hồ sơ trực tuyến"][3].value.startswith("=IF(")  # computed, not typed
    assert rows["Mức độ hài lòng"][3].value == forms.SOURCED
    figure_cell = rows["Số hồ sơ nộp trực tuyến"][3]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert figure_cell.coordinate in rules  # validated: ≥ 0, not above the total
    assert rows["Tổng số hồ sơ tiếp nhận"][3].coordinate in rules[figure_cell.coordinate].formula1
    skippable = rules[rows["Kinh tế số"][3].coordinate].formula1
    assert "Không áp dụng" in skippable and "KAD" in skippable
    assert rules[rows["Dùng chữ ký số"][3].coordinate].type == "list"
    by_unit, _, _ = rows_of(where)
    a = by_unit["Sở A"]
    # 20 × 30 ÷ 40 = 15; 4 meetings → 20; Có → 10; kinh tế số 8; survey 24; công khai skipped
    assert (a.scores["tt_ho_so"], a.scores["nb_hop"], a.scores["nb_chu_ky"]) == (15, 20, 10)
    assert a.scored == Decimal(77) and a.unit_max == Decimal(90)


def test_a_unit_the_config_exempts_sees_it_on_its_form(tmp_path):
    from reportgen.render import forms

    where = folder(tmp_path)
    data = forms.form_bytes(config.load(where), "Sở C")
    sheet = openpyxl.load_workbook(io.BytesIO(data))[forms.SHEET]
    rows = {r[1].value: r[3].value for r in sheet.iter_rows() if isinstance(r[1].value, str)}
    assert rows["Tỷ lệ hồ sơ trực tuyến"] == rows["Công khai thủ tục"] == "Không áp dụng"


def test_the_council_may_score_what_a_unit_marked_not_applicable(tmp_path):
    """Sở B wrote "Không áp dụng" for công khai; the council's 4 says it applies: B is
    scored 62 + 4 = 66 of 100 − 10 = 90 (kinh tế số still skipped) → 66 × 100 ÷ 90 = 73,33;
    its own total counts công khai 0: 62 of 90 → 68,89."""
    where = folder(tmp_path)
    standard(where)
    sheet(where, "Sở B", B_SCORES, A_FIGURES, verified={"tt_cong_khai": 4})
    by_unit, _, checked = rows_of(where)
    b = by_unit["Sở B"]
    assert b.scores["tt_cong_khai"] == 4 and "tt_cong_khai" not in b.not_applicable
    assert (b.total, b.self_total) == (Decimal("73.33"), Decimal("68.89"))
    (change,) = checked.adjustments
    assert (change.key, change.self_score, change.verified) == ("tt_cong_khai", None, 4)


def test_a_consolidated_table_may_mark_an_area_not_applicable(tmp_path):
    """A table of top-level scores (what a Sở keeps) with "KAD" in an area that may not
    apply: Sở A 20 + 30 (survey from its table) = 50 of 70 → 50 × 100 ÷ 70 = 71,43."""
    where = folder(tmp_path)
    survey(where, [("Sở A", 30), ("Sở B", 24), ("Sở C", 21)])
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["STT", "Tên đơn vị", "Thủ tục hành chính", "Nội bộ"])
    ws.append([1, "Sở A", "KAD", 20])
    ws.append([2, "Sở B", 25, 30])
    ws.append([3, "Sở C", "", 35])
    book.save(where / "submissions" / "tong-hop.xlsx")
    by_unit, _, _ = rows_of(where)
    assert by_unit["Sở A"].total == Decimal("71.43")
    assert by_unit["Sở B"].total == Decimal(79)  # 25 + 30 + 24, all apply
    assert by_unit["Sở C"].total == Decimal("80")  # thủ tục exempt by the config: 56 of 70
