"""The assessment file (`assessment.toml`): everything specific to one province and year.

Loaded with tomllib and validated with pydantic; any problem becomes a `ConfigError` whose
lines name the key and the problem."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable
from decimal import Decimal
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    Tag,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from reportgen.config import messages as config_messages
from reportgen.core.numbers import exact
from reportgen.core.text import clean, has_control, label_key, name_key, visible

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BLANK = "<<CẦN ĐIỀN>>"  # a value `reportgen init` leaves for the clerk; `build` refuses it
CleanText = Annotated[str, BeforeValidator(lambda v: clean(v) if isinstance(v, str) else v)]


def _number(value: object) -> object:
    """A TOML integer or float as an exact Decimal (0.5 stays 0.5); text, booleans and dates
    are refused rather than coerced (`max = "36"`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise PydanticCustomError("decimal_type", "not a number")
    return exact(value)


Number = Annotated[Decimal, BeforeValidator(_number)]  # strict: a TOML number, never text


class ConfigError(Exception):
    """The assessment file is missing or wrong; `problems` are lines for a clerk."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))

    def __reduce__(self):  # raised in a child process (`bounded`), raised again here
        return type(self), (self.path, self.problems)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TieBreak(str, Enum):
    ALPHABETICAL = "alphabetical"  # Vietnamese alphabetical order of unit names
    INPUT_ORDER = "input-order"  # the order in which the units were read


class AnnexNumbering(str, Enum):
    STT = "stt"  # 1..n down each table
    RANK = "rank"  # shared ranks: 1, 2, 2, 4


class Issuer(_Model):
    name: CleanText  # upper-case name in the header: ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM
    short: CleanText  # in running text: UBND tỉnh Quảng Nam
    place: CleanText  # địa danh before the date: Quảng Nam
    parent: CleanText = ""  # cơ quan chủ quản, above the issuer name, if any


class Decision(_Model):
    number: StrictInt | None = Field(ge=1)  # None: left blank (BLANK) for the clerk to fill
    symbol: CleanText  # QĐ-UBND
    date: dt.date | None  # None: left blank (BLANK)
    summary: CleanText  # trích yếu, after "QUYẾT ĐỊNH"
    authority: CleanText  # the issuing authority line: ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM
    legal_bases: list[CleanText] = Field(min_length=1)  # căn cứ lines
    proposal: CleanText = ""  # "Xét đề nghị của ..."
    articles: list[CleanText] = Field(min_length=1)  # text of Điều 1, Điều 2, ...
    closing: CleanText = ""  # a last line after the articles, if any
    recipients: list[CleanText] = Field(min_length=1)  # nơi nhận, the last "Lưu: ..."


class Signer(_Model):
    lines: list[CleanText] = Field(min_length=1)  # TM. ..., KT. CHỦ TỊCH, PHÓ CHỦ TỊCH
    name: CleanText


class AnnexColumn(str, Enum):
    STT = "stt"  # 1..n down the table
    RANK = "rank"  # shared rank, 1, 2, 2, 4 (blank for a unit assessed but not ranked)
    NAME = "name"  # the unit
    CRITERIA = "criteria"  # one column per criterion at `criteria_level`
    SELF_TOTAL = "self_total"  # the self-assessed total, beside the verified one
    TOTAL = "total"
    INDEX = "index"  # left out for a set without an index
    GRADE = "grade"  # left out for a set without grades
    # year over year (`build` needs a previous year: `previous` or `--previous`)
    CHANGE = "change"  # ▲ 2, ▼ 1, =, Mới, Sáp nhập từ …
    PREVIOUS_RANK = "previous_rank"  # last year's rank in the same group
    PREVIOUS_TOTAL = "previous_total"  # last year's total (or the total of its one predecessor)


YEAR_OVER_YEAR = (AnnexColumn.CHANGE, AnnexColumn.PREVIOUS_RANK, AnnexColumn.PREVIOUS_TOTAL)


DEFAULT_HEADINGS = {
    AnnexColumn.STT: "STT",
    AnnexColumn.RANK: "Xếp hạng",
    AnnexColumn.SELF_TOTAL: "Tổng điểm tự đánh giá",
    AnnexColumn.TOTAL: "Tổng",
    AnnexColumn.INDEX: "Chỉ số",
    AnnexColumn.GRADE: "Xếp loại",
    # "{year}": last year, or "trước" when last year's results do not say
    AnnexColumn.CHANGE: "Thay đổi thứ hạng so với năm {year}",
    AnnexColumn.PREVIOUS_RANK: "Xếp hạng năm {year}",
    AnnexColumn.PREVIOUS_TOTAL: "Tổng điểm năm {year}",
}


COMPOSABLE = ("stt", "rank", "name", "total", "self_total", "index", "grade")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class ComposedColumn(_Model):
    """A column that prints several values in one cell, as national tables do:
    `{ key = "rank_index", heading = "Năm 2017", format = "{rank} ({index})" }` → "01 (0,727)".
    A format of one placeholder ("{index}") keeps the value a number in the workbook."""

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    heading: CleanText
    format: CleanText

    @model_validator(mode="after")
    def _placeholders(self) -> ComposedColumn:
        names = self.placeholders
        unknown = [n for n in names if n not in COMPOSABLE]
        if not names or unknown:
            shown = ", ".join("{" + n + "}" for n in COMPOSABLE)
            raise ValueError(
                f"annex.columns '{self.key}': format cần ít nhất một trong {shown}"
                + (f"; không có {{{unknown[0]}}}" if unknown else "")
            )
        return self

    @property
    def placeholders(self) -> list[str]:
        return PLACEHOLDER.findall(self.format)

    @property
    def value(self) -> str:
        return self.key


def _column_kind(value: object) -> str:
    return "composed" if isinstance(value, (dict, ComposedColumn)) else "plain"


AnyColumn = Annotated[
    Annotated[AnnexColumn, Tag("plain")] | Annotated[ComposedColumn, Tag("composed")],
    Discriminator(_column_kind),
]


class Annex(_Model):
    title: CleanText
    numbering: AnnexNumbering = AnnexNumbering.STT
    landscape: StrictBool = False
    columns: list[AnyColumn] = []  # empty: [numbering, name, criteria, total, grade]
    headings: dict[AnnexColumn, CleanText] = {}  # column → heading, over DEFAULT_HEADINGS
    criteria_level: StrictInt = Field(default=1, ge=1, le=9)  # 1: top-level criteria only
    rank_digits: StrictInt = Field(default=0, ge=0, le=4)  # 2: ranks printed "01", "02", ...
    detail_sheets: StrictBool = False  # the annex workbook adds a sheet per group with every leaf
    # criterion headings in the decision: as written, turned to read upwards, or TC1, TC2 …
    # with what they stand for under the table
    criteria_headings: Literal["full", "rotated", "short"] = "full"
    detail_paper: Literal["A4", "A3"] = "A4"  # a detail sheet printed: A4 pages side by side
    # (names repeated), or A3 landscape one page wide
    charts: StrictBool = False  # the decision shows each group's chart under its table

    @model_validator(mode="after")
    def _columns(self) -> Annex:
        _unique("annex.columns", [c.value for c in self.columns])
        if self.columns and AnnexColumn.NAME not in self.columns:
            raise ValueError("annex.columns: cần có cột 'name' (tên đơn vị)")
        return self

    @property
    def shown_columns(self) -> list[AnnexColumn | ComposedColumn]:
        """The columns asked for, or the 2019 layout when none are listed."""
        if self.columns:
            return list(self.columns)
        first = AnnexColumn.STT if self.numbering is AnnexNumbering.STT else AnnexColumn.RANK
        return [first, AnnexColumn.NAME, AnnexColumn.CRITERIA, AnnexColumn.TOTAL, AnnexColumn.GRADE]

    def heading(self, column: AnnexColumn, previous_year: int | None = None) -> str:
        """The column's heading: the config's, else the default; in a year-over-year
        column's, "{year}" is `previous_year` (or "trước")."""
        text = self.headings.get(column, DEFAULT_HEADINGS.get(column, ""))
        if column not in YEAR_OVER_YEAR:
            return text
        return text.replace("{year}", str(previous_year or "trước"))

    @property
    def year_over_year(self) -> list[AnnexColumn]:
        """The columns asked for that need last year's results."""
        return [c for c in self.columns if c in YEAR_OVER_YEAR]


class Figure(_Model):
    """A figure the unit reports (số liệu: dossiers received, meetings held) for a rule."""

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    label: CleanText  # how the form asks for it, and how ingest finds its row
    yes_no: StrictBool = False  # an answer Có/Không rather than a number


class Zero(str, Enum):
    """What a ratio scores when its denominator is 0 (nothing to count)."""

    MAX = "max"
    ZERO = "zero"
    NOT_APPLICABLE = "not_applicable"


class RatioRule(_Model):
    """score = max × a ÷ b, capped at max, rounded half-up to `scoring.decimals`."""

    kind: Literal["ratio"]
    inputs: list[str] = Field(min_length=2, max_length=2)  # [numerator, denominator] figures
    zero: Zero  # b = 0

    @property
    def figures(self) -> list[str]:
        return list(self.inputs)


class StepsRule(_Model):
    """The points of the first step whose threshold the figure reaches (highest first);
    below every threshold, 0."""

    kind: Literal["steps"]
    input: str
    steps: list[tuple[Number, Number]] = Field(min_length=1)  # (threshold, points)

    @property
    def figures(self) -> list[str]:
        return [self.input]


class YesNoRule(_Model):
    """`yes` points for Có, `no` for Không; the figure is the leaf's own answer unless named."""

    kind: Literal["yes_no"]
    input: str = ""  # "": a figure of the leaf's own key and label
    yes: Number
    no: Number = Decimal(0)

    @property
    def figures(self) -> list[str]:
        return [self.input] if self.input else []


Rule = Annotated[RatioRule | StepsRule | YesNoRule, Field(discriminator="kind")]


class Criterion(_Model):
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


class Grade(_Model):
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


class Index(_Model):
    method: IndexMethod = IndexMethod.TOTAL
    decimals: StrictInt = Field(default=4, ge=0, le=8)  # printed and ranked at this many decimals


class RankBy(str, Enum):
    TOTAL = "total"
    INDEX = "index"


class NotApplicable(str, Enum):
    """How a unit some criteria do not apply to is compared with the others."""

    RESCALE = "rescale"  # total × set maximum ÷ the unit's maximum ("quy về thang điểm 100")
    INDEX = "index"  # the index divides by the unit's maximum; the total stays as scored


class CriteriaSet(_Model):
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
        return _checked(self)

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
    _unique(f"{where}: figures.key", [f.key for f in s.figures] + [c.key for c in nodes])
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


def _checked(s: CriteriaSet) -> CriteriaSet:
    """The set, once its keys, labels, bands and weights are consistent."""
    where = f"criteria_sets '{s.key}'" if s.key else "criteria"
    depth, deepest = max(s.nodes, key=lambda pair: pair[0])
    if depth > MAX_TREE_DEPTH:
        raise ValueError(
            f"{where}: cây tiêu chí sâu {depth} tầng (đến tiêu chí '{deepest.key}'), tối đa "
            f"{MAX_TREE_DEPTH} tầng"
        )
    nodes = [c for _, c in s.nodes]
    _unique(f"{where}: key", [c.key for c in nodes])
    clashes = _label_collisions(nodes, s.figures)
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


class Unit(_Model):
    name: CleanText
    aliases: list[CleanText] = []
    not_assessed: CleanText = ""  # why it is not assessed this year (a note under the table)
    not_ranked: CleanText = ""  # why it is assessed but not ranked (shown without a rank)
    predecessors: list[CleanText] = []  # last year's names it continues (renamed, merged)
    not_applicable: list[str] = []  # keys of criteria that do not apply to it this year


def _unit(value: object) -> object:
    return {"name": value} if isinstance(value, str) else value


class Group(_Model):
    key: str = Field(pattern=r"^[a-z0-9_-]+$")
    name: CleanText  # Sở, Ban, ngành
    heading: CleanText  # the annex section heading above the table
    name_column: CleanText = "Tên đơn vị"  # the annex's name-column heading
    criteria_set: str = ""  # key of its criteria set; "" = the top-level [[criteria]]
    units: list[Annotated[Unit, BeforeValidator(_unit)]] = Field(min_length=1)


class AuditColumn(str, Enum):
    """What a published column holds, for `[audit] columns` (a heading audit does not know)."""

    NAME = "name"
    NUMBER = "number"  # STT
    RANK = "rank"  # a rank, or a rank printed with its value: "01 (0,727)"
    TOTAL = "total"
    SELF_TOTAL = "self_total"
    INDEX = "index"
    GRADE = "grade"
    IGNORE = "ignore"  # known and deliberately not compared (remarks, last year's rank)


class Audit(_Model):
    """How `reportgen audit` reads a published table: headings it does not know by name."""

    columns: dict[CleanText, AuditColumn] = {}  # heading as published → what it holds


class EvidencePolicy(str, Enum):
    OFF = "off"  # forms ask for no evidence
    OPTIONAL = "optional"  # forms ask for it; references are read and dates checked
    REQUIRED = "required"  # a score above the minimum needs evidence or an explanation


NOT_APPLICABLE_MARK = "KAD"  # how the annex prints a criterion that does not apply to a unit


class Scoring(_Model):
    decimals: StrictInt = Field(default=2, ge=0, le=6)  # most decimals a score may have
    tie_break: TieBreak = TieBreak.ALPHABETICAL
    verified_column: bool = False  # forms carry "Điểm thẩm định" and "Lý do" for the verifier
    not_applicable_marks: list[CleanText] = Field(
        default=["Không áp dụng", "KAD"], min_length=1
    )  # what a unit writes in a score cell for a criterion that does not apply to it

    @cached_property
    def _mark_keys(self) -> frozenset[str]:
        return frozenset(label_key(m) for m in (*self.not_applicable_marks, NOT_APPLICABLE_MARK))

    def says_not_applicable(self, value: object) -> bool:
        """Whether a cell's text marks a criterion as not applicable: one of the marks, or
        the annex's own "KAD" (case and diacritics ignored)."""
        return isinstance(value, str) and label_key(value) in self._mark_keys

    evidence: EvidencePolicy = EvidencePolicy.OFF  # forms carry "Minh chứng" and "Giải trình"
    period: list[dt.date] = []  # [start, end] of the assessed period; empty: the year

    @model_validator(mode="after")
    def _period(self) -> Scoring:
        if self.period and (len(self.period) != 2 or self.period[0] > self.period[1]):
            raise ValueError("scoring.period: ghi [ngày bắt đầu, ngày kết thúc], bắt đầu trước")
        return self


class Verification(_Model):
    """The verification round: the preliminary notice to each unit and its answer."""

    deadline: dt.date | None = None  # answers stated or received after it: EXPLANATION_LATE
    issuer: CleanText = ""  # who sends the notice (upper case, ô 2); "": issuer.name
    issuer_short: CleanText = ""  # the same in running text; "": issuer.short
    parent: CleanText = ""  # its cơ quan chủ quản; "" with no `issuer`: issuer.parent
    symbol: CleanText = "HĐTĐ"  # ký hiệu: Số …/HĐTĐ
    number: StrictInt | None = Field(default=None, ge=1)  # None: left for the văn thư
    date: dt.date | None = None  # None: left for the văn thư
    signer: Signer | None = None  # None: the decision's signer
    recipients: list[CleanText] = ["Như trên;", "Lưu: VT."]


class Kind(str, Enum):
    DECISION = "decision"  # the annex of a Quyết định: the decision and signer are required
    TABLE = "table"  # a ranking published as a report, notice or web page: no decision


class Methodology(_Model):
    """The shipped criteria set an assessment follows (`reportgen init --methodology`)."""

    name: CleanText
    version: CleanText = ""
    source: CleanText = ""  # the document its criteria come from


class SubmissionWindow(_Model):
    """`[submission]`: when units may upload through their own links (`reportgen serve`)."""

    deadline: dt.date | None = None  # the last day, inclusive, Việt Nam time


class Assessment(_Model):
    """One year's run of one province."""

    title: CleanText  # e.g. "đánh giá, xếp hạng mức độ ứng dụng CNTT ... năm 2019"
    year: StrictInt = Field(ge=2000, le=2100)
    issuer: Issuer
    kind: Kind = Kind.DECISION
    decision: Decision | None = None  # required for kind "decision"
    signer: Signer | None = None  # required for kind "decision"
    annex: Annex
    scoring: Scoring = Scoring()
    verification: Verification = Verification()
    audit: Audit = Audit()
    submission: SubmissionWindow = SubmissionWindow()
    criteria: list[Criterion] = []  # the one-set form: criteria shared by every group
    grades: list[Grade] = []
    index: Index | None = None
    rank_by: RankBy = RankBy.TOTAL
    figures: list[Figure] = []
    not_applicable: NotApplicable | None = None
    criteria_sets: list[CriteriaSet] = []  # named sets, chosen by `groups.criteria_set`
    groups: list[Group] = Field(min_length=1)
    previous: str = ""  # last year's ket-qua.json or assessment folder, relative to this file
    methodology: Methodology | None = None  # recorded by `init --methodology`, kept by `init`
    sources: dict[Annotated[str, Field(pattern=r"^[a-z0-9_-]+$")], CleanText] = {}
    # source name → the table (relative to this file) giving `source = name` criteria's scores
    _by_set: dict = PrivateAttr(default_factory=dict)  # key → set; None → the source ids
    _blanks: tuple[str, ...] = PrivateAttr(default=())
    _unit_groups: tuple = PrivateAttr(default=(None, {}))  # (groups, unit → group)

    @property
    def blanks(self) -> tuple[str, ...]:
        """Keys still holding `BLANK` (e.g. `decision.number`): `build` refuses them."""
        return self._blanks

    @property
    def stamp(self) -> dt.date:
        """The date written into files' metadata: the decision date, or 1 January of the
        next year while the date is blank."""
        date = self.decision.date if self.decision else None
        return date or dt.date(self.year + 1, 1, 1)

    @property
    def has_decision(self) -> bool:
        """Whether the results are published as a decision (quyet-dinh.docx is written)."""
        return self.kind is Kind.DECISION

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """The assessed period: `scoring.period`, else 1 January to 31 December of `year`."""
        if self.scoring.period:
            return self.scoring.period[0], self.scoring.period[1]
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    @model_validator(mode="after")
    def _consistent(self) -> Assessment:
        if self.kind is Kind.DECISION:
            absent = [k for k in ("decision", "signer") if getattr(self, k) is None]
            if absent:
                raise PydanticCustomError(
                    "decision",
                    "\n".join(
                        f"{k}: thiếu khóa bắt buộc (một bảng xếp hạng công bố bằng báo cáo, "
                        'thông báo hay trang web, không bằng quyết định: ghi kind = "table")'
                        for k in absent
                    ),
                )
        by_key = self._set_map()
        for g in self.groups:
            if g.criteria_set not in by_key:
                wanted = f"'{g.criteria_set}'" if g.criteria_set else "[[criteria]] ở cấp gốc"
                raise ValueError(f"groups '{g.key}': không có bộ tiêu chí {wanted}")
        _unique("groups.key", [g.key for g in self.groups])
        clashes = _name_collisions(self.groups)
        if clashes:
            raise PydanticCustomError("collision", "\n".join(clashes))
        for g in self.groups:
            for u in g.units:
                if u.not_assessed and u.not_ranked:
                    raise ValueError(f"'{u.name}': chỉ đặt một trong not_assessed và not_ranked")
                _check_not_applicable(u, by_key[g.criteria_set])
        _one_criterion_per_key(self.sets)
        for s in self.sets:
            for c in s.leaves:
                if c.source and not self.sources.get(c.source) and not s.may_skip(c.key):
                    raise ValueError(
                        f"tiêu chí '{c.key}': source = '{c.source}' cần bảng điểm "
                        f'sources.{c.source} = "tệp.xlsx" (hoặc may_not_apply = true khi '
                        "không tổ chức)"
                    )
        return self

    def _set_map(self) -> dict[str, CriteriaSet]:
        """The sets by key, made once per value of the fields they come from (a copy made
        with `model_copy(update=...)` gets its own)."""
        source = tuple(
            map(id, (self.criteria, self.grades, self.index, self.criteria_sets, self.figures))
        )
        if self._by_set.get(None) != source:
            sets = list(self.criteria_sets)
            if self.criteria:
                top = dict(criteria=self.criteria, grades=self.grades, index=self.index)
                top.update(figures=self.figures, not_applicable=self.not_applicable)
                sets.insert(
                    0, _checked(CriteriaSet.model_construct(key="", rank_by=self.rank_by, **top))
                )
            elif self.grades or self.index or self.figures or self.not_applicable:
                raise ValueError(
                    "grades, index, figures, not_applicable ở cấp gốc cần [[criteria]] ở cấp gốc"
                )
            _unique("criteria_sets.key", [s.key for s in sets])
            self._by_set = {None: source, **{s.key: s for s in sets}}
        return self._by_set

    @property
    def sets(self) -> list[CriteriaSet]:
        """Every criteria set, the top-level one (key "") first."""
        return [s for k, s in self._set_map().items() if k is not None]

    def criteria_set(self, group: Group) -> CriteriaSet:
        return self._set_map()[group.criteria_set]

    @property
    def max_total(self) -> Decimal:
        """The maximum of the first group's set (in the one-set form, every group's)."""
        return self.criteria_set(self.groups[0]).max_total

    def group_of(self, unit: str) -> Group:
        """The group of a registered unit, from a map made once per `groups` (validate asks
        for every unit: a scan of all groups each time made 5 000 units quadratic)."""
        source, groups = self._unit_groups
        if source is not self.groups:
            groups = {u.name: g for g in self.groups for u in g.units}
            self._unit_groups = (self.groups, groups)
        return groups[unit]

    def unit(self, name: str) -> Unit:
        """A registered unit by its name."""
        return next(u for u in self.group_of(name).units if u.name == name)

    def set_of(self, unit: str) -> CriteriaSet:
        return self.criteria_set(self.group_of(unit))


def _check_not_applicable(unit: Unit, criteria: CriteriaSet) -> None:
    for key in unit.not_applicable:
        if key not in criteria.by_key:
            raise ValueError(f"'{unit.name}': not_applicable: không có tiêu chí '{key}'")
        if not criteria.may_skip(key):
            raise ValueError(
                f"'{unit.name}': not_applicable: tiêu chí '{key}' không được để không áp dụng "
                "(cần may_not_apply = true)"
            )


def _one_criterion_per_key(sets: list[CriteriaSet]) -> None:
    """A key two sets share names one criterion (its label; the maximum may differ): it is
    one column of ket-qua.csv and one field of ket-qua.json, which must not mix two."""
    first: dict[str, tuple[str, Criterion]] = {}
    for s in sets:
        for _, c in s.nodes:
            seen = first.setdefault(c.key, (s.key, c))
            if label_key(seen[1].label) != label_key(c.label):
                raise ValueError(
                    f"criteria_sets '{seen[0]}' và '{s.key}': khóa '{c.key}' dùng cho hai tiêu "
                    f"chí khác nhau ('{seen[1].label}' và '{c.label}'); một khóa là một cột của "
                    "ket-qua.csv: hãy đặt khóa khác cho một trong hai"
                )


def _unique(what: str, values: list[str]) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what}: '{value}' ghi hai lần")
        seen.add(value)


