"""The one face of reportgen: what the CLI, the web page, scripts and a Python user call.

Every call takes paths or an `Assessment` and returns a result of one family (`Result`):
`ok`, `findings`, `summary()` and `outputs` — `Checked` (check), `Built` (build),
`AuditReport` (audit), `TemplateReport` (template check). Errors that stop a call before any
result are exceptions: `ConfigError` (and its kinds `BlanksRemain`, `PreviousError`,
`TemplateError`), `InitError`, `PdfError`, `OutputBusy`. docs/api.md has examples.

The calls live in the modules of their jobs — `assessments` (load, a new year), `runs` (check,
build, notices, audit), `outputs` (what is handed on: outputs, zips, forms), `documents`
(templates, the PDF, numbers and dates as printed), `portal` (received files, a unit's round)
— and are imported here: this package is where every front end imports them from.

Nothing is imported until it is used (the CLI's start-up stays light): functions import their
module when called, and the types load on first access through the package's `__getattr__`."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from reportgen.api.assessments import (
    assessments_under,
    carry_over,
    config_file,
    default_out,
    fill_blanks,
    from_methodology,
    load,
    methodologies,
    new_year,
    parse,
    write_config,
)
from reportgen.api.documents import (
    date_line,
    decision_number,
    format_number,
    pdf_available,
    read_date,
    template_check,
)
from reportgen.api.outputs import (
    dataframe,
    dumps,
    form,
    forms_zip,
    output_names,
    units_to_send,
    write_forms,
    zip_files,
)
from reportgen.api.portal import (
    answer_workbook,
    check_unit_file,
    evidence_refusal,
    unit_notice,
    upload_refusal,
)
from reportgen.api.runs import (
    Progress,
    audit,
    build,
    check,
    draft_correction,
    notices,
    write_findings_report,
)

if TYPE_CHECKING:  # the names below, loaded on first use by __getattr__
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
    from reportgen.pipeline.build import Built
    from reportgen.pipeline.check import Checked
    from reportgen.pipeline.names import (
        ANSWERS_FOLDER,
        FINDINGS_REPORT,
        OUTPUTS,
        PDF,
        STATEMENTS,
        SUMMARY,
        notice_files,
    )
    from reportgen.pipeline.unitcheck import Shown
    from reportgen.read.answer_sheet import OPINIONS
    from reportgen.read.workbook import WORKBOOK_SUFFIXES
    from reportgen.render.correction import NothingToCorrect
    from reportgen.render.filenames import form_filename
    from reportgen.render.pdf import PdfError
    from reportgen.render.templatecheck import Report as TemplateReport
    from reportgen.render.templatecheck import TemplateError
    from reportgen.safety.sniff import MAX_EVIDENCE_BYTES, MAX_FILE_BYTES

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
    "Checked": ("reportgen.pipeline.check", "Checked"),
    "Built": ("reportgen.pipeline.build", "Built"),
    "Notices": ("reportgen.judge.notices", "Notices"),
    "OUTPUTS": ("reportgen.pipeline.names", "OUTPUTS"),
    "FINDINGS_REPORT": ("reportgen.pipeline.names", "FINDINGS_REPORT"),
    "PDF": ("reportgen.pipeline.names", "PDF"),
    "SUMMARY": ("reportgen.pipeline.names", "SUMMARY"),
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
    "MAX_FILE_BYTES": ("reportgen.safety.sniff", "MAX_FILE_BYTES"),
    "MAX_EVIDENCE_BYTES": ("reportgen.safety.sniff", "MAX_EVIDENCE_BYTES"),
    "Shown": ("reportgen.pipeline.unitcheck", "Shown"),
    "Notice": ("reportgen.judge.notices", "Notice"),
    "notice_files": ("reportgen.pipeline.names", "notice_files"),
    "OPINIONS": ("reportgen.read.answer_sheet", "OPINIONS"),
    "NOTICES_FOLDER": ("reportgen.judge.notices", "FOLDER"),
    "ANSWERS_FOLDER": ("reportgen.pipeline.names", "ANSWERS_FOLDER"),
    "STATEMENTS": ("reportgen.pipeline.names", "STATEMENTS"),
    "form_filename": ("reportgen.render.filenames", "form_filename"),
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
