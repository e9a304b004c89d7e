"""Scoring models beyond 2019 (issue 11): criteria sets per group, trees, indices, bands in
points or shares, penalties and bonuses, optional grades, units not assessed or not ranked,
annex columns and ket-qua.json schema 2. Every expected value is worked out by hand in the
comment beside it."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen import config
from reportgen.judge.rank import rank_all
from reportgen.judge.score import Submission, grade_for, index_for, roll_up, total_for
from reportgen.render import data, tables

HEAD = """
title = "đánh giá thử"
year = 2025
[issuer]
name = "ỦY BAN NHÂN DÂN THÀNH PHỐ THỬ"
short = "UBND thành phố Thử"
place = "Thử"
[decision]
number = 1
symbol = "QĐ-UBND"
date = 2026-01-05
summary = "thử"
authority = "ỦY BAN NHÂN DÂN THÀNH PHỐ THỬ"
legal_bases = ["Căn cứ thử;"]
articles = ["Thử."]
recipients = ["Lưu: VT."]
[signer]
lines = ["CHỦ TỊCH"]
name = "Người Ký"
"""

TREE = """
[annex]
title = "KẾT QUẢ THỬ"
columns = ["rank", "name", "criteria", "total", "index", "grade"]
rank_digits = 2

[[criteria_sets]]
key = "so"
rank_by = "index"
index = { method = "total", decimals = 4 }

[[criteria_sets.criteria]]
key = "ha_tang"
label = "Hạ tầng số"
items = [
    { key = "ht_a", label = "Mạng", max = 300 },
    { key = "ht_b", label = "Máy chủ", max = 200, items = [
        { key = "ht_b1", label = "Máy chủ vật lý", max = 120 },
        { key = "ht_b2", label = "Máy chủ ảo", max = 80 },
    ] },
]

[[criteria_sets.criteria]]
key = "dich_vu"
label = "Dịch vụ công trực tuyến"
max = 500

[[criteria_sets.criteria]]
key = "thuong"
label = "Điểm thưởng"
max = 50
bonus = true

[[criteria_sets.criteria]]
key = "tru"
label = "Điểm trừ"
max = 0
min = -100

[[criteria_sets.grades]]
name = "Dẫn dắt"
min_share = 0.75
exclusive = true

[[criteria_sets.grades]]
name = "Nâng cao"
min_share = 0.5
exclusive = true

[[criteria_sets.grades]]
name = "Khởi động"
min_share = 0

[[criteria_sets]]
key = "xa"
index = { method = "weighted", decimals = 3 }
rank_by = "index"
criteria = [
    { key = "cq", label = "Chính quyền số", max = 50, weight = 2 },
    { key = "kt", label = "Kinh tế số", max = 20, weight = 1 },
    { key = "xh", label = "Xã hội số", max = 30, weight = 1 },
]

[[groups]]
key = "so"
name = "Sở, ngành"
heading = "1. Các sở, ngành"
criteria_set = "so"
units = [
    "Sở A", "Sở B", "Sở C",
    { name = "Sở D", not_ranked = "không có thủ tục hành chính" },
    { name = "Sở E", not_assessed = "mới thành lập sau sáp nhập" },
]

