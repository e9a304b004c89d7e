"""The build: check, rank, compare with last year, render every output and write them as
one set (→ rank → render → one output set). Front ends call it through `reportgen.api`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportgen import config
from reportgen.config.newyear import BlanksRemain, blank_findings
from reportgen.core import outputs
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding, Findings
from reportgen.judge import yoy
from reportgen.judge.comparison import Comparison, Summary
from reportgen.judge.rank import GroupResult, rank_all
from reportgen.pipeline import previous as last_year
from reportgen.pipeline.chart_pngs import chart_pngs, decision_charts
from reportgen.pipeline.check import Checked, Progress, check, findings_report
from reportgen.pipeline.names import (
    DECISION,
    FINDINGS_REPORT,
    PDF,
    STATEMENTS,
    SUMMARY,
    default_out,
)
from reportgen.pipeline.statements import has_record, statement_files, write_statements


@dataclass
class Built:
    """What a build wrote, or why it wrote nothing (`blocking`): the check it rests on, each
    group ranked, the annex tables, the CSV rows and the year-over-year comparison it showed —
    carried here so that no front end computes them again."""

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
    last_year.needs_previous(checked.assessment, assessment_path, previous)
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
    comparison = last_year.compare(results, assessment, assessment_path, previous)
    summary = yoy.summarize(comparison, assessment) if comparison else None
    annex = tables.annex_tables(results, assessment, comparison)
    rows = data.records(results, assessment)
    if comparison:  # ket-qua.csv gains last year's rank, total (index) and the change
        from reportgen.render import yearly

        yearly.annotate_records(rows, comparison)
    series = charts.group_series(results, assessment.year, comparison)
    pngs = chart_pngs(series, assessment, checked.findings)  # before the findings report
    in_decision = decision_charts(series, pngs, assessment) if assessment.annex.charts else ()
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
    statements = statement_files(results, checked) if has_record(checked) else {}
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
    written += write_statements(target / STATEMENTS, statements)
    return Built(
        checked,
        results,
        written,
        comparison=comparison,
        year_summary=summary,
        annex=annex,
        records=rows,
    )


def _extra_sheets(book, assessment, series, comparison, summary) -> None:
    from reportgen.render import yearly
    from reportgen.render.chart_sheet import add_chart_sheet

    if comparison and summary:
        yearly.add_comparison_sheet(book, assessment, comparison)
        yearly.add_summary_sheet(book, summary, assessment.scoring.decimals)
    add_chart_sheet(book, series)


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
