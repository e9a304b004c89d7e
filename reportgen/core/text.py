"""Text at the edge: NFC normalisation, whitespace collapsing, and folding for matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

SUGGEST_CUTOFF = 60  # rapidfuzz WRatio below this is no useful hint
_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def clean(value: object) -> str:
    """NFC-normalise and collapse whitespace (incl. non-breaking spaces); strip the ends."""
    text = unicodedata.normalize("NFC", str(value))
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def visible(text: str) -> str:
    """`text` with every control character shown as an escape (`\\x01`, `\\x1b`): what a
    workbook cell held (Excel stores them as `_x0001_`) can be written to any output and shown
    on a terminal without being acted on. Tabs and line breaks stay."""
    return _INVISIBLE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def has_control(text: str) -> bool:
    """Whether `text` holds a control character (`visible` would escape it)."""
    return _INVISIBLE.search(text) is not None


def fold(value: object) -> str:
    """A matching key: lower case, no diacritics (đ → d), punctuation as spaces."""
    return _fold_text(value) if isinstance(value, str) else _fold(value)


@lru_cache(maxsize=1 << 16)  # the same labels and names come back in every workbook
def _fold_text(value: str) -> str:
    return _fold(value)


def _fold(value: object) -> str:
    text = clean(value).casefold()
    quick = text.translate(_LATIN_BASE)  # Vietnamese letters → ASCII, one pass
    if quick.isascii():
        return " ".join(_ASCII_NONWORD.sub(" ", quick).split())
    return _fold_slowly(text)  # other scripts: the general rule below


def _fold_slowly(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text)
    return _SPACE.sub(" ", text).strip()


_ASCII_NONWORD = re.compile(r"[^0-9A-Za-z_]+")
_LATIN = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]  # Latin-1 letters to Extended-B, and
# Latin Extended Additional (Vietnamese): the letters made of an ASCII letter and marks
_LATIN_BASE = {
    code: base
    for code in _LATIN
    if unicodedata.category(chr(code)).startswith("L")
    and (base := _fold_slowly(chr(code))).isascii()
}


@lru_cache(maxsize=1 << 14, typed=True)  # the same headings come back in every workbook
def label_key(value: object) -> str:
    """The matching key of a criterion label or column heading: `fold`, with leading
    numbering ("1.", "II)") and notes in brackets ("(10 điểm)") dropped; a label typed in a
    legacy encoding (TCVN3, VNI) is read as the text it stands for. Config, ingest and audit
    all match labels with this key, so two labels the config accepts never read as one."""
    from reportgen.core.legacy_text import detect_legacy

    text = clean(value)
    legacy = detect_legacy(text)
    if legacy:
        text = legacy[1]
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"^\s*([0-9]+|[ivxIVX]+)\s*[.)/-]\s*", "", text)
    return fold(text)


_TONE_DIGITS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_DROP = [("ubnd",), ("uy", "ban", "nhan", "dan")]  # "UBND huyện X" is "Huyện X"
_EXPAND = {"tp": "thành phố", "tx": "thị xã", "h": "huyện"}


@lru_cache(maxsize=1 << 14)  # Vietnamese has a few thousand syllables; names repeat them
def _syllable(word: str) -> str:
    """A syllable with its tone moved to the end: "hóa" and "hoá" both → "hoa4"."""
    parts = unicodedata.normalize("NFD", word)
    tone = next((_TONE_DIGITS[ch] for ch in parts if ch in _TONE_DIGITS), "")
    return unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_DIGITS)) + tone


_WORD_BREAK = re.compile(r"[^\w]+")


def _words(text: str) -> list[str]:
    return _WORD_BREAK.sub(" ", clean(text).casefold()).split()


def _name_words(written: str) -> list[str]:
    """The words of a unit name, lower case, with a UBND prefix dropped and TP./TX./H. spelt out."""
    words = _words(written)
    plain = [fold(w) for w in words[:4]]  # a prefix is at most four words
    for drop in _DROP:
        if tuple(plain[: len(drop)]) == drop and len(words) > len(drop):
            words, plain = words[len(drop) :], plain[len(drop) :]
    if plain and plain[0] in _EXPAND and len(words) > 1:
        words = _words(_EXPAND[plain[0]]) + words[1:]
    return words


@lru_cache(maxsize=1 << 17)  # config, registry and validate key the same names: 100 000 of them
def name_key(written: str) -> str:
    """The matching key of a written unit name: case, spacing, punctuation, Unicode form and
    tone placement do not matter; letters and tones do ("Sở Y tê" is not "Sở Y tế")."""
    return " ".join(map(_syllable, _name_words(written)))


def plain_key(written: str) -> str:
    """The name without diacritics, for suggestions only: "Sở Y tê" → "so y te"."""
    return fold(" ".join(_name_words(written)))


def closest(
    written: str, choices: Sequence[str], key: Callable[[str], str] | None = None
) -> str | None:
    """The choice `written` most likely means — a unit name, a criterion label, a template
    name — compared by `key` (default: as they are) with rapidfuzz's WRatio, or None when
    none scores `SUGGEST_CUTOFF`: reportgen's one "did you mean" for every kind of name."""
    from rapidfuzz import fuzz, process  # only for a name that matched nothing

    if key is None:
        best = process.extractOne(written, choices, scorer=fuzz.WRatio, score_cutoff=SUGGEST_CUTOFF)
        return best[0] if best else None
    keys = {key(choice): choice for choice in choices}
    best = process.extractOne(
        key(written), list(keys), scorer=fuzz.WRatio, score_cutoff=SUGGEST_CUTOFF
    )
    return keys[best[0]] if best else None
