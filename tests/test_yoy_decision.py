"""Year over year in the decision and its annex (issue 12): the annex columns `change`,
`previous_rank` and `previous_total` when the config asks for them.

The 2020 assessment is `test_yoy.assessment_2020` (a reordering, Sở Tài chính taking in Sở
Kế hoạch và Đầu tư, the renamed Chu Lai board, the new Sở Du lịch). Every expected cell below
is written out by hand from the 2019 annex (samples/quang-nam-2019/annex-2019.tsv) and the
2020 totals of that test."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from reportgen import build as api
from reportgen.cli import app
from tests.test_docx_schema import problems
from tests.test_yoy import RENAMED, assessment_2020
from tests.test_yoy import built_2019 as built_2019  # noqa: F401 (a fixture)

runner = CliRunner()
YOY_COLUMNS = (
    '["stt", "name", "criteria", "total", "grade", "previous_rank", "previous_total", "change"]'
)


def with_annex(folder: Path, columns: str, extra: str = "") -> Path:
    """The 2020 assessment with `annex.columns` (and more `[annex]` keys) set."""
    path = folder / "assessment.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("landscape = false\n", f"landscape = true\ncolumns = {columns}\n{extra}")
    path.write_text(text, encoding="utf-8")
    return folder


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def built_yoy(tmp_path_factory, built_2019):  # noqa: F811
    folder = with_annex(assessment_2020(tmp_path_factory.mktemp("yoy") / "qn2020"), YOY_COLUMNS)
    out = folder.parent / "out"
    result = runner.invoke(
        app,
        ["build", str(folder), "--previous", str(built_2019 / "ket-qua.json"), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    return folder, out


# unit → (previous rank, previous total, change) as the decision prints them — by hand
EXPECTED_DOCX = {
    "Sở Y tế": ("15", "89,5", "▲ 14"),
    "Sở Giao thông vận tải": ("1", "99,5", "▼ 1"),
    "Sở Tài chính": ("", "", "Sáp nhập từ Sở Kế hoạch và Đầu tư"),
    "Sở Du lịch": ("", "", "Mới"),
    RENAMED: ("13", "90", "▲ 1"),  # the Chu Lai board's 2019 rank and total
    "Sở Khoa học và Công nghệ": ("15", "89,5", "="),
    "Ban Dân tộc": ("20", "80", "▲ 1"),
}


def test_the_decisions_annex_shows_last_years_rank_total_and_the_change(built_yoy):
    _, out = built_yoy
    document = docx.Document(str(out / "quyet-dinh.docx"))
    so_nganh, huyen = document.tables[-2:]
    rows = cells(so_nganh)
    assert rows[0][-4:] == [
        "Xếp loại",
        "Xếp hạng năm 2019",
        "Tổng điểm năm 2019",
        "Thay đổi thứ hạng so với năm 2019",
    ]
    by_unit = {row[1]: row for row in rows[1:]}
    assert len(by_unit) == 19
    for unit, expected in EXPECTED_DOCX.items():
        assert tuple(by_unit[unit][-3:]) == expected, unit
    assert "Sở Ngoại vụ" not in by_unit  # gone: not in this year's table
    districts = {row[1]: row[-3:] for row in cells(huyen)[1:]}
    assert districts["Huyện Phước Sơn"] == ["18", "74,5", "▲ 16"]
    assert districts["Thành phố Hội An"][-1] == "="
    assert districts["Thành phố Tam Kỳ"][-1] == "▼ 1"


def test_the_decision_with_the_change_columns_validates(built_yoy):
    _, out = built_yoy
    assert problems(out / "quyet-dinh.docx") == []


def test_the_annex_workbook_has_the_same_columns_with_numbers_and_a_plain_equals(built_yoy):
    _, out = built_yoy
    wb = openpyxl.load_workbook(out / "phu-luc.xlsx")
    ws = wb["Sở, Ban, ngành"]
    header = [c.value for c in ws[4]]
    assert header[-3:] == [
        "Xếp hạng năm 2019",
        "Tổng điểm năm 2019",
        "Thay đổi thứ hạng so với năm 2019",
    ]
    rows = {r[1]: r[-3:] for r in ws.iter_rows(min_row=5, values_only=True) if r[1]}
    assert rows["Sở Y tế"] == (15, 89.5, "▲ 14")
    assert rows["Sở Tài chính"] == (None, None, "Sáp nhập từ Sở Kế hoạch và Đầu tư")
    assert rows["Sở Du lịch"] == (None, None, "Mới")
    assert rows["Sở Khoa học và Công nghệ"] == (15, 89.5, "=")  # not "'=", not a formula
    same = next(r for r in ws.iter_rows(min_row=5) if r[1].value == "Sở Khoa học và Công nghệ")
    assert same[-1].data_type == "s"  # a string cell
    comparison = {r[0]: r for r in wb["So với năm 2019"].iter_rows(values_only=True) if r[0]}
    assert comparison["Sở Xây dựng"][5] == "="  # the comparison sheet's mark too


def test_build_refuses_the_change_columns_without_a_previous_year(tmp_path):
    folder = with_annex(assessment_2020(tmp_path / "qn2020"), '["stt", "name", "total", "change"]')
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(folder), "--out", str(out)])
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "assessment.toml" in message and "Traceback" not in message
    assert "annex.columns: cột 'change' cần kết quả năm trước" in message
    assert 'previous = "' in message and "build --previous" in message
    assert not out.exists()
    checked = runner.invoke(app, ["validate", str(folder), "--out", str(tmp_path / "v")])
    assert checked.exit_code == 0, checked.output  # validate renders nothing: no need


def test_a_previous_key_in_the_config_is_enough(tmp_path, built_2019):  # noqa: F811
    folder = assessment_2020(tmp_path / "qn2020", previous=str(built_2019 / "ket-qua.json"))
    with_annex(folder, '["stt", "name", "total", "change"]')
    assert api.build(folder, out=tmp_path / "out").ok


def test_a_heading_from_the_config_may_name_last_year(tmp_path, built_2019):  # noqa: F811
    folder = assessment_2020(tmp_path / "qn2020", previous=str(built_2019 / "ket-qua.json"))
    with_annex(
        folder,
        '["rank", "name", "total", "previous_rank", "change"]',
        '[annex.headings]\nchange = "So với năm {year}"\nprevious_rank = "Hạng cũ"\n',
    )
    assert api.build(folder, out=tmp_path / "out").ok
    table = docx.Document(str(tmp_path / "out" / "quyet-dinh.docx")).tables[-2]
    assert cells(table)[0] == ["Xếp hạng", "Tên đơn vị", "Tổng", "Hạng cũ", "So với năm 2019"]
    assert cells(table)[1] == ["1", "Sở Y tế", "99", "15", "▲ 14"]