def _collisions(entries: list[tuple[str, str, str]], why: str) -> list[str]:
    """Lines naming each pair of entries (key, owner, description) whose matching keys are
    equal but whose owners differ: a workbook could not tell them apart."""
    first: dict[str, tuple[str, str]] = {}
    lines = []
    for key, owner, described in entries:
        if key not in first:
            first[key] = (owner, described)
        elif first[key][0] != owner:
            lines.append(f"{first[key][1]} và {described} {why}")
    return lines


def _label_collisions(criteria: list[Criterion], figures: list[Figure] = ()) -> list[str]:
    entries = [
        (label_key(text), c.key, f"{kind} '{text}' của tiêu chí {c.key}")
        for c in criteria
        for kind, text in (("nhãn", c.label), *(("tên khác", a) for a in c.aliases))
    ] + [
        (label_key(f.label), f"figure:{f.key}", f"nhãn '{f.label}' của số liệu {f.key}")
        for f in figures
    ]
    why = (
        "trùng nhau khi đọc tiêu đề cột (không tính hoa/thường, dấu, số thứ tự đầu dòng "
        "và ghi chú trong ngoặc): hãy đặt nhãn khác nhau."
    )
    return _collisions(entries, why)


def _name_collisions(groups: list[Group]) -> list[str]:
    entries = [
        (name_key(text), u.name, described)
        for g in groups
        for u in g.units
        for text, described in (
            (u.name, f"đơn vị '{u.name}' (khối {g.key})"),
            *((a, f"tên khác '{a}' của đơn vị '{u.name}' (khối {g.key})") for a in u.aliases),
        )
    ]
    why = (
        "trùng nhau khi so khớp tên đơn vị (không tính hoa/thường, dấu câu, 'UBND', 'TP.'): "
        "một tên chỉ được chỉ một đơn vị."
    )
    return _collisions(entries, why)


