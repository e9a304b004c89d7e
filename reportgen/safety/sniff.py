"""Decide what an uploaded file really is, and whether it is safe to parse, before any parser runs.

Agencies send "Excel" files that are often something else: an HTML page or a CSV renamed to
.xls by a web portal, a PDF, a Word document, a password-protected workbook, a truncated
download, or (rarely, but it must not hang the tool) a zip bomb. :func:`sniff` looks only at
magic bytes and container metadata (the zip central directory: `zipcheck`, the OLE2/CFB
directory: `cfb`; the head of anything else: `textformats`), never at the extension, never
decompresses data to judge it, and returns a `Sniff` whose ``refusal`` carries a stable code
and a Vietnamese message for the clerk. :func:`sniff_evidence` judges a unit's evidence file.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.safety.cfb import sniff_cfb
from reportgen.safety.textformats import blank, sniff_text
from reportgen.safety.verdict import (
    FILE_EVIDENCE_TOO_LARGE,
    FILE_NOT_EVIDENCE,
    FILE_NOT_SPREADSHEET,
    FILE_TOO_LARGE,
    FileKind,
    Sniff,
    empty,
    megabytes,
    refused,
)
from reportgen.safety.zipcheck import sniff_zip

# A score sheet is tens or hundreds of kilobytes; 50 MiB is already absurd for one.
MAX_FILE_BYTES = 50 * 1024 * 1024
_HEAD_BYTES = 64 * 1024  # what we look at to recognise text formats
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path) -> Sniff:
    """Classify ``path`` by content and say whether it may be parsed.

    Never raises for any file content; raises ``OSError`` only if the file cannot be read.
    """
    path = Path(path)
    name = path.name
    size = path.stat().st_size
    if size == 0:
        return empty(name)
    if size > MAX_FILE_BYTES:
        limit = f"{MAX_FILE_BYTES / (1024 * 1024):.0f}"
        return refused(FileKind.UNKNOWN, FILE_TOO_LARGE, name, size=megabytes(size), limit=limit)
    with path.open("rb") as f:
        head = f.read(_HEAD_BYTES)
        if head.startswith(_ZIP_MAGICS):
            return sniff_zip(name, f, size)
        if head.startswith(_CFB_MAGIC):
            return sniff_cfb(name, f, size)
        if blank(head, f):
            return empty(name)
    return sniff_text(name, head)


# --- Evidence (minh chứng) ---------------------------------------------------------------------
# What a unit may attach to a criterion on its own page: scans and photos of documents, and the
# documents themselves. A scanned decision of a few pages is a few MB; 20 MiB leaves room.
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_KINDS = (
    FileKind.PDF,
    FileKind.PNG,
    FileKind.JPEG,
    FileKind.DOCX,
    FileKind.XLSX,
    FileKind.XLSM,
    FileKind.XLS,
    FileKind.ODS,
)
_IMAGE_MAGICS = ((b"\x89PNG\r\n\x1a\n", FileKind.PNG), (b"\xff\xd8\xff", FileKind.JPEG))


def sniff_evidence(path: Path) -> Sniff:
    """Classify an evidence file by content: a PDF, a PNG or JPEG picture, a Word document or a
    workbook is accepted (``refusal`` None); anything else, an empty, oversized, encrypted,
    damaged or bomb-like file is refused with a message for the unit."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_EVIDENCE_BYTES:
        limit = MAX_EVIDENCE_BYTES // (1024 * 1024)
        return refused(
            FileKind.UNKNOWN, FILE_EVIDENCE_TOO_LARGE, path.name, size=megabytes(size), limit=limit
        )
    with path.open("rb") as f:
        head = f.read(16)
    for magic, kind in _IMAGE_MAGICS:
        if head.startswith(magic):
            return Sniff(kind, None)
    judged = sniff(path)
    if judged.kind in EVIDENCE_KINDS and (
        judged.refusal is None or judged.refusal.code == FILE_NOT_SPREADSHEET
    ):
        return Sniff(judged.kind, None)
    if judged.refusal is not None and judged.refusal.code != FILE_NOT_SPREADSHEET:
        return judged
    return refused(judged.kind, FILE_NOT_EVIDENCE, path.name)
