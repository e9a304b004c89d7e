"""Blank score-sheet forms, one workbook per registered unit, made from the config.

The layout is the one `ingest` reads (docs/formats.md): a sheet "Phiếu chấm điểm" with the
unit, group and year (locked), a table "STT | Tiêu chí | Điểm tối đa | Điểm tự chấm" (and
"Điểm thẩm định | Lý do điều chỉnh" when `scoring.verified_column`) with one row per node of
the group's criteria tree — units fill the leaves, parents sum their items by formula — and
a "Tổng cộng" row summed by formula."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reportgen import atomic
from reportgen.config import Assessment, Criterion

SHEET = "Phiếu chấm điểm"
HEADER_ROW = 7
FIRST_ITEM_ROW = HEADER_ROW + 1
SCORE_COLUMN = "D"
VERIFIED_HEADING = "Điểm thẩm định"
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
    assessment: Assessment,
    unit: str,
    scores: dict[str, Decimal] | None = None,
    verified: dict[str, tuple[Decimal, str]] | None = None,
) -> bytes:
    """The form of one unit as .xlsx bytes; `scores` pre-fills the input cells, `verified`
    the "Điểm thẩm định" and "Lý do" cells (key → (score, reason)), when the config asks
    for those columns.

    Every node of the group's criteria tree has a row, parents before their items, numbered
    1, 1.1, 1.1.2; units fill the leaves, and a parent's score is the sum of its items."""
    group = assessment.group_of(unit)  # not a UnitRegistry: that folds every name, per form
    criteria = assessment.criteria_set(group)
    decimals = assessment.scoring.decimals
    headings = ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"]
    if assessment.scoring.verified_column:
        headings += [VERIFIED_HEADING, "Lý do điều chỉnh"]
    width = len(headings)
    last_col = get_column_letter(width)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for col, size in zip("ABCDEF", (6, 60, 12, 14, 14, 30)[:width]):
        ws.column_dimensions[col].width = size
    bold = Font(name="Times New Roman", bold=True, size=12)
    plain = Font(name="Times New Roman", size=12)

    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"] = f"PHIẾU CHẤM ĐIỂM NĂM {assessment.year}"
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last_col}2")
    ws["A2"] = assessment.title[:1].upper() + assessment.title[1:]
    ws["A2"].alignment = Alignment(horizontal="center", wrap_text=True)
    ws.row_dimensions[2].height = 32
    for row, (label, value) in enumerate(
        [("Đơn vị:", unit), ("Khối:", group.name), ("Năm đánh giá:", assessment.year)], start=3
    ):
        ws.cell(row, 1, label).font = bold
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        ws.cell(row, 2, value).font = plain
        ws.cell(row, 2).alignment = Alignment(horizontal="left")

    for col, label in enumerate(headings, start=1):
        cell = ws.cell(HEADER_ROW, col, label)
        cell.font, cell.border = bold, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    nodes = _numbered(criteria.criteria)
    row_of = {c.key: FIRST_ITEM_ROW + i for i, (_, c) in enumerate(nodes)}
    step = Decimal(1).scaleb(-decimals)
    for (number, c), row in zip(nodes, row_of.values()):
        ws.cell(row, 1, int(number) if number.isdigit() else number)
        label = ws.cell(row, 2, c.label)
        label.alignment = Alignment(wrap_text=True, vertical="center", indent=number.count("."))
        ws.cell(row, 3, c.max)
        if c.items:  # a parent: the sum of its items, locked
            parts = ",".join(f"{SCORE_COLUMN}{row_of[item.key]}" for item in c.items)
            ws.cell(row, 4, f"=SUM({parts})")
            for col in (1, 2, 3, 4):
                ws.cell(row, col).font = bold
        else:
            score = ws.cell(row, 4, (scores or {}).get(c.key))
            _input(ws, score, c, decimals, step, "Điểm tự chấm")
            if assessment.scoring.verified_column:
                value, reason = (verified or {}).get(c.key, (None, None))
                _input(ws, ws.cell(row, 5, value), c, decimals, step, VERIFIED_HEADING)
                ws.cell(row, 6, reason).protection = Protection(locked=False)
        for col in range(1, width + 1):
            ws.cell(row, col).border = _BOX
            if col != 2:
                ws.cell(row, col).alignment = Alignment(horizontal="center", vertical="center")

    total_row = FIRST_ITEM_ROW + len(nodes)
    ws.cell(total_row, 2, "Tổng cộng").font = bold
    ws.cell(total_row, 3, criteria.max_total).font = bold
    if len(nodes) == len(criteria.criteria):  # one level: the range, as the 2019 form has it
        total = f"=SUM({SCORE_COLUMN}{FIRST_ITEM_ROW}:{SCORE_COLUMN}{total_row - 1})"
    else:
        total = (
            "=SUM(" + ",".join(f"{SCORE_COLUMN}{row_of[c.key]}" for c in criteria.criteria) + ")"
        )
    ws.cell(total_row, 4, total).font = bold
    for col in range(1, width + 1):
        ws.cell(total_row, col).border = _BOX
        ws.cell(total_row, col).alignment = Alignment(horizontal="center")

    lowest = min(c.floor for _, c in nodes)
    notes = [
        "Hướng dẫn:",
        "- Chỉ nhập điểm vào các ô màu vàng ở cột 'Điểm tự chấm'; không sửa tên đơn vị, "
        "tiêu chí, điểm tối đa.",
        f"- Điểm là số từ {'mức trừ tối đa (số âm)' if lowest < 0 else '0'} đến điểm tối đa "
        f"của tiêu chí, tối đa {decimals} chữ số thập phân (ví dụ 27,5).",
        "- Dòng 'Tổng cộng' tự tính; phần mềm sẽ tính lại tổng khi tổng hợp.",
        "- Lưu tệp ở định dạng .xlsx và gửi lại đúng tên tệp.",
    ]
    if len(nodes) > len(criteria.criteria):
        notes.insert(
            2,
            "- Chấm điểm từng tiêu chí thành phần; dòng in đậm là tổng các dòng bên dưới, tự tính.",
        )
    if assessment.scoring.verified_column:
        notes.insert(
            -1,
            f"- Cột '{VERIFIED_HEADING}' và 'Lý do điều chỉnh' do cơ quan thẩm "
            "định ghi; kết quả dùng điểm thẩm định khi có.",
        )
    for k, text in enumerate(notes, start=total_row + 2):
        ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=width)
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