def resolve_path(path: Path) -> Path:
    """An assessment folder means its `assessment.toml`."""
    return path / "assessment.toml" if path.is_dir() else path


def load(path: Path) -> Assessment:
    """Read and validate an assessment file (or folder); raise `ConfigError` if wrong."""
    file = resolve_path(Path(path))
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(file, ["không tìm thấy tệp cấu hình assessment.toml"]) from None
    except UnicodeDecodeError:
        raise ConfigError(file, [not_config_text(file)]) from None
    except OSError as exc:
        raise ConfigError(file, [f"không đọc được tệp: {exc.strerror or exc}"]) from None
    return parse(text, file)


def not_config_text(file: Path) -> str:
    """Why `file`, which is not UTF-8 text, cannot be an assessment file: what it really is
    (a decision .docx, a PDF, a workbook given as ĐỢT) and what to give instead."""
    from reportgen.safety.sniff import sniff
    from reportgen.safety.verdict import describe

    what = describe(sniff(file).kind)
    return (
        f"'{file.name}' là {what}, không phải tệp cấu hình: ĐỢT phải là thư mục đợt đánh giá "
        "(có assessment.toml) hoặc chính tệp assessment.toml (văn bản UTF-8)"
    )


MAX_TREE_DEPTH = 10  # levels of a criteria tree (real ones have 2 to 4)
MAX_NESTING = 40  # tables and lists inside each other in the file (a 10-level tree needs ~25)


