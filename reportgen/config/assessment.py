"""The whole assessment file's model: its tables, the criteria sets its groups name, and the
checks across tables (every group's set exists, names and keys are unambiguous)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Annotated

from pydantic import Field, PrivateAttr, StrictInt, model_validator
from pydantic_core import PydanticCustomError

from reportgen.config.annex import Annex
from reportgen.config.criteria import Criterion, Figure
from reportgen.config.criteria_set import CriteriaSet, Grade, Index, NotApplicable, RankBy, checked
from reportgen.config.document import Decision, Issuer, Kind, Signer, Verification
from reportgen.config.duplicates import name_collisions, unique
from reportgen.config.fields import CleanText, Model
from reportgen.config.scoring import Scoring
from reportgen.config.units import Group, Unit
from reportgen.core.text import label_key


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


class Audit(Model):
    """How `reportgen audit` reads a published table: headings it does not know by name."""

    columns: dict[CleanText, AuditColumn] = {}  # heading as published → what it holds


class Methodology(Model):
    """The shipped criteria set an assessment follows (`reportgen init --methodology`)."""

    name: CleanText
    version: CleanText = ""
    source: CleanText = ""  # the document its criteria come from


class SubmissionWindow(Model):
    """`[submission]`: when units may upload through their own links (`reportgen serve`)."""

    deadline: dt.date | None = None  # the last day, inclusive, Việt Nam time


class Assessment(Model):
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
        unique("groups.key", [g.key for g in self.groups])
        clashes = name_collisions(self.groups)
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
                    0, checked(CriteriaSet.model_construct(key="", rank_by=self.rank_by, **top))
                )
            elif self.grades or self.index or self.figures or self.not_applicable:
                raise ValueError(
                    "grades, index, figures, not_applicable ở cấp gốc cần [[criteria]] ở cấp gốc"
                )
            unique("criteria_sets.key", [s.key for s in sets])
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
