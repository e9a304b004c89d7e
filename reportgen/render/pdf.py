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
            done = subprocess.run(
                command, capture_output=True, timeout=timeout, check=False, cwd=work
            )
        except subprocess.TimeoutExpired:
            raise PdfError(
                f"LibreOffice không chuyển xong sang PDF sau {timeout:g} giây; đã dừng."
            ) from None
        except OSError as exc:
            raise PdfError(f"Không chạy được LibreOffice ({soffice}): {exc}") from None
        target = work / "pdf" / "quyet-dinh.pdf"
        if done.returncode != 0 or not target.is_file():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            raise PdfError(
                f"LibreOffice không tạo được PDF (mã {done.returncode})"
                + (f": {detail.splitlines()[-1]}" if detail else ".")
            )
        return target.read_bytes()
