"""The findings report `bao-cao-kiem-tra.xlsx`: one row per finding, and a summary per unit."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from copy import copy

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

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
    scores that replaced self-assessed ones (a sheet "Điều chỉnh thẩm định" when any).

    Written in openpyxl's write-only mode, rows streamed and each style made once: a
    100 000-finding report takes seconds and little memory."""
    wb = Workbook(write_only=True)
    ws = _Sheet(
        wb,
        "Phát hiện",
        ["STT", "Đơn vị", "Mức", "Mã", "Tệp", "Sheet", "Ô / dòng", "Nội dung"],
        (6, 34, 10, 22, 30, 18, 10, 90),
    )
    for i, f in enumerate(findings, start=1):
        loc = f.location
        place = loc.cell or (str(loc.row) if loc.row is not None else "")
        level = SEVERITY_TEXT[f.severity]
        ws.append(
            [
                i,
                cell_text(f.unit or ""),
                ws.styled(level, "fill") if f.severity is Severity.ERROR else level,
                f.code,
                cell_text(loc.file),
                cell_text(loc.sheet or ""),
                place,
                ws.styled(cell_text(f.message), "alignment"),
            ]
        )

    summary = _Sheet(
        wb,
        "Theo đơn vị",
        ["Khối", "Đơn vị", "Tình trạng", "Số lỗi", "Số cảnh báo"],
        (30, 40, 14, 8, 12),
    )
    counts = Counter((f.unit, f.severity) for f in findings)
    for group in assessment.groups:
        for unit in group.units:
            errors = counts[(unit.name, Severity.ERROR)]
            warnings = counts[(unit.name, Severity.WARNING)]
            status = statuses[unit.name].text
            summary.append([cell_text(group.name), cell_text(unit.name), status, errors, warnings])
    if adjustments:
        _adjustments_sheet(wb, adjustments, assessment.scoring.decimals)
    return atomic.workbook_bytes(wb, dt.datetime.combine(assessment.stamp, dt.time()))


_STYLES = {
    "font": _HEAD,
    "fill": _ERROR_FILL,
    "alignment": Alignment(wrap_text=True, vertical="top"),
}


class _Sheet:
    """A write-only sheet with a bold, frozen header row and column widths; `styled` gives a
    cell of one of `_STYLES`, each made once and copied (openpyxl would otherwise look up
    its style objects for every cell)."""

    def __init__(self, wb: Workbook, title: str, headers: list[str], widths: Sequence[int]):
        self.ws = wb.create_sheet(title)
        for col, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(col)].width = width
        self.ws.freeze_panes = "A2"
        self._made: dict[str, object] = {}
        self.append([self.styled(h, "font") for h in headers])

    def styled(self, value: object, style: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value)
        made = self._made.get(style)
        if made is None:
            setattr(cell, style, _STYLES[style])
            self._made[style] = copy(cell._style)
        else:
            cell._style = copy(made)
        return cell

    def append(self, row: list[object]) -> None:
        self.ws.append(row)


def _adjustments_sheet(wb: Workbook, adjustments: Sequence[Adjustment], decimals: int) -> None:
    sheet = _Sheet(
        wb,
        "Điều chỉnh thẩm định",
        ADJUSTMENT_HEADINGS + ["Tệp", "Sheet", "Ô"],
        (6, 34, 40, 12, 12, 50, 30, 18, 8),
    )
    for i, a in enumerate(adjustments, start=1):
        where = a.location
        sheet.append(
            [i, *(cell_text(text) for text in adjustment_row(a, decimals)[1:])]
            + [cell_text(where.file), cell_text(where.sheet or ""), where.cell or ""]
        )
