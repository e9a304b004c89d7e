"""Config values are taken as written: control characters, quoted numbers and "yes" for
true are errors naming the key (exit 2), never coerced or passed on to a writer."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen import config
from reportgen.cli import app
from tests.conftest import SAMPLE

runner = CliRunner()


def sample_text() -> str:
    return (SAMPLE / "assessment.toml").read_text(encoding="utf-8")


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = sample_text()
    assert old in text
    (tmp_path / "assessment.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def problems(folder: Path) -> list[str]:
    with pytest.raises(config.ConfigError) as info:
        config.load(folder)
    return info.value.problems


SUMMARY = 'summary = "Phê duyệt'


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            SUMMARY,
            'summary = "a\\u0007b Phê duyệt',
            "decision.summary: có ký tự điều khiển không in được (\\x07): hãy xóa ký tự đó",
        ),
        (
            SUMMARY,
            'summary = "\\u001b]0;pwned\\u0007 Phê duyệt',
            "decision.summary: có ký tự điều khiển không in được (\\x1b, \\x07): hãy xóa ký tự đó",
        ),
        (
            '"Sở Y tế"',
            '"Sở Y\\u0001 tế"',
            "có ký tự điều khiển không in được (\\x01): hãy xóa ký tự đó",
        ),
        (
            "year = 2019",
            'year = "2019"',
            'year: phải là một số nguyên (đang ghi: "2019" — số và true/false viết không có'
            " dấu nháy)",
        ),
        ("year = 2019", "year = 2019.0", "year: phải là một số nguyên (đang ghi: 2019.0)"),
        ("year = 2019", "year = true", "year: phải là một số nguyên (đang ghi: True)"),
        (
            "landscape = false",
            'landscape = "yes"',
            'annex.landscape: phải là true hoặc false (đang ghi: "yes" — số và true/false viết'
            " không có dấu nháy)",
        ),
        ("landscape = false", "landscape = 0", "annex.landscape: phải là true hoặc false"),
        (
            "max = 10",
            'max = "10"',
            'criteria.0.max: phải là một số (ví dụ 36 hoặc 0.5) (đang ghi: "10"',
        ),
        ("max = 10", "max = true", "criteria.0.max: phải là một số (ví dụ 36 hoặc 0.5)"),
        (
            "min = 80",
            "min = 101",
            "grades: mức 'Tốt' cần tổng điểm từ 101 trở lên, cao hơn tổng điểm tối đa 100",
        ),
    ],
)
def test_config_value_is_refused_naming_the_key(tmp_path, old, new, expected):
    folder = edited(tmp_path, old, new)
    found = problems(folder)
    assert any(expected in line for line in found), found
    result = runner.invoke(app, ["validate", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("new", "expected"), [("max = 10.5", "10.5"), ("max = 10", "10")])
def test_numbers_stay_numbers(tmp_path, new, expected):
    loaded = config.load(edited(tmp_path, "max = 10", new))
    assert loaded.criteria[0].max == Decimal(expected)
    assert str(loaded.criteria[0].max) == expected


def test_a_band_at_the_maximum_is_reachable(tmp_path):
    loaded = config.load(edited(tmp_path, "min = 80", "min = 100"))
    assert loaded.grades[0].min == 100


def test_tabs_and_line_breaks_are_not_control_characters(tmp_path):
    loaded = config.load(edited(tmp_path, SUMMARY, 'summary = "Phê\\tduyệt\\n'))
    assert loaded.decision.summary.startswith("Phê duyệt")
