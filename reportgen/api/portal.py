"""What the web pages ask of a received file and of a unit's round: a workbook or evidence file
refused or taken, one unit's own check (only what it may see), its preliminary notice, and the
answer workbook made from what it typed on its page."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from reportgen.config import Assessment
    from reportgen.judge.notices import Notice
    from reportgen.pipeline.unitcheck import Shown


def upload_refusal(path: Path, shown: str | None = None) -> str | None:
    """Why a received file is not a workbook reportgen will read — not a workbook at all, or
    a sheet too large — as a message for whoever sent it (naming the file as `shown`, default
    its name), or None when it will be read."""
    from reportgen.safety.sheetsize import oversized
    from reportgen.safety.sniff import sniff

    path = Path(path)
    sniffed = sniff(path)
    if sniffed.refusal:
        return sniffed.refusal.naming(shown or path.name)
    too_large = oversized(path, sniffed.kind)
    return too_large.finding(shown or path.name).message if too_large else None


def check_unit_file(assessment: Path, unit: str, path: Path) -> list[Shown]:
    """The workbook at `path` read as `unit`'s submission, with only what that unit may see:
    the findings about that file and that unit, none naming another unit (empty: Đạt)."""
    from reportgen.pipeline import unitcheck

    return unitcheck.check_unit_file(Path(assessment), unit, Path(path))


def evidence_refusal(path: Path, shown: str | None = None) -> str | None:
    """Why a received evidence file is not taken (not a PDF, picture, Word document or
    workbook; too large, empty, encrypted, bomb-like), naming it as `shown`; None: taken."""
    from reportgen.safety.sniff import sniff_evidence

    path = Path(path)
    sniff = sniff_evidence(path)
    if sniff.refusal is None:
        return None
    return sniff.refusal.naming(shown or path.name)


def unit_notice(assessment: Path, unit: str) -> Notice | None:
    """`unit`'s preliminary notice as `notices` states it from the current submissions and
    verification (None: nothing changed for it)."""
    from reportgen.judge import notices
    from reportgen.pipeline.check import check

    made = notices.prepare(check(Path(assessment)))
    return next((n for n in made.notices if n.unit == unit), None)


def answer_workbook(
    assessment: Assessment,
    notice: Notice,
    answers: Mapping[str, tuple[str, str, str]],
    answered: dt.date,
) -> tuple[str, bytes]:
    """A unit's answer workbook with the answers it gave on its page filled in (indicator key
    → (a key of `OPINIONS`, explanation, additional evidence)), dated `answered`: (its file
    name under `ANSWERS_FOLDER`, .xlsx bytes) — read by `build` like one sent back by mail."""
    from reportgen.pipeline.names import notice_files
    from reportgen.render.answer_xlsx import answer_bytes

    return notice_files(notice)[1], answer_bytes(assessment, notice, answers, answered)
