"""A form whose unit name was typed differently is 'Tên ghi khác', not 'Chưa nộp', and the
message gives both fixes, including the exact line for assessment.toml."""

import shutil

import openpyxl
from typer.testing import CliRunner

from reportgen.cli import app
from tests import builders
from tests.conftest import SAMPLE

runner = CliRunner()
NV = "Sở Nội vụ"
WRITTEN = "Sở Nội Vụ tỉnh Quảng Nam"


def _inputs(tmp_path, assessment):
    folder = tmp_path / "nop"
    shutil.copytree(SAMPLE / "submissions", folder)
    (folder / f"{NV}.xlsx").unlink()
    builders.form(folder, assessment, NV, {"B3": WRITTEN})
    return folder


def _status(report, unit: str) -> str:
    sheet = openpyxl.load_workbook(report)["Theo đơn vị"]
    return next(row[2] for row in sheet.iter_rows(values_only=True) if row[1] == unit)


def test_name_typed_differently_is_not_missing(tmp_path, assessment):
    folder = _inputs(tmp_path, assessment)
    result = runner.invoke(app, ["validate", str(SAMPLE), str(folder), "--out", str(tmp_path)])
    assert result.exit_code == 3, result.output
    text = " ".join(result.output.split())
    assert "UNIT_MISSING" not in text
    assert f"Đơn vị '{WRITTEN}' không có trong danh sách đăng ký. Có phải '{NV}'?" in text
    assert f"sửa ô B3 trong tệp thành '{NV}'" in text
    line = '{ name = "Sở Nội vụ", aliases = ["Sở Nội Vụ tỉnh Quảng Nam"] },'
    assert line in text
    assert _status(tmp_path / "bao-cao-kiem-tra.xlsx", NV) == "Tên ghi khác"
    assert _status(tmp_path / "bao-cao-kiem-tra.xlsx", "Sở Y tế") == "Đạt"

    # the second fix, exactly as the message gives it, makes the form count
    config = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    config = config.replace('{ name = "Sở Nội vụ" },', line)
    (tmp_path / "assessment.toml").write_text(config, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path), str(folder), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _status(tmp_path / "bao-cao-kiem-tra.xlsx", NV) == "Đạt"


def test_a_guess_is_not_taken_for_a_unit_that_sent_its_own_form(tmp_path, assessment):
    folder = _inputs(tmp_path, assessment)
    builders.form(folder, assessment, NV, name="dung-ten.xlsx")
    result = runner.invoke(app, ["validate", str(SAMPLE), str(folder), "--out", str(tmp_path)])
    assert result.exit_code == 3
    text = " ".join(result.output.split())
    assert f"Có phải '{NV}'?" in text and "aliases" not in text
    assert _status(tmp_path / "bao-cao-kiem-tra.xlsx", NV) == "Đạt"


def test_a_loose_guess_leaves_the_unit_missing(tmp_path, assessment):
    folder = tmp_path / "nop"
    shutil.copytree(SAMPLE / "submissions", folder)
    (folder / "Sở Khoa học và Công nghệ.xlsx").unlink()
    builders.form(folder, assessment, "Sở Khoa học và Công nghệ", {"B3": "Sở Khoa học"})
    result = runner.invoke(app, ["validate", str(SAMPLE), str(folder), "--out", str(tmp_path)])
    assert result.exit_code == 3
    assert "UNIT_MISSING" in result.output
    assert _status(tmp_path / "bao-cao-kiem-tra.xlsx", "Sở Khoa học và Công nghệ") == "Chưa nộp"
