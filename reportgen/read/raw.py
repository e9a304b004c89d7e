"""The raw records reading makes: cell values as they were written (`RawValue`, each with
its file, sheet and cell), gathered per unit (`RawEntry`), per verification-list row
(`RawVerification`) and per answer-workbook row (`RawAnswer`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.core.location import Location
from reportgen.read.workbook import Sheet


class RawValue:
    """One cell's value as read: str, float, int, bool, date, or "" when empty. Its
    `location` is made only when asked for (a finding needs it): a cell read from a sheet keeps
    just the sheet and its indices, so a 100 000-row table costs no `Location` per cell."""

    __slots__ = ("value", "formula", "error", "_location", "_sheet", "_file", "_i", "_j")

    def __init__(
        self,
        value: object,
        location: Location | None = None,
        formula: bool = False,  # an empty value that is a formula with no stored result
        error: str | None = None,  # an empty value that is a spreadsheet error (#DIV/0!)
    ):
        self.value = value
        self.formula = formula
        self.error = error
        self._location = location
        self._sheet: Sheet | None = None

    @classmethod
    def at(cls, sheet: Sheet, shown: str, i: int, j: int) -> RawValue:
        """The cell `sheet.rows[i][j]` of file `shown` ("" beyond the row's end)."""
        row = sheet.rows[i]
        raw = cls(row[j] if j < len(row) else "")
        raw._sheet, raw._file, raw._i, raw._j = sheet, shown, i, j
        return raw

    @property
    def location(self) -> Location:
        if self._location is None:
            assert self._sheet is not None
            self._location = self._sheet.location(self._file, self._i, self._j)
        return self._location

    def marked(self, formula: bool, error: str | None) -> RawValue:
        """The same cell, known to be a formula without a result or an error value."""
        return RawValue(self.value, self.location, formula, error)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RawValue):
            return NotImplemented
        return (self.value, self.location, self.formula, self.error) == (
            other.value,
            other.location,
            other.formula,
            other.error,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside: not a dict key

    def __repr__(self) -> str:
        return f"RawValue({self.value!r}, {self.location!r})"


@dataclass(slots=True)  # slots: one per row of a table, 100 000 in a big one
class RawEntry:
    """One unit's scores as written in one place (a score sheet or a consolidated row)."""

    name: RawValue
    scores: dict[str, RawValue]  # criterion key → value (leaves, or the top level)
    total: RawValue | None = None
    grade: RawValue | None = None
    order: int = 0  # position in the input, for the input-order tie-break
    number: RawValue | None = None  # a consolidated row's STT, when the table has one
    rank: RawValue | None = None  # a consolidated row's published rank (Xếp hạng), if any
    index: RawValue | None = None  # a consolidated row's published index (Chỉ số), if any
    self_total: RawValue | None = None  # a consolidated row's self-assessed total, if any
    year: RawValue | None = None  # a score sheet's "Năm đánh giá:" cell, if any
    foreign_rows: list[RawValue] = field(default_factory=list)  # labels of no criterion
    absent: list[str] = field(default_factory=list)  # criterion keys with no row at all
    criteria_set: str = ""  # the key of the criteria set its labels name
    verified: dict[str, RawValue] = field(default_factory=dict)  # filled "Điểm thẩm định"
    reasons: dict[str, RawValue] = field(default_factory=dict)  # "Lý do" beside a verified score
    subtotals: dict[str, RawValue] = field(default_factory=dict)  # parent rows' stated scores
    figures: dict[str, RawValue] = field(default_factory=dict)  # figure key → its value cell
    # a score sheet's "Minh chứng" and "Giải trình" cells by leaf (None: a layout without them,
    # a consolidated table; {} a score sheet without the columns)
    evidence: dict[str, RawValue] | None = None
    explanations: dict[str, RawValue] = field(default_factory=dict)


@dataclass(frozen=True)
class RawVerification:
    """One row of a verification list: the Sở's score for one unit's indicator."""

    unit: RawValue
    item: RawValue  # the indicator's label or key
    score: RawValue
    reason: RawValue
    conclusion: RawValue | None = None  # "Kết luận của Hội đồng" on an explained change
    accepted: RawValue | None = None  # "Điểm chấp nhận"


@dataclass(frozen=True)
class RawAnswer:
    """One row of a returned answer workbook: the unit's opinion on one changed indicator,
    and the council's conclusion when it wrote one there."""

    unit: RawValue
    item: RawValue
    preliminary: RawValue  # "Điểm thẩm định sơ bộ" as the notice stated it
    reason: RawValue
    opinion: RawValue  # Thống nhất / Giải trình
    explanation: RawValue
    evidence: RawValue  # "Minh chứng bổ sung"
    conclusion: RawValue | None = None  # Giữ nguyên / Chấp nhận
    accepted: RawValue | None = None  # "Điểm chấp nhận"
    answered: RawValue | None = None  # "Ngày trả lời:"
    received: RawValue | None = None  # "Ngày nhận:"
