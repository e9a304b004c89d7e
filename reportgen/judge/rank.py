"""Order and ranks within each group: pure functions over validated submissions, with the
totals, indices and grades `score` computes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext

from reportgen.config import (
    Assessment,
    CriteriaSet,
    Group,
    NotApplicable,
    RankBy,
    TieBreak,
)
from reportgen.core.collation import sort_key
from reportgen.core.numbers import format_number
from reportgen.judge.score import (
    INDEX_PRECISION,
    Submission,
    grade_for,
    index_for,
    rescaled,
    roll_up,
    total_for,
    total_of,
)


@dataclass(frozen=True)
class Row:
    stt: int  # 1..n down the table
    rank: int | None  # shared rank (1, 2, 2, 4); None: assessed but not ranked
    unit: str
    scores: dict[str, Decimal]
    total: Decimal
    grade: str | None  # None: the set has no grades
    index: Decimal | None = None  # rounded to the set's index decimals
    self_scores: dict[str, Decimal] | None = None
    self_total: Decimal | None = None  # the self-assessed total (= total when none verified)
    not_applicable: frozenset[str] = frozenset()  # nodes that do not apply to the unit
    unit_max: Decimal | None = None  # the unit's maximum, when some criteria do not apply
    scored: Decimal | None = None  # the sum of its scores, when `total` is that rescaled


MISSING_REASON = "chưa nộp biểu chấm điểm"


@dataclass(frozen=True)
class GroupResult:
    group: Group
    rows: list[Row]
    missing: list[str]  # registered units left out (no submission)
    criteria: CriteriaSet | None = None
    not_assessed: list[tuple[str, str]] = field(default_factory=list)  # (unit, reason)
    not_ranked: list[tuple[str, str]] = field(default_factory=list)  # (unit, reason)

    @property
    def left_out(self) -> list[tuple[str, str]]:
        """Every registered unit of the group not assessed, with why: the config's reasons,
        then the units that sent nothing (a build with --allow-missing)."""
        return [*self.not_assessed, *((unit, MISSING_REASON) for unit in self.missing)]

    @property
    def measure(self) -> str:
        """What the group is ranked by, and so shown by everywhere (charts, the web page, the
        CLI, the year-over-year summary): "index" when its set ranks by its index, else
        "total" — a set that declares an index but ranks by total is shown by total."""
        c = self.criteria
        by_index = c is not None and c.index is not None and c.rank_by is RankBy.INDEX
        return "index" if by_index else "total"

    @property
    def measure_label(self) -> str:
        """The measure in words: "Chỉ số" or "Tổng điểm"."""
        return "Chỉ số" if self.measure == "index" else "Tổng điểm"

    @property
    def index_digits(self) -> int | None:
        """The decimals an index is shown with (all of them: 0,880) when the group is ranked
        by its index; None when by total (shown with the scoring decimals)."""
        return self.criteria.index.decimals if self.measure == "index" else None

    def value(self, row: Row) -> Decimal | None:
        """The measure of a row (this year's, or last year's `comparison.PastRow`)."""
        return row.index if self.measure == "index" else row.total

    def format_value(self, value: Decimal, decimals: int) -> str:
        """A measured value as documents show it: an index with all its digits (0,880), a
        total to the scoring `decimals` (99,5)."""
        digits = self.index_digits
        if digits is None:
            return format_number(value, decimals)
        return format_number(value, digits, fixed=True)


def shared_ranks(totals: Sequence[Decimal]) -> list[int]:
    """Ranks of totals already ordered from highest: 90, 89.5, 89.5, 88 → 1, 2, 2, 4."""
    ranks: list[int] = []
    for i, total in enumerate(totals):
        ranks.append(ranks[-1] if i and total == totals[i - 1] else i + 1)
    return ranks


def order(
    submissions: Iterable[Submission],
    tie_break: TieBreak,
    value: Callable[[Submission], Decimal] | None = None,
) -> list[Submission]:
    """Highest `value` (by default the sum of the scores) first; equal values by the tie-break."""
    measure = value or (lambda s: total_of(s.scores.values()))

    def key(s: Submission):
        tie = sort_key(s.unit) if tie_break is TieBreak.ALPHABETICAL else s.order
        return (-measure(s), tie)

    return sorted(submissions, key=key)


def rank_group(
    group: Group, submissions: Iterable[Submission], assessment: Assessment
) -> GroupResult:
    """The annex table of one group: ranked units first, then those assessed but not ranked."""
    criteria = assessment.criteria_set(group)
    unranked = {u.name: u.not_ranked for u in group.units if u.not_ranked}
    skipped = [(u.name, u.not_assessed) for u in group.units if u.not_assessed]
    members = {u.name for u in group.units if not u.not_assessed}
    mine = [_rolled(s, criteria) for s in submissions if s.unit in members]
    decimals = assessment.scoring.decimals
    rescale = criteria.not_applicable is NotApplicable.RESCALE

    def total(scores: dict[str, Decimal], skipped: frozenset[str]) -> Decimal:
        scored = total_for(scores, criteria, skipped)
        return rescaled(scored, criteria, skipped, decimals) if rescale else scored

    totals = {s.unit: total(s.scores, s.not_applicable) for s in mine}
    indices = {s.unit: index_for(s.scores, criteria, s.not_applicable) for s in mine}
    by_index = criteria.rank_by is RankBy.INDEX
    measure = (lambda s: indices[s.unit]) if by_index else (lambda s: totals[s.unit])
    tie_break = assessment.scoring.tie_break
    ranked = order([s for s in mine if s.unit not in unranked], tie_break, measure)
    ranks = shared_ranks([measure(s) for s in ranked])
    rest = order([s for s in mine if s.unit in unranked], tie_break, measure)
    rows = []
    for i, (s, rank) in enumerate(zip([*ranked, *rest], [*ranks, *[None] * len(rest)])):
        skips = s.not_applicable
        unit_max = criteria.unit_max(skips) if skips else None
        scored = total_for(s.scores, criteria, skips)
        rows.append(
            Row(
                stt=i + 1,
                rank=rank,
                unit=s.unit,
                scores=s.scores,
                total=totals[s.unit],
                grade=grade_for(
                    _on_scale(scored, criteria, unit_max), criteria.grades, criteria.max_total
                ),
                index=indices[s.unit],
                self_scores=s.self_scores,
                self_total=total(s.self_scores, skips) if s.self_scores else totals[s.unit],
                not_applicable=skips,
                unit_max=unit_max,
                scored=scored if rescale and skips else None,
            )
        )
    present = {s.unit for s in mine}
    missing = [u.name for u in group.units if u.name in members and u.name not in present]
    shown_unranked = [(u, why) for u, why in unranked.items() if u in present]
    return GroupResult(group, rows, missing, criteria, skipped, shown_unranked)


def _on_scale(scored: Decimal, criteria: CriteriaSet, unit_max: Decimal | None) -> Decimal:
    """The total on the set's scale, exact to `INDEX_PRECISION` digits, for grading: a unit
    some criteria do not apply to is graded by its share of what applies."""
    if not unit_max:
        return scored
    with localcontext() as ctx:
        ctx.prec = INDEX_PRECISION
        return scored * criteria.max_total / unit_max


def _rolled(s: Submission, criteria: CriteriaSet) -> Submission:
    """The submission with every parent score summed from its items."""
    skipped = s.not_applicable
    own = roll_up(criteria.criteria, s.self_scores, skipped) if s.self_scores else None
    return replace(s, scores=roll_up(criteria.criteria, s.scores, skipped), self_scores=own)


def rank_all(submissions: Sequence[Submission], assessment: Assessment) -> list[GroupResult]:
    """One table per group, in the config's group order."""
    return [rank_group(g, submissions, assessment) for g in assessment.groups]
