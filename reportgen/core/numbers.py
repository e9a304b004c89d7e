"""Numbers in cells, in one place: what a unit typed, read into an exact `Decimal`, and a
`Decimal` written back as text — Vietnamese for documents (`99,5`), plain for data files
(`99.5`), and as itself for messages. validate, audit and every writer go through here.

Only ASCII digits make a number: digits of other scripts (Arabic-Indic ٣٤, full-width ３４,
Thai ๓๔) are refused with a word saying what they are, never read silently as 34. `-0` is 0.
Formatting never fails, however large or small the value (1e400, 1e-308, a 300-digit string)."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
# A published rank with the value it follows from: "01 (0,727)", "1 (0,9291)", "1 - 0,9291"
_RANK_VALUE = re.compile(
    r"([0-9]+)\s*(?:\(\s*([0-9]+(?:[.,][0-9]+)?)\s*\)|[-–]\s*([0-9]+(?:[.,][0-9]+)?))"
)
_SPACES = re.compile(r"\s+")
_INF = float("inf")
MAX_SHOWN_DIGITS = 20  # beyond this, a value in a message is shown in scientific notation
_SCRIPTS = {  # the start of a digit's Unicode name → how a clerk would call it
    "ARABIC-INDIC": "chữ số Ả Rập–Ấn Độ",
    "EXTENDED ARABIC-INDIC": "chữ số Ả Rập–Ấn Độ mở rộng",
    "FULLWIDTH": "chữ số toàn khổ (full-width)",
    "THAI": "chữ số Thái",
    "DEVANAGARI": "chữ số Devanagari",
    "MATHEMATICAL": "chữ số kiểu toán học",
}


class NotANumber(ValueError):
    """A cell value that is not one unambiguous number: `str()` is what was found; `scripts`
    names the scripts of its digits other than 0–9 ("" when there are none)."""

    def __init__(self, text: str, scripts: str = ""):
        super().__init__(text)
        self.scripts = scripts


def exact(value: int | float | Decimal | str) -> Decimal:
    """A number as an exact Decimal — a float through its shortest repr (27.5 stays 27.5,
    never 27.499999…), anything else as it is: reportgen's one float → Decimal."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def parse(value: object) -> Decimal | None:
    """A cell value as an exact Decimal; None when empty; `NotANumber` when not a number.

    Numbers may be typed as text with either decimal mark ("35,5", "35.5") and stray
    spaces; grouped or ambiguous text ("1.234,5", "35,5,0") is not a number."""
    kind = type(value)
    if kind is float:  # what a number cell reads as: first, it is nearly every call
        if value != value or value in (_INF, -_INF):
            raise NotANumber(str(value))
        return _no_negative_zero(exact(value))
    if kind is int:
        return Decimal(value)
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise NotANumber(str(value))
    if isinstance(value, (int, float)):  # subclasses (numpy scalars and the like)
        return parse(float(value) if isinstance(value, float) else int(value))
    text = unicodedata.normalize("NFC", str(value))
    bare = _SPACES.sub("", text)
    if not bare:
        return None
    if not _NUMBER.fullmatch(bare):
        raise NotANumber(_SPACES.sub(" ", text).strip(), _foreign_digits(bare))
    return _no_negative_zero(Decimal(bare.replace(",", ".")))


def parse_or_none(value: object) -> Decimal | None:
    """`parse`, with anything that is not a number read as None."""
    try:
        return parse(value)
    except NotANumber:
        return None


def rank_cell(value: object) -> tuple[int, Decimal | None] | None:
    """A published rank cell as (rank, the value printed with it): "01 (0,727)" and
    "1 - 0,9291" → (1, 0.727), (1, 0.9291), keeping the printed digits; "5" or 5 → (5, None);
    None for anything else (empty, "–", text)."""
    if isinstance(value, str):
        match = _RANK_VALUE.fullmatch(_SPACES.sub(" ", value).strip())
        if match:
            printed = match[2] or match[3]
            return int(match[1]), Decimal(printed.replace(",", "."))
    number = parse_or_none(value)
    if number is None or number != number.to_integral_value() or number < 0:
        return None
    return int(number), None


def is_number_text(text: str) -> bool:
    """Whether `text` reads as a number (so a leading '-' or '+' is a sign, not a formula)."""
    return bool(text.strip()) and parse_or_none(text) is not None


def _no_negative_zero(value: Decimal) -> Decimal:
    return abs(value) if value.is_zero() else value


def _foreign_digits(text: str) -> str:
    """The scripts of the digits in `text` that are not 0–9, named, or ""."""
    return ", ".join(sorted({_script(ch) for ch in text if ch.isdigit() and not ch.isascii()}))


def _script(ch: str) -> str:
    name = unicodedata.name(ch)  # every character str.isdigit() accepts has a name
    for prefix, called in _SCRIPTS.items():
        if name.startswith(prefix + " "):
            return called
    return f"chữ số ngoài 0–9 ({name.title()})"


def places(value: Decimal) -> int:
    """How many decimal places `value` needs (`35.50` → 1, `1E+3` → 0), exactly."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    trailing = 0
    for digit in reversed(digits):
        if digit:
            break
        trailing += 1
    return max(0, -(exponent + trailing))


def printed_digits(value: Decimal) -> int:
    """How many decimals a value was printed with, trailing zeros included (`0.580` → 3)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def half_up(value: Decimal, decimals: int) -> Decimal:
    """`value` rounded half-up to `decimals` places (`35.45` → `35.5` at 1): the one rounding
    of the writers, exact for a value of any size (never InvalidOperation)."""
    return value.quantize(_step(decimals), rounding=ROUND_HALF_UP, context=_UNBOUNDED)


_UNBOUNDED = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)  # quantize never runs out


@functools.cache
def _step(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def format_number(value: Decimal, decimals: int = 2, fixed: bool = False) -> str:
    """Vietnamese: `Decimal('99.50')` → `'99,5'`; rounded half-up to `decimals`, no trailing
    zeros (with `fixed`, exactly `decimals` digits: an index `0,8220`), `.` between
    thousands (`1.000`)."""
    rounded = half_up(value, decimals)
    sign = "-" if rounded < 0 else ""
    whole, _, frac = f"{rounded.copy_abs():f}".partition(".")
    frac = frac if fixed else frac.rstrip("0")
    groups = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    text = ".".join([whole, *groups])
    return sign + text + ("," + frac if frac else "")


def shown(value: Decimal) -> str:
    """A value as itself, for a message: every digit, decimal comma (`27,125`, `0,001`), and
    scientific notation when that would take more than `MAX_SHOWN_DIGITS` digits (`1e-308`,
    `1,2345678901234567890123e+22`; past that many significant digits, cut with `…`)."""
    value = _no_negative_zero(value)
    width = max(value.adjusted() + 1, 1) + places(value)
    if width <= MAX_SHOWN_DIGITS:
        return format_number(value, places(value))
    digits = "".join(map(str, value.as_tuple().digits)).rstrip("0") or "0"
    if len(digits) > MAX_SHOWN_DIGITS + 3:
        digits = digits[: MAX_SHOWN_DIGITS + 3] + "…"
    mantissa = digits[0] + ("," + digits[1:] if len(digits) > 1 else "")
    exponent = value.adjusted()
    return f"{'-' if value < 0 else ''}{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"


def plain(value: Decimal) -> str:
    """For data files: `Decimal('99.50')` → `'99.5'`, never exponent notation, never `-0`."""
    text = f"{_no_negative_zero(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
