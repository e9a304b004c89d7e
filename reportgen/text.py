"""Text at the edge: NFC normalisation, whitespace collapsing, and folding for matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")


def clean(value: object) -> str:
    """NFC-normalise and collapse whitespace (incl. non-breaking spaces); strip the ends."""
    text = unicodedata.normalize("NFC", str(value))
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def fold(value: object) -> str:
    """A matching key: lower case, no diacritics (đ → d), punctuation as spaces."""
    return _fold_text(value) if isinstance(value, str) else _fold(value)


@lru_cache(maxsize=1 << 16)  # the same labels and names come back in every workbook
def _fold_text(value: str) -> str:
    return _fold(value)


def _fold(value: object) -> str:
    text = unicodedata.normalize("NFD", clean(value).casefold().replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text)
    return _SPACE.sub(" ", text).strip()
