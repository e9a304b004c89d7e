"""Auditing a published annex: read its tables, rank the published rows again and report
every disagreement as a finding.

Nothing here reads a table or ranks a unit on its own: the published file becomes `Sheet`
grids (Word tables, workbook sheets, tab-separated text), `ingest.consolidated_table` finds
each table and places its columns, names go through the `UnitRegistry`, numbers through
`numbers`, and the published rows, turned into submissions, are ranked by `rank.rank_group`
— the one owner of totals, indices, grades, shared ranks, order, units not ranked. What this
module adds is the comparison, row by row and unit by unit.

"Dòng N" in a message is the Nth unit row of its table (the STT it should carry). The
finding's location points at the place in the file: a cell of a workbook, a line of a text
file, or the unit row of a Word table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from pathlib import Path

from reportgen import config
from reportgen.config import Assessment, CriteriaSet, Group, NotApplicable, RankBy
from reportgen.core.catalogue import finding
from reportgen.core.findings import Findings
from reportgen.core.location import Location, column_letter
from reportgen.core.numbers import format_number, parse_or_none, printed_digits, rank_cell, shown
from reportgen.core.text import clean, label_key
from reportgen.judge.rank import GroupResult, Row, rank_group
from reportgen.judge.registry import UnitRegistry
from reportgen.judge.score import Submission, index_for, rescaled, roll_up, share_of_max, total_for
from reportgen.judge.stated import grade_differs, total_differs
from reportgen.read.ingest import (
    HEADER_SEARCH_UP,
    Layout,
    RawEntry,
    RawValue,
    TableColumns,
    consolidated_table,
    heading_kind,
)
from reportgen.read.published import CELLS, LINES, read_published
from reportgen.read.workbook import Sheet

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
class AuditRow:
    """One published unit row, with what the config and the ranking make of it."""

    position: int  # 1..n down its table
    name: str  # as published
    unit: str | None  # the registered unit, None when the name is unknown
    location: Location
    stt: str | None = None  # as published
    scores: dict[str, Decimal | None] = field(default_factory=dict)  # None: not a number
    not_applicable: set[str] = field(default_factory=set)  # criteria printed "KAD"
    stated_total: Decimal | None = None
    total: Decimal | None = None  # recomputed; None when a score is not a number
    stated_index: Decimal | None = None
    index: Decimal | None = None  # recomputed, at the set's decimals
    stated_grade: str | None = None
    grade: str | None = None  # from the bands, for the recomputed total
    stated_rank: str | None = None
    rank: int | None = None  # recomputed shared rank; None: not ranked
    expected_position: int | None = None  # where `rank.rank_group` puts the row
    ranked: bool = False  # taken into the ranking (a known unit of the table's group, once)
    computed: Row | None = None  # its row of the ranking

    @property
    def label(self) -> str:
        return self.unit or self.name

    def as_dict(self) -> dict[str, object]:
        def num(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "row": self.position,
            "name": self.name,
            "unit": self.unit,
            "location": str(self.location),
            "stt": self.stt,
            "scores": {key: num(value) for key, value in self.scores.items()},
            "stated_total": num(self.stated_total),
            "total": num(self.total),
            "stated_index": num(self.stated_index),
            "index": num(self.index),
            "stated_grade": self.stated_grade,
            "grade": self.grade,
            "stated_rank": self.stated_rank,
            "rank": self.rank,
            "expected_row": self.expected_position,
        }


@dataclass
class Gap:
    """A place in a published ranking where a row is missing: the ranks (or STT) skipped
    and the row printed just below them."""

    first: int  # the first rank (or STT) skipped
    count: int
    below: AuditRow | None
    above: AuditRow | None


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
    for sheet, name in _annex_tables(sheets, layout, mode):
        found = consolidated_table(sheet, shown_name, layout)
        if found and found[1]:
            columns, entries = found
            context = _Table(name, sheet, entries, shown_name, mode)
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


def _annex_tables(sheets: list[Sheet], layout: Layout, mode: str) -> list[tuple[Sheet, str]]:
    """One grid per header row, so that two tables on one sheet (or in one text) are two
    tables; each part keeps a few rows above its header for merged headings, and its offset
    so addresses stay those of the file. Returns (part, table name) pairs."""
    tables: list[tuple[Sheet, str]] = []
    for sheet in sheets:
        headers = [i for i, row in enumerate(sheet.rows) if layout.headers(row)]
        parts = []
        for k, h in enumerate(headers):
            start = max(h - HEADER_SEARCH_UP, headers[k - 1] + 1 if k else 0)
            end = headers[k + 1] if k + 1 < len(headers) else len(sheet.rows)
            parts += [(r, start + o) for r, o in _by_group(sheet.rows[start:end], h - start)]
        for k, (rows, start) in enumerate(parts):
            if mode == CELLS:
                name = sheet.name if len(parts) == 1 else f"{sheet.name} (bảng {k + 1})"
            else:
                name = f"Bảng {len(tables) + 1}"
            tables.append((Sheet(name, rows, sheet.top + start, sheet.left), name))
    return tables


def _by_group(rows: list[list[object]], header: int) -> list[tuple[list[list[object]], int]]:
    """A table with a group column ("group", "Khối": ket-qua.csv, the transcribed annex) as
    one table per group, the other groups' rows blanked so addresses stay the file's."""
    heads = [label_key(c) if isinstance(c, str) else "" for c in rows[header]]
    column = next((j for j, h in enumerate(heads) if heading_kind(h) == "group"), None)
    if column is None:
        return [(rows, 0)]

    def group(row: list[object]) -> str:
        return clean(row[column]) if column < len(row) else ""

    values = list(dict.fromkeys(group(r) for r in rows[header + 1 :] if group(r)))
    return [
        (
            [r if i <= header or group(r) == value else [""] * len(r) for i, r in enumerate(rows)],
            0,
        )
        for value in values
    ] or [(rows, 0)]


# --- Reading the rows ---------------------------------------------------------------------


def _shown_value(value: object) -> str:
    text = clean(value)
    return f"'{text}'" if text else "ô trống"


class _Table:
    """A published table's name and how its cells are located in the file."""

    def __init__(self, name: str, sheet: Sheet, entries: list[RawEntry], shown: str, mode: str):
        self.name, self.sheet, self.shown, self.mode = name, sheet, shown, mode
        self.positions = {
            self._line(e.name.location): i for i, e in enumerate(entries, start=1)
        }  # physical row → unit row, for Word tables

    @staticmethod
    def _line(location: Location) -> int:
        return location.row or 0

    def where(self, value: RawValue) -> Location:
        loc = value.location
        if self.mode == CELLS:
            return loc
        line = self._line(loc)
        row = line if self.mode == LINES else self.positions.get(line, line)
        return Location(loc.file, self.name, row=row)

    def header_cell(self, columns: TableColumns, j: int) -> Location:
        raw = RawValue.at(self.sheet, self.shown, columns.header, j)
        if self.mode == CELLS:
            return raw.location
        return Location(self.shown, self.name, row=raw.location.row)


