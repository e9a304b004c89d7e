"""The annex tables as a small table model shared by the .docx and .xlsx writers: columns
with a kind (what they hold), cells as display text and as values, notes under the table.

What the columns are comes from the config (`annex.columns`, `annex.criteria_level`,
`annex.headings`); a set without grades has no grade column, one without an index no index
column, and a group where no score was verified no self-assessed total column. The
year-over-year columns (`change`, `previous_rank`, `previous_total`) are filled from the
comparison with last year's results (`comparison.Comparison`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.config import (
    NOT_APPLICABLE_MARK,
    PLACEHOLDER,
    AnnexColumn,
    Assessment,
    ComposedColumn,
    Criterion,
)
from reportgen.core.numbers import format_number
from reportgen.judge.comparison import Change, Comparison
from reportgen.judge.figures import Computation
from reportgen.judge.rank import GroupResult, Row
from reportgen.judge.verified import Adjustment
from reportgen.read.answer_sheet import CONCLUSIONS, OPINIONS

NOT_APPLICABLE_TEXT = "Không áp dụng"  # a self-score the unit gave as not applicable
NOT_APPLICABLE = NOT_APPLICABLE_MARK  # a criterion cell of a unit it does not apply to (a note
# under the table explains it); audit reads it back as such
NOT_RANKED = "–"  # the rank cell of a unit assessed but not ranked (a dash no spreadsheet
# program reads as the start of a formula)


@dataclass(frozen=True)
class Column:
    kind: str  # an AnnexColumn value, with "criterion" for each criterion column
    heading: str
    key: str = ""  # the criterion key of a "criterion" column
    decimals: int | None = None  # digits shown in a number column (fixed for an index)
    fixed: bool = False  # trailing zeros kept ("0,8220")
    parts: tuple[Column, ...] = ()  # a composed column: the columns its format names
    format: str = ""  # a composed column: "{rank} ({index})"


@dataclass(frozen=True)
class AnnexTable:
    heading: str  # the section heading above the table
    columns: list[Column]
    rows: list[list[str]]  # display text, one list per row
    values: list[list[object]] = field(default_factory=list)  # the same cells: int, Decimal, str
    notes: list[str] = field(default_factory=list)  # paragraphs under the table

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]


def annex_tables(
    results: list[GroupResult], assessment: Assessment, comparison: Comparison | None = None
) -> list[AnnexTable]:
    """One table per group, as the config's `[annex]` asks; its year-over-year columns from
    `comparison` (empty without one: `build` refuses to get there)."""
    level = assessment.annex.criteria_level
    return [
        _table(result, assessment, result.criteria.level(level), result.group.heading, comparison)
        for result in results
    ]


def detail_tables(results: list[GroupResult], assessment: Assessment) -> list[AnnexTable]:
    """One table per group with every criterion of the tree (parents and leaves)."""
    return [
        _table(result, assessment, [c for _, c in result.criteria.nodes], result.group.heading)
        for result in results
    ]


def _table(
    result: GroupResult,
    assessment: Assessment,
    shown: list[Criterion],
    heading: str,
    comparison: Comparison | None = None,
) -> AnnexTable:
    previous_year = comparison.previous_year if comparison else None
    columns = _columns(result, assessment, shown, previous_year)
    changes = comparison.by_unit() if comparison else {}
    cells = [
        [_value(col, row, assessment, changes.get(row.unit)) for col in columns]
        for row in result.rows
    ]
    rows = [[_text(col, v) for col, v in zip(columns, values)] for values in cells]
    notes = _notes(result, assessment.scoring.decimals)
    if rows and assessment.annex.criteria_headings == "short":  # what TC1, TC2 … stand for
        legend = "; ".join(f"TC{i}: {c.label}" for i, c in enumerate(shown, 1))
        notes.insert(0, f"Tiêu chí: {legend}.")
    return AnnexTable(heading, columns, rows, cells, notes)


def _columns(
    result: GroupResult,
    assessment: Assessment,
    shown: list[Criterion],
    previous_year: int | None = None,
) -> list[Column]:
    return [
        column
        for kind in assessment.annex.shown_columns
        for column in _columns_of(kind, result, assessment, shown, previous_year)
    ]


def _columns_of(
    kind: AnnexColumn | ComposedColumn,
    result: GroupResult,
    assessment: Assessment,
    shown: list[Criterion],
    previous_year: int | None = None,
) -> list[Column]:
    """The table columns one `annex.columns` entry gives: none for an index or grade the
    set lacks, one per criterion for `criteria`, one for the rest."""
    annex, criteria = assessment.annex, result.criteria
    decimals = assessment.scoring.decimals
    if isinstance(kind, ComposedColumn):
        parts = tuple(
            part
            for name in dict.fromkeys(kind.placeholders)
            for part in _columns_of(AnnexColumn(name), result, assessment, shown)
        )
        single = len(parts) == 1 and kind.format == "{" + parts[0].kind + "}"
        number = parts[0] if single else Column("composed", "")
        return [
            Column(
                "composed", kind.heading, kind.key, number.decimals, number.fixed, parts,
                kind.format,
            )
        ]  # fmt: skip
    if kind is AnnexColumn.CRITERIA:
        short = annex.criteria_headings == "short"  # TC1, TC2 … (a legend under the table)
        return [
            Column("criterion", f"TC{i}" if short else c.label, c.key, decimals)
            for i, c in enumerate(shown, 1)
        ]
    if kind is AnnexColumn.NAME:
        return [Column(kind.value, annex.headings.get(kind, result.group.name_column))]
    if kind is AnnexColumn.INDEX:
        if criteria.index is None:
            return []
        return [Column(kind.value, annex.heading(kind), "", criteria.index.decimals, True)]
    if kind is AnnexColumn.GRADE:
        return [Column(kind.value, annex.heading(kind))] if criteria.grades else []
    if kind is AnnexColumn.SELF_TOTAL:
        if not any(row.self_scores for row in result.rows):  # it would repeat the total
            return []
        return [Column(kind.value, annex.heading(kind), "", decimals)]
    if kind in (AnnexColumn.TOTAL, AnnexColumn.PREVIOUS_TOTAL):
        return [Column(kind.value, annex.heading(kind, previous_year), "", decimals)]
    if kind in (AnnexColumn.CHANGE, AnnexColumn.PREVIOUS_RANK):
        return [Column(kind.value, annex.heading(kind, previous_year))]
    return [Column(kind.value, annex.heading(kind))]


def _value(column: Column, row: Row, assessment: Assessment, change: Change | None) -> object:
    kind = column.kind
    if kind == "composed":
        values = {p.kind: _value(p, row, assessment, change) for p in column.parts}
        if len(column.parts) == 1 and column.format == "{" + column.parts[0].kind + "}":
            return values[column.parts[0].kind]  # one value: kept a number
        texts = {p.kind: _text(p, values[p.kind]) for p in column.parts}
        return PLACEHOLDER.sub(lambda m: texts.get(m[1], ""), column.format)
    if kind in _YEAR_OVER_YEAR:
        return _past_value(kind, change, assessment) if change else None
    if kind == "criterion":
        if column.key in row.not_applicable:
            return NOT_APPLICABLE
        return row.scores.get(column.key)  # None: read from a table that gave the top only
    if kind == AnnexColumn.RANK.value:
        if row.rank is None:
            return NOT_RANKED
        return (
            f"{row.rank:0{assessment.annex.rank_digits}d}"
            if assessment.annex.rank_digits
            else row.rank
        )
    return {
        AnnexColumn.STT.value: row.stt,
        AnnexColumn.NAME.value: row.unit,
        AnnexColumn.SELF_TOTAL.value: row.self_total,
        AnnexColumn.TOTAL.value: row.total,
        AnnexColumn.INDEX.value: row.index,
        AnnexColumn.GRADE.value: row.grade,
    }[kind]


_YEAR_OVER_YEAR = {
    AnnexColumn.CHANGE.value,
    AnnexColumn.PREVIOUS_RANK.value,
    AnnexColumn.PREVIOUS_TOTAL.value,
}


def _past_value(kind: str, change: Change, assessment: Assessment) -> object:
    """A year-over-year cell. The change as the "So với năm …" sheet marks it, with a capital
    ("▲ 2", "▼ 1", "=", "Mới", "Sáp nhập từ Sở Kế hoạch và Đầu tư"; empty where not
    comparable: ranked in another group or unranked either year). Last year's rank only
    within the same group; last year's total of the one unit it continues (none when merged
    or new)."""
    past = change.previous
    if kind == AnnexColumn.CHANGE.value:
        mark = change.mark
        return mark[:1].upper() + mark[1:]
    if past is None:
        return None
    if kind == AnnexColumn.PREVIOUS_TOTAL.value:
        return past.total
    if past.group != change.group or past.rank is None:
        return None
    digits = assessment.annex.rank_digits
    return f"{past.rank:0{digits}d}" if digits else past.rank


def _text(column: Column, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_number(value, column.decimals or 0, fixed=column.fixed)
    return str(value)


def _notes(result: GroupResult, decimals: int) -> list[str]:
    notes = []
    skipping = [row for row in result.rows if row.not_applicable]
    if skipping:
        listed = "; ".join(_not_applicable(row, result, decimals) for row in skipping)
        notes.append(f"Tiêu chí không áp dụng ({NOT_APPLICABLE}) đối với đơn vị: {listed}.")
    if result.not_ranked:
        listed = "; ".join(f"{unit} ({why})" for unit, why in result.not_ranked)
        notes.append(f"Đơn vị tham gia đánh giá nhưng không xếp hạng: {listed}.")
    left_out = _by_reason(result.left_out)
    if not result.rows:  # one line instead of an empty table
        return [f"Không có đơn vị nào được đánh giá: {left_out}."]
    if left_out:
        notes.append(f"Đơn vị không thực hiện đánh giá năm nay: {left_out}.")
    if notes:
        notes[0] = "Ghi chú: " + notes[0][0].lower() + notes[0][1:]
    return notes


def _not_applicable(row: Row, result: GroupResult, decimals: int) -> str:
    """One unit's criteria that do not apply and how it is compared: "Sở X: 'A', 'B' (tối đa
    của đơn vị 80 điểm; tổng điểm quy về thang 100: 72 × 100 ÷ 80 = 90)"."""
    criteria = result.criteria
    parent = {item.key: c.key for _, c in criteria.nodes for item in c.items}
    tops = [
        f"'{c.label}'"
        for _, c in criteria.nodes
        if c.key in row.not_applicable and parent.get(c.key) not in row.not_applicable
    ]

    def n(value: Decimal) -> str:
        return format_number(value, decimals)

    unit_max, full = row.unit_max, criteria.max_total
    how = f"điểm tối đa của đơn vị {n(unit_max)}"
    if row.scored is not None:
        how += (
            f"; tổng điểm quy về thang {n(full)}: {n(row.scored)} × {n(full)} ÷ {n(unit_max)}"
            f" = {n(row.total)}"
        )
    elif row.index is not None:
        digits = criteria.index.decimals
        how += (
            f"; chỉ số tính trên {n(unit_max)} điểm: {format_number(row.index, digits, fixed=True)}"
        )
    return f"{row.unit}: {', '.join(tops)} ({how})"


