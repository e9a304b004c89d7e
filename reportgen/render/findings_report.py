"""The findings report `bao-cao-kiem-tra.xlsx`: one row per finding, and a summary per unit."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from reportgen.config import Assessment
from reportgen.findings import Finding, Severity, UnitStatus
from reportgen.render import sheetml
from reportgen.render.safe import cell_text
from reportgen.render.sheetml import ERROR_FILL, WRAP, Sheet, Styled
from reportgen.render.tables import ADJUSTMENT_HEADINGS, adjustment_row
from reportgen.validate import Adjustment

SEVERITY_TEXT = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}
FINDING_HEADINGS = ["STT", "Đơn vị", "Mức", "Mã", "Tệp", "Sheet", "Ô / dòng", "Nội dung"]


def render_findings(
    assessment: Assessment,
    findings: list[Finding],
    statuses: Mapping[str, UnitStatus],
    adjustments: Sequence[Adjustment] = (),
) -> bytes:
    """`statuses`: each registered unit's status (its `text` shown); `adjustments`: verified
    scores that replaced self-assessed ones (a sheet "Điều chỉnh thẩm định" when any).

    Written as SpreadsheetML text, rows streamed (`render.sheetml`): a 100 000-finding
    report takes about a second and holds no object per cell."""
    sheets = [
        Sheet("Phát hiện", FINDING_HEADINGS, (6, 34, 10, 22, 30, 18, 10, 90), _rows(findings)),
        Sheet(
            "Theo đơn vị",
            ["Khối", "Đơn vị", "Tình trạng", "Số lỗi", "Số cảnh báo"],
            (30, 40, 14, 8, 12),
            _summary(assessment, findings, statuses),
        ),
    ]
    if adjustments:
        sheets.append(
            Sheet(
                "Điều chỉnh thẩm định",
                ADJUSTMENT_HEADINGS + ["Tệp", "Sheet", "Ô"],
                (6, 34, 40, 12, 12, 50, 30, 18, 8),
                _adjustment_rows(adjustments, assessment.scoring.decimals),
            )
        )
    return sheetml.workbook(sheets, dt.datetime.combine(assessment.stamp, dt.time()))


def _rows(findings: list[Finding]) -> Iterator[list[object]]:
    for i, f in enumerate(findings, start=1):
        loc = f.location
        place = loc.cell or (str(loc.row) if loc.row is not None else "")
        level = SEVERITY_TEXT[f.severity]
        yield [
            i,
            cell_text(f.unit or ""),
            Styled(level, ERROR_FILL) if f.severity is Severity.ERROR else level,
            f.code,
            cell_text(loc.file),
            cell_text(loc.sheet or ""),
            place,
            Styled(cell_text(f.message), WRAP),
        ]


def _summary(
    assessment: Assessment, findings: list[Finding], statuses: Mapping[str, UnitStatus]
) -> Iterator[list[object]]:
    counts = Counter((f.unit, f.severity) for f in findings)
    for group in assessment.groups:
        for unit in group.units:
            errors = counts[(unit.name, Severity.ERROR)]
            warnings = counts[(unit.name, Severity.WARNING)]
            status = statuses[unit.name].text
            yield [cell_text(group.name), cell_text(unit.name), status, errors, warnings]


def _adjustment_rows(adjustments: Sequence[Adjustment], decimals: int) -> Iterator[list[object]]:
    for i, a in enumerate(adjustments, start=1):
        where = a.location
        yield [i, *(cell_text(text) for text in adjustment_row(a, decimals)[1:])] + [
            cell_text(where.file),
            cell_text(where.sheet or ""),
            where.cell or "",
        ]
