"""The decision as PDF, converted by LibreOffice headless when it is installed.

Each conversion runs with its own LibreOffice profile in a temporary folder (so it neither
touches nor waits on a user's open LibreOffice) and a timeout. PDFs are not byte-identical
from run to run (LibreOffice stamps the time); the .docx is the reproducible output."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_S = 120
WINDOWS_PATHS = (
    Path(r"C:\Program Files\LibreOffice\program\soffice.exe"),
    Path(r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"),
)


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


def docx_to_pdf(docx: bytes, timeout: float = TIMEOUT_S) -> bytes:
    """Convert .docx bytes to PDF bytes, or raise `PdfError`."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(
            "Không tìm thấy LibreOffice (soffice) nên không tạo được PDF. Cài LibreOffice "
            "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui fonts-liberation2) "
            "hoặc bỏ tùy chọn --pdf."
        )
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as tmp:
        work = Path(tmp)
        source = work / "quyet-dinh.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        command = [
            str(soffice),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "pdf"),
            str(source),
        ]
        try:
            # its own process group, so a timeout stops soffice.bin too, not only the launcher
            proc = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=work,
                start_new_session=os.name != "nt",
            )
        except OSError as exc:
            raise PdfError(f"Không chạy được LibreOffice ({soffice}): {exc}") from None
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            raise PdfError(
                f"LibreOffice không chuyển xong sang PDF sau {timeout:g} giây; đã dừng."
            ) from None
        target = work / "pdf" / "quyet-dinh.pdf"
        if proc.returncode != 0 or not target.is_file():
            detail = (stderr or stdout).decode("utf-8", "replace").strip()
            raise PdfError(
                f"LibreOffice không tạo được PDF (mã {proc.returncode})"
                + (f": {detail.splitlines()[-1]}" if detail else ".")
            )
        return target.read_bytes()


def _stop(proc: subprocess.Popen) -> None:
    """Stop the conversion we started: its process group on POSIX, the process elsewhere."""
    if os.name != "nt":
        import signal

        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    else:  # pragma: no cover
        proc.kill()
    proc.communicate()
