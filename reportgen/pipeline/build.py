"""The pipeline: check submissions (config → ingest → validate), build every output (→ rank →
render → one output set). Front ends call it through `reportgen.api`."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import config
from reportgen.config.newyear import BlanksRemain, blank_findings
from reportgen.core import outputs
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding, Findings, Severity, UnitStatus, counts_by_unit
from reportgen.core.location import Location
from reportgen.judge import yoy
from reportgen.judge.answers import settler
from reportgen.judge.comparison import Comparison, Summary
from reportgen.judge.figures import Computation
from reportgen.judge.rank import GroupResult, rank_all
from reportgen.judge.score import Submission
from reportgen.judge.validate import validate
from reportgen.judge.verified import Adjustment
from reportgen.read.ingest import ingest
from reportgen.read.sources import read_sources

if TYPE_CHECKING:
    from reportgen.read.evidence import Cited

OUTPUTS = ("quyet-dinh.docx", "phu-luc.xlsx", "ket-qua.csv", "ket-qua.json")
DECISION = OUTPUTS[0]  # not written for an assessment of kind "table"
FINDINGS_REPORT = "bao-cao-kiem-tra.xlsx"
PDF = "quyet-dinh.pdf"  # with pdf=True
SUMMARY = "tom-tat.md"  # with a previous year: the year-over-year summary
# The order a person reads them in (the web page's downloads, its zip); charts follow.
READING_ORDER = ("quyet-dinh.docx", PDF, "phu-luc.xlsx", FINDINGS_REPORT, *OUTPUTS[2:], SUMMARY)
# Units per chart in the decision: as many as fit the annex page's text height with the
# chart's 11 pt names still at 8 pt or more (a 63 px row at 0,12 mm a pixel); landscape
# pages are lower. A group with more gets one chart per this many.
DECISION_CHART_UNITS = {False: 25, True: 15}  # annex.landscape → units
Progress = Callable[[int, int], None]


@dataclass
class Checked:
    assessment: config.Assessment
    submissions: list[Submission]
    findings: Findings
    missing: list[str]  # registered units with no submission
    misnamed: dict[str, Location] = field(default_factory=dict)  # unit → form with its name
    # typed differently
    adjustments: list[Adjustment] = field(default_factory=list)  # verified scores that differ
    computations: list[Computation] = field(default_factory=list)  # scores from figures
    evidence: list[Cited] = field(default_factory=list)  # the evidence register (forms only)
    unproven: list[Cited] = field(default_factory=list)  # rows found EVIDENCE_MISSING
    outputs: list[Path] = field(default_factory=list)  # the findings report, once written

    @property
    def ok(self) -> bool:
        """Nothing blocks (warnings do not)."""
        return not self.findings.blocking()

    def summary(self) -> str:
        """ "37 biểu hợp lệ, 1 lỗi, 2 cảnh báo"."""
        errors, warnings = len(self.findings.errors), len(self.findings.warnings)
        return f"{len(self.submissions)} biểu hợp lệ, {errors} lỗi, {warnings} cảnh báo"

    @property
    def sent_any(self) -> set[str]:
        """Units with a valid submission."""
        return {s.unit for s in self.submissions}

    def statuses(self) -> dict[str, UnitStatus]:
        """Every registered unit's status, in config order."""
        errors = {f.unit for f in self.findings.errors if f.unit}
        out = {}
        for group in self.assessment.groups:
            for unit in group.units:
                if unit.not_assessed and unit.name not in self.sent_any:
                    out[unit.name] = UnitStatus.NOT_ASSESSED
                elif unit.name in self.misnamed:
                    out[unit.name] = UnitStatus.NAME_DIFFERS
                elif unit.name in self.missing:
                    out[unit.name] = UnitStatus.MISSING
                else:
                    out[unit.name] = UnitStatus.NEEDS_FIX if unit.name in errors else UnitStatus.OK
        return out

    def units(self) -> list[UnitLine]:
        """Every registered unit, in config order, with its status and its findings counted
        (the one count the JSON, the web page and the findings report show)."""
        statuses = self.statuses()
        counts = counts_by_unit(self.findings)
        return [
            UnitLine(
                group,
                unit.name,
                statuses[unit.name],
                counts[(unit.name, Severity.ERROR)],
                counts[(unit.name, Severity.WARNING)],
            )
            for group in self.assessment.groups
            for unit in group.units
        ]

    def as_dict(self, strict: bool = False) -> dict[str, object]:
        """The JSON document of `validate --json` (docs/formats.md)."""
        units = [
            {
                "group": line.group.key,
                "unit": line.unit,
                "status": line.status.value,
                "status_text": line.status.text,
                "errors": line.errors,
                "warnings": line.warnings,
            }
            for line in self.units()
        ]
        return {
            "ok": not self.findings.blocking(strict),
            "findings": [f.as_dict() for f in self.findings],
            "units": units,
            "outputs": [str(p) for p in self.outputs],
        }


