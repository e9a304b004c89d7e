"""What the clerk sees on the console: findings on stdout, one per line when piped (never
wrapped), JSON on request, a screenful at most, and text from inputs never raw."""

import json
import os
import shutil
import subprocess
import sys

from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.cli.console import PIPED_LIMIT
from tests import builders
from tests.conftest import SAMPLE, SAMPLE_OUTPUTS

runner = CliRunner()
XD = "Sở Xây dựng"


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "40"}  # a narrow terminal would wrap a table
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def _with_bad_score(tmp_path, assessment):
    folder = tmp_path / "nop"
    shutil.copytree(SAMPLE / "submissions", folder)
    builders.form(folder, assessment, XD, {"D9": 37})
    return folder


def test_piped_findings_are_one_line_each_on_stdout(tmp_path, assessment):
    folder = _with_bad_score(tmp_path, assessment)
    result = _run("validate", str(SAMPLE), str(folder), "--out", str(tmp_path / "o"))
    assert result.returncode == 3
    lines = [line for line in result.stdout.splitlines() if XD in line]
    assert lines[0] == (
        f"{XD}.xlsx!Phiếu chấm điểm!D9: lỗi SCORE_ABOVE_MAX: {XD}: Điểm tiêu chí "
        "'Ứng dụng CNTT trong hoạt động nội bộ cơ quan' là 37, vượt điểm tối đa 36."
    )
    assert "┃" not in result.stdout and "│" not in result.stdout
    assert "SCORE_ABOVE_MAX" not in result.stderr
    assert result.stdout.rstrip().endswith(
        "báo cáo: " + str(tmp_path / "o" / "bao-cao-kiem-tra.xlsx")
    )


def test_validate_json(tmp_path, assessment):
    folder = _with_bad_score(tmp_path, assessment)
    result = _run("validate", str(SAMPLE), str(folder), "--json", "--out", str(tmp_path))
    assert result.returncode == 3
    document = json.loads(result.stdout)  # one JSON document and nothing else
    assert document["ok"] is False
    (above,) = [f for f in document["findings"] if f["code"] == "SCORE_ABOVE_MAX"]
    assert (above["file"], above["sheet"], above["cell"], above["unit"]) == (
        f"{XD}.xlsx",
        "Phiếu chấm điểm",
        "D9",
        XD,
    )
    units = {u["unit"]: u for u in document["units"]}
    assert len(units) == 38
    assert (units[XD]["status"], units[XD]["status_text"], units[XD]["errors"]) == (
        "needs-fix",
        "Cần sửa",
        1,
    )
    assert units["Sở Y tế"]["status"] == "ok"
    assert document["outputs"] == [str(tmp_path / "bao-cao-kiem-tra.xlsx")]


def test_build_json_lists_the_outputs(tmp_path):
    result = _run("build", str(SAMPLE), "--json", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["ok"] is True and document["findings"] == []
    assert sorted(os.path.basename(p) for p in document["outputs"]) == SAMPLE_OUTPUTS
    assert {u["status"] for u in document["units"]} == {"ok"}


def test_escape_sequences_from_a_workbook_are_shown_escaped(tmp_path, assessment):
    folder = tmp_path / "nop"
    folder.mkdir()
    hostile = "Sở Xây dựng_x001B_]0;pwned_x0007__x001B_[2J"  # as Excel stores ESC and BEL
    builders.form(folder, assessment, XD, {"B3": hostile})
    result = _run("build", str(SAMPLE), str(folder), "--out", str(tmp_path / "o"))
    assert result.returncode == 3
    assert "\x1b" not in result.stdout + result.stderr
    assert "\x07" not in result.stdout + result.stderr
    assert "Sở Xây dựng\\x1b]0;pwned\\x07\\x1b[2J" in result.stdout
    assert "Traceback" not in result.stderr


def test_markup_like_names_and_paths_print_as_written(tmp_path):
    folder = tmp_path / "x[" / "]y [bold]"
    folder.mkdir(parents=True)
    text = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    (folder / "assessment.toml").write_text(
        text.replace('name = "Sở, Ban, ngành"', 'name = "Sở x[/]y"'), encoding="utf-8"
    )
    out = tmp_path / "o[/]"
    for run in (_run, lambda *a: runner.invoke(app, list(a))):
        result = run("build", str(folder), str(SAMPLE / "submissions"), "--out", str(out))
        stdout = result.stdout if hasattr(result, "stdout") else result.output
        assert getattr(result, "returncode", getattr(result, "exit_code", None)) == 0, stdout
        assert "Sở x[/]y: 20 đơn vị" in stdout
        assert f"đã ghi {out / 'quyet-dinh.docx'}" in stdout


def test_at_most_a_screenful_with_a_count_of_the_rest(tmp_path, assessment):
    rows = [[i, f"Đơn vị lạ số {i}", 10, 30, 20, 8, 8] for i in range(1, 151)]
    path = builders.table(tmp_path, rows, header=["STT", "Tên đơn vị", *builders.LABELS])
    result = _run("validate", str(SAMPLE), str(path), "--json", "--out", str(tmp_path))
    everything = json.loads(result.stdout)["findings"]
    assert len(everything) == 150 + 38  # unknown units, and every registered unit missing
    result = _run("validate", str(SAMPLE), str(path), "--out", str(tmp_path))
    assert result.returncode == 3
    finding_lines = [line for line in result.stdout.splitlines() if ": lỗi " in line]
    assert len(finding_lines) == PIPED_LIMIT
    rest = len(everything) - PIPED_LIMIT
    assert f"… và {rest} phát hiện khác ({rest} lỗi, 0 cảnh báo): tất cả có trong" in result.stdout
