"""`[annex]`: the published table's columns (plain, composed of several values, or year over
year), their headings, numbering and paper."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Literal

from pydantic import Discriminator, Field, StrictBool, StrictInt, Tag, model_validator

from reportgen.config.duplicates import unique
from reportgen.config.fields import CleanText, Model


class AnnexNumbering(str, Enum):
    STT = "stt"  # 1..n down each table
    RANK = "rank"  # shared ranks: 1, 2, 2, 4


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


class ComposedColumn(Model):
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


class Annex(Model):
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
        unique("annex.columns", [c.value for c in self.columns])
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
