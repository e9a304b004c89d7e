"""A unit's scores as numbers: the exact roll-up of its criteria tree, its total (rescaled when
some criteria do not apply), its index and its grade. Pure; `validate` sums with it and `rank`
orders what it computes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from reportgen.config import CriteriaSet, Criterion, Grade, IndexMethod
from reportgen.core.numbers import half_up

INDEX_PRECISION = 40  # significant digits of the exact quotient before rounding to the config's


@dataclass(frozen=True, slots=True)  # slots: one per unit, 100 000 at most
class Submission:
    """One unit's validated scores."""

    unit: str
    scores: dict[str, Decimal]  # criterion key → score: leaves, or a top level given as such
    order: int = 0  # position in the input
    self_scores: dict[str, Decimal] | None = None  # before verification, when one was verified
    not_applicable: frozenset[str] = frozenset()  # nodes that do not apply to the unit


def total_of(scores: Iterable[Decimal]) -> Decimal:
    """The exact sum of criterion scores."""
    return sum(scores, Decimal(0))


def roll_up(
    criteria: Sequence[Criterion],
    given: dict[str, Decimal],
    skipped: frozenset[str] = frozenset(),
) -> dict[str, Decimal]:
    """`given` scores (leaves, or a top level read from a consolidated table) with every
    parent whose items are all known set to their exact sum; items in `skipped` (not
    applicable) are left out of it."""
    scores = dict(given)
    for top in criteria:
        _roll(top, scores, skipped)
    return scores


def _roll(node: Criterion, scores: dict[str, Decimal], skipped: frozenset[str]) -> Decimal | None:
    """The node's score, summing its items into `scores` when all are known. (A function of
    its own, not a closure: a recursive closure is a reference cycle, garbage only the cyclic
    collector frees, and `check` pauses it.)"""
    if node.key in scores or not node.items or node.key in skipped:
        return scores.get(node.key)
    parts = [_roll(item, scores, skipped) for item in node.items if item.key not in skipped]
    if any(p is None for p in parts):
        return None
    scores[node.key] = total_of(parts)
    return scores[node.key]


def total_for(
    scores: dict[str, Decimal], criteria: CriteriaSet, skipped: frozenset[str] = frozenset()
) -> Decimal:
    """The total: the exact sum of the top-level criteria that apply, penalties and bonus
    included."""
    return total_of(scores[c.key] for c in criteria.criteria if c.key not in skipped)


def _quotient(a: Decimal, b: Decimal, decimals: int) -> Decimal:
    """a ÷ b rounded half-up once to `decimals`."""
    with localcontext() as ctx:
        ctx.prec = INDEX_PRECISION
        value = a / b
    return half_up(value, decimals)


def rescaled(
    total: Decimal, criteria: CriteriaSet, skipped: frozenset[str], decimals: int
) -> Decimal:
    """A total on the set's scale for a unit some criteria do not apply to: total × set
    maximum ÷ the unit's maximum, half-up to `decimals` (the total itself when all apply)."""
    unit_max = criteria.unit_max(skipped)
    if not skipped or not unit_max:
        return total
    return _quotient(total * criteria.max_total, unit_max, decimals)


def index_for(
    scores: dict[str, Decimal],
    criteria: CriteriaSet,
    skipped: frozenset[str] = frozenset(),
    decimals: int | None = None,
) -> Decimal | None:
    """The set's index rounded half-up to its decimals (or to `decimals`: audit compares a
    published index at the digits it was printed with); None when it has none.

    total: total / the unit's regular maximum (the set's, less criteria that do not apply).
    weighted: Σ weight × score/max over the weighted top-level criteria that apply (max:
    what applies of it), divided by their Σ weight (so weights need not sum to 1)."""
    if criteria.index is None:
        return None
    places = criteria.index.decimals if decimals is None else decimals
    if criteria.index.method is IndexMethod.TOTAL:
        unit_max = criteria.unit_max(skipped)
        return _quotient(total_for(scores, criteria, skipped), unit_max or 1, places)
    weighted = [c for c in criteria.criteria if c.weight is not None and c.key not in skipped]
    with localcontext() as ctx:
        ctx.prec = INDEX_PRECISION
        shares = total_of(
            c.weight * scores[c.key] / criteria.unit_max_of(c, skipped) for c in weighted
        )
    return _quotient(shares, total_of(c.weight for c in weighted) or 1, places)


def share_of_max(scores: dict[str, Decimal], criteria: CriteriaSet, decimals: int) -> Decimal:
    """total / the set's regular maximum, half-up to `decimals`: what a ranking prints beside
    a rank when the set declares no index (audit of "06 (0,950)")."""
    return _quotient(total_for(scores, criteria), criteria.max_total, decimals)


def grade_for(total: Decimal, bands: Sequence[Grade], maximum: Decimal = Decimal(0)) -> str | None:
    """The first band (highest first) whose bound the total reaches (or exceeds, for an
    exclusive band); bounds given as a share are of `maximum`. None when there are no bands."""
    if not bands:
        return None
    for band in bands:
        bound = band.bound(maximum)
        if total > bound or (total == bound and not band.exclusive):
            return band.name
    return bands[-1].name
