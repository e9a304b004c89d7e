"""A criteria set (`[[criteria_sets]]`, or the top-level `[[criteria]]`): its tree, grade
bands, index and ranking, what may not apply to a unit, and the checks that make it one
consistent set."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from functools import cached_property

from pydantic import Field, StrictBool, StrictInt, model_validator
from pydantic_core import PydanticCustomError

from reportgen.config.criteria import Criterion, Figure, RatioRule, YesNoRule, Zero
from reportgen.config.duplicates import label_collisions, unique
from reportgen.config.fields import CleanText, Model, Number

MAX_TREE_DEPTH = 10  # levels of a criteria tree (real ones have 2 to 4)


class Grade(Model):
    """A grade band: the total reaches `min` points, or `min_share` of the maximum
    (0.75 = 75 %); with `exclusive` it must exceed the bound (Lào Cai: "> 75 %")."""

    name: CleanText
    min: Number | None = None
    min_share: Number | None = Field(default=None, ge=0, le=1)
    exclusive: StrictBool = False

    @model_validator(mode="after")
    def _one_bound(self) -> Grade:
        if (self.min is None) == (self.min_share is None):
            raise ValueError(f"grades '{self.name}': đặt đúng một trong 'min' và 'min_share'")
        return self

    def bound(self, maximum: Decimal) -> Decimal:
        """The band's bound in points, for a set whose maximum is `maximum`."""
        return self.min if self.min is not None else self.min_share * maximum


class IndexMethod(str, Enum):
    TOTAL = "total"  # total / maximum
    WEIGHTED = "weighted"  # Σ weight × score/max over top-level criteria, / Σ weight


class Index(Model):
    method: IndexMethod = IndexMethod.TOTAL
    decimals: StrictInt = Field(default=4, ge=0, le=8)  # printed and ranked at this many decimals


class RankBy(str, Enum):
    TOTAL = "total"
    INDEX = "index"


class NotApplicable(str, Enum):
    """How a unit some criteria do not apply to is compared with the others."""

    RESCALE = "rescale"  # total × set maximum ÷ the unit's maximum ("quy về thang điểm 100")
    INDEX = "index"  # the index divides by the unit's maximum; the total stays as scored


class CriteriaSet(Model):
    """Criteria, grades and index, defined once and shared by the groups that name it."""

    key: str = Field(pattern=r"^[a-z0-9_-]*$")
    criteria: list[Criterion] = Field(min_length=1)
    grades: list[Grade] = []  # none: no Xếp loại column
    index: Index | None = None
    rank_by: RankBy = RankBy.TOTAL
    figures: list[Figure] = []  # what rules read from the unit's form
    not_applicable: NotApplicable | None = None  # needed once a criterion may not apply

    @model_validator(mode="after")
    def _consistent(self) -> CriteriaSet:
        return checked(self)

    @cached_property
    def _skippable(self) -> frozenset[str]:
        """Keys of the nodes a unit may skip: marked `may_not_apply`, or under one that is,
        or a ratio whose zero denominator means "not applicable"."""
        out: set[str] = set()
        for top in self.criteria:
            for _, c in top.walk():
                if c.may_not_apply:
                    out.update(node.key for _, node in c.walk())
                elif isinstance(c.rule, RatioRule) and c.rule.zero is Zero.NOT_APPLICABLE:
                    out.add(c.key)
        return frozenset(out)

    def may_skip(self, key: str) -> bool:
        return key in self._skippable

    def skipped(self, keys: Iterable[str]) -> frozenset[str]:
        """`keys` with every node under them, and every parent all of whose items are in it
        (an area whose items all do not apply does not apply)."""
        if not keys:
            return frozenset()  # nearly every unit: no work per row of a big table
        out = set()
        for key in keys:
            out.update(c.key for _, c in self.by_key[key].walk())
        for _, c in sorted(self.nodes, key=lambda pair: -pair[0]):  # deepest first
            if c.items and all(item.key in out for item in c.items):
                out.add(c.key)
        return frozenset(out)

    def unit_max(self, skipped: frozenset[str]) -> Decimal:
        """The unit's regular maximum: the set's, less what does not apply to it."""
        return sum((_applicable(c, skipped) for c in self.criteria if not c.bonus), Decimal(0))

    @staticmethod
    def unit_max_of(c: Criterion, skipped: frozenset[str]) -> Decimal:
        """What of criterion `c`'s maximum applies to a unit that skips `skipped`."""
        return _applicable(c, skipped)

    @property
    def figure_by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}

    @property
    def max_total(self) -> Decimal:
        """The regular maximum: top-level maxima, bonus criteria left out."""
        return sum((c.max for c in self.criteria if not c.bonus), Decimal(0))

    @cached_property
    def _walked(self) -> tuple:
        """(nodes, leaves, by key) of the tree, made once (validate asks per unit; a set's
        `criteria` are never replaced: a changed assessment makes new sets)."""
        nodes = [pair for top in self.criteria for pair in top.walk()]
        leaves = [c for _, c in nodes if not c.items]
        return nodes, leaves, {c.key: c for _, c in nodes}

    @property
    def nodes(self) -> list[tuple[int, Criterion]]:
        """(depth, criterion) of the whole tree, parents before their items."""
        return self._walked[0]

    @property
    def leaves(self) -> list[Criterion]:
        return self._walked[1]

    @property
    def by_key(self) -> dict[str, Criterion]:
        """Every node of the tree by its key."""
        return self._walked[2]

    def level(self, depth: int) -> list[Criterion]:
        """The criteria shown at `depth`: the nodes at that depth, and shallower leaves."""
        return [c for d, c in self.nodes if d == depth or (d < depth and not c.items)]


