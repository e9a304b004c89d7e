"""The findings report `bao-cao-kiem-tra.xlsx`: one row per finding, and a summary per unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from reportgen import atomic
from reportgen.config import Assessment
from reportgen.findings import Finding, Severity, UnitStatus
from reportgen.render.safe import cell_text

SEVERITY_TEXT = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}
_HEAD = Font(bold=True)
_ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")


def render_findings(
    assessment: Assessment, findings: list[Finding], statuses: Mapping[str, UnitStatus]
) -> bytes:
    """`statuses`: each registered unit's status (its `text` shown)."""
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
    for sheet in (ws, summary):
        for cell in sheet[1]:
            cell.font = _HEAD
        sheet.freeze_panes = "A2"
    return atomic.workbook_bytes(wb, dt.datetime.combine(assessment.stamp, dt.time()))
