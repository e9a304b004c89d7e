"""Bar charts per group, their data: one series per group, units in rank order by total
(or index), last year's value beside when known, and the value axis both drawings share —
the native Excel chart (`chart_sheet`) and the PNG (`chart_png`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from reportgen.judge.comparison import Comparison
from reportgen.judge.rank import GroupResult


@dataclass(frozen=True)
class Series:
    """One group's chart data."""

    key: str  # group key
    title: str
    measure: str  # "Tổng điểm" or "Chỉ số"
    units: list[str]
    values: list[Decimal]
    year: int
    previous: list[Decimal | None] | None  # None: no previous year known
    previous_year: int | None
    digits: int | None = None  # decimals of an index; None: a total
    axis_end: Decimal | None = None  # the value axis's end; None: from these values
    continued: bool = False  # a later page of a group's chart (`pages`)
    unranked: frozenset[str] = frozenset()  # units assessed but not ranked (listed last)
    maximum: Decimal | None = None  # the most a unit can get (100 points, an index's 1)


def pages(s: Series, per_page: int) -> list[Series]:
    """The series cut into charts of at most `per_page` units, in rank order, all on the
    group's value axis (bars compare across pages); the later ones titled "(tiếp theo)".
    For the decision, where one chart of 93 communes would be shrunk to a page and unreadable."""
    end = fitted_end(s)
    out = []
    for first in range(0, len(s.units), per_page):
        part = slice(first, first + per_page)
        out.append(
            replace(
                s,
                continued=first > 0,
                units=s.units[part],
                values=s.values[part],
                previous=None if s.previous is None else s.previous[part],
                axis_end=end,
            )
        )
    return out


def group_series(
    results: list[GroupResult], year: int, comparison: Comparison | None
) -> list[Series]:
    """The chart data of every group (a group with no unit assessed has empty lists)."""
    changes = comparison.by_unit() if comparison else {}
    out = []
    for result in results:
        values = [result.value(r) for r in result.rows]
        previous = None
        if comparison is not None:
            previous = []
            for r in result.rows:
                past = changes[r.unit].previous if r.unit in changes else None
                previous.append(None if past is None else result.value(past))
        out.append(
            Series(
                key=result.group.key,
                title=result.group.name,
                measure=result.measure_label,
                units=[r.unit for r in result.rows],
                values=values,
                year=year,
                previous=previous,
                previous_year=comparison.previous_year if comparison else None,
                digits=result.index_digits,
                unranked=frozenset(r.unit for r in result.rows if r.rank is None),
                maximum=_maximum(result),
            )
        )
    return out


def _maximum(result: GroupResult) -> Decimal | None:
    """The most a unit of the group can get: an index's 1, else the criteria's total."""
    if result.measure == "index":
        return Decimal(1)
    return result.criteria.max_total if result.criteria else None


def fitted_end(s: Series) -> Decimal:
    """The end of the value axis fitted to the values: 12 % past the largest bar (room for
    its label)."""
    values = [*s.values, *(v for v in (s.previous or []) if v is not None)]
    return max([v for v in values if v > 0], default=Decimal(0)) * Decimal("1.12") or Decimal(1)


def tick_step(end: Decimal) -> Decimal:
    """A round step (1, 2, 2,5 or 5 times a power of ten) giving at most about 6 ticks: 20
    for an axis to 111,4, 0,2 for one to 1,06."""
    rough = end / 6
    power = Decimal(1).scaleb(rough.adjusted())
    return next(m * power for m in (1, 2, Decimal("2.5"), 5, 10) if m * power >= rough)
