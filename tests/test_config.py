from pathlib import Path

import pytest

from reportgen import config
from tests.conftest import SAMPLE


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
