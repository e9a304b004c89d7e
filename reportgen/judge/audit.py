"""Auditing a published annex: read its tables, rank the published rows again and report
every disagreement as a finding.

Nothing here reads a table or ranks a unit on its own: the published file becomes `Sheet`
grids (Word tables, workbook sheets, tab-separated text), `read.consolidated` finds
each table and places its columns, names go through the `UnitRegistry`, numbers through
`numbers`, and the published rows, turned into submissions, are ranked by `rank.rank_group`
— the one owner of totals, indices, grades, shared ranks, order, units not ranked. What the
audit adds is the comparison, row by row and unit by unit: the tables are found in
`audit_tables`, their rows read in `audit_rows`, compared in `audit_compare`; here, each table
audited in turn, and each registered unit looked for across them.

"Dòng N" in a message is the Nth unit row of its table (the STT it should carry). The
finding's location points at the place in the file: a cell of a workbook, a line of a text
file, or the unit row of a Word table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen import config
from reportgen.config import Assessment, Group
from reportgen.core.catalogue import finding
from reportgen.core.findings import Findings
from reportgen.core.location import Location
from reportgen.core.text import clean
from reportgen.judge.audit_compare import Gap, check_numbering, check_order, check_ranks, compare
from reportgen.judge.audit_rows import AuditRow, exclude, not_applying, read_row
from reportgen.judge.audit_tables import PublishedTable, annex_tables, group_of, unplaced_columns
from reportgen.judge.rank import GroupResult, rank_group
from reportgen.judge.registry import UnitRegistry
from reportgen.judge.score import Submission
from reportgen.read.consolidated import TableColumns, consolidated_table
from reportgen.read.layout import Layout
from reportgen.read.published import read_published
from reportgen.read.raw import RawEntry

# What a column lets audit compare, by the name the summary gives it.
CHECKS = {
    "total": "tổng",
    "index": "chỉ số",
    "grade": "xếp loại",
    "rank": "xếp hạng",
    "number": "STT",
}
NOT_RANKED_MARKS = {"", "-", "–", "—"}  # the rank cell of a unit assessed but not ranked


@dataclass
class AuditTable:
    name: str  # "Bảng 1" (Word, text) or the sheet name (workbooks)
    group: Group | None  # the group most of its units belong to
    location: Location
    rows: list[AuditRow] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)  # of "total", "index", "grade", ...
    unplaced: list[str] = field(default_factory=list)  # "cột D 'Vị thứ'": not understood
    submissions: list[Submission] = field(default_factory=list)  # its ranked rows, in order
    result: GroupResult | None = None  # the published rows ranked again
    gaps: list[Gap] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "group": self.group.key if self.group else None,
            "location": str(self.location),
            "unplaced": self.unplaced,
            "rows": [r.as_dict() for r in self.rows],
        }


@dataclass
class AuditReport:
    published: str
    tables: list[AuditTable] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    compared: list[str] = field(default_factory=list)  # what every table let audit compare
    not_compared: list[str] = field(default_factory=list)  # columns no table had
    assessment: Assessment | None = None

    @property
    def ok(self) -> bool:
        """True when the annex agrees with itself and the config in everything compared."""
        return not self.findings.errors

    @property
    def complete(self) -> bool:
        """True when every column of every table was understood and every table belongs to
        a group: names, order and ranks (or the values they follow from) were all compared."""
        return bool(self.tables) and all(t.group and not t.unplaced for t in self.tables)

    @property
    def unchecked(self) -> list[str]:
        """What could not be compared: each column not understood, each table of no group."""
        out = []
        for t in self.tables:
            out += [f"{c} ({t.name})" for c in t.unplaced]
            if t.group is None:
                out.append(f"{t.name} (không nhận ra khối nào)")
        return out

    @property
    def outputs(self) -> list[Path]:
        return []  # an audit writes nothing

    def summary(self) -> str:
        """ "38 dòng; đã đối chiếu: tổng, thứ tự; không có cột xếp hạng"."""
        rows = sum(len(t.rows) for t in self.tables)
        text = f"{rows} dòng; đã đối chiếu: {', '.join(self.compared)}"
        if self.not_compared:
            text += f"; không có cột {', '.join(self.not_compared)}"
        if self.unchecked:
            text += f"; chưa đối chiếu được: {'; '.join(self.unchecked)}"
        return text

    def verdict(self) -> str:
        """The last line: a match only when everything was compared."""
        if not self.ok:
            errors = len(self.findings.errors)
            return f"Phụ lục có {errors} lỗi (xem các dòng trên)."
        if not self.complete:
            return (
                "Chưa thể nói phụ lục khớp: không thấy sai ở những gì đã đối chiếu, nhưng chưa "
                f"đối chiếu được {'; '.join(self.unchecked) or 'bảng nào'}."
            )
        return "Phụ lục khớp với cách tính và cấu hình: đã đối chiếu tên, thứ tự và xếp hạng."

    def as_dict(self) -> dict[str, object]:
        return {
            "published": self.published,
            "ok": self.ok,
            "complete": self.complete,
            "summary": self.summary() if self.tables else "",
            "verdict": self.verdict(),
            "compared": self.compared,
            "not_compared": self.not_compared,
            "unchecked": self.unchecked,
            "tables": [t.as_dict() for t in self.tables],
            "findings": [f.as_dict() for f in self.findings],
        }


def audit(assessment_path: Path, published: Path) -> AuditReport:
    """Audit the annex tables of a published decision (.docx, workbook, or tab-separated text)
    against itself and the assessment's config. Raises `ConfigError` only."""
    assessment = config.load(Path(assessment_path))
    path = Path(published)
    shown_name = path.name or str(path)
    report = AuditReport(str(path), assessment=assessment)
    layout = Layout(assessment, sourced=True, published=True)
    sheets, mode, problems = read_published(path, shown_name)
    report.findings.extend(problems)
    if problems:
        return report
    registry = UnitRegistry(assessment)
    for sheet, name in annex_tables(sheets, layout, mode):
        found = consolidated_table(sheet, shown_name, layout)
        if found and found[1]:
            columns, entries = found
            context = PublishedTable(name, sheet, entries, shown_name, mode)
            table = _audit_table(context, columns, entries, assessment, registry, report)
            report.tables.append(table)
    if not report.tables:
        report.findings.add(
            finding("AUDIT_NO_TABLE", Location(shown_name), criteria=layout.labels())
        )
        return report
    _check_units(report, assessment, shown_name)
    _what_was_compared(report, assessment, shown_name)
    return report