def _by_reason(units: list[tuple[str, str]]) -> str:
    """Units with their reasons, those sharing one reason together: "A, B (lý do); C (khác)"."""
    reasons: dict[str, list[str]] = {}
    for unit, why in units:
        reasons.setdefault(why, []).append(unit)
    return "; ".join(f"{', '.join(names)} ({why})" for why, names in reasons.items())


ADJUSTMENT_HEADINGS = [
    "STT",
    "Đơn vị",
    "Tiêu chí",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Lý do",
    "Ý kiến của đơn vị",
    "Giải trình, minh chứng bổ sung",
    "Kết luận của Hội đồng",
    "Điểm cuối cùng",
]  # the stages of a changed score: self → verified (reason) → answer → conclusion → final


def adjustment_row(a: Adjustment, decimals: int) -> list[str]:
    """One changed score and its stages as text: unit, indicator, self → verified, reason,
    the unit's answer, its explanation and evidence, the council's conclusion, the final
    score (STT left blank; a stage that did not happen is empty)."""
    opinion = explained = concluded = ""
    if a.answer is not None:
        opinion = OPINIONS["agree" if a.answer.agrees else "explain"]
        more = f"Minh chứng: {a.answer.evidence}" if a.answer.evidence else ""
        explained = "; ".join(t for t in (a.answer.explanation, more) if t)
    if a.conclusion is not None:
        concluded = CONCLUSIONS["accept" if a.conclusion.accepted else "keep"]
    elif a.open:
        concluded = "Chưa kết luận"
    return [
        "",
        a.unit,
        a.label,
        NOT_APPLICABLE_TEXT if a.self_score is None else format_number(a.self_score, decimals),
        format_number(a.verified, decimals),
        a.reason,
        opinion,
        explained,
        concluded,
        format_number(a.final, decimals),
    ]


