"""Score bounds and precision: the usual case is accepted, each problem has its code."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reportgen.core.location import Location
from reportgen.judge.validate import validate
from reportgen.read.raw import RawEntry, RawValue


def entry(assessment, **overrides) -> RawEntry:
    """Sở Y tế with valid scores, except `overrides` (criterion key → cell value)."""
    where = Location("Sở Y tế.xlsx", "Phiếu chấm điểm")
    values = {c.key: overrides.get(c.key, 5) for c in assessment.criteria}
    return RawEntry(
        name=RawValue("Sở Y tế", where),
        scores={key: RawValue(value, where) for key, value in values.items()},
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (-1, "SCORE_NEGATIVE"),
        (-0.5, "SCORE_NEGATIVE"),
        (36.5, "SCORE_ABOVE_MAX"),
        ("37", "SCORE_ABOVE_MAX"),
        (27.555, "SCORE_TOO_PRECISE"),
        ("27,125", "SCORE_TOO_PRECISE"),
    ],
)
def test_a_score_out_of_bounds_or_too_precise_is_a_finding(assessment, value, code):
    result = validate([entry(assessment, noi_bo=value)], assessment, "x")
    assert [f.code for f in result.findings if f.unit == "Sở Y tế"] == [code]
    assert result.submissions == []


@pytest.mark.parametrize("value", [0, 36, 36.0, 27.5, "27,5", " 27.25 ", 0.01])
def test_a_score_within_bounds_is_taken_exactly(assessment, value):
    result = validate([entry(assessment, noi_bo=value)], assessment, "x")
    assert [f.code for f in result.findings if f.unit == "Sở Y tế"] == []
    (submission,) = result.submissions
    expected = Decimal(str(value).strip().replace(",", "."))
    assert submission.scores["noi_bo"] == expected