def _what_was_compared(report: AuditReport, assessment: Assessment, shown_name: str) -> None:
    """Name what was compared; a kind of check no table allowed is an AUDIT_NOT_CHECKED."""
    present = {kind for t in report.tables for kind in t.columns}
    sets = [assessment.criteria_set(t.group) for t in report.tables if t.group]
    expected = {"rank", "number"}
    if any(len(s.criteria) > 1 for s in sets):  # one criterion is its own total
        expected.add("total")
    if any(s.grades for s in sets):
        expected.add("grade")
    if any(s.index for s in sets):
        expected.add("index")
    report.compared = ["tên đơn vị", "điểm tiêu chí"]
    report.compared += [CHECKS[k] for k in CHECKS if k in present and k != "number"]
    report.compared.append("thứ tự")
    if "number" in present:
        report.compared.append("STT")
    report.not_compared = [CHECKS[k] for k in CHECKS if k in expected and k not in present]
    for kind in ("total", "grade", "rank"):
        if kind in expected and kind not in present:
            report.findings.add(
                finding("AUDIT_NOT_CHECKED", Location(shown_name), check=CHECKS[kind])
            )


def _audit_table(
    table: PublishedTable,
    columns: TableColumns,
    entries: list[RawEntry],
    assessment: Assessment,
    registry: UnitRegistry,
    report: AuditReport,
) -> AuditTable:
    """One table: its rows read, the ones that can be ranked ranked again by `rank_group`,
    and each compared with what the table published."""
    out = report.findings
    matches = [registry.match(clean(e.name.value)) for e in entries]
    group = group_of(columns, [m.unit for m in matches], assessment)
    criteria = assessment.criteria_set(group) if group else None
    rows = []
    for position, (entry, match) in enumerate(zip(entries, matches), start=1):
        rows.append(read_row(position, entry, match, table, criteria, assessment, out))
    result = AuditTable(table.name, group, Location(table.shown, table.name), rows)
    result.columns = set(columns.fields) - {"self_total"}
    result.unplaced = unplaced_columns(table, columns, out)
    if group is None or criteria is None:
        return result
    exclude(rows, group, table, out)
    ranked = [r for r in rows if r.ranked]
    result.submissions = [
        Submission(
            r.unit,  # type: ignore[arg-type]
            dict(r.scores),  # type: ignore[arg-type]
            r.position,  # the published order: what an input-order tie-break keeps
            not_applicable=not_applying(r, criteria, assessment.scoring.decimals),
        )
        for r in ranked
    ]
    result.result = rank_group(group, result.submissions, assessment)
    by_unit = {row.unit: row for row in result.result.rows}
    for row in ranked:
        compare(row, by_unit[row.unit], entries[row.position - 1], table, criteria, out)
    missing = [u.name for u in group.units if not u.not_assessed and u.name not in set(by_unit)]
    room = len(missing)
    reasons = dict(result.result.not_ranked)
    rank_gaps = check_ranks(rows, entries, table, criteria, reasons, room, out)
    stt_gaps = check_numbering(entries, rows, table, room, out)  # the same units, seen twice
    result.gaps = rank_gaps or stt_gaps
    check_order(rows, criteria, out)
    return result