[[groups]]
key = "xa"
name = "Xã, phường"
heading = "2. Các xã, phường"
criteria_set = "xa"
units = ["Xã Một", "Xã Hai"]
"""


def load(tmp_path, body: str) -> config.Assessment:
    path = tmp_path / "assessment.toml"
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return config.load(path)


def problems(tmp_path, body: str) -> list[str]:
    with pytest.raises(config.ConfigError) as info:
        load(tmp_path, body)
    return info.value.problems


D = Decimal


def so(a, b1, b2, dv, thuong=0, tru=0):
    leaves = {"ht_a": a, "ht_b1": b1, "ht_b2": b2, "dich_vu": dv, "thuong": thuong, "tru": tru}
    return {k: D(str(v)) for k, v in leaves.items()}


def test_a_tree_rolls_up_and_its_maxima_add_up(tmp_path):
    assessment = load(tmp_path, TREE)
    s = assessment.criteria_set(assessment.groups[0])
    # ha_tang = 300 + (120 + 80) = 500; the set's maximum = 500 + 500 (bonus and the
    # penalty-only criterion, max 0, add nothing) = 1000
    assert [c.max for c in s.criteria] == [500, 500, 50, 0]
    assert s.max_total == 1000
    scores = roll_up(s.criteria, so(250, 100.5, 60.25, 400))
    assert scores["ht_b"] == D("160.75")  # 100.5 + 60.25
    assert scores["ha_tang"] == D("410.75")  # 250 + 160.75
    assert total_for(scores, s) == D("810.75")  # 410.75 + 400 + 0 + 0


def test_bonus_over_the_maximum_and_a_penalty(tmp_path):
    assessment = load(tmp_path, TREE)
    s = assessment.criteria_set(assessment.groups[0])
    scores = roll_up(s.criteria, so(300, 120, 80, 500, thuong=30, tru=-20))
    assert total_for(scores, s) == D("1010")  # 1000 + 30 - 20: over the 1000 maximum
    assert index_for(scores, s) == D("1.0100")  # 1010 / 1000, four decimals kept


def test_index_by_total_rounds_half_up_once(tmp_path):
    assessment = load(tmp_path, TREE)
    s = assessment.criteria_set(assessment.groups[0])
    scores = roll_up(s.criteria, so("122.25", 0, 0, 500))
    assert index_for(scores, s) == D("0.6223")  # 622.25 / 1000 = 0.62225 → half up 0.6223
    scores = roll_up(s.criteria, so("122.24", 0, 0, 500))
    assert index_for(scores, s) == D("0.6222")  # 0.62224 → 0.6222


def test_weighted_index_normalises_the_weights(tmp_path):
    assessment = load(tmp_path, TREE)
    s = assessment.criteria_set(assessment.groups[1])
    scores = {"cq": D(40), "kt": D(10), "xh": D(27)}
    # (2 × 40/50 + 1 × 10/20 + 1 × 27/30) / (2 + 1 + 1) = (1.6 + 0.5 + 0.9) / 4 = 0.75
    assert index_for(scores, s) == D("0.750")
    scores = {"cq": D(33), "kt": D(7), "xh": D(11)}
    # (2 × 0.66 + 0.35 + 0.3666…) / 4 = 2.0366…/4 = 0.50916… → 0.509
    assert index_for(scores, s) == D("0.509")


def test_grades_as_share_of_the_maximum_with_strict_bounds(tmp_path):
    assessment = load(tmp_path, TREE)
    bands = assessment.criteria_set(assessment.groups[0]).grades
    m = D(1000)
    assert grade_for(D(750), bands, m) == "Nâng cao"  # 75 % is not "> 75 %"
    assert grade_for(D("750.5"), bands, m) == "Dẫn dắt"
    assert grade_for(D(500), bands, m) == "Khởi động"  # 50 % is not "> 50 %"
    assert grade_for(D(-20), bands, m) == "Khởi động"  # a penalty below 0 still has a grade
    # Lào Cai: 800 for agencies without TTHC: > 75 % of 800 = above 600
    assert grade_for(D(601), bands, D(800)) == "Dẫn dắt"
    assert grade_for(D(600), bands, D(800)) == "Nâng cao"


def results(tmp_path, tie_break: str = "alphabetical"):
    assessment = load(tmp_path, f'[scoring]\ntie_break = "{tie_break}"\n' + TREE)
    subs = [
        # read first, named after Sở A: the two tie-breaks order the tie with Sở A apart
        Submission("Sở C", so(300, 100, 50, "450.04", tru=-50), 0),  # 850.04 → 0.8500
        Submission("Sở A", so(300, 100, 50, 400), 1),  # 850 → 0.8500, ties Sở C by index
        Submission("Sở B", so(200, 100, 50, 400, thuong=50), 2),  # 800 → 0.8000
        Submission("Sở D", so(300, 120, 80, 500), 3),  # 1000 but not ranked
        Submission("Xã Một", {"cq": D(40), "kt": D(10), "xh": D(27)}, 4),  # 0.750
        Submission("Xã Hai", {"cq": D(50), "kt": D(0), "xh": D(0)}, 5),  # 2/4 = 0.500
    ]
    return assessment, rank_all(subs, assessment)


def test_ranks_by_index_shared_and_unranked_units_last(tmp_path):
    _, (so_group, xa_group) = results(tmp_path)
    rows = [(r.stt, r.rank, r.unit, r.index, r.grade) for r in so_group.rows]
    # Sở C's total is the higher, but ranking is by the index, where they tie: the
    # alphabetical tie-break puts Sở A first although Sở C was read first
    assert rows == [
        (1, 1, "Sở A", D("0.8500"), "Dẫn dắt"),
        (2, 1, "Sở C", D("0.8500"), "Dẫn dắt"),
        (3, 3, "Sở B", D("0.8000"), "Dẫn dắt"),
        (4, None, "Sở D", D("1.0000"), "Dẫn dắt"),
    ]
    assert so_group.not_assessed == [("Sở E", "mới thành lập sau sáp nhập")]
    assert so_group.missing == []  # Sở E is not missing: it is not assessed
    assert [(r.unit, r.rank, r.index) for r in xa_group.rows] == [
        ("Xã Một", 1, D("0.750")),
        ("Xã Hai", 2, D("0.500")),
    ]
    assert [r.grade for r in xa_group.rows] == [None, None]  # the set has no grades


def test_an_index_tie_in_input_order_keeps_the_unit_read_first(tmp_path):
    _, (so_group, _) = results(tmp_path, "input-order")
    rows = [(r.stt, r.rank, r.unit) for r in so_group.rows]
    assert rows == [(1, 1, "Sở C"), (2, 1, "Sở A"), (3, 3, "Sở B"), (4, None, "Sở D")]


def test_annex_columns_follow_the_config(tmp_path):
    assessment, groups = results(tmp_path)
    so_table, xa_table = tables.annex_tables(groups, assessment)
    assert so_table.headings == [
        "Xếp hạng",
        "Tên đơn vị",
        "Hạ tầng số",
        "Dịch vụ công trực tuyến",
        "Điểm thưởng",
        "Điểm trừ",
        "Tổng",
        "Chỉ số",
        "Xếp loại",
    ]
    assert so_table.rows[0] == ["01", "Sở A", "450", "400", "0", "0", "850", "0,8500", "Dẫn dắt"]
    assert so_table.rows[2][-3:] == ["800", "0,8000", "Dẫn dắt"]
    assert so_table.rows[3][0] == "–"  # Sở D: assessed, not ranked
    assert so_table.notes == [
        "Ghi chú: đơn vị tham gia đánh giá nhưng không xếp hạng: Sở D (không có thủ tục "
        "hành chính).",
        "Đơn vị không thực hiện đánh giá năm nay: Sở E (mới thành lập sau sáp nhập).",
    ]
    assert xa_table.headings[-2:] == ["Tổng", "Chỉ số"]  # no Xếp loại: no grades
    assert xa_table.rows[0][-1] == "0,750"


def test_a_deeper_criteria_level_and_the_detail_table(tmp_path):
    assessment, groups = results(tmp_path)
    assessment = assessment.model_copy(
        update={"annex": assessment.annex.model_copy(update={"criteria_level": 2})}
    )
    level2 = tables.annex_tables(groups, assessment)[0]
    # depth 2 under Hạ tầng số: Mạng, Máy chủ; the other top-level criteria are leaves
    assert level2.headings[2:8] == [
        "Mạng",
        "Máy chủ",
        "Dịch vụ công trực tuyến",
        "Điểm thưởng",
        "Điểm trừ",
        "Tổng",
    ]
    detail = tables.detail_tables(groups, assessment)[0]
    assert detail.headings[2:7] == ["Hạ tầng số", "Mạng", "Máy chủ", "Máy chủ vật lý", "Máy chủ ảo"]
    assert detail.rows[0][2:7] == ["450", "300", "150", "100", "50"]


def test_json_schema_2_writes_exact_numbers(tmp_path):
    assessment, groups = results(tmp_path)
    text = data.render_json(groups, assessment).decode("utf-8")
    assert '"index": 0.8500' in text  # the digits as printed, not a float's 0.85
    doc = json.loads(text)
    so_group = doc["groups"][0]
    assert (so_group["key"], so_group["rank_by"], so_group["max"]) == ("so", "index", 1000)
    top = so_group["criteria"][0]
    assert [i["key"] for i in top["items"]] == ["ht_a", "ht_b"]
    assert so_group["criteria"][2]["bonus"] is True and so_group["criteria"][3]["min"] == -100
    first = so_group["results"][0]
    assert first["scores"] == {
        "ht_a": 300,
        "ht_b1": 100,
        "ht_b2": 50,
        "dich_vu": 400,
        "thuong": 0,
        "tru": 0,
        "ht_b": 150,
        "ha_tang": 450,
    }
    assert so_group["results"][3]["rank"] is None
    assert so_group["not_assessed"] == [{"unit": "Sở E", "reason": "mới thành lập sau sáp nhập"}]
    assert data.dumps(D("0.1")) == "0.1" and data.dumps(D("12345678901234567890.123")) == (
        "12345678901234567890.123"
    )


def test_csv_is_flat_with_a_group_column(tmp_path):
    assessment, groups = results(tmp_path)
    lines = data.render_csv(data.records(groups, assessment)).decode("utf-8-sig").splitlines()
    head = lines[0].split(",")
    assert head[:4] == ["group", "stt", "rank", "unit"]
    assert head[-3:] == ["total", "index", "grade"]
    assert lines[1].startswith("so,1,1,Sở A,")
    assert lines[1].endswith(",850,0.8500,Dẫn dắt")
    assert lines[4].startswith("so,4,,Sở D,")  # not ranked: no rank
    assert lines[5].startswith("xa,1,1,Xã Một,") and lines[5].endswith(",0.750,")


def test_the_flat_form_is_one_set(assessment):
    (only,) = assessment.sets
    assert only.key == "" and [d for d, _ in only.nodes] == [1] * 5
    assert assessment.criteria_set(assessment.groups[1]) is only


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('label = "Hạ tầng số"\n', 'label = "Hạ tầng số"\nmax = 400\n', "khác tổng điểm tối đa"),
        ('criteria_set = "xa"', 'criteria_set = "phuong"', "không có bộ tiêu chí 'phuong'"),
        (", weight = 1 }", " }", "thiếu 'weight'"),
        ("min_share = 0.5\n", "min_share = 0.9\n", "từ 'min' cao nhất"),
        (
            'rank_by = "index"\nindex = { method = "total", decimals = 4 }',
            'rank_by = "index"',
            "rank_by = 'index' cần khai báo 'index'",
        ),
        ('label = "Mạng"', 'label = "Máy chủ"', "trùng nhau khi đọc tiêu đề cột"),
    ],
)
def test_config_mistakes_are_named(tmp_path, old, new, expected):
    assert old in TREE
    assert any(expected in p for p in problems(tmp_path, TREE.replace(old, new, 1)))


# --- Reading: forms of a tree, verified scores, verification lists -------------------------

VERIFIED = TREE.replace("[annex]", "[scoring]\nverified_column = true\n\n[annex]")


def _folder(tmp_path, body: str = VERIFIED):
    (tmp_path / "submissions").mkdir()
    return load(tmp_path, body)


def _form(tmp_path, assessment, unit, scores, verified=None, edits=None):
    import io

    import openpyxl

    from reportgen.render import forms
    from reportgen.render.filenames import form_filename

    data = forms.form_bytes(assessment, unit, scores, verified)
    book = openpyxl.load_workbook(io.BytesIO(data))
    for ref, value in (edits or {}).items():
        book[forms.SHEET][ref] = value
    book.save(tmp_path / "submissions" / form_filename(unit))
    return book[forms.SHEET]


def _sheet_rows(rows: list[list[object]], name: str, tmp_path, title="Thẩm định"):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "submissions" / name)


def _check(tmp_path):
    from reportgen.pipeline.check import check

    return check(tmp_path)


def test_a_two_level_form_lists_leaves_under_their_parents(tmp_path):
    assessment = _folder(tmp_path)
    sheet = _form(tmp_path, assessment, "Sở A", so(250, 100.5, 60.25, 400))
    listed = [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(8, 15)]
    assert listed == [
        (1, "Hạ tầng số"),
        ("1.1", "Mạng"),
        ("1.2", "Máy chủ"),
        ("1.2.1", "Máy chủ vật lý"),
        ("1.2.2", "Máy chủ ảo"),
        (2, "Dịch vụ công trực tuyến"),
        (3, "Điểm thưởng"),
    ]
    assert sheet["D8"].value == "=SUM(D9,D10)"  # a parent sums its items
    assert sheet["D10"].value == "=SUM(D11,D12)"
    assert sheet["E7"].value == "Điểm thẩm định" and sheet["F7"].value == "Lý do điều chỉnh"
    assert sheet["C8"].value == 500 and sheet["C16"].value == 1000  # Tổng cộng: the maximum


def test_a_filled_tree_form_is_read_back_and_rolled_up(tmp_path):
    assessment = _folder(tmp_path)
    for unit, leaves in [
        ("Sở A", so(250, 100.5, 60.25, 400)),
        ("Sở B", so(300, 120, 80, 500, thuong=20, tru=-15)),
        ("Sở C", so(0, 0, 0, 0)),
        ("Sở D", so(1, 1, 1, 1)),
    ]:
        _form(tmp_path, assessment, unit, leaves)
    for unit in ("Xã Một", "Xã Hai"):
        _form(tmp_path, assessment, unit, {"cq": D(25), "kt": D(10), "xh": D(15)})
    checked = _check(tmp_path)
    assert checked.findings.errors == []
    assert checked.missing == []  # Sở E is not assessed: not missing
    results = rank_all(checked.submissions, checked.assessment)
    a = next(r for r in results[0].rows if r.unit == "Sở A")
    assert a.scores["ht_b"] == D("160.75") and a.total == D("810.75")  # by hand, as above
    b = next(r for r in results[0].rows if r.unit == "Sở B")
    assert b.total == D("1005")  # 1000 + 20 - 15
    assert [r.unit for r in results[0].rows] == ["Sở B", "Sở A", "Sở C", "Sở D"]


def test_verified_scores_from_the_form_replace_the_self_scores(tmp_path):
    assessment = _folder(tmp_path)
    _form(
        tmp_path,
        assessment,
        "Sở A",
        so(250, 100.5, 60.25, 400),
        verified={"ht_a": (D(200), "Thiếu minh chứng kết nối"), "dich_vu": (D(400), "")},
    )
    checked = _check(tmp_path)
    (sub,) = [s for s in checked.submissions if s.unit == "Sở A"]
    assert sub.scores["ht_a"] == D(200) and sub.self_scores["ht_a"] == D(250)
    # dịch vụ verified at the same 400: kept, but not an adjustment
    assert [(a.unit, a.label, a.self_score, a.verified, a.reason) for a in checked.adjustments] == [
        ("Sở A", "Mạng", D(250), D(200), "Thiếu minh chứng kết nối")
    ]
    (row,) = [r for r in rank_all(checked.submissions, checked.assessment)[0].rows]
    assert (row.self_total, row.total) == (D("810.75"), D("760.75"))  # 810.75 - 50


def test_a_verification_list_is_applied_and_wrong_rows_are_findings(tmp_path):
    assessment = _folder(tmp_path)
    _form(tmp_path, assessment, "Sở A", so(250, 100.5, 60.25, 400))
    _form(tmp_path, assessment, "Sở B", so(300, 120, 80, 500))
    _sheet_rows(
        [
            ["DANH SÁCH ĐIỀU CHỈNH ĐIỂM SAU THẨM ĐỊNH"],
            ["STT", "Tên đơn vị", "Tiêu chí", "Điểm thẩm định", "Lý do"],
            [1, "Sở B", "Máy chủ ảo", 40, "Máy chủ ảo chưa có sao lưu"],
            [2, "Sở A", "dich_vu", "350,5", "Tỷ lệ hồ sơ trực tuyến thấp hơn báo cáo"],
            [3, "Sở Z", "Mạng", 10, "?"],
            [4, "Sở A", "Tiêu chí không có", 10, "?"],
            [5, "Sở A", "Máy chủ vật lí", 10, "?"],
        ],
        "tham-dinh.xlsx",
        tmp_path,
    )
    checked = _check(tmp_path)
    adjusted = [(a.unit, a.key, a.self_score, a.verified) for a in checked.adjustments]
    assert adjusted == [("Sở B", "ht_b2", D(80), D(40)), ("Sở A", "dich_vu", D(400), D("350.5"))]
    codes = [(f.code, f.location.cell) for f in checked.findings.errors]
    assert ("VERIFY_UNIT_UNKNOWN", "B5") in codes
    assert ("VERIFY_ITEM_UNKNOWN", "C6") in codes
    hints = {f.location.cell: f.message for f in checked.findings.errors}
    assert "Có phải" not in hints["C6"]  # nothing close to suggest
    assert hints["C7"].endswith("Có phải 'Máy chủ vật lý'?")  # a misspelt indicator
    b = next(s for s in checked.submissions if s.unit == "Sở B")
    assert b.scores["ht_b2"] == D(40) and b.self_scores["ht_b2"] == D(80)


def test_a_consolidated_table_may_give_the_top_level_only(tmp_path):
    _folder(tmp_path)
    _sheet_rows(
        [
            ["STT", "Tên đơn vị", "Chính quyền số", "Kinh tế số", "Xã hội số", "Tổng"],
            [1, "Xã Một", 40, 10, 27, 77],
            [2, "Xã Hai", 50, 0, 0, 50],
        ],
        "tong-hop-xa.xlsx",
        tmp_path,
        title="Tổng hợp",
    )
    _sheet_rows(
        [
            ["TT", "Đơn vị", "Hạ tầng số", "Dịch vụ công trực tuyến", "Điểm thưởng", "Điểm trừ"],
            ["1", "Sở C", "410,75", 400, 0, -20],
        ],
        "tong-hop-so.xlsx",
        tmp_path,
        title="Tổng hợp",
    )
    checked = _check(tmp_path)
    assert {f.code for f in checked.findings.errors} == {"UNIT_MISSING"}
    assert checked.missing == ["Sở A", "Sở B", "Sở D"]  # Sở E is not assessed
    results = rank_all(checked.submissions, checked.assessment)
    c = results[0].rows[0]
    assert (c.unit, c.total, c.index) == ("Sở C", D("790.75"), D("0.7908"))  # 790.75/1000
    assert "ht_a" not in c.scores  # the table gave no leaves
    assert [(r.unit, r.index) for r in results[1].rows] == [
        ("Xã Một", D("0.750")),
        ("Xã Hai", D("0.500")),
    ]


def test_a_penalty_below_its_minimum_and_a_form_of_another_group(tmp_path):
    assessment = _folder(tmp_path)
    _form(tmp_path, assessment, "Sở A", so(250, 100, 60, 400, tru=-101))
    _form(
        tmp_path,
        assessment,
        "Xã Một",
        {"cq": D(25), "kt": D(10), "xh": D(15)},
        edits={"B3": "Sở B"},
    )  # a commune's form sent under a department's name
    checked = _check(tmp_path)
    codes = {f.code: f for f in checked.findings.errors}
    assert "thấp hơn mức trừ tối đa -100" in codes["SCORE_BELOW_MIN"].message
    assert codes["FORM_WRONG_SET"].unit == "Sở B"


def test_weights_are_normalised_by_their_sum(tmp_path):
    """Weights 2, 1, 1 and 0.5, 0.25, 0.25 are the same index: only their ratios count."""
    halved = TREE.replace("weight = 2 }", "weight = 0.5 }").replace(
        "weight = 1 }", "weight = 0.25 }"
    )
    one, other = load(tmp_path, TREE), load(tmp_path, halved)
    scores = {"cq": D(33), "kt": D(7), "xh": D(11)}
    assert [c.weight for c in other.criteria_set(other.groups[1]).criteria] == [
        D("0.5"),
        D("0.25"),
        D("0.25"),
    ]
    assert index_for(scores, one.criteria_set(one.groups[1])) == D("0.509")
    assert index_for(scores, other.criteria_set(other.groups[1])) == D("0.509")


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

quarter_points = st.integers(min_value=0, max_value=400).map(lambda n: D(n) / 4)


@given(st.lists(quarter_points, min_size=4, max_size=4))
def test_any_leaf_scores_roll_up_to_their_exact_sum(leaves):
    assessment = config.parse(HEAD + TREE, Path("assessment.toml"))
    s = assessment.criteria_set(assessment.groups[0])
    a, b1, b2, dv = leaves
    scores = roll_up(s.criteria, so(a, b1, b2, dv))
    assert scores["ht_b"] == b1 + b2
    assert scores["ha_tang"] == a + b1 + b2
    assert total_for(scores, s) == a + b1 + b2 + dv


def test_a_parent_row_typed_over_is_a_subtotal_warning(tmp_path):
    assessment = _folder(tmp_path)
    # D8 is Hạ tầng số (=SUM(D9,D10)); D10 Máy chủ (=SUM(D11,D12)). Typed over, as Excel
    # would save them: 410.75 is right (250 + 100.5 + 60.25), 150 is not (100.5 + 60.25).
    _form(
        tmp_path, assessment, "Sở A", so(250, 100.5, 60.25, 400), edits={"D8": 410.75, "D10": 150}
    )
    checked = _check(tmp_path)
    (warning,) = [f for f in checked.findings.warnings if f.code == "SUBTOTAL_MISMATCH"]
    assert warning.location.cell == "D10"
    assert (
        "'Máy chủ' ghi trong biểu là 150, khác tổng các tiêu chí thành phần 160,75"
        in warning.message
    )
    (sub,) = [s for s in checked.submissions if s.unit == "Sở A"]
    assert rank_all([sub], checked.assessment)[0].rows[0].scores["ht_b"] == D("160.75")


def test_units_not_ranked_are_listed_by_the_measure_too(tmp_path):
    """Two communes not ranked, ordered under the table by the weighted index (as the ranked
    ones are), not by total: Xã Một 20 points, index 1 × 20/20 / 4 = 0,250; Xã Hai 29
    points, index 1 × 29/30 / 4 = 0,2416… → 0,242."""
    body = TREE.replace(
        'units = ["Xã Một", "Xã Hai"]',
        'units = [{ name = "Xã Một", not_ranked = "thử" },'
        ' { name = "Xã Hai", not_ranked = "thử" }]',
    )
    assessment = load(tmp_path, body)
    subs = [
        Submission("Xã Hai", {"cq": D(0), "kt": D(0), "xh": D(29)}, 0),
        Submission("Xã Một", {"cq": D(0), "kt": D(20), "xh": D(0)}, 1),
    ]
    (_, xa_group) = rank_all(subs, assessment)
    rows = [(r.unit, r.rank, r.total, r.index) for r in xa_group.rows]
    assert rows == [("Xã Một", None, D(20), D("0.250")), ("Xã Hai", None, D(29), D("0.242"))]
    # equal, they follow the tie-break (alphabetical: Hai before Một, though read second)
    same = {"cq": D(0), "kt": D(20), "xh": D(0)}
    tied = [Submission("Xã Một", same, 0), Submission("Xã Hai", same, 1)]
    assert [r.unit for r in rank_all(tied, assessment)[1].rows] == ["Xã Hai", "Xã Một"]


def test_a_parent_with_an_unknown_item_stays_unknown(tmp_path):
    assessment = load(tmp_path, TREE)
    s = assessment.criteria_set(assessment.groups[0])
    scores = roll_up(s.criteria, {"ht_a": D(250), "ht_b1": D(100)})  # ht_b2 not given
    assert "ht_b2" not in scores and "ht_b" not in scores and "ha_tang" not in scores
