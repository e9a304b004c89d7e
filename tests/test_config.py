import datetime as dt
from pathlib import Path

import pytest

from reportgen import config
from tests.conftest import ROOT, SAMPLE


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "assessment.toml"
    path.write_text(text, encoding="utf-8")
    return path


def sample_text() -> str:
    return (SAMPLE / "assessment.toml").read_text(encoding="utf-8")


def test_sample_loads(assessment):
    assert [c.max for c in assessment.criteria] == [10, 36, 36, 8, 10]
    assert assessment.max_total == 100
    assert [len(g.units) for g in assessment.groups] == [20, 18]


def problems(tmp_path, text) -> list[str]:
    with pytest.raises(config.ConfigError) as info:
        config.load(write(tmp_path, text))
    return info.value.problems


def test_missing_key_is_named(tmp_path):
    text = sample_text().replace('symbol = "QĐ-UBND"\n', "")
    assert problems(tmp_path, text) == ["decision.symbol: thiếu khóa bắt buộc"]


def test_misspelt_key_is_named(tmp_path):
    text = sample_text().replace("tie_break =", "tiebreak =")
    assert problems(tmp_path, text) == ["scoring.tiebreak: khóa không được hỗ trợ (viết sai tên?)"]


def test_wrong_value_is_named(tmp_path):
    text = sample_text().replace("max = 36", 'max = "nhiều"', 1)
    assert problems(tmp_path, text)[0].startswith("criteria.1.max:")


def test_grade_bands_out_of_order(tmp_path):
    text = sample_text().replace("min = 65", "min = 95")
    assert "grades" in problems(tmp_path, text)[0]


def test_duplicate_unit(tmp_path):
    text = sample_text().replace('"Huyện Phước Sơn",', '"Huyện Phước Sơn", "Huyện phước  sơn",')
    assert problems(tmp_path, text) == [
        "đơn vị 'Huyện Phước Sơn' (khối huyen) và đơn vị 'Huyện phước sơn' (khối huyen) trùng "
        "nhau khi so khớp tên đơn vị (không tính hoa/thường, dấu câu, 'UBND', 'TP.'): một tên "
        "chỉ được chỉ một đơn vị."
    ]


def test_bad_toml_and_missing_file(tmp_path):
    assert problems(tmp_path, "title = ")[0].startswith("cú pháp TOML sai")
    with pytest.raises(config.ConfigError):
        config.load(tmp_path / "nowhere")


# Vietnamese for every problem: never tomllib's or pydantic's English.

ENGLISH = ("Input should", "Field required", "valid", "Expected", "Invalid", "line ", "error")


def vietnamese_only(lines: list[str]) -> None:
    for line in lines:
        assert not any(word in line for word in ENGLISH), line


def test_wrong_date_says_how_to_write_it(tmp_path):
    text = sample_text().replace("date = 2020-01-07", 'date = "32/01/2020"')
    lines = problems(tmp_path, text)
    assert lines == [
        'decision.date: ngày phải viết dạng 2020-01-07 (hoặc "07/01/2020": ngày trước, trong '
        "dấu nháy) (đang ghi: 32/01/2020)"
    ]


@pytest.mark.parametrize("date", ['"07/01/2020"', '"7/1/2020"', '"2020-01-07"'])
def test_number_and_date_as_typed_in_notepad(tmp_path, date):
    """What a clerk gets by replacing only the blank `init` left between the quotes."""
    text = sample_text().replace("number = 52", 'number = "52"')
    text = text.replace("date = 2020-01-07", f"date = {date}")
    path = tmp_path / "assessment.toml"
    path.write_text(text, encoding="utf-8")
    decision = config.load(path).decision
    assert (decision.number, decision.date) == (52, dt.date(2020, 1, 7))


def test_a_decision_given_as_the_assessment_is_named(tmp_path):
    """`reportgen validate quyet-dinh.docx`: what the file is, not Python's codec error."""
    docx = tmp_path / "quyet-dinh.docx"
    docx.write_bytes((ROOT / "templates" / "quyet-dinh.docx").read_bytes())
    with pytest.raises(config.ConfigError) as raised:
        config.load(docx)
    (line,) = raised.value.problems
    assert "tài liệu Word" in line and "utf-8" not in line and "assessment.toml" in line


def test_wrong_integer_is_named(tmp_path):
    text = sample_text().replace("number = 52", 'number = "52a"')
    lines = problems(tmp_path, text)
    assert lines == [
        'decision.number: phải là một số nguyên (đang ghi: "52a" — số và true/false viết không'
        " có dấu nháy)"
    ]
    lines = problems(tmp_path, sample_text().replace("number = 52", "number = 0"))
    assert lines == ["decision.number: phải từ 1 trở lên (đang ghi: 0)"]


def test_wrong_choice_lists_the_choices_in_vietnamese(tmp_path):
    text = sample_text().replace('tie_break = "alphabetical"', 'tie_break = "abc"')
    (line,) = problems(tmp_path, text)
    assert line.startswith("scoring.tie_break: phải là một trong: 'alphabetical' hoặc")
    vietnamese_only([line])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title = ", "cú pháp TOML sai ở cuối tệp: giá trị sai"),
        ("year = 20 19\n", "cú pháp TOML sai ở dòng 1, cột 11: sau một giá trị phải xuống dòng"),
        ("title = 'a'\ntitle = 'b'\n", "cú pháp TOML sai ở dòng 2, cột 12: một khóa được ghi"),
        ("[decision\n", "cú pháp TOML sai ở dòng 1, cột 10: thiếu dấu ']'"),
        ('title = "a\n', "cú pháp TOML sai ở dòng 1, cột 11: chuỗi chữ chưa đóng dấu nháy"),
        ("a = [1, 2\n", "cú pháp TOML sai ở cuối tệp: danh sách chưa đóng"),
        ("title\n", "cú pháp TOML sai ở dòng 1, cột 6: thiếu dấu '='"),
    ],
)
def test_toml_syntax_errors_in_vietnamese(tmp_path, text, expected):
    (line,) = problems(tmp_path, text)
    assert line.startswith(expected), line
    vietnamese_only([line])


def test_every_pydantic_error_kind_has_a_vietnamese_line():
    import typing

    from pydantic_core import core_schema

    from reportgen.config.messages import describe

    for kind in typing.get_args(core_schema.ErrorType):
        err = {"type": kind, "loc": ("a", 0), "msg": "Input should be English", "input": 1}
        line = describe(err)
        assert line.startswith("a.0: ") and "English" not in line, kind
        vietnamese_only([line])