def _numbered(criteria: list[Criterion], prefix: str = "") -> list[tuple[str, Criterion]]:
    """Every node with its number: 1, 2 at the top; 1.1, 1.2 under 1; and so on."""
    out = []
    for i, c in enumerate(criteria, start=1):
        number = f"{prefix}{i}"
        out.append((number, c))
        out += _numbered(c.items, number + ".")
    return out


def _input(ws, cell, c: Criterion, decimals: int, step: Decimal, title: str) -> None:
    """An unlocked, yellow score cell that accepts a number within the leaf's bounds."""
    cell.protection = Protection(locked=False)
    cell.fill = _INPUT_FILL
    cell.number_format = "0" if decimals == 0 else "0." + "#" * decimals
    ref = cell.coordinate
    rule = DataValidation(
        type="custom",
        formula1=f"AND(ISNUMBER({ref}),{ref}>={c.min},{ref}<={c.max},ROUND({ref},{decimals})={ref})",
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle=title,
        prompt=f"Nhập số từ {c.min} đến {c.max}, tối đa {decimals} chữ số thập phân "
        f"(bước {step.normalize()}).",
        errorTitle="Điểm không hợp lệ",
        error=f"Điểm phải là số từ {c.min} đến {c.max}, tối đa {decimals} chữ số thập phân.",
    )
    ws.add_data_validation(rule)
    rule.add(ref)


def units_to_send(assessment: Assessment) -> list[str]:
    """The units a blank form goes to: every registered unit but those `not_assessed` this
    year (they send nothing)."""
    return [u.name for g in assessment.groups for u in g.units if not u.not_assessed]


def write_forms(assessment: Assessment, out_dir: Path) -> list[Path]:
    """Write the blank form of every unit of `units_to_send` into `out_dir`; return the paths."""
    paths = []
    for unit in units_to_send(assessment):
        path = out_dir / form_filename(unit)
        atomic.write_bytes(path, form_bytes(assessment, unit))
        paths.append(path)
    return paths
