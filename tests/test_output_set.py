"""The outputs are replaced as one set: a failure at any output leaves the previous set
byte-identical and no staging file; a killed writer is rolled back by the next; concurrent
builds into one folder end with one complete set; a lock keeps writers apart."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.core import outputs
from reportgen.pipeline import build as api
from tests.conftest import ROOT, SAMPLE, SAMPLE_OUTPUTS

runner = CliRunner()
SET = SAMPLE_OUTPUTS
ONE = SAMPLE / "submissions" / "Sở Y tế.xlsx"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def previous(tmp_path) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding a full set from the 2019 sample."""
    out = tmp_path / "out"
    assert api.build(SAMPLE, out=out).ok
    before = snapshot(out)
    assert sorted(before) == SET
    return out, before


def build_other(out: Path):
    """A build whose outputs all differ from the sample's (one unit only)."""
    return runner.invoke(
        app, ["build", str(SAMPLE), str(ONE), "--allow-missing", "--out", str(out)]
    )


def fail_fsync_of(monkeypatch, name: str) -> None:
    """A full disk when the staging copy of `name` is flushed."""
    real = os.fsync

    def fsync(fd):
        if name in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("name", SET)
def test_full_disk_at_any_output_keeps_the_previous_set(previous, monkeypatch, name):
    out, before = previous
    fail_fsync_of(monkeypatch, name)
    result = build_other(out)
    assert result.exit_code == 2 or isinstance(result.exception, OSError), result.output
    assert snapshot(out) == before
    monkeypatch.undo()
    # the CLI names the output, not the staging file
    message = cli_error(FULL_DISK.format(name=name), out)
    assert str(out / name) in message and "No space left" in message
    assert outputs.PREFIX not in message and "Traceback" not in message
    assert snapshot(out) == before


FULL_DISK = textwrap.dedent(
    """
    import errno, os, sys
    real = os.fsync
    def fsync(fd):
        if "{name}" in os.readlink(f"/proc/self/fd/{{fd}}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)
    os.fsync = fsync
    from reportgen.cli import main
    sys.argv = ["reportgen", "build", "samples/quang-nam-2019", "samples/quang-nam-2019/"
                "submissions/Sở Y tế.xlsx", "--allow-missing", "--out", sys.argv[1]]
    main()
    """
)


@pytest.mark.parametrize("name", SET)
def test_a_folder_in_the_way_is_found_before_anything_is_replaced(previous, name):
    out, before = previous
    (out / name).unlink()
    (out / name).mkdir()
    del before[name]
    result = build_other(out)
    assert result.exit_code != 0
    assert isinstance(result.exception, IsADirectoryError)
    assert result.exception.filename == str(out / name)
    assert "thư mục" in result.exception.strerror
    now = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert now == before and (out / name).is_dir()


@pytest.mark.parametrize("failing", range(1, len(SET) + 1))
def test_an_interrupt_between_two_replacements_restores_the_previous_set(
    previous, monkeypatch, failing
):
    out, before = previous
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == failing:
            raise KeyboardInterrupt  # as Ctrl-C would, after `failing - 1` replacements
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        api.build(SAMPLE, [ONE], out=out, allow_missing=True)
    assert snapshot(out) == before


KILLED = textwrap.dedent(
    """
    import os, sys
    real, calls = os.replace, []
    def replace(src, dst):
        calls.append(dst)
        if len(calls) == int(sys.argv[2]):
            os._exit(9)  # killed: no clean-up code runs
        return real(src, dst)
    os.replace = replace
    from reportgen.pipeline import build
    build.build("samples/quang-nam-2019", ["samples/quang-nam-2019/submissions/Sở Y tế.xlsx"],
                out=sys.argv[1], allow_missing=True)
    """
)


@pytest.mark.parametrize("killed_at", [1, 3, 5])
def test_a_writer_killed_between_replacements_is_rolled_back_by_the_next(previous, killed_at):
    out, before = previous
    done = subprocess.run(
        [sys.executable, "-c", KILLED, str(out), str(killed_at)], cwd=ROOT, check=False
    )
    assert done.returncode == 9
    assert any(p.name.startswith(outputs.PREFIX) for p in out.iterdir())  # it was mid-way
    with outputs.folder_lock(out):  # the next writer
        pass
    assert snapshot(out) == before


def test_a_build_without_pdf_removes_a_stale_pdf(previous):
    out, before = previous
    (out / "quyet-dinh.pdf").write_bytes(b"%PDF-1.4 old")
    result = runner.invoke(app, ["build", str(SAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert snapshot(out) == before


def test_a_second_writer_waits_then_says_one_is_running(previous, monkeypatch):
    out, before = previous
    monkeypatch.setattr(outputs, "LOCK_WAIT_S", 0.3)
    with outputs.folder_lock(out):
        message = cli_error(BUSY, out)
    assert "một lần tạo báo cáo khác đang ghi vào thư mục này" in message
    assert "Traceback" not in message
    assert snapshot(out) == before


BUSY = textwrap.dedent(
    """
    import sys
    from reportgen.core import outputs
    outputs.LOCK_WAIT_S = 0.3
    from reportgen.cli import main
    sys.argv = ["reportgen", "build", "samples/quang-nam-2019", "--out", sys.argv[1]]
    main()
    """
)


def test_concurrent_builds_end_with_one_complete_set(tmp_path):
    sample_set = tmp_path / "a"
    other_set = tmp_path / "b"
    assert api.build(SAMPLE, out=sample_set).ok
    assert build_other(other_set).exit_code == 0
    a, b = snapshot(sample_set), snapshot(other_set)
    assert all(a[n] != b[n] for n in SET)
    out = tmp_path / "out"
    reportgen = [sys.executable, "-m", "reportgen", "build", str(SAMPLE)]
    for _ in range(2):
        runs = [
            subprocess.Popen([*reportgen, "--out", str(out)], cwd=ROOT),
            subprocess.Popen(
                [*reportgen, str(ONE), "--allow-missing", "--out", str(out)], cwd=ROOT
            ),
            subprocess.Popen([*reportgen, "--out", str(out)], cwd=ROOT),
        ]
        assert [r.wait(timeout=300) for r in runs] == [0, 0, 0]
        assert snapshot(out) in (a, b)


def cli_error(script: str, out: Path) -> str:
    """Run `script` (a build through the CLI) and return what it printed, on one line; it must
    end with exit code 2."""
    result = subprocess.run(
        [sys.executable, "-c", script, str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "1000"},  # one line per message
        check=False,
    )
    assert result.returncode == 2, result.stderr
    return " ".join(result.stdout.split() + result.stderr.split())