def _audit_table(
    table: _Table,
    columns: TableColumns,
    entries: list[RawEntry],
    assessment: Assessment,
    registry: UnitRegistry,
    report: AuditReport,
) -> AuditTable:
    out = report.findings
    matches = [registry.match(clean(e.name.value)) for e in entries]
    group = _group_of(columns, [m.unit for m in matches], assessment)
    criteria = assessment.criteria_set(group) if group else None
    rows = []
    for position, (entry, match) in enumerate(zip(entries, matches), start=1):
        rows.append(_audit_row(position, entry, match, table, criteria, assessment, out))
    result = AuditTable(table.name, group, Location(table.shown, table.name), rows)
    result.columns = set(columns.fields) - {"self_total"}
    for j, heading in columns.unplaced:
        letter = column_letter(j + table.sheet.left)  # the file's column, not the grid's
        shown_heading = heading or "(không có tiêu đề)"
        result.unplaced.append(f"cột {letter} '{shown_heading}'")
        out.add(
            finding(
                "AUDIT_COLUMN_UNKNOWN",
                table.header_cell(columns, j),
                table=table.name,
                letter=letter,
                heading=shown_heading,
                example=heading or "Tên cột",
            )
        )
    if group is None or criteria is None:
        return result
    _exclude(rows, group, table, out)
    ranked = [r for r in rows if r.ranked]
    result.submissions = [
        Submission(
            r.unit,  # type: ignore[arg-type]
            dict(r.scores),  # type: ignore[arg-type]
            r.position,  # the published order: what an input-order tie-break keeps
            not_applicable=_not_applicable(r, criteria, assessment.scoring.decimals),
        )
        for r in ranked
    ]
    result.result = rank_group(group, result.submissions, assessment)
    by_unit = {row.unit: row for row in result.result.rows}
    for row in ranked:
        _compare(row, by_unit[row.unit], entries[row.position - 1], table, criteria, out)
    missing = [u.name for u in group.units if not u.not_assessed and u.name not in set(by_unit)]
    room = len(missing)
    reasons = dict(result.result.not_ranked)
    rank_gaps = _check_ranks(rows, entries, table, criteria, reasons, room, out)
    stt_gaps = _check_numbering(entries, rows, table, room, out)  # the same units, seen twice
    result.gaps = rank_gaps or stt_gaps
    _check_order(rows, criteria, out)
    return result


