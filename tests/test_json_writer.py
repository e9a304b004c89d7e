"""ket-qua.json's writer (`render.data.dumps`, orjson): for any document of the kinds the
results hold, the text the standard library writes with two-space indents, except that a
Decimal is its exact digits (never a float, never exponent notation, never `-0`)."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reportgen.render.data import dumps

TEXT = st.text(st.characters(exclude_categories=("Cs",)))  # no lone surrogates: text is NFC
NUMBERS = st.decimals(allow_nan=False, allow_infinity=False)
DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | TEXT | NUMBERS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=30,
)


def reference(document: object) -> str:
    """json.dumps with each Decimal first replaced by a marker string, then the marker by
    the number written positionally (`f"{value:f}"`)."""
    numbers: list[str] = []

    def mark(value: object) -> object:
        if isinstance(value, Decimal):
            numbers.append(f"{abs(value) if value.is_zero() else value:f}")
            return f"\x00{len(numbers) - 1}\x00"
        if isinstance(value, list):
            return [mark(v) for v in value]
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        return value

    text = json.dumps(mark(document), ensure_ascii=False, indent=2)
    for i, number in enumerate(numbers):
        text = text.replace(f'"\\u0000{i}\\u0000"', number, 1)
    return text


@given(DOCUMENTS)
def test_the_json_is_the_standard_text_with_exact_numbers(document):
    assert dumps(document) == reference(document)


def test_numbers_keep_every_digit():
    assert dumps([Decimal("0.8220"), Decimal("1E+2"), Decimal("-0.0"), Decimal("1e-30")]) == (
        "[\n  0.8220,\n  100,\n  0.0,\n  0." + "0" * 29 + "1\n]"
    )