def adjustments_table(adjustments: list[Adjustment], assessment: Assessment) -> AnnexTable:
    """Every verified score that replaced a self-assessed one, with its stages, for the annex
    workbook."""
    decimals = assessment.scoring.decimals
    kinds = ["stt", "name", "text", "number", "number", "text", "text", "text", "text", "number"]
    columns = [Column(k, h) for k, h in zip(kinds, ADJUSTMENT_HEADINGS)]
    rows = [[str(i), *adjustment_row(a, decimals)[1:]] for i, a in enumerate(adjustments, 1)]
    values = [
        [
            i,
            a.unit,
            a.label,
            NOT_APPLICABLE_TEXT if a.self_score is None else a.self_score,
            a.verified,
            *row[5:9],
            a.final,
        ]
        for i, (a, row) in enumerate(zip(adjustments, rows), 1)
    ]
    return AnnexTable("Các điểm được điều chỉnh khi thẩm định", columns, rows, values)


COMPUTATION_HEADINGS = ["STT", "Đơn vị", "Tiêu chí", "Cách tính", "Điểm"]


def computations_table(computations: list[Computation], assessment: Assessment) -> AnnexTable:
    """Every score worked out from a unit's figures, with its working, for the annex
    workbook (the findings report adds where each figure was read)."""
    decimals = assessment.scoring.decimals
    kinds = ["stt", "name", "text", "text", "number"]
    columns = [Column(k, h, decimals=decimals) for k, h in zip(kinds, COMPUTATION_HEADINGS)]
    values = [
        [i, c.unit, c.label, c.working, NOT_APPLICABLE_TEXT if c.score is None else c.score]
        for i, c in enumerate(computations, 1)
    ]
    rows = [
        [str(v) if not isinstance(v, Decimal) else format_number(v, decimals) for v in row]
        for row in values
    ]
    return AnnexTable("Điểm tính theo số liệu của đơn vị", columns, rows, values)
