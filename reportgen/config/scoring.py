"""`[scoring]`: how scores are written and compared — decimals, ties, the marks of a
criterion that does not apply, the evidence asked for, the assessed period."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from functools import cached_property

from pydantic import Field, StrictInt, model_validator

from reportgen.config.fields import CleanText, Model
from reportgen.core.text import label_key


class TieBreak(str, Enum):
    ALPHABETICAL = "alphabetical"  # Vietnamese alphabetical order of unit names
    INPUT_ORDER = "input-order"  # the order in which the units were read


class EvidencePolicy(str, Enum):
    OFF = "off"  # forms ask for no evidence
    OPTIONAL = "optional"  # forms ask for it; references are read and dates checked
    REQUIRED = "required"  # a score above the minimum needs evidence or an explanation


NOT_APPLICABLE_MARK = "KAD"  # how the annex prints a criterion that does not apply to a unit


class Scoring(Model):
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
