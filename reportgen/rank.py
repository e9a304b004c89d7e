"""Totals, grades, order and ranks: pure functions over validated submissions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportgen.collation import sort_key
from reportgen.config import Assessment, Grade, Group, TieBreak


@dataclass(frozen=True)
class Submission:
    """One unit's validated scores."""

    unit: str
    scores: dict[str, Decimal]  # criterion key → score
    order: int = 0  # position in the input


@dataclass(frozen=True)
class Row:
    stt: int  # 1..n down the table
    rank: int  # shared rank: equal totals share it, the next is skipped (1, 2, 2, 4)
    unit: str
    scores: dict[str, Decimal]
    total: Decimal
    grade: str


@dataclass(frozen=True)
class GroupResult:
    group: Group
    rows: list[Row]
    missing: list[str]  # registered units left out (no submission)


def total_of(scores: Iterable[Decimal]) -> Decimal:
    """The exact sum of criterion scores."""
    return sum(scores, Decimal(0))


def grade_for(total: Decimal, bands: Sequence[Grade]) -> str:
    """The first band (highest first) whose minimum the total reaches."""
    for band in bands:
        if total >= band.min:
            return band.name
    return bands[-1].name


def shared_ranks(totals: Sequence[Decimal]) -> list[int]:
    """Ranks of totals already ordered from highest: 90, 89.5, 89.5, 88 → 1, 2, 2, 4."""
    ranks: list[int] = []
    for i, total in enumerate(totals):
        ranks.append(ranks[-1] if i and total == totals[i - 1] else i + 1)
    return ranks


def order(submissions: Iterable[Submission], tie_break: TieBreak) -> list[Submission]:
    """Highest total first; equal totals by the tie-break."""

    def key(s: Submission):
        tie = sort_key(s.unit) if tie_break is TieBreak.ALPHABETICAL else s.order
        return (-total_of(s.scores.values()), tie)

    return sorted(submissions, key=key)


def rank_group(
    group: Group, submissions: Iterable[Submission], assessment: Assessment
) -> GroupResult:
    """The annex table of one group."""
    members = {u.name for u in group.units}
    chosen = order([s for s in submissions if s.unit in members], assessment.scoring.tie_break)
    totals = [total_of(s.scores.values()) for s in chosen]
    rows = [
        Row(
            stt=i + 1,
            rank=rank,
            unit=s.unit,
            scores=s.scores,
            total=total,
            grade=grade_for(total, assessment.grades),
        )
        for i, (s, total, rank) in enumerate(zip(chosen, totals, shared_ranks(totals)))
    ]
    present = {s.unit for s in chosen}
    return GroupResult(group, rows, [u.name for u in group.units if u.name not in present])


def rank_all(submissions: Sequence[Submission], assessment: Assessment) -> list[GroupResult]:
    """One table per group, in the config's group order."""
    return [rank_group(g, submissions, assessment) for g in assessment.groups]