def _check_units(report: AuditReport, assessment: Assessment, shown_name: str) -> None:
    """Each unit listed in its group's table; every group has a table; a registered unit
    that no table of its group lists is one finding, placed where the published ranks (or
    STT) leave a gap for it."""
    out = report.findings
    for table in report.tables:
        if table.group is None:
            continue
        for row in table.rows:
            if row.unit is None:
                continue
            group = assessment.group_of(row.unit)
            if group.key != table.group.key:
                out.add(
                    finding(
                        "AUDIT_WRONG_GROUP",
                        row.location,
                        row.unit,
                        row=row.position,
                        group=group.name,
                        table_group=table.group.name,
                    )
                )
    listed = {r.unit for t in report.tables for r in t.rows if r.unit}  # wrong group: named
    for group in assessment.groups:
        tables = [t for t in report.tables if t.group is not None and t.group.key == group.key]
        if not tables:
            out.add(finding("AUDIT_GROUP_MISSING", Location(shown_name), group=group.name))
            continue
        missing = [u.name for u in group.units if not u.not_assessed and u.name not in listed]
        gaps = next((t.gaps for t in tables if t.gaps), [])
        for unit in missing:
            gap = gaps[0] if len(gaps) == 1 and len(missing) == 1 else None
            where = tables[0].location if gap is None or gap.below is None else gap.below.location
            out.add(
                finding(
                    "AUDIT_MISSING",
                    where,
                    unit,
                    group=group.name,
                    place=_place(gap, gaps if gap is None else []),
                )
            )


def _place(gap: Gap | None, gaps: list[Gap]) -> str:
    """Where a missing unit stood, from the gap its absence left ("" when none shows)."""
    if gap is not None:
        around = [
            f"sau {gap.above.label}" if gap.above else "",
            f"trước {gap.below.label}" if gap.below else "",
        ]
        between = ", ".join(a for a in around if a)
        return f"; theo thứ tự đã in, đơn vị này đứng ở vị trí {gap.first} ({between})"
    if gaps:
        places = ", ".join(str(g.first) for g in gaps)
        return f"; bảng đã in bỏ trống các vị trí {places}"
    return ""
