"""Vietnamese alphabetical order (Đ after D, Ă Â after A, tones after the base letter).

A small sort key that agrees with ICU's Vietnamese collation on the alphabet, every tone
and case (checked against ICU in the tests): letters first by the Vietnamese alphabet, then
tones (none, huyền, hỏi, ngã, sắc, nặng), then lower case before upper case."""

from __future__ import annotations

import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# ICU root order of the common punctuation and symbols, all before digits and letters.
PUNCTUATION = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter

_PUNCT_BASE = 1
_SYMBOL_BASE = _PUNCT_BASE + len(PUNCTUATION)
_DIGIT_BASE = 0x110000 + _SYMBOL_BASE
_LETTER_BASE = _DIGIT_BASE + 10
_OTHER_BASE = _LETTER_BASE + len(ALPHABET)


def _weights(ch: str) -> tuple[int, int, int]:
    """(primary, tone, case) weights of one NFC character."""
    lower = ch.lower()
    case = 1 if lower != ch else 0
    parts = unicodedata.normalize("NFD", lower)
    base, marks = parts[0], parts[1:]
    tone = 0
    letter = base
    for mark in marks:
        if mark in TONES:
            tone = TONES[mark]
        elif mark in LETTER_MARKS:
            letter = unicodedata.normalize("NFC", letter + mark)
    if letter in ALPHABET:
        return _LETTER_BASE + ALPHABET.index(letter), tone, case
    if base in ALPHABET:  # a Latin letter with a mark foreign to Vietnamese
        return _LETTER_BASE + ALPHABET.index(base), tone, case
    if ch.isdigit() and ch.isascii():
        return _DIGIT_BASE + int(ch), 0, 0
    if ch in PUNCTUATION:
        return _PUNCT_BASE + PUNCTUATION.index(ch), 0, 0
    if ch.isalpha():
        return _OTHER_BASE + ord(ch), 0, case
    return _SYMBOL_BASE + ord(ch), 0, 0


def sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A key for `sorted()` that orders Vietnamese names alphabetically."""
    weights = [_weights(ch) for ch in unicodedata.normalize("NFC", text)]
    return (
        tuple(w[0] for w in weights),
        tuple(w[1] for w in weights),
        tuple(w[2] for w in weights),
    )
