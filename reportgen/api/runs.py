"""The calls that judge submissions and write what follows: check, build, the round's
notices, the findings report, the audit of a published annex and its correction draft."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportgen.judge.audit import AuditReport
    from reportgen.judge.notices import Notices
    from reportgen.pipeline.build import Built
    from reportgen.pipeline.check import Checked

Progress = Callable[[int, int], None]  # (files read, files in all)


def check(
    assessment: Path, inputs: Sequence[Path] | None = None, progress: Progress | None = None
) -> Checked:
    """Read and judge every submission (`inputs`: files or folders; default the folder's
    `submissions/`). Writes nothing; raises `ConfigError` only."""
    from reportgen.pipeline import check as pipeline

    return pipeline.check(Path(assessment), inputs, progress)


def build(
    assessment: Path,
    inputs: Sequence[Path] | None = None,
    out: Path | None = None,
    *,
    allow_missing: bool = False,
    strict: bool = False,
    template: Path | None = None,
    progress: Progress | None = None,
    pdf: bool = False,
    previous: Path | None = None,
    allow_open: bool = False,
    waiting: Callable[[], None] | None = None,
) -> Built:
    """Check, rank and write every output as one set into `out` (default `default_out`) —
    or nothing while findings block (`Built.ok` is False, `Built.blocking` says why).
    `waiting()` is called once if another writer holds `out` when the set is ready.
    Raises `ConfigError` (also `BlanksRemain`, `PreviousError`, `TemplateError`), `PdfError`
    (`pdf=True`, before anything is written) and `OutputBusy` or another `OSError`.
    `allow_open`: publish the verified score where an explanation awaits the council's
    conclusion (listed as EXPLANATION_OPEN_PUBLISHED) instead of refusing."""
    from reportgen.pipeline import build as pipeline

    return pipeline.build(
        Path(assessment),
        inputs,
        out,
        allow_missing=allow_missing,
        strict=strict,
        template=template,
        progress=progress,
        pdf=pdf,
        previous=previous,
        allow_open=allow_open,
        waiting=waiting,
    )


def notices(
    assessment: Path,
    inputs: Sequence[Path] | None = None,
    out: Path | None = None,
    template: Path | None = None,
) -> Notices:
    """The verification round's preliminary notices: for every unit whose verified scores
    differ from its own (or whose evidence was found missing) a letter (.docx) and an answer
    workbook (.xlsx), and a zip of all, into `out` (default `default_out(...)/thong-bao`).
    Raises `ConfigError` (also `TemplateError`) and `OutputBusy` or another `OSError`."""
    from reportgen.pipeline import notices as pipeline

    return pipeline.write_notices(Path(assessment), inputs, Path(out) if out else None, template)


def write_findings_report(checked: Checked, out: Path) -> Path:
    """`bao-cao-kiem-tra.xlsx` of a check, written into `out` (under the folder's lock)."""
    from reportgen.pipeline import check as pipeline

    return pipeline.write_findings_report(checked, Path(out))


def audit(assessment: Path, published: Path) -> AuditReport:
    """A published annex (.docx, workbook or tab/comma text) recomputed against the config:
    every disagreement a finding. Raises `ConfigError`."""
    from reportgen.judge.audit import audit as run

    return run(Path(assessment), Path(published))


def draft_correction(report: AuditReport, target: Path, template: Path | None = None) -> Path:
    """The correction an audit's errors call for (Nghị định 30/2020/NĐ-CP, Điều 18): a draft
    decision amending the published one — citing it by number and date, each correction as
    "đã in …, nay sửa là …", the corrected annex attached — written to `target` (a .docx, or a
    folder for du-thao-sua-doi.docx). Raises `NothingToCorrect` (a `ValueError`) when the
    audit found no error in the annex's content, `TemplateError` for a bad template."""
    from reportgen.render import correction

    return correction.write_draft(report, Path(target), Path(template) if template else None)
