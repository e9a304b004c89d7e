"""Detect and repair Vietnamese text typed in legacy 8-bit font encodings.

Before Unicode, Vietnamese documents were typed with TCVN3 (ABC; fonts such as .VnTime)
or VNI (VNI-Times) fonts. Read back as Unicode, such text is mojibake built from Latin-1
code points: TCVN3 "Së Y tÕ" and VNI "Sôû Y teá" both mean "Sở Y tế".

``decode_tcvn3`` and ``decode_vni`` convert unconditionally; ``detect_legacy`` decides
whether a string is legacy mojibake at all and returns the repaired text.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["TCVN3_TABLE", "VNI_TABLE", "decode_tcvn3", "decode_vni", "detect_legacy"]

# Tone marks as combining characters, in the column order used by the rows below.
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # none, huyền, hỏi, ngã, sắc, nặng
_TONE_MARKS = frozenset(_TONES[1:])
_GRAVE, _HOOK, _TILDE = "\u0300", "\u0309", "\u0303"

# TCVN3 = TCVN 5712:1993 VN3 (ABC). Per toneless vowel, the legacy character for each tone in
# _TONES order. VN3 has all 67 lowercase letters but only 7 upper-case ones (no toned capitals:
# those were typed with the lowercase codes in an all-capital font such as .VnTimeH).
_TCVN3_ROWS = {
    "a": "aµ¶·¸¹",
    "ă": "¨»¼½¾Æ",
    "â": "©ÇÈÉÊË",
    "e": "eÌÎÏÐÑ",
    "ê": "ªÒÓÔÕÖ",
    "i": "i×ØÜÝÞ",
    "o": "oßáâãä",
    "ô": "«åæçèé",
    "ơ": "¬êëìíî",
    "u": "uïñòóô",
    "ư": "\xadõö÷øù",  # ư is 0xAD, the soft hyphen position
    "y": "yúûüýþ",
}
_TCVN3_SINGLES = {"đ": "®", "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§"}

# VNI-Windows: base letter (or one precomposed Latin-1 letter) plus a Latin-1 "mark" letter.
# Upper case is the same sequence upper-cased ("aø" -> "AØ").
_VNI_ROWS = {
    "a": ("a", "aø", "aû", "aõ", "aù", "aï"),
    "ă": ("aê", "aè", "aú", "aü", "aé", "aë"),
    "â": ("aâ", "aà", "aå", "aã", "aá", "aä"),
    "e": ("e", "eø", "eû", "eõ", "eù", "eï"),
    "ê": ("eâ", "eà", "eå", "eã", "eá", "eä"),
    "i": ("i", "ì", "æ", "ó", "í", "ò"),
    "o": ("o", "oø", "oû", "oõ", "où", "oï"),
    "ô": ("oâ", "oà", "oå", "oã", "oá", "oä"),
    "ơ": ("ô", "ôø", "ôû", "ôõ", "ôù", "ôï"),
    "u": ("u", "uø", "uû", "uõ", "uù", "uï"),
    "ư": ("ö", "öø", "öû", "öõ", "öù", "öï"),
    "y": ("y", "yø", "yû", "yõ", "yù", "î"),
}
_VNI_SINGLES = {"đ": "ñ", "Đ": "Ñ"}


def _letter(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + tone)


def _build_tcvn3() -> dict[str, str]:
    table = {legacy: uni for uni, legacy in _TCVN3_SINGLES.items()}
    for base, row in _TCVN3_ROWS.items():
        for tone, legacy in zip(_TONES, row, strict=True):
            if not legacy.isascii():
                table[legacy] = _letter(base, tone)
    return table


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}
    for uni, legacy in _VNI_SINGLES.items():
        table[legacy] = uni
    for base, row in _VNI_ROWS.items():
        for tone, legacy in zip(_TONES, row, strict=True):
            if not legacy.isascii():
                table[legacy] = _letter(base, tone)
                table[legacy.upper()] = _letter(base.upper(), tone)
    return table


#: Legacy TCVN3 character -> Unicode letter (74 entries; treat as read-only).
TCVN3_TABLE: dict[str, str] = _build_tcvn3()
#: Legacy VNI sequence (1 or 2 characters) -> Unicode letter (134 entries; read-only).
VNI_TABLE: dict[str, str] = _build_vni()

_TCVN3_TRANS = {ord(k): v for k, v in TCVN3_TABLE.items()}
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_TABLE, key=len, reverse=True)))
_TCVN3_KEYS = frozenset(TCVN3_TABLE)
_VNI_KEYS = frozenset("".join(VNI_TABLE))

# Every non-ASCII Vietnamese letter (134) and the full alphabet including ASCII.
_VIET_NON_ASCII = frozenset(VNI_TABLE.values())
_VIET_LETTERS = _VIET_NON_ASCII | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def decode_tcvn3(text: str) -> str:
    """Convert TCVN3 (ABC) mojibake to NFC Unicode; characters outside the table are kept."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).translate(_TCVN3_TRANS))


