"""A criteria tree: each criterion's maximum, penalty floor and bonus, the figures a unit
reports and the rules that score a leaf from them; `numbered` gives the forms' numbers."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal

from pydantic import Field, StrictBool, model_validator

from reportgen.config.fields import CleanText, Model, Number


class Figure(Model):
    """A figure the unit reports (số liệu: dossiers received, meetings held) for a rule."""

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    label: CleanText  # how the form asks for it, and how ingest finds its row
    yes_no: StrictBool = False  # an answer Có/Không rather than a number


class Zero(str, Enum):
    """What a ratio scores when its denominator is 0 (nothing to count)."""

    MAX = "max"
    ZERO = "zero"
    NOT_APPLICABLE = "not_applicable"


class RatioRule(Model):
    """score = max × a ÷ b, capped at max, rounded half-up to `scoring.decimals`."""

    kind: Literal["ratio"]
    inputs: list[str] = Field(min_length=2, max_length=2)  # [numerator, denominator] figures
    zero: Zero  # b = 0

    @property
    def figures(self) -> list[str]:
        return list(self.inputs)


class StepsRule(Model):
    """The points of the first step whose threshold the figure reaches (highest first);
    below every threshold, 0."""

    kind: Literal["steps"]
    input: str
    steps: list[tuple[Number, Number]] = Field(min_length=1)  # (threshold, points)

    @property
    def figures(self) -> list[str]:
        return [self.input]


class YesNoRule(Model):
    """`yes` points for Có, `no` for Không; the figure is the leaf's own answer unless named."""

    kind: Literal["yes_no"]
    input: str = ""  # "": a figure of the leaf's own key and label
    yes: Number
    no: Number = Decimal(0)

    @property
    def figures(self) -> list[str]:
        return [self.input] if self.input else []


Rule = Annotated[RatioRule | StepsRule | YesNoRule, Field(discriminator="kind")]


class Criterion(Model):
    """A criterion or indicator (tiêu chí thành phần); one with `items` is their exact sum."""

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    label: CleanText
    max: Number | None = Field(default=None, ge=0)  # a parent's is the sum of its items'
    min: Number = Field(default=Decimal(0), le=0)  # below 0: a penalty down to this
    bonus: StrictBool = False  # points outside the maximum (not counted in the parent's max)
    weight: Number | None = Field(default=None, ge=0)  # in a weighted index (top level)
    aliases: list[CleanText] = []
    may_not_apply: StrictBool = False  # a unit may write "Không áp dụng" (it and its items)
    rule: Rule | None = None  # leaf only: the score computed from the unit's figures
    source: str = Field(default="", pattern=r"^[a-z0-9_-]*$")  # leaf only: a `sources` table
    items: list[Criterion] = []

    @model_validator(mode="after")
    def _maximum(self) -> Criterion:
        if not self.items:
            if self.max is None:
                raise ValueError(f"tiêu chí '{self.key}': thiếu điểm tối đa 'max'")
            if self.max == 0 and self.min == 0:
                raise ValueError(f"tiêu chí '{self.key}': max = 0 chỉ dùng cho điểm trừ (min < 0)")
            if self.rule is not None and self.source:
                raise ValueError(f"tiêu chí '{self.key}': chỉ đặt một trong 'rule' và 'source'")
            _check_rule(self)
            return self
        if self.min != 0:
            raise ValueError(f"tiêu chí '{self.key}': 'min' chỉ đặt ở tiêu chí thành phần")
        if self.rule is not None or self.source:
            raise ValueError(
                f"tiêu chí '{self.key}': 'rule' và 'source' chỉ đặt ở tiêu chí thành phần "
                "(không có items)"
            )
        total = sum((c.max for c in self.items if not c.bonus), Decimal(0))
        if self.max is not None and self.max != total:
            raise ValueError(
                f"tiêu chí '{self.key}': max = {self.max} khác tổng điểm tối đa các tiêu chí "
                f"thành phần ({total})"
            )
        object.__setattr__(self, "max", total)  # frozen model: set once, while validating
        return self

    @property
    def floor(self) -> Decimal:
        """The lowest score it can have (penalties)."""
        if not self.items:
            return self.min
        return sum((c.floor for c in self.items), Decimal(0))

    @property
    def ceiling(self) -> Decimal:
        """The highest score it can have: its maximum plus any bonus under it."""
        if not self.items:
            return self.max
        return sum((c.ceiling for c in self.items), Decimal(0))

    @property
    def figure_keys(self) -> list[str]:
        """The figures its rule reads (a yes/no rule without `input` reads its own key)."""
        if self.rule is None:
            return []
        return self.rule.figures or [self.key]

    def walk(self, depth: int = 1):
        """(depth, node) of this criterion and everything under it, parents first."""
        yield depth, self
        for item in self.items:
            yield from item.walk(depth + 1)


def _check_rule(c: Criterion) -> None:
    """A rule's points lie within the leaf's bounds; steps go from the highest threshold down."""
    rule, where = c.rule, f"tiêu chí '{c.key}': rule"
    if isinstance(rule, StepsRule):
        thresholds = [t for t, _ in rule.steps]
        if thresholds != sorted(thresholds, reverse=True) or len(set(thresholds)) < len(thresholds):
            raise ValueError(
                f"{where}: liệt kê các bậc từ ngưỡng cao nhất xuống, mỗi ngưỡng một khác"
            )
        points = [p for _, p in rule.steps]
    elif isinstance(rule, YesNoRule):
        points = [rule.yes, rule.no]
    else:
        return
    for p in points:
        if not c.min <= p <= c.max:
            raise ValueError(f"{where}: điểm {p} nằm ngoài khoảng {c.min} đến {c.max} của tiêu chí")


def numbered(criteria: list[Criterion], prefix: str = "") -> list[tuple[str, Criterion]]:
    """Every node with its number, as forms and statements print them: 1, 2 at the top;
    1.1, 1.2 under 1; and so on."""
    out = []
    for i, c in enumerate(criteria, start=1):
        number = f"{prefix}{i}"
        out.append((number, c))
        out += numbered(c.items, number + ".")
    return out
