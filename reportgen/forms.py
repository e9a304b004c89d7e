"""Blank score-sheet forms, one workbook per registered unit, made from the config.

The layout is the one `ingest` reads (docs/formats.md): a sheet "Phiếu chấm điểm" with the
unit, group and year (locked), a table "STT | Tiêu chí | Điểm tối đa | Điểm tự chấm" with one
row per criterion, and a "Tổng cộng" row summed by formula."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from reportgen import atomic
from reportgen.config import Assessment

SHEET = "Phiếu chấm điểm"
HEADER_ROW = 7
FIRST_ITEM_ROW = HEADER_ROW + 1
SCORE_COLUMN = "D"
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


def form_filename(unit: str) -> str:
    """A file name for the unit's form, safe on Windows and macOS (NFC, no reserved chars)."""
    name = unicodedata.normalize("NFC", unit)
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "-", name).strip(" .")
    if name.upper() in _RESERVED or not name:
        name = f"_{name}"
    return f"{name}.xlsx"


def form_bytes(
    assessment: Assessment, unit: str, scores: dict[str, Decimal] | None = None
) -> bytes:
    """The form of one unit as .xlsx bytes; `scores` pre-fills the input cells."""
    group = assessment.group_of(unit)  # not a UnitRegistry: that folds every name, per form
    decimals = assessment.scoring.decimals
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 14
    bold = Font(name="Times New Roman", bold=True, size=12)
    plain = Font(name="Times New Roman", size=12)

    ws.merge_cells("A1:D1")
    ws["A1"] = f"PHIẾU CHẤM ĐIỂM NĂM {assessment.year}"
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:D2")
    ws["A2"] = assessment.title[:1].upper() + assessment.title[1:]
    ws["A2"].alignment = Alignment(horizontal="center", wrap_text=True)
    ws.row_dimensions[2].height = 32
    for row, (label, value) in enumerate(
        [("Đơn vị:", unit), ("Khối:", group.name), ("Năm đánh giá:", assessment.year)], start=3
    ):
        ws.cell(row, 1, label).font = bold
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        ws.cell(row, 2, value).font = plain
        ws.cell(row, 2).alignment = Alignment(horizontal="left")

    for col, label in enumerate(["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"], start=1):
        cell = ws.cell(HEADER_ROW, col, label)
        cell.font, cell.border = bold, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    step = Decimal(1).scaleb(-decimals)
    for i, c in enumerate(assessment.criteria):
        row = FIRST_ITEM_ROW + i
        ws.cell(row, 1, i + 1)
        ws.cell(row, 2, c.label).alignment = Alignment(wrap_text=True, vertical="center")
        ws.cell(row, 3, c.max)
        score = ws.cell(row, 4, (scores or {}).get(c.key))
        score.protection = Protection(locked=False)
        score.fill = _INPUT_FILL
        score.number_format = "0" if decimals == 0 else "0." + "#" * decimals
        ref = f"{SCORE_COLUMN}{row}"
        rule = DataValidation(
            type="custom",
            formula1=f"AND(ISNUMBER({ref}),{ref}>=0,{ref}<={c.max},ROUND({ref},{decimals})={ref})",
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            promptTitle="Điểm tự chấm",
            prompt=f"Nhập số từ 0 đến {c.max}, tối đa {decimals} chữ số thập phân "
            f"(bước {step.normalize()}).",
            errorTitle="Điểm không hợp lệ",
            error=f"Điểm phải là số từ 0 đến {c.max}, tối đa {decimals} chữ số thập phân.",
        )
        ws.add_data_validation(rule)
        rule.add(ref)
        for col in range(1, 5):
            ws.cell(row, col).border = _BOX
            if col != 2:
                ws.cell(row, col).alignment = Alignment(horizontal="center", vertical="center")

    total_row = FIRST_ITEM_ROW + len(assessment.criteria)
    last = total_row - 1
    ws.cell(total_row, 2, "Tổng cộng").font = bold
    ws.cell(total_row, 3, assessment.max_total).font = bold
    ws.cell(total_row, 4, f"=SUM({SCORE_COLUMN}{FIRST_ITEM_ROW}:{SCORE_COLUMN}{last})").font = bold
    for col in range(1, 5):
        ws.cell(total_row, col).border = _BOX
        ws.cell(total_row, col).alignment = Alignment(horizontal="center")

    notes = [
        "Hướng dẫn:",
        "- Chỉ nhập điểm vào các ô màu vàng ở cột 'Điểm tự chấm'; không sửa tên đơn vị, "
        "tiêu chí, điểm tối đa.",
        f"- Điểm là số từ 0 đến điểm tối đa của tiêu chí, tối đa {decimals} chữ số thập phân "
        "(ví dụ 27,5).",
        "- Dòng 'Tổng cộng' tự tính; phần mềm sẽ tính lại tổng khi tổng hợp.",
        "- Lưu tệp ở định dạng .xlsx và gửi lại đúng tên tệp.",
    ]
    for k, text in enumerate(notes, start=total_row + 2):
        ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=4)
        ws.cell(k, 1, text).alignment = Alignment(wrap_text=True)
        ws.cell(k, 1).font = bold if k == total_row + 2 else plain

    ws.protection.sheet = True  # locked cells cannot be edited; input cells are unlocked
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True

    return atomic.workbook_bytes(wb, dt.datetime.combine(assessment.stamp, dt.time()))


def write_forms(assessment: Assessment, out_dir: Path) -> list[Path]:
    """Write the blank form of every registered unit into `out_dir`; return the paths."""
    paths = []
    for group in assessment.groups:
        for unit in group.units:
            path = out_dir / form_filename(unit.name)
            atomic.write_bytes(path, form_bytes(assessment, unit.name))
            paths.append(path)
    return paths