def decode_vni(text: str) -> str:
    """Convert VNI-Windows mojibake to NFC Unicode; characters outside the table are kept."""
    decoded = _VNI_RE.sub(lambda m: VNI_TABLE[m.group()], unicodedata.normalize("NFC", text))
    return unicodedata.normalize("NFC", decoded)


# --- plausibility of Vietnamese syllables -------------------------------------------------

_ONSETS = "ngh ng nh ch gh gi kh ph th tr qu q b c d đ g h k l m n p r s t v x"
_RHYMES = """
    a ac ach ai am an ang anh ao ap at au ay
    ă ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et
    ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu
    iêc iêm iên iêng iêp iêt iêu
    o oc oi om on ong op ot ooc oong
    oa oac oach oai oam oan oang oanh oao oap oat oay
    oăc oăm oăn oăng oăt
    oe oen oeo oet
    ô ôc ôi ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt ơu
    u uc ui um un ung up ut
    ua uôc uôi uôm uôn uông uôt
    uân uâng uât uây
    uê uêch uên uênh uêt
    uy uya uych uyn uynh uyp uyt uyu uyên uyêt
    uơ
    ư ưa ưc ưi ưm ưn ưng ưt ưu
    ươc ươi ươm ươn ương ươp ươt ươu
    y yêm yên yêng yêt yêu
"""
_ONSET_LIST = sorted(_ONSETS.split(), key=len, reverse=True) + [""]
_RHYME_SET = frozenset(_RHYMES.split())
_VOWELS = frozenset("aăâeêioôơuưy")
_HATTED = frozenset("ăâêôơư")
_STOP_FINALS = ("c", "ch", "p", "t")
_ACRONYM_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZĂÂÊÔƠƯĐ")
_WORD_RE = re.compile(r"[^\W\d_]+")


def _tone_positions(rhyme: str) -> set[int]:
    """Indexes in `rhyme` where a tone mark may sit, accepting old ("hòa") and new ("hoà") style."""
    n = 0
    while n < len(rhyme) and rhyme[n] in _VOWELS:
        n += 1
    cluster, has_final = rhyme[:n], n < len(rhyme)
    hatted = [i for i, ch in enumerate(cluster) if ch in _HATTED]
    if hatted:
        return {hatted[-1]}  # ươ takes it on ơ; iê, uô, uyê on the hatted vowel
    if n == 1:
        return {0}
    if n == 3:
        return {1}  # oai, oay, uya, uyu, oao, oeo
    if has_final:
        return {1}  # oan, uyn, oong
    return {0, 1} if cluster in ("oa", "oe", "uy") else {0}


