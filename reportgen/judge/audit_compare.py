"""The comparison of a table's ranked rows with the same rows ranked again: totals,
subtotals, indices and grades as published against the recomputed, ranks (and the value
printed beside a rank), STT and order; where ranks or STT skip as many places as units are
missing, a `Gap` says where each stood."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reportgen.config import CriteriaSet, RankBy
from reportgen.core.catalogue import finding
from reportgen.core.findings import Findings
from reportgen.core.location import Location
from reportgen.core.numbers import format_number, parse_or_none, printed_digits, rank_cell, shown
from reportgen.core.text import clean
from reportgen.judge.audit_rows import AuditRow
from reportgen.judge.audit_tables import PublishedTable, shown_value
from reportgen.judge.rank import Row
from reportgen.judge.score import index_for, share_of_max
from reportgen.judge.stated import grade_differs, total_differs
from reportgen.read.raw import RawEntry, RawValue

NOT_RANKED_MARKS = {"", "-", "–", "—"}  # the rank cell of a unit assessed but not ranked


@dataclass
class Gap:
    """A place in a published ranking where a row is missing: the ranks (or STT) skipped
    and the row printed just below them."""

    first: int  # the first rank (or STT) skipped
    count: int
    below: AuditRow | None
    above: AuditRow | None


def _measure(criteria: CriteriaSet) -> str:
    return "chỉ số" if criteria.rank_by is RankBy.INDEX else "tổng điểm"


def _value_text(row: Row | AuditRow, criteria: CriteriaSet) -> str:
    """The value a row is ranked by, as the annex prints it ("90", "0,7270")."""
    if criteria.rank_by is RankBy.INDEX and row.index is not None and criteria.index:
        return format_number(row.index, criteria.index.decimals, fixed=True)
    return shown(row.total) if row.total is not None else ""


def compare(
    row: AuditRow,
    computed: Row,
    entry: RawEntry,
    table: PublishedTable,
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
    table: PublishedTable,
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


def check_ranks(
    rows: list[AuditRow],
    entries: list[RawEntry],
    table: PublishedTable,
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
                    value=shown_value(entry.rank.value),
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


def check_numbering(
    entries: list[RawEntry], rows: list[AuditRow], table: PublishedTable, room: int, out: Findings
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
            stt = shown_value(entry.number.value)
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


def check_order(rows: list[AuditRow], criteria: CriteriaSet, out: Findings) -> None:
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