def _group_of(
    columns: TableColumns, units: list[str | None], assessment: Assessment
) -> Group | None:
    """The group most of the table's units belong to, among the groups of the criteria set
    its header names; None when no unit is known."""
    groups = [
        assessment.group_of(u)
        for u in units
        if u is not None and assessment.group_of(u).criteria_set == columns.criteria_set
    ]
    counts = Counter(g.key for g in groups)
    if not counts:
        return None
    key = counts.most_common(1)[0][0]
    return next(g for g in assessment.groups if g.key == key)


def _audit_row(
    position: int,
    entry: RawEntry,
    match,
    table: _Table,
    criteria: CriteriaSet | None,
    assessment: Assessment,
    out: Findings,
) -> AuditRow:
    written = clean(entry.name.value)
    if match.unit is None:
        hint = f" — có phải '{match.suggestion}'?" if match.suggestion else ""
        out.add(finding("UNIT_UNKNOWN", table.where(entry.name), name=written, hint=hint))
    row = AuditRow(position, written, match.unit, table.where(entry.name))
    label = row.label
    if entry.number is not None:
        row.stt = clean(entry.number.value)
    if entry.rank is not None:
        row.stated_rank = clean(entry.rank.value)

    def number(raw: RawValue, column: str) -> Decimal | None:
        value = parse_or_none(raw.value)
        if value is None:
            out.add(
                finding(
                    "AUDIT_NOT_NUMBER",
                    table.where(raw),
                    label,
                    row=position,
                    column=column,
                    value=_shown_value(raw.value),
                )
            )
        return value

    nodes = criteria.by_key if criteria else {}
    for key, raw in entry.scores.items():
        c = nodes.get(key)
        if c and criteria.may_skip(key) and assessment.scoring.says_not_applicable(raw.value):
            row.not_applicable.add(key)  # "KAD": does not apply to the unit
            continue
        value = row.scores[key] = number(raw, c.label if c else key)
        if value is None or c is None:
            continue
        if value > c.ceiling or value < c.floor:
            above = value > c.ceiling
            out.add(
                finding(
                    "AUDIT_ABOVE_MAX" if above else "AUDIT_BELOW_MIN",
                    table.where(raw),
                    label,
                    row=position,
                    criterion=c.label,
                    value=shown(value),
                    max=shown(c.ceiling),
                    min=shown(c.floor),
                )
            )
    if entry.total is not None:
        row.stated_total = number(entry.total, "Tổng")
    if entry.index is not None and (clean(entry.index.value) or (criteria and criteria.index)):
        row.stated_index = number(entry.index, "Chỉ số")  # empty: a set with no index
    if entry.grade is not None:
        row.stated_grade = clean(entry.grade.value)
    row.ranked = (
        match.unit is not None
        and criteria is not None
        and all(
            row.scores.get(c.key) is not None or c.key in row.not_applicable
            for c in _level(entry, criteria)
        )
    )
    return row