@dataclass(frozen=True)
class UnitLine:
    """One registered unit as a check sees it."""

    group: config.Group
    unit: str
    status: UnitStatus
    errors: int
    warnings: int


@dataclass
class Built:
    checked: Checked
    results: list[GroupResult] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)  # written, as one set
    blocking: list[Finding] = field(default_factory=list)  # why nothing was written
    comparison: Comparison | None = None  # against last year's results, when named
    year_summary: Summary | None = None  # of the comparison
    annex: list = field(default_factory=list)  # the annex tables (render.tables.Table)
    records: list[dict[str, object]] = field(default_factory=list)  # ket-qua.csv's rows

    @property
    def ok(self) -> bool:
        return not self.blocking

    @property
    def findings(self) -> Findings:
        return self.checked.findings

    def summary(self) -> str:
        """ "38 đơn vị xếp hạng trong 2 khối; đã ghi 9 tệp", or why nothing was written."""
        if not self.ok:
            return f"Không tạo văn bản: {len(self.blocking)} lỗi cần sửa trước"
        units = sum(len(r.rows) for r in self.results)
        groups, files = len(self.results), len(self.outputs)
        return f"{units} đơn vị xếp hạng trong {groups} khối; đã ghi {files} tệp"

    def as_dict(self) -> dict[str, object]:
        """The JSON document of `build --json` (docs/formats.md)."""
        document = self.checked.as_dict()
        document["ok"] = self.ok
        document["outputs"] = [str(p) for p in self.outputs]
        document["comparison"] = None  # no previous year (or nothing built)
        if self.comparison and self.year_summary:
            decimals = self.checked.assessment.scoring.decimals
            document["comparison"] = self.year_summary.as_dict(decimals, self.comparison.source)
        return document


ANSWERS_FOLDER = "giai-trinh"  # the returned answer workbooks, beside submissions/


def default_inputs(assessment_path: Path) -> list[Path]:
    """`ASSESSMENT/submissions/`, and `ASSESSMENT/giai-trinh/` when there is one."""
    folder = config.resolve_path(Path(assessment_path)).parent
    answers = folder / ANSWERS_FOLDER
    return [folder / "submissions", *([answers] if answers.is_dir() else [])]


def default_out(assessment_path: Path) -> Path:
    """`out/<assessment folder name>`."""
    return Path("out") / config.resolve_path(Path(assessment_path)).parent.resolve().name


def check(
    assessment_path: Path, inputs: Sequence[Path] | None = None, progress: Progress | None = None
) -> Checked:
    """Load the config, read and judge every submission. Raises `ConfigError` only."""
    with _few_collections():
        assessment = config.load(Path(assessment_path))
        paths = [Path(p) for p in inputs] if inputs else default_inputs(assessment_path)
        ingested = ingest(paths, assessment, progress)
        where = _where(paths)
        folder = config.resolve_path(Path(assessment_path)).parent
        tables = read_sources(assessment, folder)
        validated = validate(
            ingested.entries,
            assessment,
            where,
            ingested.verifications,
            tables,
            settler(ingested.answers) if ingested.answers else None,
        )
    findings = Findings()
    findings.extend(ingested.findings)
    findings.extend(validated.findings)
    return Checked(
        assessment,
        validated.submissions,
        findings,
        validated.missing,
        validated.misnamed,
        validated.adjustments,
        validated.computations,
        validated.evidence,
        validated.unproven,
    )


