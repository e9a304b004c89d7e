"""The decision as PDF, converted by LibreOffice headless when it is installed.

Each conversion runs with its own LibreOffice profile in a temporary folder (so it neither
touches nor waits on a user's open LibreOffice) and a timeout that grows with the document.
PDFs are not byte-identical from run to run (LibreOffice stamps the time); the .docx is the
reproducible output.

LibreOffice's life is tied to reportgen's. It runs under a small guard process (`GUARD`) in
a process group of its own: whatever way reportgen ends — an error, Ctrl-C, SIGTERM, or
SIGKILL, where no code of ours runs (the guard learns of it through Linux's
PR_SET_PDEATHSIG, or by polling its parent elsewhere) — the guard kills LibreOffice's whole
process group (soffice and soffice.bin) and removes the temporary folder with the draft."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

TIMEOUT_S = 120  # for a small decision; more for a large one (`timeout_for`)
SECONDS_PER_MB = 120  # 5000 units (~1,5 MB of .docx) took 89 s on 2 cores
WINDOWS_PATHS = (
    Path(r"C:\Program Files\LibreOffice\program\soffice.exe"),
    Path(r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"),
)
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# Run as `python -c GUARD FOLDER PARENT_PID TIMEOUT COMMAND...`: start COMMAND in a process
# group of its own, wait for it up to TIMEOUT s, and on any end — its own, a signal, the
# parent's death — kill that group and, unless COMMAND succeeded, remove FOLDER. Exit 124 on
# timeout.
GUARD = r"""
import os, shutil, signal, subprocess, sys, time
folder, parent, timeout, command = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
signals = {getattr(signal, n) for n in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, n)}
masking = hasattr(signal, "pthread_sigmask")
proc = None
def stop(code):
    if proc is not None:
        try:
            os.killpg(proc.pid, signal.SIGKILL) if os.name != "nt" else proc.kill()
        except OSError:
            pass
    if code:
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(code)
for number in signals:
    signal.signal(number, lambda *_: stop(143))
if masking:  # blocked since before exec: a signal can only arrive once `proc` is known
    signal.pthread_sigmask(signal.SIG_BLOCK, signals)
if os.getppid() != parent:  # reportgen died before we could watch it
    stop(143)
proc = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE, start_new_session=os.name != "nt",
                        preexec_fn=(lambda: signal.pthread_sigmask(signal.SIG_UNBLOCK, signals))
                        if masking else None)
if masking:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)
deadline = time.monotonic() + timeout
while proc.poll() is None:
    if time.monotonic() > deadline:
        stop(124)
    if os.getppid() != parent:  # reportgen died without a signal reaching us
        stop(143)
    time.sleep(0.1)
sys.stderr.write(proc.stderr.read().decode("utf-8", "replace")[-2000:])
stop(0 if proc.returncode == 0 else 1)
"""


class PdfError(Exception):
    """The PDF could not be made; the message says why and what to do."""


def find_soffice() -> Path | None:
    """LibreOffice's `soffice` (or `libreoffice`) on PATH, or in its usual Windows folder."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((p for p in WINDOWS_PATHS if os.name == "nt" and p.is_file()), None)


def available() -> bool:
    return find_soffice() is not None


def timeout_for(docx: bytes) -> float:
    """Seconds LibreOffice may take for a document of this size."""
    return TIMEOUT_S + SECONDS_PER_MB * len(docx) / 1_000_000


def docx_to_pdf(docx: bytes, timeout: float | None = None) -> bytes:
    """Convert .docx bytes to PDF bytes, or raise `PdfError`. Nothing is left behind on
    any exit: no LibreOffice process, no temporary folder."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(
            "Không tìm thấy LibreOffice (soffice) nên không tạo được PDF. Cài LibreOffice "
            "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui fonts-liberation2) "
            "hoặc bỏ tùy chọn --pdf."
        )
    timeout = timeout_for(docx) if timeout is None else timeout
    work = Path(tempfile.mkdtemp(prefix="reportgen-pdf-"))
    guard = None
    try:
        source = work / "quyet-dinh.docx"
        source.write_bytes(docx)
        command = [
            str(soffice),
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "pdf"),
            str(source),
        ]
        # LibreOffice's own temporary files (/tmp/lu<pid>….tmp) go inside `work` too, so the
        # guard removes them with it on any end, kill -9 of reportgen included
        temp = work / "tmp"
        temp.mkdir()
        env = {**os.environ, "TMPDIR": str(temp), "TMP": str(temp), "TEMP": str(temp)}
        try:
            guard = subprocess.Popen(
                [sys.executable, "-c", GUARD, str(work), str(os.getpid()), str(timeout), *command],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=os.name != "nt",
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        except OSError as exc:
            raise PdfError(f"Không chạy được LibreOffice ({soffice}): {exc}") from None
        _, stderr = guard.communicate()
        if guard.returncode == 124:
            raise PdfError(f"LibreOffice không chuyển xong sang PDF sau {timeout:g} giây; đã dừng.")
        target = work / "pdf" / "quyet-dinh.pdf"
        if guard.returncode != 0 or not target.is_file():
            detail = stderr.decode("utf-8", "replace").strip()
            raise PdfError(
                f"LibreOffice không tạo được PDF (mã {guard.returncode})"
                + (f": {detail.splitlines()[-1]}" if detail else ".")
            )
        return target.read_bytes()
    finally:  # an error, Ctrl-C: stop the guard (it stops LibreOffice), remove the folder
        if guard is not None and guard.poll() is None:
            _stop(guard)
        shutil.rmtree(work, ignore_errors=True)


def _die_with_parent() -> None:  # pragma: no cover — runs in the child, before exec
    """Linux: have the kernel send SIGTERM to the guard when reportgen dies, however; the
    signal waits, blocked, until the guard has its handler (the mask survives exec)."""
    import ctypes

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the guard also polls its parent


def _stop(guard: subprocess.Popen) -> None:
    """Ask the guard to stop (it kills LibreOffice's group and cleans up), then wait."""
    try:
        guard.send_signal(signal.SIGTERM)
        guard.wait(timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        guard.kill()
        guard.wait()