HIDDEN_SKIPS_LIMIT = 12  # criteria that may be skipped inside a column: 4 096 ways to try


def _not_applicable(row: AuditRow, criteria: CriteriaSet, decimals: int) -> frozenset[str]:
    """What does not apply to the row's unit: the columns printed "KAD", and — when the
    published total (or index) is not the plain sum but is that sum with some criteria left
    out that may be skipped inside a shown column (a top-level table hides them: the note
    under it names them) — those criteria, the first such way found."""
    shown = criteria.skipped(row.not_applicable)
    if criteria.not_applicable is None or any(v is None for v in row.scores.values()):
        return shown
    hidden = [
        c.key
        for _, c in criteria.nodes
        if criteria.may_skip(c.key) and c.key not in shown and c.key not in row.scores
    ]
    scores = {k: v for k, v in row.scores.items() if v is not None}

    def fits(skipped: frozenset[str]) -> bool:
        if any(k in skipped for k in scores):
            return False
        scored = total_for(roll_up(criteria.criteria, scores, skipped), criteria, skipped)
        if criteria.not_applicable is NotApplicable.RESCALE and row.stated_total is not None:
            return rescaled(scored, criteria, skipped, decimals) == row.stated_total
        index = index_for(scores, criteria, skipped)
        return row.stated_index is not None and index == row.stated_index

    if fits(shown) or len(hidden) > HIDDEN_SKIPS_LIMIT:
        return shown
    for size in range(1, len(hidden) + 1):
        for keys in combinations(hidden, size):
            skipped = criteria.skipped([*row.not_applicable, *keys])
            if fits(skipped):
                return skipped
    return shown


def _level(entry: RawEntry, criteria: CriteriaSet):
    """The criteria an entry was read at (leaves or the top level)."""
    return [criteria.by_key[key] for key in entry.scores]


def _exclude(rows: list[AuditRow], group: Group, table: _Table, out: Findings) -> None:
    """Leave out of the ranking, with a finding each, the rows that cannot be in it: a unit
    of another group, one not assessed this year, a unit listed a second time."""
    units = {u.name: u for u in group.units}
    first: dict[str, AuditRow] = {}
    for row in rows:
        if row.unit is None:
            continue
        unit = units.get(row.unit)
        if unit is None:
            row.ranked = False  # its group is named in _check_units, knowing every table
        elif unit.not_assessed:
            row.ranked = False
            out.add(
                finding(
                    "AUDIT_NOT_ASSESSED",
                    row.location,
                    row.unit,
                    row=row.position,
                    reason=unit.not_assessed,
                )
            )
        elif row.unit in first:
            row.ranked = False
            out.add(
                finding(
                    "AUDIT_DUPLICATE",
                    row.location,
                    row.unit,
                    row=row.position,
                    other=first[row.unit].position,
                )
            )
        else:
            first[row.unit] = row


# --- Comparing ----------------------------------------------------------------------------


def _measure(criteria: CriteriaSet) -> str:
    return "chỉ số" if criteria.rank_by is RankBy.INDEX else "tổng điểm"


def _value_text(row: Row | AuditRow, criteria: CriteriaSet) -> str:
    """The value a row is ranked by, as the annex prints it ("90", "0,7270")."""
    if criteria.rank_by is RankBy.INDEX and row.index is not None and criteria.index:
        return format_number(row.index, criteria.index.decimals, fixed=True)
    return shown(row.total) if row.total is not None else ""


