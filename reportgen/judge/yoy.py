"""Year-over-year: this year's results beside last year's.

Last year's results come from the `ket-qua.json` of an earlier build (schema 1, 2 or 3) or from
an earlier assessment folder (checked and ranked again). Units are matched through the unit
registry (`UnitRegistry.heirs`: name, alias and `predecessors`, last year's aliases too when
known): a unit matching one unit of last year is compared with it (a renamed
unit keeps its history); a unit matching several was merged and is marked "sáp nhập từ …"
instead of given a rank change; a unit matching none is new; last year's units nobody
matches are gone."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from reportgen import config
from reportgen.core.numbers import exact
from reportgen.judge.comparison import Change, Comparison, GroupSummary, Past, PastRow, Summary
from reportgen.judge.rank import GroupResult
from reportgen.judge.registry import UnitRegistry


class PreviousError(config.ConfigError):
    """Last year's results cannot be read; `problems` say why."""


def is_assessment(path: Path) -> bool:
    """Whether last year is named by its assessment folder (or .toml), to be checked and
    ranked again (`build` does that, then `past_of`), rather than by its `ket-qua.json`."""
    path = Path(path)
    return path.is_dir() or path.suffix.lower() == ".toml"


def load_previous(path: Path) -> Past:
    """Last year's results from a `ket-qua.json`. Raises `PreviousError` when they cannot be
    read (or `path` is neither a ket-qua.json nor an assessment)."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        raise PreviousError(
            path, ["kết quả năm trước phải là tệp ket-qua.json hoặc thư mục đánh giá"]
        )
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
                total=exact(r["total"]),
                index=exact(r["index"]) if r.get("index") is not None else None,
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


def past_of(results: list[GroupResult], assessment: config.Assessment, source: str) -> Past:
    """Last year's results ranked again from its assessment, with its units' aliases."""
    aliases = {u.name: tuple(u.aliases) for g in assessment.groups for u in g.units}
    return Past(assessment.year, past_rows(results), source, aliases)


def past_rows(results: list[GroupResult]) -> list[PastRow]:
    """This year's results as they will look next year."""
    return [
        PastRow(r.unit, g.group.key, r.rank, r.total, getattr(r, "index", None), r.grade)
        for g in results
        for r in g.rows
    ]


def compare(results: list[GroupResult], assessment: config.Assessment, past: Past) -> Comparison:
    """Every ranked unit of `results` against `past`, and last year's units now gone."""
    matched = _matched(past, UnitRegistry(assessment))
    claimed: set[int] = set()
    changes = []
    for result in results:
        for row in result.rows:
            pairs = matched.get(row.unit, [])
            found = [p for _, p in pairs]
            own = [p for by_own_name, p in pairs if by_own_name]
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
    digits = {r.group.key: r.index_digits for r in results if r.measure == "index"}
    return Comparison(assessment.year, past.year, past.source, changes, gone, past.rows, digits)


def _matched(past: Past, registry: UnitRegistry) -> dict[str, list[tuple[bool, PastRow]]]:
    """Per registered unit, last year's rows whose name or alias leads to it (`heirs`), each
    with whether by the unit's own name or alias (else by a predecessor); in order: by its own
    names, then by its predecessors, each in the unit's order of them, then in last year's."""
    best: dict[str, dict[int, tuple[tuple[bool, int, int], PastRow]]] = {}  # unit → row index → …
    for n, row in enumerate(past.rows):
        for name in (row.unit, *past.aliases.get(row.unit, ())):
            for heir in registry.heirs(name):
                order = (not heir.own, heir.place, n)
                mine = best.setdefault(heir.unit, {})
                if n not in mine or order < mine[n][0]:
                    mine[n] = (order, row)
    return {
        unit: [(not order[0], row) for order, row in sorted(rows.values(), key=lambda m: m[0])]
        for unit, rows in best.items()
    }


# ---- the summary ---------------------------------------------------------------------


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
