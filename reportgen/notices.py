"""The preliminary notices of the verification round (thông báo kết quả thẩm định sơ bộ).

For every unit whose verified scores differ from its own, or whose evidence was found
missing, a notice: the changed indicators with self-score, preliminary verified score and
reason. Each is written as a Word letter (a công văn, `render.notice_docx`) and an answer
workbook (`render.answer_xlsx`) the unit fills and sends back; a zip holds them all. Units
nothing changed for get none (`Notices.unchanged`). The CLI and the web page call
`write_notices`; `prepare` is the pure step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportgen import atomic, outputs
from reportgen.config import Assessment
from reportgen.vnformat import document_number, short_date

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
    self_score: Decimal
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
    notices: list[Notice] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # assessed units with nothing to notify
    written: list[Path] = field(default_factory=list)
    zip_name: str = ""


def prepare(checked) -> Notices:
    """The notices of a checked assessment (`build.Checked`), units in config order: the
    adjustments of each unit (their preliminary verified score) and its indicators whose
    evidence was found missing (preliminary score 0)."""
    assessment: Assessment = checked.assessment
    v = assessment.verification
    by_unit = {s.unit: s for s in checked.submissions}
    out = Notices()
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
            change = sum((r.preliminary - r.self_score for r in rows), Decimal(0))
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


def file_names(notice: Notice) -> tuple[str, str]:
    """The letter's and the answer workbook's file names."""
    from reportgen.forms import form_filename

    stem = form_filename(notice.unit).removesuffix(".xlsx")
    return f"Thông báo - {stem}.docx", f"Phiếu giải trình - {stem}.xlsx"


def zip_name(assessment: Assessment, folder: str) -> str:
    """`thong-bao-<assessment folder>[-<year>].zip` (the year once)."""
    stem = folder if str(assessment.year) in folder else f"{folder}-{assessment.year}"
    return f"thong-bao-{stem}.zip"


def render(
    assessment: Assessment, notices: Notices, folder: str, template: Path | None = None
) -> dict[str, bytes]:
    """Every file of the notices as bytes by name, the zip of them all last."""
    from reportgen.render.answer_xlsx import answer_bytes
    from reportgen.render.notice_docx import render_notice

    files: dict[str, bytes] = {}
    for notice in notices.notices:
        letter, answer = file_names(notice)
        files[letter] = render_notice(assessment, notice, template)
        files[answer] = answer_bytes(assessment, notice)
    files[zip_name(assessment, folder)] = atomic.zip_bytes(list(files.items()))
    return files


def write_notices(
    assessment_path: Path,
    inputs: Sequence[Path] | None = None,
    out: Path | None = None,
    template: Path | None = None,
) -> Notices:
    """Check the submissions and write every notice, answer workbook and the zip into `out`
    (default `out/<assessment folder>/thong-bao`); files of an earlier run for units that no
    longer need a notice are removed. Raises `ConfigError` only."""
    from reportgen import build, config

    checked = build.check(assessment_path, inputs)
    folder = config.resolve_path(Path(assessment_path)).parent.resolve().name
    target = Path(out) if out else build.default_out(assessment_path) / FOLDER
    notices = prepare(checked)
    files = render(checked.assessment, notices, folder, template)
    notices.zip_name = zip_name(checked.assessment, folder)
    stale = []
    if target.is_dir():  # only what an earlier run wrote: the folder may hold other files
        stale = [
            p.name
            for pattern in ("Thông báo - *.docx", "Phiếu giải trình - *.xlsx", "thong-bao-*.zip")
            for p in target.glob(pattern)
            if p.name not in files
        ]
    target.mkdir(parents=True, exist_ok=True)
    with outputs.folder_lock(target):
        notices.written = outputs.replace_set(target, files, remove=stale)
    return notices


def deadline_text(assessment: Assessment) -> str:
    """How the letter names the deadline."""
    deadline = assessment.verification.deadline
    return f"chậm nhất ngày {short_date(deadline)}" if deadline else "sớm nhất có thể"
