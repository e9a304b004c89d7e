"""Auditing a published annex: read its tables, recompute totals, grades, order and ranks from
the published criterion scores, and report every disagreement as a finding.

Nothing here reads a table or ranks a unit on its own: the published file becomes `Sheet`
grids (Word tables, workbook sheets, tab-separated text), `ingest` finds the annex tables on
them by their header rows, names go through the `UnitRegistry`, numbers through
`numbers.parse_or_none`, and totals, grades, shared ranks and the expected order come from
`rank`. What this module adds is the comparison.

"Dòng N" in a message is the Nth unit row of its table (the STT it should carry). The
finding's location points at the place in the file: a cell of a workbook, a line of a text
file, or the unit row of a Word table."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportgen import config
from reportgen.config import Assessment, Group
from reportgen.findings import Findings, Location, finding
from reportgen.ingest import (
    HEADER_SEARCH_UP,
    Layout,
    RawEntry,
    RawValue,
    entries_from_sheets,
    heading_kind,
)
from reportgen.numbers import parse_or_none, shown
from reportgen.published import CELLS, LINES, read_published
from reportgen.rank import Submission, grade_for, order, shared_ranks, total_of
from reportgen.registry import UnitRegistry
from reportgen.stated import grade_differs, total_differs
from reportgen.text import clean, label_key
from reportgen.workbook import Sheet

# What a column lets audit compare, by the name the summary gives it.
CHECKS = {"total": "tổng", "grade": "xếp loại", "rank": "xếp hạng", "number": "STT"}
_RANK = re.compile(r"^\s*(\d+)\s*(?:\([^()]*\))?\s*$")  # "01 (0,727)": the rank and its index


@dataclass
class AuditRow:
    """One published unit row, with what the config and the ranking make of it."""

    position: int  # 1..n down its table
    name: str  # as published
    unit: str | None  # the registered unit, None when the name is unknown
    location: Location
    stt: str | None = None  # as published
    scores: dict[str, Decimal | None] = field(default_factory=dict)  # None: not a number
    stated_total: Decimal | None = None
    total: Decimal | None = None  # recomputed; None when a score is not a number
    stated_grade: str | None = None
    grade: str | None = None  # from the bands, for the recomputed total
    stated_rank: str | None = None
    rank: int | None = None  # shared rank of the recomputed total (1, 2, 2, 4)
    expected_position: int | None = None  # where `rank.order` puts the row

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
            "stated_grade": self.stated_grade,
            "grade": self.grade,
            "stated_rank": self.stated_rank,
            "rank": self.rank,
            "expected_row": self.expected_position,
        }


@dataclass
class AuditTable:
    name: str  # "Bảng 1" (Word, text) or the sheet name (workbooks)
    group: Group | None  # the group most of its units belong to
    location: Location
    rows: list[AuditRow] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)  # of "total", "grade", "rank", "number"

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "group": self.group.key if self.group else None,
            "location": str(self.location),
            "rows": [r.as_dict() for r in self.rows],
        }


@dataclass
class AuditReport:
    published: str
    tables: list[AuditTable] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    compared: list[str] = field(default_factory=list)  # what every table let audit compare
    not_compared: list[str] = field(default_factory=list)  # columns no table had

    @property
    def ok(self) -> bool:
        """True when the annex agrees with itself and the config in everything compared
        (AUDIT_NOT_CHECKED warnings say what could not be)."""
        return not self.findings.errors

    @property
    def outputs(self) -> list[Path]:
        return []  # an audit writes nothing

    def summary(self) -> str:
        """ "38 dòng; đã đối chiếu: tổng, thứ tự; không có cột xếp hạng"."""
        rows = sum(len(t.rows) for t in self.tables)
        text = f"{rows} dòng; đã đối chiếu: {', '.join(self.compared)}"
        if self.not_compared:
            text += f"; không có cột {', '.join(self.not_compared)}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "published": self.published,
            "ok": self.ok,
            "summary": self.summary() if self.tables else "",
            "compared": self.compared,
            "not_compared": self.not_compared,
            "tables": [t.as_dict() for t in self.tables],
            "findings": [f.as_dict() for f in self.findings],
        }


def audit(assessment_path: Path, published: Path) -> AuditReport:
    """Audit the annex tables of a published decision (.docx, workbook, or tab-separated text)
    against itself and the assessment's config. Raises `ConfigError` only."""
    assessment = config.load(Path(assessment_path))
    _supported(assessment, config.resolve_path(Path(assessment_path)))
    path = Path(published)
    shown = path.name or str(path)
    report = AuditReport(str(path))
    layout = Layout(assessment)
    sheets, mode, problems = read_published(path, shown)
    report.findings.extend(problems)
    if problems:
        return report
    registry = UnitRegistry(assessment)
    for sheet, name in _annex_tables(sheets, layout, mode):
        entries = list(entries_from_sheets([sheet], shown, layout))
        if entries:
            table = _audit_table(name, entries, shown, mode, assessment, registry, report)
            report.tables.append(table)
    if not report.tables:
        labels = ", ".join(c.label for c in assessment.criteria)
        report.findings.add(finding("AUDIT_NO_TABLE", Location(shown), criteria=labels))
        return report
    _check_units(report, assessment, registry, shown)
    _what_was_compared(report, layout, shown)
    return report