def _where(paths: Sequence[Path]) -> str:
    """Where a unit's missing submission was looked for, as findings name it: the folders
    given, or "các tệp đã chỉ ra" when only files were (a missing unit is not missing from
    one of them)."""
    folders = [p.name or str(p) for p in paths if p.is_dir() or not p.suffix]
    return ", ".join(folders) or "các tệp đã chỉ ra"


@contextmanager
def _few_collections() -> Iterator[None]:
    """The cyclic garbage collector paused while submissions are read: reading makes a few
    objects per cell and almost no cycles, and every full collection walks all of them (a
    100 000-row sheet: 5 of 8 seconds of ingest were collections)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def findings_report(checked: Checked) -> bytes:
    """`bao-cao-kiem-tra.xlsx`: every finding, a summary per unit, the changed scores and
    (with `scoring.evidence` on) the evidence register."""
    from reportgen.config import EvidencePolicy
    from reportgen.render.findings_report import render_findings

    cited = checked.assessment.scoring.evidence is not EvidencePolicy.OFF
    return render_findings(
        checked.assessment,
        checked.findings.items,
        checked.statuses(),
        checked.adjustments,
        checked.computations,
        checked.evidence if cited else None,
    )


def write_findings_report(checked: Checked, out: Path) -> Path:
    """Write the findings report into `out`."""
    path = Path(out) / FINDINGS_REPORT
    content = findings_report(checked)
    outputs.write(path.parent, {path.name: content})
    checked.outputs = [path]
    return path


def present_outputs(folder: Path) -> list[str]:
    """The outputs present in `folder`, in `READING_ORDER`, then each group's chart."""
    folder = Path(folder)
    charts = sorted(p.name for p in folder.glob("bieu-do-*.png")) if folder.is_dir() else []
    return [n for n in (*READING_ORDER, *charts) if (folder / n).is_file()]


