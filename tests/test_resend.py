"""The same file sent twice does not block; two different files for one unit still do."""

import shutil

from typer.testing import CliRunner

from reportgen.cli import app
from tests import builders
from tests.conftest import SAMPLE

runner = CliRunner()
SY = "Sở Y tế"


def _folder(tmp_path):
    folder = tmp_path / "nop"
    shutil.copytree(SAMPLE / "submissions", folder)
    return folder


def test_byte_identical_resend_is_a_warning_and_counts_once(tmp_path):
    folder = _folder(tmp_path)
    shutil.copyfile(folder / f"{SY}.xlsx", folder / f"{SY} (1).xlsx")
    out = tmp_path / "o"
    result = runner.invoke(app, ["build", str(SAMPLE), str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (
        f"{SY} (1).xlsx: cảnh báo FILE_RESENT: Tệp giống hệt từng byte tệp '{SY}.xlsx' "
        "(gửi lại hoặc tải về hai lần): chỉ tính một lần."
    ) in text
    assert "UNIT_DUPLICATE" not in text
    csv = (out / "ket-qua.csv").read_text(encoding="utf-8-sig")
    assert csv.count(f",{SY},") == 1
    strict = runner.invoke(app, ["build", str(SAMPLE), str(folder), "--strict", "--out", str(out)])
    assert strict.exit_code == 3 and "FILE_RESENT" in strict.output


def test_two_different_files_for_one_unit_stay_an_error(tmp_path, assessment):
    folder = _folder(tmp_path)
    builders.form(folder, assessment, SY, {"D8": 9}, name=f"{SY} (1).xlsx")
    result = runner.invoke(app, ["build", str(SAMPLE), str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "UNIT_DUPLICATE" in result.output and "FILE_RESENT" not in result.output
