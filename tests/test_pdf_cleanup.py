"""`build --pdf` leaves nothing behind, however it ends: no LibreOffice process, no
temporary folder with the draft — after an error, a timeout, Ctrl-C, SIGTERM or SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.render import pdf
from tests.conftest import ROOT, SAMPLE

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def processes_with(marker: str) -> dict[int, int]:
    """pid → process group of every process whose command line holds `marker`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
            pgid = os.getpgid(int(entry.name))
        except (OSError, ProcessLookupError):
            continue
        if marker in cmdline and int(entry.name) != os.getpid():
            found[int(entry.name)] = pgid
    return found


def alive_in(groups: set[int]) -> list[int]:
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if stat[0] != "Z" and int(stat[2]) in groups:  # state, ppid, pgrp
                alive.append(int(entry.name))
    return alive


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """A TMPDIR of the test's own: its folders and processes are recognisably ours."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    return tmp


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch) -> Path:
    """A stand-in for soffice that never finishes and, like soffice, runs a child of its own
    (soffice.bin) that would outlive it."""
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\nsleep 300 &\nsleep 300\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    return script


@pytest.fixture
def fake_soffice_with_temp(fake_soffice) -> Path:
    """`fake_soffice` that first makes a folder in $TMPDIR, as LibreOffice makes its own
    /tmp/lu<pid>….tmp."""
    text = '#!/bin/sh\nmkdir -p "${TMPDIR:-/tmp}/lu$$.tmp"\nsleep 300 &\nsleep 300\n'
    fake_soffice.write_text(text, encoding="utf-8")
    return fake_soffice


def start_build(tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "reportgen", "build", str(SAMPLE), "--pdf", "--out",
         str(tmp_path / "out")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # A test run started in the background (`make test &`) inherits an ignored SIGINT,
        # and Python then installs no KeyboardInterrupt handler: give the build Ctrl+C back.
        preexec_fn=_default_sigint,
    )  # fmt: skip


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def kill_mid_conversion(tmp_path, private_tmp, how: signal.Signals, converter: str) -> None:
    build = start_build(tmp_path)
    marker = str(private_tmp)
    try:
        assert wait_for(lambda: any(converter in _cmd(p) for p in processes_with(marker)), 60)
        groups = set(processes_with(marker).values())
        build.send_signal(how)
        build.wait(timeout=30)
        assert wait_for(lambda: not alive_in(groups) and not processes_with(marker), 20), (
            processes_with(marker)
        )
        assert wait_for(lambda: not any(private_tmp.iterdir()), 10), list(private_tmp.iterdir())
        assert not (tmp_path / "out").exists()  # nothing written either
    finally:
        if build.poll() is None:
            build.kill()
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)


def _cmd(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_killed_build_leaves_no_converter_and_no_folder(tmp_path, private_tmp, fake_soffice, how):
    kill_mid_conversion(tmp_path, private_tmp, how, "bin/soffice")


def test_libreoffices_own_temporary_folder_goes_with_a_killed_build(
    tmp_path, private_tmp, fake_soffice_with_temp
):
    kill_mid_conversion(tmp_path, private_tmp, signal.SIGKILL, "bin/soffice")


def test_sigkill_during_a_real_libreoffice_conversion(tmp_path, private_tmp):
    if not pdf.available():
        if os.environ.get("REPORTGEN_REQUIRE_PDF"):
            pytest.fail("LibreOffice missing although CI requires it")
        pytest.skip("LibreOffice (soffice) not installed")
    kill_mid_conversion(tmp_path, private_tmp, signal.SIGKILL, "soffice.bin")


def test_a_timeout_stops_the_converter_and_removes_the_folder(private_tmp, fake_soffice):
    with pytest.raises(pdf.PdfError, match="sau 0.5 giây"):
        pdf.docx_to_pdf(b"PK", timeout=0.5)
    assert wait_for(lambda: not processes_with(str(private_tmp)), 10)
    assert not any(private_tmp.iterdir())


def test_a_failed_conversion_removes_the_folder(private_tmp, tmp_path, monkeypatch):
    failing = tmp_path / "soffice"
    failing.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    failing.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: failing)
    with pytest.raises(pdf.PdfError, match="could not be loaded"):
        pdf.docx_to_pdf(b"PK")
    assert not any(private_tmp.iterdir())


def test_the_timeout_grows_with_the_document():
    assert pdf.timeout_for(b"x" * 50_000) == pytest.approx(126)
    assert pdf.timeout_for(b"x" * 1_500_000) == pytest.approx(300)
