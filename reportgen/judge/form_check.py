"""What a form states about itself, checked: its year and criterion rows against this
year's config, its stated subtotals, total and grade against the computed ones (warnings:
ours are used)."""

from __future__ import annotations

import re
from decimal import Decimal

from reportgen.config import Assessment, CriteriaSet
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location
from reportgen.core.numbers import format_number, parse_or_none, shown
from reportgen.core.text import clean
from reportgen.judge.score import grade_for, roll_up, total_of
from reportgen.judge.stated import grade_differs, total_differs
from reportgen.read.raw import RawEntry


def check_form(
    entry: RawEntry, unit: str, criteria: CriteriaSet, year: int, out: list[Finding]
) -> None:
    """A score sheet of another year (its year cell), or whose criterion rows are not this
    year's (rows naming no criterion, criteria with no row)."""
    stated = re.search(r"\b(19|20)\d\d\b", clean(entry.year.value)) if entry.year else None
    if entry.year and stated and int(stated.group()) != year:
        out.append(
            finding(
                "FORM_WRONG_YEAR",
                entry.year.location,
                unit,
                stated=stated.group(),
                year=year,
                cell=entry.year.location.cell,
            )
        )
    absent = [c.label for _, c in criteria.nodes if c.key in entry.absent]
    if not entry.foreign_rows and not absent:
        return
    parts = [
        f"dòng {raw.location.row} '{clean(raw.value)}' không phải tiêu chí năm nay"
        for raw in entry.foreign_rows
    ] + [f"thiếu dòng tiêu chí '{label}'" for label in absent]
    where = entry.foreign_rows[0].location if entry.foreign_rows else entry.name.location
    if not entry.foreign_rows:  # the sheet, not the name cell
        where = Location(where.file, where.sheet)
    out.append(finding("FORM_CRITERIA_DIFFER", where, unit, year=year, rows="; ".join(parts)))


def check_stated(
    entry: RawEntry,
    unit: str,
    scores: dict[str, Decimal],
    criteria: CriteriaSet,
    assessment: Assessment,
    out: list[Finding],
    skipped: set[str] = frozenset(),
) -> None:
    """Compare a stated total and grade with the computed ones (warnings: ours are used).
    The stated total is the sum of what the unit scored (before any rescaling)."""
    decimals = assessment.scoring.decimals
    total = total_of(scores.values())
    rolled = roll_up(criteria.criteria, scores, criteria.skipped(skipped))
    for key, raw in entry.subtotals.items():
        stated = parse_or_none(raw.value)
        if key in rolled and total_differs(stated, rolled[key]):
            label = next(c.label for _, c in criteria.nodes if c.key == key)
            out.append(
                finding(
                    "SUBTOTAL_MISMATCH",
                    raw.location,
                    unit,
                    criterion=label,
                    stated=shown(stated),
                    computed=format_number(rolled[key], decimals),
                )
            )
    if entry.total is not None:
        stated = parse_or_none(entry.total.value)
        if total_differs(stated, total):
            out.append(
                finding(
                    "TOTAL_MISMATCH",
                    entry.total.location,
                    unit,
                    stated=shown(stated),
                    computed=format_number(total, decimals),
                )
            )
    if entry.grade is not None and clean(entry.grade.value) and not skipped:
        computed = grade_for(total, criteria.grades, criteria.max_total)
        if grade_differs(entry.grade.value, computed):
            out.append(
                finding(
                    "GRADE_MISMATCH",
                    entry.grade.location,
                    unit,
                    stated=clean(entry.grade.value),
                    computed=computed,
                    total=format_number(total, decimals),
                )
            )
