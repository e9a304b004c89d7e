"""The preliminary notices of the verification round (thông báo kết quả thẩm định sơ bộ).

For every unit whose verified scores differ from its own, or whose evidence was found
missing, a notice: the changed indicators with self-score, preliminary verified score and
reason. `pipeline.notices.write_notices` writes each as a Word letter (a công văn,
`render.notice_docx`) and an answer workbook (`render.answer_xlsx`) the unit fills and sends
back, and a zip of them all. Units nothing changed for get none (`Notices.unchanged`). This
module is the content (`prepare`, pure); it imports no writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportgen.config import Assessment
from reportgen.core.findings import Findings
from reportgen.core.vnformat import document_number, short_date

FOLDER = "thong-bao"  # under the assessment's output folder
MISSING_REASON = "Không có minh chứng, cũng không có giải trình: điểm chưa được công nhận"
BLANK = "\u00a0" * 6  # a gap the văn thư fills by hand (number, day, month)


@dataclass(frozen=True)
class NoticeRow:
    """One changed indicator."""

    key: str
    label: str
    minimum: Decimal
    maximum: Decimal
    self_score: Decimal | None  # None: the unit marked it not applicable
    preliminary: Decimal  # the verified score as the notice states it
    reason: str


@dataclass(frozen=True)
class Notice:
    unit: str
    group: str  # the group's name
    year: int
    number: str  # "15/SKHCN-CĐS", or a blank before the symbol for the văn thư
    dated: str  # "ngày 20/12/2025", or blanks
    issuer: str  # who sends it, in running text
    rows: tuple[NoticeRow, ...]
    self_total: Decimal
    preliminary_total: Decimal


@dataclass
class Notices:
    """The notices of a check (a `Result`: `ok`, `findings`, `summary()`, `outputs`)."""

    notices: list[Notice] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # assessed units with nothing to notify
    findings: Findings = field(default_factory=Findings)  # the check's, as they stood
    written: list[Path] = field(default_factory=list)
    zip_name: str = ""

    @property
    def ok(self) -> bool:
        """Always usable: a notice goes out while the forms still have errors (missing
        evidence is what it is about); the findings say what else is wrong."""
        return True

    @property
    def outputs(self) -> list[Path]:
        return self.written

    def summary(self) -> str:
        """ "5 thông báo; 33 đơn vị không có điều chỉnh"."""
        return f"{len(self.notices)} thông báo; {len(self.unchanged)} đơn vị không có điều chỉnh"


def prepare(checked) -> Notices:
    """The notices of a checked assessment (`build.Checked`), units in config order: the
    adjustments of each unit (their preliminary verified score) and its indicators whose
    evidence was found missing (preliminary score 0)."""
    assessment: Assessment = checked.assessment
    v = assessment.verification
    by_unit = {s.unit: s for s in checked.submissions}
    out = Notices(findings=checked.findings)
    for group in assessment.groups:
        for unit in group.units:
            submission = by_unit.get(unit.name)
            if submission is None:
                continue
            nodes = assessment.criteria_set(group).by_key
            rows = [
                NoticeRow(
                    a.key,
                    a.label,
                    nodes[a.key].floor,
                    nodes[a.key].ceiling,
                    a.self_score,
                    a.verified,
                    a.reason,
                )
                for a in checked.adjustments
                if a.unit == unit.name
            ]
            shown = {r.key for r in rows}
            rows += [
                NoticeRow(
                    c.key,
                    c.label,
                    nodes[c.key].floor,
                    nodes[c.key].ceiling,
                    c.score,
                    Decimal(0),
                    MISSING_REASON,
                )
                for c in checked.unproven
                if c.unit == unit.name and c.key not in shown
            ]
            if not rows:
                out.unchanged.append(unit.name)
                continue
            own = submission.self_scores or submission.scores
            self_total = sum(own.values(), Decimal(0))
            change = sum((r.preliminary - (r.self_score or 0) for r in rows), Decimal(0))
            number = (
                document_number(v.number + len(out.notices), v.symbol)
                if v.number
                else f"{BLANK}/{v.symbol}"
            )
            out.notices.append(
                Notice(
                    unit.name,
                    group.name,
                    assessment.year,
                    number,
                    f"ngày {short_date(v.date)}" if v.date else f"ngày{BLANK}",
                    v.issuer_short or assessment.issuer.short,
                    tuple(rows),
                    self_total,
                    self_total + change,
                )
            )
    return out


def zip_name(assessment: Assessment, folder: str) -> str:
    """`thong-bao-<assessment folder>[-<year>].zip` (the year once)."""
    stem = folder if str(assessment.year) in folder else f"{folder}-{assessment.year}"
    return f"thong-bao-{stem}.zip"


def deadline_text(assessment: Assessment) -> str:
    """How the letter names the deadline."""
    deadline = assessment.verification.deadline
    return f"chậm nhất ngày {short_date(deadline)}" if deadline else "sớm nhất có thể"