def _applicable(c: Criterion, skipped: frozenset[str]) -> Decimal:
    if c.key in skipped:
        return Decimal(0)
    if not c.items:
        return c.max
    return sum((_applicable(i, skipped) for i in c.items if not i.bonus), Decimal(0))


def _check_figures(s: CriteriaSet, where: str, nodes: list[Criterion]) -> None:
    """Every figure a rule reads is declared, of the right kind; yes/no answers only."""
    unique(f"{where}: figures.key", [f.key for f in s.figures] + [c.key for c in nodes])
    declared = s.figure_by_key
    for c in nodes:
        if c.rule is None:
            continue
        if isinstance(c.rule, RatioRule) and c.rule.inputs[0] == c.rule.inputs[1]:
            raise ValueError(
                f"{where}: tiêu chí '{c.key}': tử số và mẫu số là hai số liệu khác nhau"
            )
        for key in c.rule.figures:
            figure = declared.get(key)
            if figure is None:
                raise ValueError(
                    f"{where}: tiêu chí '{c.key}' dùng số liệu '{key}' chưa khai báo trong figures"
                )
            if figure.yes_no != isinstance(c.rule, YesNoRule):
                wanted = "Có/Không (yes_no = true)" if figure.yes_no is False else "một số"
                raise ValueError(f"{where}: tiêu chí '{c.key}': số liệu '{key}' cần là {wanted}")


def checked(s: CriteriaSet) -> CriteriaSet:
    """The set, once its keys, labels, bands and weights are consistent."""
    where = f"criteria_sets '{s.key}'" if s.key else "criteria"
    depth, deepest = max(s.nodes, key=lambda pair: pair[0])
    if depth > MAX_TREE_DEPTH:
        raise ValueError(
            f"{where}: cây tiêu chí sâu {depth} tầng (đến tiêu chí '{deepest.key}'), tối đa "
            f"{MAX_TREE_DEPTH} tầng"
        )
    nodes = [c for _, c in s.nodes]
    unique(f"{where}: key", [c.key for c in nodes])
    clashes = label_collisions(nodes, s.figures)
    if clashes:
        raise PydanticCustomError("collision", "\n".join(clashes))
    _check_figures(s, where, nodes)
    if s._skippable and s.not_applicable is None:
        raise ValueError(
            f'{where}: có tiêu chí có thể không áp dụng: cần not_applicable = "rescale" '
            '(quy về thang điểm của bộ tiêu chí) hoặc "index" (chỉ số chia cho điểm tối đa '
            "của đơn vị)"
        )
    if s.not_applicable is NotApplicable.INDEX and s.rank_by is not RankBy.INDEX:
        raise ValueError(f"{where}: not_applicable = 'index' cần rank_by = 'index' và 'index'")
    if s.grades:
        _check_bands(s.grades, s.max_total, sum((c.ceiling for c in s.criteria), Decimal(0)))
    if s.rank_by is RankBy.INDEX and s.index is None:
        raise ValueError(f"{where}: rank_by = 'index' cần khai báo 'index'")
    weighted = s.index is not None and s.index.method is IndexMethod.WEIGHTED
    top = {id(c) for c in s.criteria}
    for c in nodes:
        regular = id(c) in top and not c.bonus and c.max > 0
        if weighted and regular and c.weight is None:
            raise ValueError(f"{where}: chỉ số có trọng số: tiêu chí '{c.key}' thiếu 'weight'")
        if c.weight is not None and not (weighted and regular):
            raise ValueError(
                f"{where}: 'weight' của '{c.key}' chỉ dùng khi index.method = 'weighted', "
                "ở tiêu chí cấp 1 có điểm tối đa và không phải điểm thưởng"
            )
    if weighted and sum(c.weight or 0 for c in s.criteria) == 0:
        raise ValueError(f"{where}: tổng trọng số phải lớn hơn 0")
    return s


def _check_bands(grades: list[Grade], maximum: Decimal, reachable: Decimal) -> None:
    """Bands from the highest down, the last from 0, each reachable by some total (at most
    `reachable`: the maximum plus bonus points)."""
    bounds = [g.bound(maximum) for g in grades]
    if bounds != sorted(bounds, reverse=True) or len(set(bounds)) != len(bounds):
        raise ValueError("grades: liệt kê các mức từ 'min' cao nhất xuống, mỗi mức một khác")
    if bounds[-1] > 0 or grades[-1].exclusive:
        raise ValueError("grades: mức cuối cần min = 0 để tổng điểm nào cũng có xếp loại")
    for grade, bound in zip(grades, bounds):
        if bound > reachable or (grade.exclusive and bound >= reachable):
            raise ValueError(
                f"grades: mức '{grade.name}' cần tổng điểm từ {bound} trở lên, cao hơn tổng điểm "
                f"tối đa {reachable}: không đơn vị nào đạt được"
            )