def _compare(
    row: AuditRow,
    computed: Row,
    entry: RawEntry,
    table: _Table,
    criteria: CriteriaSet,
    out: Findings,
) -> None:
    """A ranked row's published total, index, grade and subtotals against the recomputed."""
    row.computed = computed
    row.total, row.index, row.grade = computed.total, computed.index, computed.grade
    row.rank, row.expected_position = computed.rank, computed.stt
    label, position = row.label, row.position
    if total_differs(row.stated_total, row.total):
        out.add(
            finding(
                "AUDIT_TOTAL_WRONG",
                table.where(entry.total),
                label,
                row=position,
                stated=shown(row.stated_total),
                computed=shown(row.total),
            )
        )
    for key, raw in entry.subtotals.items():
        stated = parse_or_none(raw.value)
        if key in computed.scores and total_differs(stated, computed.scores[key]):
            out.add(
                finding(
                    "AUDIT_TOTAL_WRONG",
                    table.where(raw),
                    label,
                    row=position,
                    stated=f"{shown(stated)} ở '{criteria.by_key[key].label}'",
                    computed=shown(computed.scores[key]),
                )
            )
    if row.stated_index is not None:
        _check_index(row, entry.index, row.stated_index, computed, table, criteria, out)
    if row.stated_grade is not None and grade_differs(row.stated_grade, row.grade):
        out.add(
            finding(
                "AUDIT_GRADE_WRONG",
                table.where(entry.grade),
                label,
                row=position,
                stated=row.stated_grade,
                total=shown(row.total),
                computed=row.grade,
            )
        )


def _recomputed(computed: Row, criteria: CriteriaSet, digits: int) -> Decimal:
    """The row's index at `digits` decimals; for a set without an index, its share of the
    maximum (what a ranking prints beside a rank)."""
    value = index_for(computed.scores, criteria, computed.not_applicable, decimals=digits)
    return share_of_max(computed.scores, criteria, digits) if value is None else value


def _check_index(
    row: AuditRow,
    raw: RawValue,
    stated: Decimal,
    computed: Row,
    table: _Table,
    criteria: CriteriaSet,
    out: Findings,
) -> None:
    """A published index against the recomputed one at the digits it was printed with (a
    number cell: at the set's decimals)."""
    digits = printed_digits(stated)
    if not isinstance(raw.value, str) and criteria.index is not None:
        digits = max(digits, criteria.index.decimals)
    value = _recomputed(computed, criteria, digits)
    if stated != value:
        text = clean(raw.value) if isinstance(raw.value, str) else shown(stated)
        out.add(
            finding(
                "AUDIT_INDEX_WRONG",
                table.where(raw),
                row.label,
                row=row.position,
                stated=text,
                computed=format_number(value, digits, fixed=True),
            )
        )


def _check_ranks(
    rows: list[AuditRow],
    entries: list[RawEntry],
    table: _Table,
    criteria: CriteriaSet,
    reasons: dict[str, str],
    room: int,
    out: Findings,
) -> list[Gap]:
    """Published ranks against the shared ranks of the rows ranked again, and the value
    printed beside a rank ("01 (0,727)") against the index column or the recomputed index.

    Ranks are judged against the table as published: where `room` registered units are
    missing, a rank that skips as many places as are missing opens a `Gap` (where a missing
    unit stood) and the rows below are judged with it; an extra row that carries a rank
    (an unknown unit, one not assessed, a repeat) takes its place the same way."""
    gaps: list[Gap] = []
    offset = extra = 0
    above: AuditRow | None = None
    for row, entry in zip(rows, entries):
        if entry.rank is None:
            continue
        cell = rank_cell(entry.rank.value)
        if not row.ranked:
            extra += cell is not None
            continue
        where = table.where(entry.rank)
        if row.rank is None:  # assessed, not ranked
            if clean(entry.rank.value) not in NOT_RANKED_MARKS:
                out.add(
                    finding(
                        "AUDIT_NOT_RANKED",
                        where,
                        row.label,
                        row=row.position,
                        stated=clean(entry.rank.value),
                        reason=reasons.get(row.unit or "", ""),
                    )
                )
            continue
        if cell is None:
            out.add(
                finding(
                    "AUDIT_NOT_NUMBER",
                    where,
                    row.label,
                    row=row.position,
                    column="Xếp hạng",
                    value=_shown_value(entry.rank.value),
                )
            )
            continue
        stated, printed = cell
        jump = stated - row.rank
        if jump != offset and offset < jump <= offset + room + extra:
            used = min(extra, jump - offset)
            extra -= used
            if jump - offset - used:
                count = jump - offset - used
                gaps.append(Gap(row.rank + offset + used, count, row, above))
                room -= count
            offset = jump
        if jump != offset:
            out.add(
                finding(
                    "AUDIT_RANK",
                    where,
                    row.label,
                    row=row.position,
                    value=_value_text(row, criteria),
                    stated=clean(entry.rank.value),
                    basis=_measure(criteria),
                    computed=row.rank + offset,
                )
            )
        if printed is not None:
            _check_printed(row, entry, where, printed, criteria, out)
        above = row
    return gaps


