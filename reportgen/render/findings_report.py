"""The findings report `bao-cao-kiem-tra.xlsx`: one row per finding, and a summary per unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from reportgen import atomic
from reportgen.config import Assessment
from reportgen.findings import Finding, Severity, UnitStatus
from reportgen.render.safe import cell_text
from reportgen.render.tables import ADJUSTMENT_HEADINGS, adjustment_row
from reportgen.validate import Adjustment

SEVERITY_TEXT = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}
_HEAD = Font(bold=True)
_ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")


def render_findings(
    assessment: Assessment,
    findings: list[Finding],
    statuses: Mapping[str, UnitStatus],
    adjustments: Sequence[Adjustment] = (),
) -> bytes:
    """`statuses`: each registered unit's status (its `text` shown); `adjustments`: verified
    scores that replaced self-assessed ones (a sheet "Điều chỉnh thẩm định" when any)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Phát hiện"
    headers = ["STT", "Đơn vị", "Mức", "Mã", "Tệp", "Sheet", "Ô / dòng", "Nội dung"]
    ws.append(headers)
    for i, f in enumerate(findings, start=1):
        loc = f.location
        place = loc.cell or (str(loc.row) if loc.row is not None else "")
        ws.append(
            [
                i,
                cell_text(f.unit or ""),
                SEVERITY_TEXT[f.severity],
                f.code,
                cell_text(loc.file),
                cell_text(loc.sheet or ""),
                place,
                cell_text(f.message),
            ]
        )
        if f.severity is Severity.ERROR:
            ws.cell(i + 1, 3).fill = _ERROR_FILL
    for col, width in zip("ABCDEFGH", (6, 34, 10, 22, 30, 18, 10, 90)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")

    summary = wb.create_sheet("Theo đơn vị")
    summary.append(["Khối", "Đơn vị", "Tình trạng", "Số lỗi", "Số cảnh báo"])
    for group in assessment.groups:
        for unit in group.units:
            mine = [f for f in findings if f.unit == unit.name]
            errors = sum(f.severity is Severity.ERROR for f in mine)
            status = statuses[unit.name].text
            summary.append(
                [cell_text(group.name), cell_text(unit.name), status, errors, len(mine) - errors]
            )
    for col, width in zip("ABCDE", (30, 40, 14, 8, 12)):
        summary.column_dimensions[col].width = width
    sheets = [ws, summary]
    if adjustments:
        sheets.append(_adjustments_sheet(wb, adjustments, assessment.scoring.decimals))
    for sheet in sheets:
        for cell in sheet[1]:
            cell.font = _HEAD
        sheet.freeze_panes = "A2"
    return atomic.workbook_bytes(wb, dt.datetime.combine(assessment.stamp, dt.time()))


def _adjustments_sheet(wb: Workbook, adjustments: Sequence[Adjustment], decimals: int):
    sheet = wb.create_sheet("Điều chỉnh thẩm định")
    sheet.append(ADJUSTMENT_HEADINGS + ["Tệp", "Sheet", "Ô"])
    for i, a in enumerate(adjustments, start=1):
        where = a.location
        sheet.append(
            [i, *(cell_text(text) for text in adjustment_row(a, decimals)[1:])]
            + [cell_text(where.file), cell_text(where.sheet or ""), where.cell or ""]
        )
    for col, width in zip("ABCDEFGHI", (6, 34, 40, 12, 12, 50, 30, 18, 8)):
        sheet.column_dimensions[col].width = width
    return sheet
