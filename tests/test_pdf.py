"""`build --pdf`: LibreOffice headless converts the decision; the PDF's text holds the title,
the date line and every unit name with its Vietnamese diacritics. Page 1 is rendered to PNG
beside the test's outputs for a human look."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import unicodedata

import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.pipeline import build as api
from reportgen.render import pdf
from tests.conftest import SAMPLE

runner = CliRunner()
TOOLS = pdf.available() and shutil.which("pdftotext") and shutil.which("pdftoppm")


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    if not TOOLS:
        if os.environ.get("REPORTGEN_REQUIRE_PDF"):
            pytest.fail("LibreOffice or poppler-utils missing although CI requires them")
        pytest.skip("LibreOffice (soffice) or poppler-utils not installed")
    out = tmp_path_factory.mktemp("pdf")
    started = time.perf_counter()
    result = api.build(SAMPLE, out=out, pdf=True)
    seconds = time.perf_counter() - started
    assert result.ok
    print(f"build with PDF: {seconds:.1f} s")
    return out, result.checked.assessment


def pdf_text(path) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    text = unicodedata.normalize("NFC", done.stdout.decode("utf-8"))
    return " ".join(text.split())


def test_pdf_holds_title_date_and_every_unit(converted):
    out, assessment = converted
    target = out / "quyet-dinh.pdf"
    assert target.read_bytes().startswith(b"%PDF")
    text = pdf_text(target)
    assert "QUYẾT ĐỊNH" in text
    assert assessment.decision.summary in text
    assert "Quảng Nam, ngày 07 tháng 01 năm 2020" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    missing = [u.name for g in assessment.groups for u in g.units if u.name not in text]
    assert not missing


def test_page_one_as_png(converted):
    out, _ = converted
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out / "quyet-dinh.pdf"),
         str(out / "trang")],
        check=True,
    )  # fmt: skip
    (png,) = out.glob("trang*.png")
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 10_000


def test_missing_libreoffice_is_a_clear_message_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    result = runner.invoke(app, ["build", str(SAMPLE), "--pdf", "--out", str(tmp_path / "o")])
    assert result.exit_code == 4
    assert "LibreOffice" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(os.name == "nt", reason="a POSIX shell script stands in for soffice")
def test_timeout_is_a_clear_error(tmp_path, monkeypatch):
    slow = tmp_path / "soffice"
    slow.write_text("#!/bin/sh\nsleep 5\n", encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: slow)
    with pytest.raises(pdf.PdfError, match="giây"):
        pdf.docx_to_pdf(b"PK", timeout=0.5)
