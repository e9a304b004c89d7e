"""Inputs built the way units really send them, for the tests."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl

from reportgen.config import Assessment
from reportgen.render import forms
from reportgen.render.filenames import form_filename
from tests.conftest import SAMPLE

LABELS = [
    "Hạ tầng kỹ thuật CNTT và An toàn thông tin",
    "Ứng dụng CNTT trong hoạt động nội bộ cơ quan",
    "Ứng dụng CNTT phục vụ người dân và doanh nghiệp",
    "Nguồn nhân lực CNTT",
    "Môi trường tổ chức và Chính sách",
]  # the 2019 criteria, as the header of a consolidated sheet names them


def published_scores() -> dict[str, dict[str, Decimal]]:
    """unit → criterion key → score, from the transcribed 2019 annex."""
    with (SAMPLE / "annex-2019.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    keys = ["ha_tang", "noi_bo", "nguoi_dan", "nhan_luc", "moi_truong"]
    return {r["unit"]: {k: Decimal(r[k].replace(",", ".")) for k in keys} for r in rows}


def form(
    folder: Path,
    assessment: Assessment,
    unit: str,
    edits: dict[str, object] | None = None,
    name: str | None = None,
    filled: bool = True,
) -> Path:
    """A unit's generated form, filled with its published scores, then cells edited as a
    person would in a spreadsheet program (A1 → value; text stays text)."""
    scores = published_scores()[unit] if filled else None
    book = openpyxl.load_workbook(io.BytesIO(forms.form_bytes(assessment, unit, scores)))
    sheet = book[forms.SHEET]
    for ref, value in (edits or {}).items():
        sheet[ref] = value
    path = folder / (name or form_filename(unit))
    book.save(path)
    return path


def table(
    folder: Path,
    rows: list[list[object]],
    name: str = "tong-hop.xlsx",
    header: list[str] | None = None,
    title_rows: int = 1,
) -> Path:
    """A consolidated sheet: title rows, a header row, then `rows`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    for i in range(title_rows):
        sheet.append([f"BẢNG TỔNG HỢP {i + 1}"])
    sheet.append(header or ["STT", "Tên đơn vị", *LABELS, "Tổng", "Xếp loại"])
    for row in rows:
        sheet.append(row)
    path = folder / name
    book.save(path)
    return path
