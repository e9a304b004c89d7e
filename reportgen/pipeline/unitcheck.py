"""One unit's workbook checked as the clerk's check would, with only what that unit may see:
the findings about that file and that unit, none naming another registered unit (a close-name
hint would), and a finding of its own when the file is another unit's form. What the unit
portal shows on a unit's page after an upload."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen.core.findings import Finding, Severity
from reportgen.core.text import fold
from reportgen.pipeline.check import check

UNIT_NOT_OWN = "UNIT_NOT_OWN"
NAMES_ANOTHER = (
    "Tên đơn vị ghi trong biểu không khớp tên đơn vị của đường dẫn này: "
    "hãy dùng biểu mẫu tải từ trang này."
)


@dataclass(frozen=True)
class Shown:
    """A finding as the unit's page shows it: code, severity, where (file, sheet, cell), what."""

    code: str
    severity: str
    place: str
    message: str

    @property
    def error(self) -> bool:
        return self.severity == Severity.ERROR.value


def check_unit_file(assessment_path: Path, unit: str, path: Path) -> list[Shown]:
    """The findings of `path` read as `unit`'s submission (an empty list: Đạt)."""
    checked = check(assessment_path, [path])
    assessment = checked.assessment
    registered = {u.name: u for g in assessment.groups for u in g.units}
    own = [fold(n) for n in (unit, *registered[unit].aliases)]
    others = [fold(n) for name, u in registered.items() if name != unit for n in (name, *u.aliases)]
    shown = [
        _shown(f, _names_another(f.message, own, others))
        for f in checked.findings
        if f.code != "UNIT_MISSING" and f.unit in (None, unit)
    ]
    sent = {s.unit for s in checked.submissions}
    if sent - {unit}:
        message = (
            f"Biểu ghi tên một đơn vị khác, không phải '{unit}': hãy chấm điểm trên biểu mẫu "
            "tải từ trang này của đơn vị."
        )
        shown.append(Shown(UNIT_NOT_OWN, Severity.ERROR.value, "", message))
    elif unit not in sent and not any(s.error for s in shown):
        message = f"Không đọc được điểm của '{unit}' trong tệp: hãy dùng biểu mẫu tải từ trang này."
        shown.append(Shown("LAYOUT_NOT_FOUND", Severity.ERROR.value, "", message))
    return shown


def _names_another(message: str, own: list[str], others: list[str]) -> bool:
    text = fold(message)
    for name in own:  # the unit's own name may contain another's ("Sở Y tế" in "Sở Y tế X")
        text = text.replace(name, " ")
    return any(name and name in text for name in others)


def _shown(f: Finding, names_another: bool) -> Shown:
    place = ""
    if f.location is not None:
        sheet = f"sheet {f.location.sheet}" if f.location.sheet else ""
        cell = f"ô {f.location.cell}" if f.location.cell else ""
        place = ", ".join(p for p in (f.location.file, sheet, cell) if p)
    return Shown(f.code, f.severity.value, place, NAMES_ANOTHER if names_another else f.message)