def parse(text: str, file: Path) -> Assessment:
    """Validate the text of an assessment file; `file` names it in a `ConfigError`. Nesting
    deeper than `MAX_NESTING` is refused before anything walks it (tomllib and pydantic
    recurse)."""
    too_deep = (
        f"assessment.toml lồng bảng và danh sách quá sâu (tối đa {MAX_NESTING} tầng; cây "
        f"tiêu chí tối đa {MAX_TREE_DEPTH} tầng)"
    )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file, [config_messages.toml_syntax(exc)]) from None
    except RecursionError:
        raise ConfigError(file, [too_deep]) from None
    if _nesting(data) > MAX_NESTING:
        raise ConfigError(file, [too_deep])
    controls = items_where(data, has_control)
    if controls:  # lxml and openpyxl refuse them, a terminal acts on them
        raise ConfigError(file, [_control_line(key, text) for key, text in controls])
    blanks = find_blanks(data)
    decision = data.get("decision")
    if isinstance(decision, dict):
        _typed_from_text(decision)
    try:
        assessment = Assessment.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        lines = [line for err in errors for line in config_messages.describe(err).splitlines()]
        raise ConfigError(file, lines) from None
    assessment._blanks = tuple(blanks)
    return assessment


def _nesting(data: object) -> int:
    """How deep tables and lists lie inside each other in parsed TOML (walked with a stack,
    stopping past `MAX_NESTING`)."""
    deepest, stack = 0, [(data, 0)]
    while stack and deepest <= MAX_NESTING:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth + 1)
            stack.extend((v, depth + 1) for v in value)
    return deepest