def _what_was_compared(report: AuditReport, layout: Layout, shown: str) -> None:
    """Name what was compared; a kind of check no table allowed is an AUDIT_NOT_CHECKED."""
    present = {kind for t in report.tables for kind in t.columns}
    report.compared = ["điểm tiêu chí"] + [
        text for kind, text in CHECKS.items() if kind in present and kind != "number"
    ]
    report.compared.append("thứ tự")
    if "number" in present:
        report.compared.append("STT")
    report.not_compared = [text for kind, text in CHECKS.items() if kind not in present]
    for kind, text in CHECKS.items():
        if kind not in present and kind != "number":
            report.findings.add(finding("AUDIT_NOT_CHECKED", Location(shown), check=text))


def _supported(assessment: Assessment, file: Path) -> None:
    """Audit recomputes one criteria set ranked by total; refuse, naming why, what it would
    check wrongly (several sets, a ranking by index, units not ranked or not assessed)."""
    why = []
    if len(assessment.sets) > 1:
        why.append("nhiều bộ tiêu chí (criteria_sets)")
    if any(s.rank_by.value == "index" for s in assessment.sets):
        why.append("xếp hạng theo chỉ số (rank_by = 'index')")
    if any(u.not_ranked or u.not_assessed for g in assessment.groups for u in g.units):
        why.append("đơn vị không xếp hạng hoặc không đánh giá (not_ranked, not_assessed)")
    if why:
        raise config.ConfigError(
            file, [f"reportgen audit chưa hỗ trợ cấu hình có {', '.join(why)}."]
        )


def _is_header(row: list[object], layout: Layout) -> bool:
    return {layout.criterion(cell) for cell in row} >= {c.key for c in layout.criteria}


def _annex_tables(sheets: list[Sheet], layout: Layout, mode: str) -> list[tuple[Sheet, str]]:
    """One grid per header row, so that two tables on one sheet (or in one text) are two
    tables; each part keeps a few rows above its header for merged headings, and its offset
    so addresses stay those of the file. Returns (part, table name) pairs."""
    tables: list[tuple[Sheet, str]] = []
    for sheet in sheets:
        headers = [i for i, row in enumerate(sheet.rows) if _is_header(row, layout)]
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


# --- Checking -------------------------------------------------------------------------------


def _num(value: Decimal) -> str:
    """A number as published in Vietnamese, exactly (`89,5`)."""
    return shown(value)


def _shown_value(value: object) -> str:
    text = clean(value)
    return f"'{text}'" if text else "ô trống"


class _Table:
    """Turns a table's raw entries into audit rows, relocating cells for its source."""

    def __init__(self, name: str, entries: list[RawEntry], shown: str, mode: str):
        self.name, self.shown, self.mode = name, shown, mode
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


def _audit_table(
    name: str,
    entries: list[RawEntry],
    shown: str,
    mode: str,
    assessment: Assessment,
    registry: UnitRegistry,
    report: AuditReport,
) -> AuditTable:
    table = _Table(name, entries, shown, mode)
    out = report.findings
    rows = [
        _audit_row(position, entry, table, assessment, registry, out)
        for position, entry in enumerate(entries, start=1)
    ]
    counts = Counter(registry.group_of(r.unit).key for r in rows if r.unit)
    key = counts.most_common(1)[0][0] if counts else None
    group = next((g for g in assessment.groups if g.key == key), None)
    result = AuditTable(name, group, Location(shown, name), rows)
    first = entries[0]
    present = {"total": first.total, "grade": first.grade, "rank": first.rank}
    result.columns = {kind for kind, raw in present.items() if raw is not None}
    if first.number is not None:
        result.columns.add("number")
    _check_numbering(entries, rows, table, out)
    _check_order(entries, rows, table, assessment, out)
    return result


