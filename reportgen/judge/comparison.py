"""The year-over-year comparison as data: last year's rows, each unit's change, the
comparison and its summary. `yoy` makes them, `build` carries them on `Built`, the writers
(`render.tables`, `render.yearly`, `render.charts`) and the web page show them: this module
sits below all of them (import-linter checks that render never imports `yoy`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.core.numbers import format_number, half_up


@dataclass(frozen=True)
class PastRow:
    """One unit of last year's results."""

    unit: str
    group: str  # group key
    rank: int | None
    total: Decimal
    index: Decimal | None = None
    grade: str | None = None


@dataclass(frozen=True)
class Past:
    year: int | None
    rows: list[PastRow]
    source: str  # what was read, for messages and the summary
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # unit → last year's
    # other names, when last year is an assessment folder (a ket-qua.json carries names only)


@dataclass(frozen=True)
class Change:
    """One unit of this year's results against last year's."""

    unit: str
    group: str  # group key
    rank: int | None
    total: Decimal
    index: Decimal | None
    grade: str | None
    status: str  # "same", "renamed", "merged" or "new"
    previous: PastRow | None = None  # the unit (or the one it was renamed from) last year
    merged_from: tuple[PastRow, ...] = ()  # every unit of last year it continues
    absorbed: tuple[str, ...] = ()  # those of them under another name (its predecessors)

    @property
    def rank_change(self) -> int | None:
        """Places moved up (negative: down); None when not comparable (new, merged, another
        group, unranked)."""
        p = self.previous
        if p is None or p.group != self.group or p.rank is None or self.rank is None:
            return None
        return p.rank - self.rank

    @property
    def mark(self) -> str:
        """▲ 2, ▼ 1, =, "mới", "sáp nhập từ …", or "" when not comparable."""
        if self.status == "new":
            return "mới"
        if self.status == "merged":
            return "sáp nhập từ " + ", ".join(self.absorbed)
        moved = self.rank_change
        if moved is None:
            return ""
        return "=" if moved == 0 else f"▲ {moved}" if moved > 0 else f"▼ {-moved}"

    @property
    def note(self) -> str:
        """The mark, with "đổi tên từ …" for a renamed unit."""
        if self.status == "renamed" and self.previous:
            return f"{self.mark} (đổi tên từ {self.previous.unit})".lstrip()
        return self.mark


@dataclass
class Comparison:
    year: int
    previous_year: int | None
    source: str
    changes: list[Change]  # in this year's result order
    gone: list[PastRow]  # last year's units that no unit of this year continues
    past: list[PastRow] = field(default_factory=list)
    index_digits: dict[str, int] = field(default_factory=dict)  # group ranked by index → digits

    def by_unit(self) -> dict[str, Change]:
        return {c.unit: c for c in self.changes}

    def in_group(self, key: str) -> list[Change]:
        return [c for c in self.changes if c.group == key]

    def gone_from(self, key: str) -> list[PastRow]:
        return [p for p in self.gone if p.group == key]


@dataclass(frozen=True)
class GroupSummary:
    key: str
    name: str
    up: int
    down: int
    same: int
    new: list[str]
    merged: list[str]
    gone: list[str]
    average: Decimal | None  # this year's mean total (or index)
    previous_average: Decimal | None  # last year's, over the same group
    index_digits: int | None  # the group is ranked by its index, shown with these decimals


@dataclass(frozen=True)
class Summary:
    year: int
    previous_year: int | None
    groups: list[GroupSummary]
    grade_changes: list[tuple[str, str, str]]  # (unit, last year's grade, this year's)
    biggest_up: list[Change]
    biggest_down: list[Change]

    def lines(self, decimals: int) -> list[str]:
        """The summary as plain lines (printed by the CLI, the rows of the summary sheet)."""
        last = self.previous_year or "trước"
        out = []
        for g in self.groups:
            value = "điểm" if g.index_digits is None else "chỉ số"
            digits = decimals if g.index_digits is None else g.index_digits
            out.append(
                f"{g.name}: {g.up} đơn vị tăng hạng, {g.down} giảm hạng, {g.same} giữ nguyên"
                + (f"; mới: {', '.join(g.new)}" if g.new else "")
                + (f"; sáp nhập: {', '.join(g.merged)}" if g.merged else "")
                + (f"; không còn: {', '.join(g.gone)}" if g.gone else "")
            )
            out.append(
                f"{g.name}: {value} bình quân năm {self.year} là {_num(g.average, digits)}, "
                f"năm {last} là {_num(g.previous_average, digits)}"
            )
        if self.biggest_up:
            out.append("Tăng nhiều nhất: " + "; ".join(_move(c) for c in self.biggest_up))
        if self.biggest_down:
            out.append("Giảm nhiều nhất: " + "; ".join(_move(c) for c in self.biggest_down))
        out.append(
            f"Thay đổi xếp loại: {len(self.grade_changes)} đơn vị"
            + (
                " (" + "; ".join(f"{u}: {a} → {b}" for u, a, b in self.grade_changes) + ")"
                if self.grade_changes
                else ""
            )
        )
        return out

    def as_dict(self, decimals: int, source: str = "") -> dict[str, object]:
        """The summary as data (`build --json`'s `comparison`); averages rounded half-up as
        `lines` prints them (to the scoring decimals, or the index's)."""
        groups = []
        for g in self.groups:
            digits = decimals if g.index_digits is None else g.index_digits
            groups.append(
                {
                    "key": g.key,
                    "name": g.name,
                    "measure": "total" if g.index_digits is None else "index",
                    "up": g.up,
                    "down": g.down,
                    "same": g.same,
                    "new": g.new,
                    "merged": g.merged,
                    "gone": g.gone,
                    "average": _rounded(g.average, digits),
                    "previous_average": _rounded(g.previous_average, digits),
                }
            )
        return {
            "previous_year": self.previous_year,
            "previous": source,
            "groups": groups,
            "biggest_up": [_moved(c) for c in self.biggest_up],
            "biggest_down": [_moved(c) for c in self.biggest_down],
            "grade_changes": [
                {"unit": u, "previous_grade": a, "grade": b} for u, a, b in self.grade_changes
            ],
            "lines": self.lines(decimals),
        }

    def markdown(self, decimals: int) -> str:
        """`tom-tat.md`."""
        last = self.previous_year or "trước"
        text = [f"# Tóm tắt so với năm {last}", ""]
        text += [f"- {line}" for line in self.lines(decimals)]
        return "\n".join(text) + "\n"


def _num(value: Decimal | None, decimals: int) -> str:
    return "—" if value is None else format_number(value, decimals)


def _rounded(value: Decimal | None, digits: int) -> Decimal | None:
    return None if value is None else half_up(value, digits)


def _moved(c: Change) -> dict[str, object]:
    assert c.previous is not None
    return {
        "unit": c.unit,
        "group": c.group,
        "rank": c.rank,
        "previous_rank": c.previous.rank,
        "rank_change": c.rank_change,
    }


def _move(c: Change) -> str:
    assert c.previous is not None and c.rank_change is not None
    return f"{c.unit} ({c.mark}, hạng {c.previous.rank} → {c.rank})"
