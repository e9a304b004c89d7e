"""The published unit rows of an audited table: each read against the config (its unit, its
numbers, scores within their bounds, criteria printed or left out as not applicable), and
those that cannot be ranked — another group's unit, one not assessed, a repeat — left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from reportgen.config import Assessment, CriteriaSet, Group, NotApplicable
from reportgen.core.catalogue import finding
from reportgen.core.findings import Findings
from reportgen.core.location import Location
from reportgen.core.numbers import parse_or_none, shown
from reportgen.core.text import clean
from reportgen.judge.audit_tables import PublishedTable, shown_value
from reportgen.judge.rank import Row
from reportgen.judge.registry import Match
from reportgen.judge.score import index_for, rescaled, roll_up, total_for
from reportgen.read.raw import RawEntry, RawValue


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


def read_row(
    position: int,
    entry: RawEntry,
    match: Match,
    table: PublishedTable,
    criteria: CriteriaSet | None,
    assessment: Assessment,
    out: Findings,
) -> AuditRow:
    """A published row read against the config: its unit (UNIT_UNKNOWN when not registered),
    its numbers (AUDIT_NOT_NUMBER), scores within their bounds, criteria printed "KAD"; it can
    be ranked when its unit is known, its table has a group and every criterion it was read
    at has a score or does not apply."""
    written = clean(entry.name.value)
    if match.unit is None:
        where = table.where(entry.name)
        if match.suggestion:
            s = match.suggestion
            out.add(
                finding("UNIT_UNKNOWN", where, name=written, case="audit_suggested", suggestion=s)
            )
        else:
            out.add(finding("UNIT_UNKNOWN", where, name=written, case="plain"))
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
                    value=shown_value(raw.value),
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


def not_applying(row: AuditRow, criteria: CriteriaSet, decimals: int) -> frozenset[str]:
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


def exclude(rows: list[AuditRow], group: Group, table: PublishedTable, out: Findings) -> None:
    """Leave out of the ranking, with a finding each, the rows that cannot be in it: a unit
    of another group, one not assessed this year, a unit listed a second time."""
    units = {u.name: u for u in group.units}
    first: dict[str, AuditRow] = {}
    for row in rows:
        if row.unit is None:
            continue
        unit = units.get(row.unit)
        if unit is None:
            row.ranked = False  # its group is named by the audit, knowing every table
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
