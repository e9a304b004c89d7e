"""Keys written twice, and labels or unit names that a workbook could not tell apart because
their matching keys are equal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.core.text import label_key, name_key

if TYPE_CHECKING:
    from reportgen.config.criteria import Criterion, Figure
    from reportgen.config.units import Group


def unique(what: str, values: list[str]) -> None:
    """Refuse a value of `what` written twice."""
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


def label_collisions(criteria: list[Criterion], figures: list[Figure] = ()) -> list[str]:
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


def name_collisions(groups: list[Group]) -> list[str]:
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
