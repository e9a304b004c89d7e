"""Year-over-year: this year's results beside last year's.

Last year's results come from the `ket-qua.json` of an earlier build (schema 1, 2 or 3) or from
an earlier assessment folder (checked and ranked again). Units are matched by name, alias
and `predecessors`: a unit matching one unit of last year is compared with it (a renamed
unit keeps its history); a unit matching several was merged and is marked "sáp nhập từ …"
instead of given a rank change; a unit matching none is new; last year's units nobody
matches are gone."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from reportgen import config
from reportgen.numbers import format_number
from reportgen.rank import GroupResult
from reportgen.text import name_key


class PreviousError(config.ConfigError):
    """Last year's results cannot be read; `problems` say why."""


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


def load_previous(path: Path) -> Past:
    """Last year's results from a `ket-qua.json` or an assessment folder (or its .toml).
    Raises `PreviousError` when they cannot be read or do not build."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _from_json(path)
    if path.is_dir() or path.suffix.lower() == ".toml":
        return _from_assessment(path)
    raise PreviousError(path, ["kết quả năm trước phải là tệp ket-qua.json hoặc thư mục đánh giá"])


def _from_json(path: Path) -> Past:
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except FileNotFoundError:
        raise PreviousError(path, ["không tìm thấy kết quả năm trước"]) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PreviousError(path, [f"không đọc được kết quả năm trước: {exc}"]) from None
    try:
        if "groups" in data:  # schema 2 or 3 (3 adds the verification record)
            pairs = [(g["key"], r) for g in data["groups"] for r in g["results"]]
        else:  # schema 1: one flat list, each row naming its group
            pairs = [(r["group"], r) for r in data["results"]]
        rows = [
            PastRow(
                unit=str(r["unit"]),
                group=str(key),
                rank=r.get("rank"),
                total=Decimal(str(r["total"])),
                index=Decimal(str(r["index"])) if r.get("index") is not None else None,
                grade=r.get("grade"),
            )
            for key, r in pairs
        ]
        year = data.get("year")
    except (KeyError, TypeError, AttributeError, ArithmeticError) as exc:
        raise PreviousError(
            path, [f"không phải ket-qua.json của reportgen (thiếu hoặc sai mục {exc})"]
        ) from None
    return Past(year, rows, str(path))


def _from_assessment(path: Path) -> Past:
    from reportgen import build
    from reportgen.rank import rank_all

    checked = build.check(path)
    errors = checked.findings.errors
    if errors:
        lines = [f"đợt đánh giá năm trước có {len(errors)} lỗi, chưa xếp hạng được:"]
        lines += [f"{f.location}: {f.message}" for f in errors[:5]]
        raise PreviousError(config.resolve_path(path), lines)
    results = rank_all(checked.submissions, checked.assessment)
    aliases = {u.name: tuple(u.aliases) for g in checked.assessment.groups for u in g.units}
    return Past(checked.assessment.year, past_rows(results), str(path), aliases)


def past_rows(results: list[GroupResult]) -> list[PastRow]:
    """This year's results as they will look next year."""
    return [
        PastRow(r.unit, g.group.key, r.rank, r.total, getattr(r, "index", None), r.grade)
        for g in results
        for r in g.rows
    ]


def compare(results: list[GroupResult], assessment: config.Assessment, past: Past) -> Comparison:
    """Every ranked unit of `results` against `past`, and last year's units now gone."""
    by_key: dict[str, list[PastRow]] = {}  # last year's names and aliases → its rows
    for row in past.rows:
        for name in dict.fromkeys((row.unit, *past.aliases.get(row.unit, ()))):
            by_key.setdefault(name_key(name), []).append(row)
    units = {u.name: u for g in assessment.groups for u in g.units}
    claimed: set[int] = set()
    changes = []
    for result in results:
        for row in result.rows:
            unit = units[row.unit]
            own_names = [unit.name, *unit.aliases]
            own = _matches(by_key, own_names)
            before = _matches(by_key, getattr(unit, "predecessors", []))
            found = list({id(p): p for p in own + before}.values())
            claimed.update(id(p) for p in found)
            base = dict(
                unit=row.unit,
                group=result.group.key,
                rank=row.rank,
                total=row.total,
                index=getattr(row, "index", None),
                grade=row.grade,
            )
            if not found:
                changes.append(Change(**base, status="new"))
            elif len(found) > 1:
                mine = {id(p) for p in own}
                absorbed = tuple(p.unit for p in found if id(p) not in mine)
                changes.append(
                    Change(**base, status="merged", merged_from=tuple(found), absorbed=absorbed)
                )
            else:
                status = "same" if own else "renamed"
                changes.append(Change(**base, status=status, previous=found[0]))
    gone = [p for p in past.rows if id(p) not in claimed]
    digits = {r.group.key: d for r in results if (d := index_digits(r)) is not None}
    return Comparison(assessment.year, past.year, past.source, changes, gone, past.rows, digits)


def index_digits(result: GroupResult) -> int | None:
    """The index's decimals when the group is ranked by its index; None when by total."""
    criteria = getattr(result, "criteria", None)
    if criteria is None or criteria.index is None or criteria.rank_by.value != "index":
        return None
    return criteria.index.decimals


def _matches(by_key: dict[str, list[PastRow]], names: list[str]) -> list[PastRow]:
    found: dict[int, PastRow] = {}
    for name in names:
        for row in by_key.get(name_key(name), []):
            found[id(row)] = row
    return list(found.values())


# ---- the summary ---------------------------------------------------------------------


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


def summarize(comparison: Comparison, assessment: config.Assessment, top: int = 3) -> Summary:
    """Counts of moves per group, grade changes, the biggest moves, the group averages."""
    groups = []
    for group in assessment.groups:
        changes = comparison.in_group(group.key)
        moves = [c.rank_change for c in changes if c.rank_change is not None]
        digits = comparison.index_digits.get(group.key)
        by_index = digits is not None
        now = [v for c in changes if (v := c.index if by_index else c.total) is not None]
        past = [
            (p.index if by_index else p.total)
            for p in comparison.past
            if p.group == group.key and (p.index if by_index else p.total) is not None
        ]
        groups.append(
            GroupSummary(
                key=group.key,
                name=group.name,
                up=sum(1 for m in moves if m > 0),
                down=sum(1 for m in moves if m < 0),
                same=sum(1 for m in moves if m == 0),
                new=[c.unit for c in changes if c.status == "new"],
                merged=[c.unit for c in changes if c.status == "merged"],
                gone=[p.unit for p in comparison.gone_from(group.key)],
                average=_mean(now),
                previous_average=_mean(past),
                index_digits=digits,
            )
        )
    grades = [
        (c.unit, c.previous.grade, c.grade)
        for c in comparison.changes
        if c.previous and c.previous.grade and c.grade and c.previous.grade != c.grade
    ]
    moved = [c for c in comparison.changes if c.rank_change]
    up = sorted((c for c in moved if c.rank_change > 0), key=lambda c: -c.rank_change)[:top]
    down = sorted((c for c in moved if c.rank_change < 0), key=lambda c: c.rank_change)[:top]
    return Summary(comparison.year, comparison.previous_year, groups, grades, up, down)


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _num(value: Decimal | None, decimals: int) -> str:
    return "—" if value is None else format_number(value, decimals)


def _rounded(value: Decimal | None, digits: int) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


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