def _is_syllable(word: str) -> bool:
    """True when `word` (any case) is a well-formed Vietnamese syllable, tone mark included."""
    base_chars: list[str] = []
    tones: list[tuple[int, str]] = []
    for i, ch in enumerate(unicodedata.normalize("NFC", word.lower())):
        parts = unicodedata.normalize("NFD", ch)
        tones.extend((i, mark) for mark in parts if mark in _TONE_MARKS)
        base_chars.append(
            unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        )
    base = "".join(base_chars)
    if len(tones) > 1 or len(base) != len(base_chars):
        return False
    for onset in _ONSET_LIST:
        rhyme = base[len(onset) :]
        if not base.startswith(onset) or rhyme not in _RHYME_SET:
            continue
        if not tones:
            return True
        pos, mark = tones[0]
        # Syllables closed by a stop consonant take only the sắc or nặng tone.
        if mark in (_GRAVE, _HOOK, _TILDE) and rhyme.endswith(_STOP_FINALS):
            continue
        if pos - len(onset) in _tone_positions(rhyme):
            return True
    return False


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and all(ch in _ACRONYM_CHARS for ch in word)


def _word_score(candidate: str) -> tuple[int, float, int] | None:
    """Rate decoded text, or None when some non-ASCII word in it is not Vietnamese.

    Higher is better: fewer leftover non-Vietnamese characters, then a larger share of words
    that are syllables or acronyms, then more syllables.
    """
    words = _WORD_RE.findall(candidate)
    good = syllables = 0
    for word in words:
        if _is_syllable(word):
            good += 1
            syllables += 1
        elif _is_acronym(word):
            good += 1
        elif not word.isascii():
            return None
    if not words or good * 2 < len(words):
        return None
    leftovers = sum(
        1 for ch in candidate if not ch.isascii() and ch not in _VIET_LETTERS and not ch.isspace()
    )
    return (-leftovers, good / len(words), syllables)


def _reads_as_vietnamese(text: str) -> bool:
    """True when `text` already is plausible Unicode Vietnamese with some diacritics."""
    if any(not ch.isascii() and ch not in _VIET_LETTERS for ch in text if ch.isalpha()):
        return False
    accented = [w for w in _WORD_RE.findall(text) if not w.isascii()]
    return bool(accented) and all(_is_syllable(w) or _is_acronym(w) for w in accented)


def detect_legacy(text: str) -> tuple[str, str] | None:
    """Return (encoding_name, likely_intended_text) when `text` looks like TCVN3 or VNI mojibake,
    else None. encoding_name is "TCVN3" or "VNI"; the text is NFC-normalised."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return None
    # Both encodings only produce code points up to U+00FF; a letter beyond that (ơ, ư, đ, ạ...)
    # means the text is real Unicode already.
    if any(ord(ch) > 0xFF and ch.isalpha() for ch in text):
        return None
    as_unicode = _reads_as_vietnamese(text)
    non_ascii = sum(not ch.isascii() for ch in text)
    best: tuple[tuple[int, int, float, int], str, str] | None = None
    vni_matched = "".join(m.group() for m in _VNI_RE.finditer(text))
    for name, keys, explained, decode in (
        ("TCVN3", _TCVN3_KEYS, sum(ch in _TCVN3_KEYS for ch in text), decode_tcvn3),
        ("VNI", _VNI_KEYS, sum(not ch.isascii() for ch in vni_matched), decode_vni),
    ):
        present = {ch for ch in text if ch in keys}
        if not present:
            continue
        # Characters that are Vietnamese letters themselves (á, ô, ...) are weak evidence: with
        # only those, keep the text as it is if it already reads as Vietnamese ("Bán cá").
        if as_unicode and present <= _VIET_LETTERS:
            continue
        decoded = decode(text)
        if decoded == text or (rating := _word_score(decoded)) is None:
            continue
        # Between two well-formed readings, prefer the one explaining more legacy characters.
        score = (rating[0], explained - non_ascii, rating[1], rating[2])
        if best is None or score > best[0]:
            best = (score, name, decoded)
    return None if best is None else (best[1], best[2])