def _check_printed(
    row: AuditRow,
    entry: RawEntry,
    where: Location,
    printed: Decimal,
    criteria: CriteriaSet,
    out: Findings,
) -> None:
    """The value printed in a rank cell against the row's index column when there is one,
    else against the index recomputed at the printed digits."""
    if row.stated_index is not None:
        if printed != row.stated_index:
            out.add(
                finding(
                    "AUDIT_RANK_VALUE",
                    where,
                    row.label,
                    row=row.position,
                    stated=clean(entry.rank.value),
                    index=clean(entry.index.value)
                    if isinstance(entry.index.value, str)
                    else shown(row.stated_index),
                )
            )
        return
    digits = printed_digits(printed)
    assert row.computed is not None  # a ranked row
    value = _recomputed(row.computed, criteria, digits)
    if printed != value:
        out.add(
            finding(
                "AUDIT_INDEX_WRONG",
                where,
                row.label,
                row=row.position,
                stated=clean(entry.rank.value),
                computed=format_number(value, digits, fixed=True),
            )
        )


def _check_numbering(
    entries: list[RawEntry], rows: list[AuditRow], table: _Table, room: int, out: Findings
) -> list[Gap]:
    """STT runs 1..n down the table. A number is accepted when it follows the previous one
    or equals its row, so one slip is one finding (not one per row below it); a jump over as
    many numbers as registered units are missing (`room`) is where they stood."""
    gaps: list[Gap] = []
    seen: dict[int, int] = {}  # STT → the first row carrying it
    previous = 0
    above: AuditRow | None = None
    for entry, row in zip(entries, rows):
        if entry.number is None:
            continue
        value = parse_or_none(entry.number.value)
        if value is None or value != value.to_integral_value():
            detail = " không phải là số thứ tự"
            stt = _shown_value(entry.number.value)
            n = None
        else:
            n = int(value)
            stt = str(n)
            skipped = n - previous - 1
            if n in seen:
                detail = f", trùng với dòng {seen[n]}"
            elif skipped > 0 and skipped <= room:
                gaps.append(Gap(previous + 1, skipped, row, above))
                room -= skipped
                detail = ""
            elif n > previous + 1 and n != row.position:
                missing = f"{previous + 1}" if n == previous + 2 else f"{previous + 1}–{n - 1}"
                detail = f", thiếu STT {missing}"
            elif n not in (previous + 1, row.position):
                detail = f", không theo thứ tự (nên là {row.position})"
            else:
                detail = ""
        if detail:
            out.add(
                finding(
                    "AUDIT_STT",
                    table.where(entry.number),
                    row.label,
                    row=row.position,
                    stt=stt,
                    detail=detail,
                )
            )
        if n is not None:
            seen.setdefault(n, row.position)
            previous = n
        above = row
    return gaps


def _check_order(rows: list[AuditRow], criteria: CriteriaSet, out: Findings) -> None:
    """Ranked rows go down by the value they are ranked by (total or index): a row listed
    below a lower one is out of order (equal values in any order are not flagged)."""
    by_index = criteria.rank_by is RankBy.INDEX
    above: AuditRow | None = None
    for row in rows:
        if not row.ranked or row.rank is None:
            continue
        if above is not None:
            value, over = (row.index, above.index) if by_index else (row.total, above.total)
            if value is not None and over is not None and value > over:
                out.add(
                    finding(
                        "AUDIT_ORDER",
                        row.location,
                        row.label,
                        row=row.position,
                        value=_value_text(row, criteria),
                        above=above.label,
                        above_value=_value_text(above, criteria),
                        basis="chỉ số" if by_index else "điểm",
                    )
                )
        above = row


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
