"""Start-up imports only what a command needs (issue 14): the progress bar loads only on a
terminal, typer's rich help only for a help screen or a usage error (`clihelp` makes it
Vietnamese when typer imports it), xlrd only for an .xls with an empty score cell, rapidfuzz
only to suggest a name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE

LAZY = ("rich.progress", "typer.rich_utils", "xlrd", "rapidfuzz")
PROBE = (
    "import sys, runpy\n"
    "sys.argv = ['reportgen', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('reportgen', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    f"print(sorted(m for m in {LAZY!r} if m in sys.modules))\n"
)


def loaded(*args: str, cwd: Path) -> str:
    """The lazy modules a command loaded, run from `cwd` (where a command writes its
    default outputs: a test's own folder, never the repository)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd
    )
    return done.stdout.strip().splitlines()[-1]


def test_a_piped_check_of_xlsx_loads_no_progress_bar_rich_help_or_xlrd(tmp_path):
    assert loaded("validate", str(SAMPLE), cwd=tmp_path) == "[]"
    assert list(tmp_path.glob("out/*/bao-cao-kiem-tra.xlsx"))  # written here, not in the repo


def test_a_build_with_every_name_known_loads_no_fuzzy_matcher(tmp_path):
    """rapidfuzz is for suggestions: a unit name or template name nobody knows."""
    assert loaded("build", str(SAMPLE), "--out", str(tmp_path / "o"), cwd=tmp_path) == "[]"


def test_help_still_speaks_vietnamese():
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", "--help"], capture_output=True, text=True
    )
    assert "Tùy chọn" in done.stdout and "Cách dùng" in done.stdout


def test_a_usage_error_is_still_vietnamese():
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", "--khong-co"], capture_output=True, text=True
    )
    assert "không có tùy chọn --khong-co" in done.stderr and "Lỗi" in done.stderr
