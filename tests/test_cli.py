import subprocess
import sys

import pytest
from typer.testing import CliRunner

from reportgen import __version__
from reportgen.cli import app
from tests.conftest import SAMPLE, SAMPLE_OUTPUTS

runner = CliRunner()


def test_version_and_help():
    assert runner.invoke(app, ["--version"]).output.strip() == f"reportgen {__version__}"
    result = runner.invoke(app, ["build", "--help"])
    assert result.exit_code == 0 and "Ví dụ:" in result.output


TYPER_ENGLISH = (
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "default",
    "required",
    "Show this",
    "Example",
    "<path>",
    "<bool>",
    "<list",
    "<text>",
    "<int>",
)


def all_commands() -> list[list[str]]:
    """Every command path of the app: [], ["build"], ..., ["template", "check"]."""
    import typer.main

    paths, todo = [], [([], typer.main.get_command(app))]
    while todo:
        path, command = todo.pop()
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            todo.append(([*path, name], sub))
    return sorted(paths)


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_help_of_every_command_is_vietnamese_with_example_and_defaults(command):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = result.output
    assert "Cách dùng:" in text and "Hiện hướng dẫn này rồi thoát." in text
    for word in TYPER_ENGLISH:
        assert word not in text, word
    leaf = bool(command) and command != ["template"]
    if leaf:
        assert "Ví dụ: reportgen " + " ".join(command) in text
    if "--out" in text:  # every option with a value says its default
        assert "[mặc định:" in text


def test_defaults_are_not_eaten_by_markup():
    text = runner.invoke(app, ["build", "--help"], env={"COLUMNS": "200"}).output
    assert "ĐỢT/submissions" in text and "out/<tên thư mục đợt>" in text


def test_usage_errors_are_vietnamese():
    missing = runner.invoke(app, ["build"])
    assert "thiếu đối số ĐỢT" in missing.output and "Missing" not in missing.output
    unknown = runner.invoke(app, ["build", "x", "--nope"])
    assert "không có tùy chọn --nope" in unknown.output and "No such" not in unknown.output
    assert "không có lệnh 'nonsense'" in runner.invoke(app, ["nonsense"]).output


@pytest.mark.parametrize(
    ("typed", "meant"),
    [(["biuld"], "build"), (["serv"], "serve"), (["build", "x", "--pfd"], "--pdf")],
)
def test_a_mistyped_command_or_option_gets_a_suggestion(typed, meant):
    result = runner.invoke(app, typed, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert f"có phải ý bạn là {meant}?" in result.output and "Did you" not in result.output


@pytest.mark.parametrize("command", [[], ["template"], ["init"], ["serve"], ["template", "check"]])
def test_help_wraps_at_the_terminal_not_mid_sentence(command):
    """On a screen wide enough, each command's description and each paragraph is one line:
    the docstrings' own line breaks (mid-sentence) are gone."""
    text = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "400"}).output
    lines = [line.strip(" │") for line in text.splitlines()]
    for line, following in zip(lines, lines[1:]):
        assert not (line and following and line[-1].isalpha() and following[0].islower()), (
            line,
            following,
        )


def test_validate_a_decision_instead_of_an_assessment_says_what_it_is(tmp_path):
    decision = tmp_path / "quyet-dinh.docx"
    decision.write_bytes((SAMPLE.parent.parent / "templates" / "quyet-dinh.docx").read_bytes())
    result = runner.invoke(app, ["validate", str(decision)])
    assert result.exit_code == 2
    assert "tài liệu Word" in result.output and "codec" not in result.output


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
    assert sorted(p.name for p in tmp_path.iterdir()) == SAMPLE_OUTPUTS


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


def test_validate_exit_codes_and_report(tmp_path, assessment):
    import openpyxl

    from tests import builders

    clean = runner.invoke(app, ["validate", str(SAMPLE), "--out", str(tmp_path / "ok")])
    assert clean.exit_code == 0, clean.output
    report = openpyxl.load_workbook(tmp_path / "ok" / "bao-cao-kiem-tra.xlsx")
    assert report.sheetnames == ["Phát hiện", "Theo đơn vị"]
    assert report["Theo đơn vị"].max_row == 39  # header + 38 units

    bad = builders.form(tmp_path, assessment, "Sở Y tế", {"D9": 37, "B3": "Sở Y tế"})
    result = runner.invoke(app, ["validate", str(SAMPLE), str(bad), "--out", str(tmp_path / "b")])
    assert result.exit_code == 3
    assert "SCORE_ABOVE_MAX" in result.output and "Sở Y tế.xlsx" in result.output
    rows = list(
        openpyxl.load_workbook(tmp_path / "b" / "bao-cao-kiem-tra.xlsx")["Phát hiện"].iter_rows(
            min_row=2, values_only=True
        )
    )
    above = [r for r in rows if r[3] == "SCORE_ABOVE_MAX"]
    assert above and above[0][1:7] == (
        "Sở Y tế",
        "Lỗi",
        "SCORE_ABOVE_MAX",
        "Sở Y tế.xlsx",
        "Phiếu chấm điểm",
        "D9",
    )


def test_validate_strict_counts_warnings(tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(SAMPLE / "tong-hop.xlsx")
    sheet = book.worksheets[0]
    assert sheet["H3"].value == 99.5  # Sở Giao thông vận tải's stated total
    sheet["H3"] = 98
    path = tmp_path / "tong-hop.xlsx"
    book.save(path)
    lenient = runner.invoke(app, ["validate", str(SAMPLE), str(path), "--out", str(tmp_path)])
    assert lenient.exit_code == 0 and "TOTAL_MISMATCH" in lenient.output
    strict = runner.invoke(
        app, ["validate", str(SAMPLE), str(path), "--strict", "--out", str(tmp_path)]
    )
    assert strict.exit_code == 3
    built = runner.invoke(app, ["build", str(SAMPLE), str(path), "--out", str(tmp_path / "o")])
    assert built.exit_code == 0 and (tmp_path / "o" / "quyet-dinh.docx").exists()


def test_usage_error_exits_2():
    assert runner.invoke(app, ["build"]).exit_code == 2
    assert runner.invoke(app, ["nonsense"]).exit_code == 2


def test_forms_command(tmp_path):
    result = runner.invoke(app, ["forms", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.xlsx"))) == 38


def test_no_progress_bar_when_piped(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "validate", str(SAMPLE), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "Đang đọc" not in result.stdout + result.stderr


def test_unwritable_output_folder_is_a_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(SAMPLE), "--out", str(blocker / "x")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Không ghi/đọc được tệp" in result.stderr
