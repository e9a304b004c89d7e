"""Numbers in cells: parsed into exact Decimals from ASCII digits only, written back without
ever failing. Expected values are written out by hand, not computed the module's way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reportgen.core.numbers import (
    NotANumber,
    format_number,
    half_up,
    parse,
    places,
    plain,
    printed_digits,
    rank_cell,
    shown,
)
from reportgen.core.text import visible
from reportgen.render.safe import cell_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("35,5", "35.5"),
        ("35.5", "35.5"),
        (" 35 , 5 ", "35.5"),
        ("\u00a036\u00a0", "36"),
        ("+7", "7"),
        (27, "27"),
        (27.125, "27.125"),
        (0.1, "0.1"),
        (1e-308, "1E-308"),
        ("12345678901234567890123", "12345678901234567890123"),
        (1e20, "100000000000000000000"),
    ],
)
def test_parse_reads_exactly(value, expected):
    assert parse(value) == Decimal(expected)


@pytest.mark.parametrize("value", ["-0", "-0,00", -0.0, "+0", 0])
def test_negative_zero_is_zero(value):
    result = parse(value)
    assert result == 0 and not result.is_signed() and plain(result) == "0"
    assert shown(result) == "0" and format_number(result) == "0"


@pytest.mark.parametrize(
    ("value", "script"),
    [
        ("٣٤", "chữ số Ả Rập–Ấn Độ"),
        ("۳۴", "chữ số Ả Rập–Ấn Độ mở rộng"),
        ("３４", "chữ số toàn khổ (full-width)"),
        ("๓๔", "chữ số Thái"),
        ("3٤", "chữ số Ả Rập–Ấn Độ"),
        ("३४", "chữ số Devanagari"),
    ],
)
def test_digits_of_other_scripts_are_not_numbers(value, script):
    with pytest.raises(NotANumber) as caught:
        parse(value)
    assert str(caught.value) == value
    assert script in caught.value.scripts


@pytest.mark.parametrize(
    "value",
    ["khoảng 30", "1.234,5", "35,5,0", "1e5", "1 000,5e", "--3", "∞", True, dt.date(2020, 1, 7)],
)
def test_what_is_not_a_number(value):
    with pytest.raises(NotANumber) as caught:
        parse(value)
    assert caught.value.scripts == ""


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_float_specials_are_not_numbers(value):
    with pytest.raises(NotANumber) as caught:
        parse(value)
    assert str(caught.value) == str(value)  # what the message quotes: nan, inf, -inf


@pytest.mark.parametrize(
    ("value", "quoted"),
    [(True, "True"), (dt.date(2020, 1, 7), "2020-01-07"), ("1  2 a", "1 2 a")],
)
def test_what_is_not_a_number_is_quoted_as_found(value, quoted):
    with pytest.raises(NotANumber) as caught:
        parse(value)
    assert str(caught.value) == quoted  # spaces collapsed, nothing else changed


def test_subclasses_of_int_and_float_read_as_their_values():
    """numpy scalars and the like: an int stays whole, a float keeps its shortest digits."""

    class Whole(int):
        pass

    class Real(float):
        pass

    assert str(parse(Whole(5))) == "5" and str(parse(Real(2.5))) == "2.5"


@pytest.mark.parametrize("value", ["", "   ", "\u00a0"])
def test_empty_is_none(value):
    assert parse(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("35.50", 1),
        ("35", 0),
        ("1E+3", 0),
        ("27.125", 3),
        ("1E-308", 308),
        ("0.10", 1),
        ("35.0", 0),
        ("35.500", 1),
    ],
)
def test_places(value, expected):
    assert places(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("27.125", "27,125"),
        ("0.001", "0,001"),
        ("37", "37"),
        ("1E-308", "1e-308"),
        ("1E+16", "10.000.000.000.000.000"),
        ("12345678901234567890123", "1,2345678901234567890123e+22"),
        ("1E+400", "1e+400"),
        ("-2.5", "-2,5"),
        ("-1E+30", "-1e+30"),
        ("9" * 400, "9," + "9" * 22 + "…e+399"),
        # at most MAX_SHOWN_DIGITS (20) digits as they are, from 21 on as a power of ten
        ("1" * 20, "11.111.111.111.111.111.111"),
        ("1" * 21, "1," + "1" * 20 + "e+20"),
        ("0.0000000000000000001", "0,0000000000000000001"),  # 1 + 19 places: 20 digits
        ("0.00000000000000000001", "1e-20"),
        ("1" + "0" * 24, "1e+24"),  # trailing zeros of the digits are not shown
        ("1.2E+30", "1,2e+30"),
        ("1." + "2" * 22, "1," + "2" * 22 + "e+0"),  # 23 digits: all of them, exponent 0
        ("1." + "2" * 23, "1," + "2" * 22 + "…e+0"),  # 24: cut after 23
    ],
)
def test_shown_is_the_value_itself(value, expected):
    assert shown(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("1E+16", 12, "10.000.000.000.000.000"),
        ("12345678901234567890123", 12, "12.345.678.901.234.567.890.123"),
        ("1E-308", 2, "0"),
        ("-0.001", 2, "0"),
    ],
)
def test_format_never_fails_on_extremes(value, decimals, expected):
    assert format_number(Decimal(value), decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("0.125", 2, "0.13"),  # half up, not to the even 0.12
        ("35.45", 1, "35.5"),
        ("-2.25", 1, "-2.3"),  # half away from zero
        ("0.7265", 3, "0.727"),
        ("35.44", 1, "35.4"),
    ],
)
def test_half_up_rounds_a_half_away_from_zero(value, decimals, expected):
    rounded = half_up(Decimal(value), decimals)
    assert str(rounded) == expected


def test_format_number_shows_two_decimals_unless_told():
    assert format_number(Decimal("99.505")) == "99,51"
    assert format_number(Decimal("99.5")) == "99,5"


@pytest.mark.parametrize(("value", "expected"), [("0.580", 3), ("5", 0), ("0.7", 1), ("1E+2", 0)])
def test_printed_digits_keeps_trailing_zeros(value, expected):
    assert printed_digits(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01 (0,727)", (1, Decimal("0.727"))),
        ("1 - 0,9291", (1, Decimal("0.9291"))),
        ("5", (5, None)),
        (5, (5, None)),
        (5.0, (5, None)),
        ("0", (0, None)),  # a number, a wrong place: audit says which (AUDIT_RANK)
        ("2,5", None),  # not a place
        (2.5, None),
        (-1, None),
        ("-3", None),
        ("–", None),
        ("", None),
        (None, None),
    ],
)
def test_rank_cell(value, expected):
    assert rank_cell(value) == expected


def test_digits_of_two_scripts_are_both_named():
    with pytest.raises(NotANumber) as info:
        parse("٣４")
    assert info.value.scripts == "chữ số toàn khổ (full-width), chữ số Ả Rập–Ấn Độ"


def test_a_digit_of_a_script_not_listed_is_named_by_unicode():
    with pytest.raises(NotANumber) as info:
        parse("৩")  # BENGALI DIGIT THREE
    assert "chữ số ngoài 0–9 (Bengali Digit Three)" in info.value.scripts


def test_format_of_a_huge_value_does_not_fail():
    text = format_number(Decimal("9" * 400), 12)
    assert text == "9" + ".999" * 133


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-5", "-5"),
        ("-5,5", "-5,5"),
        ("+3", "+3"),
        ("-", "'-"),
        ("=1+1", "'=1+1"),
        ("-1e5", "'-1e5"),
        ("-٣", "'-٣"),
        ("@SUM(A1)", "'@SUM(A1)"),
    ],
)
def test_cell_text_quotes_what_is_not_a_number(value, expected):
    assert cell_text(value) == expected


def test_control_characters_are_shown_not_written():
    assert visible("Sở\x01 Y\x1b[2J tế\x7f\x9b") == "Sở\\x01 Y\\x1b[2J tế\\x7f\\x9b"
    assert visible("a\tb\nc") == "a\tb\nc"
    assert cell_text("=\x01") == "'=\\x01"
