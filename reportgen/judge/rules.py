"""Scores computed from a unit's own figures (a criterion's `rule`): a share a ÷ b of the
maximum, a step table, a yes/no answer. Pure functions; `validate` reads the figures from
the form, judges them and calls `compute`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from reportgen.config import Criterion, RatioRule, StepsRule, YesNoRule, Zero
from reportgen.core.numbers import format_number, half_up, shown
from reportgen.core.text import label_key

YES = {"co", "yes", "x", "dat", "1"}
NO = {"khong", "no", "chua", "0"}
PRECISION = 40  # significant digits of a share before it is rounded to the scoring decimals


@dataclass(frozen=True)
class Computed:
    """A rule's result: the score (None: the criterion does not apply — a ratio of 0 ÷ 0
    with `zero = "not_applicable"`) and how it was worked out, for a clerk to check."""

    score: Decimal | None
    working: str


def answer(value: object) -> bool | None:
    """A yes/no cell: True for Có (x, 1), False for Không (0), None when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = label_key(value) if isinstance(value, str) else None
    return True if key in YES else False if key in NO else None


def compute(c: Criterion, figures: dict[str, Decimal | bool], decimals: int) -> Computed:
    """The score of leaf `c` from its figures (each already checked: numbers ≥ 0, a
    numerator not above its denominator)."""
    rule = c.rule

    def points(value: Decimal) -> str:
        return format_number(value, decimals)

    if isinstance(rule, YesNoRule):
        yes = figures[c.figure_keys[0]]
        score = rule.yes if yes else rule.no
        return Computed(score, f"{'Có' if yes else 'Không'} → {points(score)}")
    if isinstance(rule, StepsRule):
        value = figures[rule.input]
        step = next(((t, p) for t, p in rule.steps if value >= t), None)
        if step is None:
            return Computed(Decimal(0), f"{shown(value)}: dưới mọi bậc → 0")
        return Computed(step[1], f"{shown(value)} ≥ {shown(step[0])} → {points(step[1])}")
    assert isinstance(rule, RatioRule)
    a, b = (figures[k] for k in rule.inputs)
    if b == 0:
        score = {Zero.MAX: c.max, Zero.ZERO: Decimal(0), Zero.NOT_APPLICABLE: None}[rule.zero]
        then = "không áp dụng" if score is None else points(score)
        return Computed(score, f"{shown(a)} ÷ 0: mẫu số bằng 0 → {then}")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        exact = min(c.max, c.max * a / b)
    score = half_up(exact, decimals)
    return Computed(score, f"{points(c.max)} × {shown(a)} ÷ {shown(b)} = {points(score)}")


def formula(c: Criterion, refs: dict[str, str], decimals: int, mark: str) -> str | None:
    """The spreadsheet formula that shows leaf `c`'s score on a form, from the cells of its
    figures (`refs`: figure key → A1), as `compute` works it out (Excel's ROUND is half-up
    for the non-negative values here); `mark` is what a ratio of 0 ÷ 0 that does not apply
    shows. None for a yes/no leaf answered in its own cell."""
    rule = c.rule
    if isinstance(rule, YesNoRule):
        if not rule.input:
            return None
        return f'=IF({refs[rule.input]}="Có",{rule.yes},{rule.no})'
    if isinstance(rule, StepsRule):
        value = refs[rule.input]
        nested = "0"
        for threshold, points in reversed(rule.steps):
            nested = f"IF({value}>={threshold},{points},{nested})"
        return "=" + nested
    assert isinstance(rule, RatioRule)
    a, b = (refs[k] for k in rule.inputs)
    zero = {Zero.MAX: str(c.max), Zero.ZERO: "0", Zero.NOT_APPLICABLE: f'"{mark}"'}[rule.zero]
    return f"=IF({b}=0,{zero},MIN({c.max},ROUND({c.max}*{a}/{b},{decimals})))"
