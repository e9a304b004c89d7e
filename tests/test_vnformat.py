import datetime as dt
from decimal import Decimal

import pytest

from reportgen.core.numbers import format_number
from reportgen.core.vnformat import date_line, document_number, short_date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2020, 1, 7), "ngày 07 tháng 01 năm 2020"),
        (dt.date(2021, 3, 15), "ngày 15 tháng 3 năm 2021"),
        (dt.date(2021, 2, 28), "ngày 28 tháng 02 năm 2021"),
        (dt.date(2021, 12, 1), "ngày 01 tháng 12 năm 2021"),
    ],
)
def test_date_line_leading_zeros(day, expected):
    assert date_line(day) == expected


def test_short_date():
    assert short_date(dt.date(2020, 1, 7)) == "07/01/2020"


@pytest.mark.parametrize(
    ("number", "expected"), [(5, "05/QĐ-UBND"), (52, "52/QĐ-UBND"), (1234, "1234/QĐ-UBND")]
)
def test_document_number(number, expected):
    assert document_number(number, "QĐ-UBND") == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("99.5", 2, "99,5"),
        ("81", 2, "81"),
        ("81.00", 2, "81"),
        ("23.50", 2, "23,5"),
        ("96.59", 2, "96,59"),
        ("0.7265", 3, "0,727"),  # half-up
        ("0.125", 2, "0,13"),
        ("1000", 2, "1.000"),
        ("1234567.5", 1, "1.234.567,5"),
        ("-2.5", 1, "-2,5"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(Decimal(value), decimals) == expected
