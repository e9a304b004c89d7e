import subprocess
import sys

from typer.testing import CliRunner

from reportgen import __version__
from reportgen.cli import app
from tests.conftest import SAMPLE

runner = CliRunner()


def test_version_and_help():
    assert runner.invoke(app, ["--version"]).output.strip() == f"reportgen {__version__}"
    result = runner.invoke(app, ["build", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_python_dash_m():
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and __version__ in result.stdout


def test_build_writes_outputs(tmp_path):
    result = runner.invoke(app, ["build", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bao-cao-kiem-tra.xlsx",
        "ket-qua.csv",
        "ket-qua.json",
        "phu-luc.xlsx",
        "quyet-dinh.docx",
    ]


def test_config_error_exits_2_without_traceback(tmp_path):
    (tmp_path / "assessment.toml").write_text("title = 'x'\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(tmp_path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "year: thiếu khóa bắt buộc" in result.output


def test_blocking_findings_exit_3_and_write_nothing(tmp_path):
    one = SAMPLE / "submissions" / "Sở Y tế.xlsx"
    result = runner.invoke(app, ["build", str(SAMPLE), str(one), "--out", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "UNIT_MISSING" in result.output
    assert not (tmp_path / "o").exists()


def test_allow_missing_renders_the_units_that_sent(tmp_path):
    one = SAMPLE / "submissions" / "Sở Y tế.xlsx"
    result = runner.invoke(
        app, ["build", str(SAMPLE), str(one), "--allow-missing", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "quyet-dinh.docx").exists()
