"""What a sheet states against what reportgen computes: the one comparison `validate` (a unit's
form, a consolidated sheet) and `audit` (a published annex) both make, so "agrees" means the
same thing in both. Pure: no findings here; each caller words its own."""

from __future__ import annotations

from decimal import Decimal

from reportgen.core.text import fold


def total_differs(stated: Decimal | None, computed: Decimal | None) -> bool:
    """A stated total (or subtotal) disagrees with the exact computed one: compared as exact
    decimals, so 99,50 agrees with 99,5. Nothing stated or nothing computed: no disagreement."""
    return stated is not None and computed is not None and stated != computed


def grade_differs(stated: object, computed: str | None) -> bool:
    """A stated grade disagrees with the computed one, ignoring case, diacritics and spacing
    ("tot" agrees with "Tốt"; a blank stated grade does not). Nothing computed: no
    disagreement."""
    return computed is not None and fold(stated) != fold(computed)