def _typed_from_text(decision: dict) -> None:
    """The decision's number and date as a clerk may write them in Notepad, in place: a blank
    reads as None; `number = "52"` (the quotes of the blank kept) as 52; a date in quotes as
    the day it names (`"07/01/2020"` day first, or `"2020-01-07"`)."""
    from reportgen.core.vnformat import read_date

    number, date = decision.get("number"), decision.get("date")
    if number == BLANK:
        decision["number"] = None
    elif isinstance(number, str) and number.strip().isascii() and number.strip().isdigit():
        decision["number"] = int(number)
    if date == BLANK:
        decision["date"] = None
    elif isinstance(date, str) and read_date(date):
        decision["date"] = read_date(date)


def find_blanks(data: object) -> list[str]:
    """The dotted keys of every text value holding `BLANK` (list items as `key[i]`)."""
    return keys_where(data, lambda text: BLANK in text)


def keys_where(data: object, test: Callable[[str], bool]) -> list[str]:
    """The dotted keys of every text value under `data` (parsed TOML) that passes `test`."""
    return [key for key, _ in items_where(data, test)]


def items_where(data: object, test: Callable[[str], bool], key: str = "") -> list[tuple[str, str]]:
    """(dotted key, text) of every text value under `data` that passes `test`."""
    if isinstance(data, str):
        return [(key, data)] if test(data) else []
    if isinstance(data, dict):
        return [
            h for k, v in data.items() for h in items_where(v, test, f"{key}.{k}" if key else k)
        ]
    if isinstance(data, list):
        return [h for i, v in enumerate(data) for h in items_where(v, test, f"{key}[{i}]")]
    return []


def _control_line(key: str, text: str) -> str:
    shown = ", ".join(dict.fromkeys(visible(ch) for ch in text if has_control(ch)))
    return f"{key}: có ký tự điều khiển không in được ({shown}): hãy xóa ký tự đó"
