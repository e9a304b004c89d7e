"""Scoring models beyond 2019 (issue 11): criteria sets per group, trees, indices, bands in
points or shares, penalties and bonuses, optional grades, units not assessed or not ranked,
annex columns and ket-qua.json schema 2. Every expected value is worked out by hand in the
comment beside it."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal

import pytest

from reportgen import config
from reportgen.rank import Submission, grade_for, index_for, rank_all, roll_up, total_for
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


def results(tmp_path):
    assessment = load(tmp_path, TREE)
    subs = [
        Submission("Sở A", so(300, 100, 50, 400), 0),  # 850 → 0.8500
        Submission("Sở B", so(200, 100, 50, 400, thuong=50), 1),  # 800 → 0.8000
        Submission("Sở C", so(300, 100, 50, 450, tru=-50), 2),  # 850 → 0.8500, ties Sở A
        Submission("Sở D", so(300, 120, 80, 500), 3),  # 1000 but not ranked
        Submission("Xã Một", {"cq": D(40), "kt": D(10), "xh": D(27)}, 4),  # 0.750
        Submission("Xã Hai", {"cq": D(50), "kt": D(0), "xh": D(0)}, 5),  # 2/4 = 0.500
    ]
    return assessment, rank_all(subs, assessment)


def test_ranks_by_index_shared_and_unranked_units_last(tmp_path):
    _, (so_group, xa_group) = results(tmp_path)
    rows = [(r.stt, r.rank, r.unit, r.index, r.grade) for r in so_group.rows]
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
    assert so_table.rows[3][0] == "-"  # Sở D: assessed, not ranked
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
