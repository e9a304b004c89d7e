"""The one face of reportgen: what the CLI, the web page, scripts and a Python user call.

Every call takes paths or an `Assessment` and returns a result of one family (`Result`):
`ok`, `findings`, `summary()` and `outputs` — `Checked` (check), `Built` (build),
`AuditReport` (audit), `TemplateReport` (template check). Errors that stop a call before any
result are exceptions: `ConfigError` (and its kinds `BlanksRemain`, `PreviousError`,
`TemplateError`), `InitError`, `PdfError`, `OutputBusy`. docs/api.md has examples.

Nothing is imported until it is used (the CLI's start-up stays light): functions import their
module when called, and the types load on first access through the module's `__getattr__`."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the names below, loaded on first use by __getattr__
    import datetime as dt
    from decimal import Decimal

    from pandas import DataFrame

    from reportgen.config import BLANK, Assessment, ConfigError
    from reportgen.config.newyear import BlanksRemain, InitError, NewYear
    from reportgen.core.findings import Finding, Findings, Severity, UnitStatus
    from reportgen.core.location import Location
    from reportgen.core.outputs import OutputBusy
    from reportgen.judge.audit import AuditReport
    from reportgen.judge.notices import FOLDER as NOTICES_FOLDER
    from reportgen.judge.notices import Notice, Notices
    from reportgen.judge.rank import MISSING_REASON, GroupResult
    from reportgen.judge.yoy import PreviousError
    from reportgen.pipeline.build import (
        ANSWERS_FOLDER,
        FINDINGS_REPORT,
        OUTPUTS,
        PDF,
        STATEMENTS,
        SUMMARY,
        Built,
        Checked,
        notice_files,
    )
    from reportgen.pipeline.unitcheck import Shown
    from reportgen.read.ingest import OPINIONS
    from reportgen.read.workbook import WORKBOOK_SUFFIXES
    from reportgen.render.correction import NothingToCorrect
    from reportgen.render.forms import form_filename
    from reportgen.render.pdf import PdfError
    from reportgen.render.templatecheck import Report as TemplateReport
    from reportgen.render.templatecheck import TemplateError
    from reportgen.safety.filesafety import MAX_EVIDENCE_BYTES, MAX_FILE_BYTES

Progress = Callable[[int, int], None]  # (files read, files in all)

__all__ = [
    # results: one family (`Result`)
    "Result", "Checked", "Built", "Notices", "AuditReport", "TemplateReport", "NewYear",
    # the model a result holds
    "Assessment", "GroupResult", "Finding", "Findings", "Location", "Severity", "UnitStatus",
    # what stops a call
    "ConfigError", "BlanksRemain", "PreviousError", "TemplateError", "InitError", "PdfError",
    "OutputBusy", "NothingToCorrect",
    # names and limits
    "OUTPUTS", "FINDINGS_REPORT", "PDF", "SUMMARY", "BLANK", "MAX_FILE_BYTES", "MISSING_REASON",
    "MAX_EVIDENCE_BYTES", "WORKBOOK_SUFFIXES", "Progress",
    # calls
    "load", "parse", "config_file", "assessments_under", "default_out",
    "check", "build", "notices", "write_findings_report", "audit", "draft_correction",
    "output_names", "zip_files",
    "dataframe", "dumps", "format_number",
    "new_year", "from_methodology", "methodologies", "carry_over", "fill_blanks", "write_config",
    "form", "forms_zip", "write_forms", "units_to_send", "template_check", "pdf_available",
    "upload_refusal", "read_date", "date_line", "decision_number",
    # the unit portal
    "Shown", "check_unit_file", "evidence_refusal", "form_filename", "Notice", "unit_notice",
    "notice_files", "answer_workbook", "OPINIONS", "NOTICES_FOLDER", "ANSWERS_FOLDER",
    "STATEMENTS",
]  # fmt: skip

_LAZY = {  # public name → (module, name there)
    "Assessment": ("reportgen.config", "Assessment"),
    "ConfigError": ("reportgen.config", "ConfigError"),
    "BLANK": ("reportgen.config", "BLANK"),
    "Checked": ("reportgen.pipeline.build", "Checked"),
    "Built": ("reportgen.pipeline.build", "Built"),
    "Notices": ("reportgen.judge.notices", "Notices"),
    "OUTPUTS": ("reportgen.pipeline.build", "OUTPUTS"),
    "FINDINGS_REPORT": ("reportgen.pipeline.build", "FINDINGS_REPORT"),
    "PDF": ("reportgen.pipeline.build", "PDF"),
    "SUMMARY": ("reportgen.pipeline.build", "SUMMARY"),
    "AuditReport": ("reportgen.judge.audit", "AuditReport"),
    "NothingToCorrect": ("reportgen.render.correction", "NothingToCorrect"),
    "TemplateReport": ("reportgen.render.templatecheck", "Report"),
    "TemplateError": ("reportgen.render.templatecheck", "TemplateError"),
    "NewYear": ("reportgen.config.newyear", "NewYear"),
    "InitError": ("reportgen.config.newyear", "InitError"),
    "BlanksRemain": ("reportgen.config.newyear", "BlanksRemain"),
    "PreviousError": ("reportgen.judge.yoy", "PreviousError"),
    "PdfError": ("reportgen.render.pdf", "PdfError"),
    "OutputBusy": ("reportgen.core.outputs", "OutputBusy"),
    "GroupResult": ("reportgen.judge.rank", "GroupResult"),
    "MISSING_REASON": ("reportgen.judge.rank", "MISSING_REASON"),
    "Finding": ("reportgen.core.findings", "Finding"),
    "Findings": ("reportgen.core.findings", "Findings"),
    "Location": ("reportgen.core.location", "Location"),
    "Severity": ("reportgen.core.findings", "Severity"),
    "UnitStatus": ("reportgen.core.findings", "UnitStatus"),
    "MAX_FILE_BYTES": ("reportgen.safety.filesafety", "MAX_FILE_BYTES"),
    "MAX_EVIDENCE_BYTES": ("reportgen.safety.filesafety", "MAX_EVIDENCE_BYTES"),
    "Shown": ("reportgen.pipeline.unitcheck", "Shown"),
    "Notice": ("reportgen.judge.notices", "Notice"),
    "notice_files": ("reportgen.pipeline.build", "notice_files"),
    "OPINIONS": ("reportgen.read.ingest", "OPINIONS"),
    "NOTICES_FOLDER": ("reportgen.judge.notices", "FOLDER"),
    "ANSWERS_FOLDER": ("reportgen.pipeline.build", "ANSWERS_FOLDER"),
    "STATEMENTS": ("reportgen.pipeline.build", "STATEMENTS"),
    "form_filename": ("reportgen.render.forms", "form_filename"),
    "WORKBOOK_SUFFIXES": ("reportgen.read.workbook", "WORKBOOK_SUFFIXES"),
}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'reportgen.api' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value  # once
    return value


class Result(Protocol):
    """What every result says: whether it is usable, the findings, one line for a person,
    and the files written (none for a check that writes nothing)."""

    @property
    def ok(self) -> bool: ...

    @property
    def findings(self) -> Findings: ...

    @property
    def outputs(self) -> list[Path]: ...

    def summary(self) -> str: ...


# --- Assessments ------------------------------------------------------------------------------


def load(assessment: Path) -> Assessment:
    """The assessment in a folder (its `assessment.toml`) or a .toml file; `ConfigError`
    names every problem."""
    from reportgen import config

    return config.load(Path(assessment))


def parse(text: str, file: Path = Path("assessment.toml")) -> Assessment:
    """An assessment from the text of an `assessment.toml` (`file` names it in messages)."""
    from reportgen import config

    return config.parse(text, Path(file))


def config_file(assessment: Path) -> Path:
    """The `assessment.toml` a folder (or the file itself) stands for."""
    from reportgen import config

    return config.resolve_path(Path(assessment))


def assessments_under(folder: Path) -> list[Path]:
    """Every assessment folder (holding `assessment.toml`) directly under `folder`, sorted."""
    from reportgen.pipeline import build as pipeline

    return pipeline.assessments_under(Path(folder))


def default_out(assessment: Path) -> Path:
    """Where a build writes unless told: `out/<assessment folder name>`."""
    from reportgen.pipeline import build as pipeline

    return pipeline.default_out(Path(assessment))


# --- Check, build, audit ----------------------------------------------------------------------


def check(
    assessment: Path, inputs: Sequence[Path] | None = None, progress: Progress | None = None
) -> Checked:
    """Read and judge every submission (`inputs`: files or folders; default the folder's
    `submissions/`). Writes nothing; raises `ConfigError` only."""
    from reportgen.pipeline import build as pipeline

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
    from reportgen.pipeline import build as pipeline

    return pipeline.write_notices(Path(assessment), inputs, Path(out) if out else None, template)


def write_findings_report(checked: Checked, out: Path) -> Path:
    """`bao-cao-kiem-tra.xlsx` of a check, written into `out` (under the folder's lock)."""
    from reportgen.pipeline import build as pipeline

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


def output_names(folder: Path, wait: float = 5.0) -> list[str]:
    """The outputs present in a build's folder, in the order a person reads them: decision,
    PDF, annex, findings report, CSV, JSON, year-over-year summary, charts. A replacement a
    killed writer left half done (its journal is there) is rolled back first, under the
    folder's lock (waited for `wait` seconds, then `OutputBusy`): never a mixed set."""
    from reportgen.core import outputs
    from reportgen.pipeline import build as pipeline

    folder = Path(folder)
    if (folder / outputs.JOURNAL).exists():
        with outputs.folder_lock(folder, wait):  # taking it rolls the killed writer back
            pass
    return pipeline.present_outputs(folder)


def zip_files(folder: Path, names: Iterable[str]) -> bytes:
    """The files `names` of `folder` as one zip, same bytes for the same files."""
    from reportgen.core import atomic

    return atomic.zip_bytes((name, (Path(folder) / name).read_bytes()) for name in names)


def dataframe(result: Built, *, exact: bool = True) -> DataFrame:
    """A build's results as a pandas DataFrame: one row per ranked unit (group, stt, rank,
    unit, every criterion key, total, and index, grade and last year's columns when there
    are), numbers as `Decimal` — or as float with `exact=False`. Needs the `[pandas]` extra."""
    try:
        import pandas
    except ImportError:
        raise ImportError("dataframe() needs pandas: pip install 'reportgen[pandas]'") from None
    rows = result.records
    if not exact:
        rows = [{k: _float(v) for k, v in row.items()} for row in rows]
    return pandas.DataFrame(rows)


def _float(value: object) -> object:
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


def dumps(document: object) -> str:
    """JSON of `as_dict()` documents, Decimals written digit for digit (as in ket-qua.json)."""
    from reportgen.render.data import dumps as write

    return write(document)


def format_number(value: Decimal, decimals: int, fixed: bool = False) -> str:
    """A score as documents show it (`99,5`): half-up to `decimals` places, trailing zeros
    dropped unless `fixed`."""
    from reportgen.core import numbers

    return numbers.format_number(value, decimals, fixed=fixed)


# --- A new year -------------------------------------------------------------------------------


def new_year(source: Path, target: Path, year: int | None = None) -> NewYear:
    """Write `target/assessment.toml` for `year` (default: the source's year + 1) from last
    year's assessment at `source`, blanks left for what is new each year. Raises
    `ConfigError`, `InitError` (the target exists, the same year)."""
    from reportgen.config import newyear

    return newyear.init(Path(source), Path(target), year)


def from_methodology(name: str, target: Path, year: int | None = None) -> NewYear:
    """Write `target/assessment.toml` for `year` (default: this year) following the shipped
    criteria set `name` (`methodologies()`), the province's parts left blank. Raises
    `InitError` (an unknown pack, the target exists)."""
    from reportgen.config import methodology

    return methodology.start(Path(target), name, year)


def methodologies() -> dict[str, str]:
    """The shipped criteria sets (methodology packs): name → version and source."""
    from reportgen.config import methodology

    return {p.name: f"{p.version}: {p.source}" for p in methodology.packs().values()}


def carry_over(source: Path, year: int) -> NewYear:
    """What `new_year` would write, without writing: the new file's text and its blanks."""
    from reportgen.config import newyear

    file = config_file(source)
    return newyear.carry_over(_read_config(file), year, file)


def fill_blanks(text: str, values: Mapping[str, str]) -> str:
    """The text of an `assessment.toml` with keys (`decision.number`, `decision.date`,
    `decision.proposal`, `signer.name`) set to the values typed for them, comments and layout
    kept; a value that reads as a TOML number or date is written as one."""
    from reportgen.config import newyear

    return newyear.fill(text, values)


def write_config(folder: Path, text: str) -> Path:
    """A new assessment folder: `assessment.toml` holding `text` and an empty `submissions/`.
    Refuses (`FileExistsError`) a folder that exists."""
    from reportgen.config import newyear

    return newyear.write_folder(Path(folder), text)


def _read_config(file: Path) -> str:
    from reportgen import config

    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise config.ConfigError(file, [f"không đọc được tệp: {exc}"]) from None


# --- Forms, templates, files ------------------------------------------------------------------


def form(assessment: Assessment, unit: str) -> tuple[str, bytes]:
    """One unit's blank score sheet: (file name, .xlsx bytes)."""
    from reportgen.render import forms

    return forms.form_filename(unit), forms.form_bytes(assessment, unit)


def units_to_send(assessment: Assessment) -> list[str]:
    """The units a blank form goes to: every registered unit but those not assessed."""
    from reportgen.render import forms

    return forms.units_to_send(assessment)


def forms_zip(assessment: Assessment) -> bytes:
    """The blank form of every unit of `units_to_send` in one zip, same bytes for the same
    config."""
    from reportgen.core import atomic

    return atomic.zip_bytes(form(assessment, unit) for unit in units_to_send(assessment))


def write_forms(assessment: Assessment, out: Path) -> list[Path]:
    """The blank form of every unit of `units_to_send` written into `out` (as one set, under
    the lock)."""
    from reportgen.render import forms

    return forms.write_forms(assessment, Path(out))


def template_check(template: Path | None = None, notice: bool = False) -> TemplateReport:
    """A decision template (default: the bundled one) against what reportgen provides; a
    notice template (`notice`, or a file named `thong-bao*`) against the notice's names."""
    from reportgen.render import templatecheck
    from reportgen.render.docx import default_template
    from reportgen.render.templatekinds import DECISION, NOTICE

    path = Path(template) if template else default_template()
    notice = notice or path.name.startswith("thong-bao")
    return templatecheck.check(path, NOTICE if notice else DECISION)


def pdf_available() -> bool:
    """Whether LibreOffice is installed, so `build(pdf=True)` can make the PDF."""
    from reportgen.render import pdf

    return pdf.available()


def upload_refusal(path: Path, shown: str | None = None) -> str | None:
    """Why a received file is not a workbook reportgen will read — not a workbook at all, or
    a sheet too large — as a message for whoever sent it (naming the file as `shown`, default
    its name), or None when it will be read."""
    from reportgen.safety import extent, filesafety

    path = Path(path)
    sniff = filesafety.sniff(path)
    if sniff.refusal:
        return sniff.refusal.naming(shown or path.name)
    too_large = extent.oversized(path, sniff.kind)
    return too_large.finding(shown or path.name).message if too_large else None


# --- Dates and numbers as a clerk writes them -------------------------------------------------


def read_date(text: str) -> dt.date | None:
    """A date as typed: `08/01/2021` (day first) or `2021-01-08`; None when neither."""
    from reportgen.core import vnformat

    return vnformat.read_date(text)


def date_line(day: dt.date) -> str:
    """`ngày 08 tháng 01 năm 2021`, as the decision writes its date."""
    from reportgen.core import vnformat

    return vnformat.date_line(day)


def decision_number(number: int | None, symbol: str) -> str:
    """`01/QĐ-UBND`, as the decision prints its number; `(chưa điền)/QĐ-UBND` while blank."""
    from reportgen.core import vnformat

    if number is None:
        return f"(chưa điền)/{symbol}"
    return vnformat.document_number(number, symbol)


# --- The unit portal --------------------------------------------------------------------------


def check_unit_file(assessment: Path, unit: str, path: Path) -> list[Shown]:
    """The workbook at `path` read as `unit`'s submission, with only what that unit may see:
    the findings about that file and that unit, none naming another unit (empty: Đạt)."""
    from reportgen.pipeline import unitcheck

    return unitcheck.check_unit_file(Path(assessment), unit, Path(path))


def evidence_refusal(path: Path, shown: str | None = None) -> str | None:
    """Why a received evidence file is not taken (not a PDF, picture, Word document or
    workbook; too large, empty, encrypted, bomb-like), naming it as `shown`; None: taken."""
    from reportgen.safety import filesafety

    path = Path(path)
    sniff = filesafety.sniff_evidence(path)
    if sniff.refusal is None:
        return None
    return sniff.refusal.naming(shown or path.name)


def unit_notice(assessment: Path, unit: str) -> Notice | None:
    """`unit`'s preliminary notice as `notices` states it from the current submissions and
    verification (None: nothing changed for it)."""
    from reportgen.judge import notices
    from reportgen.pipeline import build as pipeline

    made = notices.prepare(pipeline.check(Path(assessment)))
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
    from reportgen.pipeline.build import notice_files
    from reportgen.render.answer_xlsx import answer_bytes

    return notice_files(notice)[1], answer_bytes(assessment, notice, answers, answered)
