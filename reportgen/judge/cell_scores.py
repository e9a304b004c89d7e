"""Cells read as scores: one cell as a number within its criterion's bounds and the
scoring's decimals, or a finding saying what is wrong; a form's score cells together, with the
cells marked "Không áp dụng" noted."""

from __future__ import annotations

from decimal import Decimal

from reportgen.config import Assessment, CriteriaSet, Criterion
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.numbers import NotANumber, format_number, parse, places, shown
from reportgen.core.text import clean
from reportgen.read.raw import RawEntry, RawValue


def cell_score(
    raw: RawValue,
    c: Criterion,
    absent: bool,
    unit: str,
    assessment: Assessment,
    out: list[Finding],
) -> Decimal | None:
    """One cell as a score within the criterion's bounds, or None (reported)."""
    decimals = assessment.scoring.decimals
    if raw.error:
        out.append(
            finding("SCORE_ERROR_CELL", raw.location, unit, criterion=c.label, error=raw.error)
        )
        return None
    try:
        value = parse(raw.value)
    except NotANumber as exc:
        said = dict(criterion=c.label, value=str(exc))
        if exc.scripts:
            made = finding(
                "SCORE_NOT_NUMBER", raw.location, unit, case="digits", scripts=exc.scripts, **said
            )
        else:
            made = finding("SCORE_NOT_NUMBER", raw.location, unit, case="text", **said)
        out.append(made)
        return None
    if value is None and absent:
        return None  # no row for the criterion at all: FORM_CRITERIA_DIFFER says so
    if value is None:
        code = "FORMULA_NO_VALUE" if raw.formula else "SCORE_MISSING"
        out.append(finding(code, raw.location, unit, criterion=c.label))
        return None
    if c.floor <= value <= c.ceiling and places(value) <= decimals:
        return value
    if value < c.floor and c.floor == 0:
        out.append(
            finding("SCORE_NEGATIVE", raw.location, unit, criterion=c.label, value=shown(value))
        )
    elif value < c.floor:
        out.append(
            finding(
                "SCORE_BELOW_MIN",
                raw.location,
                unit,
                criterion=c.label,
                value=shown(value),
                min=format_number(c.floor, decimals),
            )
        )
    elif value > c.ceiling:
        out.append(
            finding(
                "SCORE_ABOVE_MAX",
                raw.location,
                unit,
                criterion=c.label,
                value=shown(value),
                max=format_number(c.ceiling, decimals),
            )
        )
    else:
        out.append(
            finding(
                "SCORE_TOO_PRECISE",
                raw.location,
                unit,
                criterion=c.label,
                value=shown(value),
                decimals=decimals,
            )
        )
    return None


def scores_of(
    raws: dict[str, RawValue],
    entry: RawEntry,
    unit: str,
    criteria: CriteriaSet,
    assessment: Assessment,
    out: list[Finding],
    skipped: set[str] | None = None,
) -> dict[str, Decimal] | None:
    """The scores of `raws` (criterion key → cell), or None when any of them is wrong (each
    problem reported). A leaf lies between its `min` and `max`; a top-level criterion read
    from a table that gives no leaves between the sums of its leaves' bounds.

    With `skipped` (the unit's own scores): keys in it are not read (the config says they do
    not apply), and a cell marked "Không áp dụng" adds its key to it — or, for a criterion
    that may not be skipped, is NOT_APPLICABLE_REFUSED."""
    nodes = criteria.by_key
    scores: dict[str, Decimal] = {}
    wanted = 0
    for key, raw in raws.items():
        if skipped is not None and key in skipped:
            continue
        if skipped is not None and assessment.scoring.says_not_applicable(raw.value):
            if criteria.may_skip(key):
                skipped.add(key)
                continue
            out.append(
                finding(
                    "NOT_APPLICABLE_REFUSED",
                    raw.location,
                    unit,
                    criterion=nodes[key].label,
                    value=clean(raw.value),
                )
            )
            wanted += 1
            continue
        wanted += key not in entry.absent
        value = cell_score(raw, nodes[key], key in entry.absent, unit, assessment, out)
        if value is not None:
            scores[key] = value
    return scores if len(scores) == wanted else None


def blank(raw: RawValue) -> bool:
    """An empty cell with no error in it (a rule leaf's score cell left to reportgen)."""
    return not raw.error and not clean(raw.value)