def build(
    assessment_path: Path,
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
    """Check, rank and write every output and the findings report into `out` — or nothing
    while findings block. `waiting()`: called once if another writer holds `out`'s lock
    when everything is rendered.

    Raises `BlanksRemain` (a `ConfigError`) while the config holds blanks left by `init`.
    `pdf`: also `quyet-dinh.pdf` (LibreOffice); raises `render.pdf.PdfError`, before anything
    is written, when it cannot be made. A bad `template` raises `TemplateError`.
    `allow_open`: publish the verified score of an explanation the council has not concluded
    on (EXPLANATION_OPEN becomes the warning EXPLANATION_OPEN_PUBLISHED).
    `previous`: last year's ket-qua.json or assessment folder (over the config's `previous`):
    adds the year-over-year sheets, fields and `tom-tat.md`; raises `PreviousError` (a
    `ConfigError`) when it cannot be read."""
    from reportgen.render import charts, data, docx, tables, xlsx  # heavy: only when rendering

    if template is not None:  # /dev/zero, a FIFO, a huge file: refused before any work
        from reportgen.render import templatecheck

        refused = templatecheck.file_problem(Path(template))
        if refused:
            raise templatecheck.TemplateError(Path(template), [str(refused)])
    checked = check(assessment_path, inputs, progress)
    if checked.assessment.blanks:
        file = config.resolve_path(Path(assessment_path))
        raise BlanksRemain(file, blank_findings(checked.assessment, file))
    _needs_previous(checked.assessment, assessment_path, previous)
    if pdf and not checked.assessment.has_decision:
        raise config.ConfigError(
            config.resolve_path(Path(assessment_path)),
            [
                'kind = "table": kết quả không ban hành bằng quyết định nên không có '
                "quyet-dinh.pdf; bỏ --pdf"
            ],
        )
    if allow_missing:
        checked.findings = Findings([_left_out(f, checked.assessment) for f in checked.findings])
    if allow_open:
        checked.findings = _published_open(checked)
    allowed = ("UNIT_LEFT_OUT", "EXPLANATION_OPEN_PUBLISHED")
    blocking = [f for f in checked.findings.blocking(strict) if f.code not in allowed]
    if blocking:
        return Built(checked, blocking=blocking)
    assessment = checked.assessment
    results = rank_all(checked.submissions, assessment)
    comparison = _compare(results, assessment, assessment_path, previous)
    summary = yoy.summarize(comparison, assessment) if comparison else None
    annex = tables.annex_tables(results, assessment, comparison)
    rows = data.records(results, assessment)
    if comparison:  # ket-qua.csv gains last year's rank, total (index) and the change
        from reportgen.render import yearly

        yearly.annotate_records(rows, comparison)
    series = charts.group_series(results, assessment.year, comparison)
    pngs = _chart_pngs(series, assessment, checked.findings)  # before the findings report
    in_decision = _decision_charts(series, pngs, assessment) if assessment.annex.charts else ()
    rendered = {}
    if assessment.has_decision:  # a table published as a report has no decision
        rendered[DECISION] = docx.render_decision(assessment, annex, template, in_decision)
    rendered |= {
        "phu-luc.xlsx": xlsx.render_annex(
            assessment,
            annex,
            [g.name for g in assessment.groups],
            tables.detail_tables(results, assessment) if assessment.annex.detail_sheets else [],
            tables.adjustments_table(checked.adjustments, assessment)
            if checked.adjustments
            else None,
            extra=lambda book: _extra_sheets(book, assessment, series, comparison, summary),
            computations=tables.computations_table(checked.computations, assessment)
            if checked.computations
            else None,
        ),
        "ket-qua.csv": data.render_csv(rows),
        "ket-qua.json": _json(data, results, assessment, comparison, checked),
        FINDINGS_REPORT: findings_report(checked),
    }
    rendered |= pngs
    if summary:
        rendered[SUMMARY] = summary.markdown(assessment.scoring.decimals).encode("utf-8")
    if pdf:
        from reportgen.render import pdf as pdf_writer

        rendered[PDF] = pdf_writer.docx_to_pdf(rendered[DECISION])
    target = Path(out) if out else default_out(assessment_path)
    statements = _statements(results, checked) if _has_record(checked) else {}
    if statements:
        from reportgen.render.statements import ALL

        rendered[ALL] = statements.pop(ALL)
    stale = [] if pdf else [PDF]  # no old PDF beside a newer decision
    if not assessment.has_decision:
        stale.append(DECISION)  # nor a decision an earlier config asked for
    if not summary:
        stale.append(SUMMARY)  # no summary of another comparison
    if target.is_dir():  # no chart of a group this assessment no longer has
        stale += [p.name for p in target.glob("bieu-do-*.png") if p.name not in rendered]
    written = outputs.write(target, rendered, remove=stale, waiting=waiting)  # all rendered first
    written += _write_statements(target / STATEMENTS, statements)
    return Built(
        checked,
        results,
        written,
        comparison=comparison,
        year_summary=summary,
        annex=annex,
        records=rows,
    )


STATEMENTS = "phieu-diem"  # the per-unit statements' folder
NOTICE_PATTERNS = ("Thông báo - *.docx", "Phiếu giải trình - *.xlsx", "thong-bao-*.zip")


def notice_files(notice) -> tuple[str, str]:
    """A notice's letter and answer workbook file names (`notices.Notice`)."""
    from reportgen.render.forms import form_filename

    stem = form_filename(notice.unit).removesuffix(".xlsx")
    return f"Thông báo - {stem}.docx", f"Phiếu giải trình - {stem}.xlsx"


def write_notices(
    assessment_path: Path,
    inputs: Sequence[Path] | None = None,
    out: Path | None = None,
    template: Path | None = None,
):
    """Check the submissions and write every preliminary notice (`notices.prepare`): its
    letter, its answer workbook, and a zip of all, into `out` (default
    `out/<assessment folder>/thong-bao`), as one set; files an earlier run wrote for units
    that no longer need a notice are removed, nothing else. Raises `ConfigError` (also
    `TemplateError`) and `OutputBusy` or another `OSError`."""
    from reportgen.core import atomic
    from reportgen.judge import notices
    from reportgen.render.answer_xlsx import answer_bytes
    from reportgen.render.notice_docx import render_notices

    checked = check(assessment_path, inputs)
    assessment = checked.assessment
    folder = config.resolve_path(Path(assessment_path)).parent.resolve().name
    target = Path(out) if out else default_out(assessment_path) / notices.FOLDER
    made = notices.prepare(checked)
    files: dict[str, bytes] = {}
    letters = render_notices(assessment, made.notices, template)
    for notice, letter in zip(made.notices, letters):
        letter_name, answer_name = notice_files(notice)
        files[letter_name] = letter
        files[answer_name] = answer_bytes(assessment, notice)
    made.zip_name = notices.zip_name(assessment, folder)
    files[made.zip_name] = atomic.zip_bytes(list(files.items()))
    stale = []
    if target.is_dir():  # only what an earlier run wrote: the folder may hold other files
        stale = [
            p.name
            for pattern in NOTICE_PATTERNS
            for p in target.glob(pattern)
            if p.name not in files
        ]
    made.written = outputs.write(target, files, remove=stale)
    return made


def _has_record(checked: Checked) -> bool:
    """Whether there is a verification record (evidence asked for, or scores verified): then
    the results carry it (ket-qua.json schema 3) and each unit gets its statement."""
    from reportgen.config import EvidencePolicy

    return bool(checked.adjustments) or (
        checked.assessment.scoring.evidence is not EvidencePolicy.OFF
    )


def _statements(results: list[GroupResult], checked: Checked) -> dict[str, bytes]:
    """`phieu-diem/<unit>.xlsx` of every assessed unit by file name, and `phieu-diem.xlsx`."""
    from reportgen.render import statements as st
    from reportgen.render.forms import form_filename

    assessment = checked.assessment
    items = st.statements(results, checked.evidence, checked.adjustments)
    files = {form_filename(s.unit): st.unit_bytes(assessment, s) for s in items}
    files[st.ALL] = st.all_bytes(assessment, items)
    return files


def _write_statements(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """The statements as one set in their own folder (the units no longer assessed removed);
    with none, a folder of an earlier build is emptied of its statements."""
    if not files and not folder.is_dir():
        return []
    stale = (
        [p.name for p in folder.glob("*.xlsx") if p.name not in files] if folder.is_dir() else []
    )
    return outputs.write(folder, files, remove=stale)


def _needs_previous(
    assessment: config.Assessment, assessment_path: Path, previous: Path | None
) -> None:
    """Raise `PreviousError` when the annex asks for year-over-year columns and no previous
    year is named (`validate` never asks: it renders nothing)."""
    asked = assessment.annex.year_over_year
    if not asked or previous is not None or assessment.previous:
        return
    listed = ", ".join(f"'{c.value}'" for c in asked)
    raise yoy.PreviousError(
        config.resolve_path(Path(assessment_path)),
        [
            f"annex.columns: cột {listed} cần kết quả năm trước, nhưng chưa có kết quả năm "
            "trước nào được chỉ ra. Ghi vào assessment.toml (ngay dưới dòng year) "
            'previous = "../<thư mục đợt năm trước>" hoặc previous = "<đường dẫn tới '
            'ket-qua.json năm trước>", hoặc chạy build --previous <đường dẫn đó>; '
            "không muốn so sánh thì bỏ " + listed + " khỏi annex.columns."
        ],
    )


def _compare(
    results: list[GroupResult],
    assessment: config.Assessment,
    assessment_path: Path,
    previous: Path | None,
) -> yoy.Comparison | None:
    """This year's results against last year's: `previous`, else the config's `previous`
    (relative to the assessment file), else None."""
    if previous is None and assessment.previous:
        previous = config.resolve_path(Path(assessment_path)).parent / assessment.previous
    if previous is None:
        return None
    return yoy.compare(results, assessment, _previous(Path(previous)))


def _previous(path: Path) -> yoy.Past:
    """Last year's results: its `ket-qua.json`, or its assessment folder checked and ranked
    again here (the pipeline runs once more; `yoy` never calls back into it)."""
    if not yoy.is_assessment(path):
        return yoy.load_previous(path)
    checked = check(path)
    errors = checked.findings.errors
    if errors:
        lines = [f"đợt đánh giá năm trước có {len(errors)} lỗi, chưa xếp hạng được:"]
        lines += [f"{f.location}: {f.message}" for f in errors[:5]]
        raise yoy.PreviousError(config.resolve_path(path), lines)
    results = rank_all(checked.submissions, checked.assessment)
    return yoy.past_of(results, checked.assessment, str(path))


def _decision_charts(
    series, pngs: dict[str, bytes], assessment: config.Assessment
) -> list[list[tuple[str, bytes]]]:
    """Per group, the charts the decision shows under its table: the group's PNG, or for a
    group of more than `DECISION_CHART_UNITS` units one chart per that many (a single chart
    of 93 communes, shrunk to a page, could not be read); none for a group nobody was
    assessed in or when no font was found."""
    from reportgen.render import charts

    per_chart = DECISION_CHART_UNITS[assessment.annex.landscape]
    out = []
    for s in series:
        name = charts.png_name(s)
        if not s.units or name not in pngs:
            out.append([])
        elif len(s.units) <= per_chart:
            out.append([(name, pngs[name])])
        else:
            parts = charts.pages(s, per_chart)
            decimals = assessment.scoring.decimals
            stem = name.removesuffix(".png")
            out.append(
                [(f"{stem}-{i}.png", charts.chart_png(p, decimals)) for i, p in enumerate(parts, 1)]
            )
    return out


def _chart_pngs(series, assessment: config.Assessment, found: Findings) -> dict[str, bytes]:
    """`bieu-do-<group>.png` per group; none, and `CHART_NO_FONT` in `found`, when no serif
    font is installed (a warning about this computer: it never blocks)."""
    from reportgen.render import charts, fonts

    if fonts.serif() is None:
        found.add(
            finding("CHART_NO_FONT", Location("bieu-do-*.png"), fonts=", ".join(fonts.FAMILIES))
        )
        return {}
    decimals = assessment.scoring.decimals
    return {charts.png_name(s): charts.chart_png(s, decimals) for s in series}


def _extra_sheets(book, assessment, series, comparison, summary) -> None:
    from reportgen.render import charts, yearly

    if comparison and summary:
        yearly.add_comparison_sheet(book, assessment, comparison)
        yearly.add_summary_sheet(book, summary, assessment.scoring.decimals)
    charts.add_chart_sheet(book, series)


def _json(data, results, assessment, comparison, checked: Checked) -> bytes:
    """ket-qua.json, with the year-over-year fields when there is a comparison."""
    document = data.document(results, assessment, checked.evidence, checked.adjustments)
    if comparison:
        from reportgen.render import yearly

        yearly.annotate(document, comparison)
    return (data.dumps(document) + "\n").encode("utf-8")


def _left_out(f: Finding, assessment: config.Assessment) -> Finding:
    """UNIT_MISSING as UNIT_LEFT_OUT (--allow-missing): a unit left out, not an error."""
    if f.code != "UNIT_MISSING" or f.unit is None:
        return f
    group = assessment.group_of(f.unit).name
    return finding("UNIT_LEFT_OUT", f.location, f.unit, group=group)


def _published_open(checked: Checked) -> Findings:
    """The findings with each EXPLANATION_OPEN as EXPLANATION_OPEN_PUBLISHED (--allow-open):
    the verified score is published and the open explanation listed."""
    kept = Findings([f for f in checked.findings if f.code != "EXPLANATION_OPEN"])
    for a in checked.adjustments:
        if a.open:
            kept.add(
                finding("EXPLANATION_OPEN_PUBLISHED", a.answer.location, a.unit, criterion=a.label)
            )
    return kept


def assessments_under(folder: Path) -> list[Path]:
    """Every assessment folder (holding `assessment.toml`) directly under `folder`."""
    return sorted(p.parent for p in Path(folder).glob("*/assessment.toml"))