def _audit_row(
    position: int,
    entry: RawEntry,
    table: _Table,
    assessment: Assessment,
    registry: UnitRegistry,
    out: Findings,
) -> AuditRow:
    written = clean(entry.name.value)
    match = registry.match(written)
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

    for c in assessment.criteria:
        raw = entry.scores[c.key]
        value = row.scores[c.key] = number(raw, c.label)
        if value is not None and value > c.max:
            out.add(
                finding(
                    "AUDIT_ABOVE_MAX",
                    table.where(raw),
                    label,
                    row=position,
                    criterion=c.label,
                    value=_num(value),
                    max=_num(c.max),
                )
            )
    if all(v is not None for v in row.scores.values()):
        row.total = total_of(row.scores.values())
        row.grade = grade_for(row.total, assessment.grades)
    if entry.total is not None:
        row.stated_total = number(entry.total, "Tổng")
        if total_differs(row.stated_total, row.total):
            out.add(
                finding(
                    "AUDIT_TOTAL_WRONG",
                    table.where(entry.total),
                    label,
                    row=position,
                    stated=_num(row.stated_total),
                    computed=_num(row.total),
                )
            )
    if entry.grade is not None:
        row.stated_grade = clean(entry.grade.value)
        if grade_differs(row.stated_grade, row.grade):
            out.add(
                finding(
                    "AUDIT_GRADE_WRONG",
                    table.where(entry.grade),
                    label,
                    row=position,
                    stated=row.stated_grade,
                    total=_num(row.total),
                    computed=row.grade,
                )
            )
    return row


def _check_numbering(
    entries: list[RawEntry], rows: list[AuditRow], table: _Table, out: Findings
) -> None:
    """STT runs 1..n down the table. A number is accepted when it follows the previous one
    or equals its row, so one slip is one finding (not one per row below it)."""
    seen: dict[int, int] = {}  # STT → the first row carrying it
    previous = 0
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
            if n in seen:
                detail = f", trùng với dòng {seen[n]}"
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


def _check_order(
    entries: list[RawEntry],
    rows: list[AuditRow],
    table: _Table,
    assessment: Assessment,
    out: Findings,
) -> None:
    """Rows go down by recomputed total; published ranks are the shared ranks of the totals.
    The expected position of each row is where `rank.order` (with the tie-break) puts it."""
    scored = [r for r in rows if r.total is not None]
    above: AuditRow | None = None
    for row in scored:
        if above is not None and row.total > above.total:
            out.add(
                finding(
                    "AUDIT_ORDER",
                    row.location,
                    row.label,
                    row=row.position,
                    total=_num(row.total),
                    above=above.label,
                    above_total=_num(above.total),
                )
            )
        above = row
    totals = sorted((r.total for r in scored), reverse=True)
    rank_of: dict[Decimal, int] = {}
    for total, rank in zip(totals, shared_ranks(totals)):
        rank_of.setdefault(total, rank)
    submissions = [Submission(r.label, dict(r.scores), r.position) for r in scored]
    by_position = {r.position: r for r in scored}
    for i, s in enumerate(order(submissions, assessment.scoring.tie_break), start=1):
        by_position[s.order].expected_position = i
    for entry, row in zip(entries, rows):
        if row.total is None:
            continue
        row.rank = rank_of[row.total]
        if entry.rank is None:
            continue
        stated = _stated_rank(entry.rank.value)
        if stated != row.rank:
            out.add(
                finding(
                    "AUDIT_RANK",
                    table.where(entry.rank),
                    row.label,
                    row=row.position,
                    total=_num(row.total),
                    stated=clean(entry.rank.value) or "(trống)",
                    computed=row.rank,
                )
            )


def _stated_rank(value: object) -> int | Decimal | None:
    """A published rank: a number, or "01 (0,727)" as national rankings print rank and index."""
    match = _RANK.match(clean(value)) if isinstance(value, str) else None
    return int(match.group(1)) if match else parse_or_none(value)


def _check_units(
    report: AuditReport, assessment: Assessment, registry: UnitRegistry, shown: str
) -> None:
    """Each registered unit listed once, in its group's table; every group has a table."""
    out = report.findings
    listed: dict[str, tuple[AuditTable, AuditRow]] = {}
    for table in report.tables:
        for row in table.rows:
            if row.unit is None:
                continue
            if row.unit in listed:
                first_table, first = listed[row.unit]
                other = str(first.position)
                if first_table is not table:
                    other += f" ({first_table.name})"
                out.add(
                    finding(
                        "AUDIT_DUPLICATE", row.location, row.unit, row=row.position, other=other
                    )
                )
                continue
            listed[row.unit] = (table, row)
            group = registry.group_of(row.unit)
            if table.group is not None and group.key != table.group.key:
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
    for group in assessment.groups:
        tables = [t for t in report.tables if t.group is not None and t.group.key == group.key]
        if not tables:
            out.add(finding("AUDIT_GROUP_MISSING", Location(shown), group=group.name))
            continue
        for unit in group.units:
            if unit.name not in listed:
                out.add(finding("AUDIT_MISSING", tables[0].location, unit.name, group=group.name))
