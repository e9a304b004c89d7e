"""The one stated-vs-computed comparison, with hand-written cases."""

from decimal import Decimal

from reportgen.judge.stated import grade_differs, total_differs


def test_totals_compare_as_exact_decimals():
    assert not total_differs(Decimal("99.50"), Decimal("99.5"))
    assert total_differs(Decimal("98"), Decimal("99"))
    assert total_differs(Decimal("89.49"), Decimal("89.5"))  # no rounding to the shown places
    assert not total_differs(None, Decimal("99"))  # nothing stated
    assert not total_differs(Decimal("99"), None)  # nothing computed (a score missing)


def test_grades_compare_without_case_or_diacritics():
    assert not grade_differs("Tốt", "Tốt")
    assert not grade_differs("tot", "Tốt")
    assert not grade_differs("  TỐT ", "Tốt")
    assert grade_differs("Khá", "Tốt")
    assert grade_differs("", "Tốt")  # a blank grade in a published annex is a disagreement
    assert not grade_differs("Khá", None)  # no grade computed (no bands)
