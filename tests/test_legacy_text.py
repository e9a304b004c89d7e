"""Tests for reportgen.core.legacy_text: TCVN3/VNI tables, decoders and mojibake detection."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from reportgen.core.legacy_text import (
    TCVN3_TABLE,
    VNI_TABLE,
    decode_tcvn3,
    decode_vni,
    detect_legacy,
)

DATA = Path(__file__).parent / "data"

# --- the Vietnamese alphabet, built independently of the module's tables ------------------

TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # none, huyền, hỏi, ngã, sắc, nặng
VOWELS = "aăâeêioôơuưy"
LOWER = sorted(
    {unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} - set("aeiouy") | {"đ"}
)
UPPER = [ch.upper() for ch in LOWER]
ALL_LETTERS = LOWER + UPPER  # the 134 non-ASCII Vietnamese letters
TCVN3_UPPER = list("ĂÂÊÔƠƯĐ")  # the only capitals TCVN3 (ABC / VN3) has
VIET_LETTERS = set(ALL_LETTERS) | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _chart(name: str) -> list[list[str]]:
    """Rows of an independent published code chart in tests/data (its source is named there)."""
    text = (DATA / name).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    return rows[1:]  # after the header


# Oracles: TCVN3 from GNU libc's iconv TCVN5712-1, VNI from another project's converter table.
TCVN3_CHART = {
    chr(int(b, 16)): letter for b, letter, kind in _chart("tcvn3-chart.tsv") if kind == "yes"
}
VNI_CHART = {vni: letter for _, letter, vni in _chart("vni-chart.tsv")}
UNI_TO_TCVN3 = {letter: code for code, letter in TCVN3_CHART.items()}
UNI_TO_VNI = {letter: vni for vni, letter in VNI_CHART.items()}


def encode_tcvn3(text: str) -> str:
    """Encode NFC Vietnamese to TCVN3 mojibake; toned capitals are not representable."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out.append(ch)
        else:
            out.append(UNI_TO_TCVN3[ch])
    return "".join(out)


def encode_vni(text: str) -> str:
    """Encode NFC Vietnamese to VNI mojibake."""
    return "".join(
        ch if ch.isascii() else UNI_TO_VNI[ch] for ch in unicodedata.normalize("NFC", text)
    )


# --- tables ----------------------------------------------------------------------------------


def test_alphabet_has_134_letters() -> None:
    assert len(set(ALL_LETTERS)) == 134


def test_vni_table_covers_exactly_the_alphabet() -> None:
    assert sorted(VNI_TABLE.values()) == sorted(ALL_LETTERS)
    assert all(
        1 <= len(k) <= 2 and all(0xC0 <= ord(c) <= 0xFF or c.isascii() for c in k)
        for k in VNI_TABLE
    )


def test_tcvn3_table_covers_lowercase_and_seven_capitals() -> None:
    assert sorted(TCVN3_TABLE.values()) == sorted(LOWER + TCVN3_UPPER)
    assert all(len(k) == 1 and 0xA1 <= ord(k) <= 0xFE for k in TCVN3_TABLE)


def test_charts_cover_the_alphabet() -> None:
    assert sorted(VNI_CHART.values()) == sorted(ALL_LETTERS)
    assert sorted(TCVN3_CHART.values()) == sorted(LOWER + TCVN3_UPPER)


@pytest.mark.parametrize("code", sorted(TCVN3_CHART))
def test_tcvn3_table_agrees_with_the_chart(code: str) -> None:
    assert TCVN3_TABLE.get(code) == TCVN3_CHART[code]


@pytest.mark.parametrize("legacy", sorted(VNI_CHART))
def test_vni_table_agrees_with_the_chart(legacy: str) -> None:
    assert VNI_TABLE.get(legacy) == VNI_CHART[legacy]


def test_tables_hold_nothing_beyond_the_charts() -> None:
    assert set(TCVN3_TABLE) == set(TCVN3_CHART)
    assert set(VNI_TABLE) == set(VNI_CHART)


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_vni_round_trip_every_letter(letter: str) -> None:
    assert decode_vni(encode_vni(letter)) == letter


@pytest.mark.parametrize("letter", LOWER + TCVN3_UPPER)
def test_tcvn3_round_trip_every_letter(letter: str) -> None:
    assert decode_tcvn3(encode_tcvn3(letter)) == letter


def test_round_trip_all_letters_in_one_string() -> None:
    # Adjacent VNI sequences must not be mis-split by the greedy decoder.
    text = "".join(ALL_LETTERS) + " " + " ".join(ALL_LETTERS)
    assert decode_vni(encode_vni(text)) == text
    tcvn3_text = "".join(LOWER + TCVN3_UPPER)
    assert decode_tcvn3(encode_tcvn3(tcvn3_text)) == tcvn3_text


# --- decoders --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("Së Y tÕ", "Sở Y tế"),
        ("HuyÖn", "Huyện"),
        ("Thµnh phè Héi An", "Thành phố Hội An"),
        ("Së Gi¸o dôc vµ §µo t¹o", "Sở Giáo dục và Đào tạo"),
        ("B¶o Th¾ng", "Bảo Thắng"),
        ("M\xadêng Kh\xad¬ng", "Mường Khương"),  # ư is the soft-hyphen code point
        ("UBND tØnh Qu¶ng Nam, n¨m 2023", "UBND tỉnh Quảng Nam, năm 2023"),
    ],
)
def test_decode_tcvn3_examples(legacy: str, expected: str) -> None:
    assert decode_tcvn3(legacy) == expected


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("Sôû Y teá", "Sở Y tế"),
        ("Thaønh phoá", "Thành phố"),
        ("Huyeän Ñaïi Loäc", "Huyện Đại Lộc"),
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("SÔÛ Y TEÁ", "SỞ Y TẾ"),
        ("Ngöôøi", "Người"),
    ],
)
def test_decode_vni_examples(legacy: str, expected: str) -> None:
    assert decode_vni(legacy) == expected


def test_decoders_return_nfc_and_accept_nfd_input() -> None:
    nfd = unicodedata.normalize("NFD", "Së Y tÕ")
    assert nfd != "Së Y tÕ"
    out = decode_tcvn3(nfd)
    assert out == "Sở Y tế" and unicodedata.is_normalized("NFC", out)
    out = decode_vni(unicodedata.normalize("NFD", "Sôû Y teá"))
    assert out == "Sở Y tế" and unicodedata.is_normalized("NFC", out)


# --- detection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Së Y tÕ", ("TCVN3", "Sở Y tế")),
        ("Së Gi¸o dôc vµ §µo t¹o", ("TCVN3", "Sở Giáo dục và Đào tạo")),
        ("HuyÖn §¹i Léc", ("TCVN3", "Huyện Đại Lộc")),
        ("Thanh tra tØnh", ("TCVN3", "Thanh tra tỉnh")),
        ("Thµnh phè Héi An", ("TCVN3", "Thành phố Hội An")),
        ("Héi An", ("TCVN3", "Hội An")),  # only "weak" characters, but "Héi" is not Vietnamese
        ("Së Th«ng tin vµ TruyÒn th«ng", ("TCVN3", "Sở Thông tin và Truyền thông")),
        ("UBND tØnh Qu¶ng Nam", ("TCVN3", "UBND tỉnh Quảng Nam")),
        ("H§ND huyÖn", ("TCVN3", "HĐND huyện")),
        ("Sôû Y teá", ("VNI", "Sở Y tế")),
        ("Huyeän Ñaïi Loäc", ("VNI", "Huyện Đại Lộc")),
        ("Thaønh phoá Hoäi An", ("VNI", "Thành phố Hội An")),
        ("Sôû Giaùo duïc vaø Ñaøo taïo", ("VNI", "Sở Giáo dục và Đào tạo")),
        ("UBND tænh Quaûng Nam", ("VNI", "UBND tỉnh Quảng Nam")),
    ],
)
def test_detect_legacy_fires(text: str, expected: tuple[str, str]) -> None:
    assert detect_legacy(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sở Y tế",
        "Huyện Đại Lộc",
        "Thành phố Hội An",
        "Sở Giáo dục và Đào tạo",
        "Ban Dan toc",
        "",
        "   ",
        "123",
        "12,5",
        "-",
        "Café",
        "Müller",
        "naïve",
        "Hôtel de Ville",
        "São Paulo",
        "Zürich",
        "crème brûlée",
        "smørrebrød",
        "Åland",
        "Công ty ABC®",
        "Bán cá",  # Latin-1-only Unicode Vietnamese that would also decode validly as TCVN3
        "Tây Ninh",
        "Cà Mau",
        "Tô",  # would be "Tơ" as VNI
        unicodedata.normalize("NFD", "Sở Y tế"),
    ],
)
def test_detect_legacy_ignores(text: str) -> None:
    assert detect_legacy(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "eõ" is not a syllable (the tone belongs on e), so this is VNI "a ê", not TCVN3.
        ("a eâ", ("VNI", "a ê")),
        # Both readings are well-formed; VNI explains the "à" as well, TCVN3 leaves it over.
        ("oà oâng", ("VNI", "ồ ông")),
        # A true tie ("Trổ" in TCVN3, "Trỉ" in VNI) goes to TCVN3.
        ("Træ træ", ("TCVN3", "Trổ trổ")),
        # Old ("hòa") and new ("hoà") tone placement are both accepted.
        ("Hßa B×nh", ("TCVN3", "Hòa Bình")),
        ("Hoµ B×nh", ("TCVN3", "Hoà Bình")),
    ],
)
def test_detect_legacy_disambiguation(text: str, expected: tuple[str, str]) -> None:
    assert detect_legacy(text) == expected


def test_detect_legacy_output_is_nfc() -> None:
    result = detect_legacy(unicodedata.normalize("NFD", "HuyÖn §¹i Léc"))
    assert result == ("TCVN3", "Huyện Đại Lộc")
    assert unicodedata.is_normalized("NFC", result[1])


# --- properties ------------------------------------------------------------------------------

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph",
          "qu", "r", "s", "t", "th", "tr", "v", "x"]  # fmt: skip
OPEN_RHYMES = (
    "a ai am an ang anh ao au ay ăn ăng ăm âm ân âng âu ây e em en eo ê êm ên ênh êu i ia im in "
    "inh iu iêu iên iêng o oa oai oan oang oanh oe oi om on ong ô ôi ôm ôn ông ơ ơi ơm ơn u ua ui "
    "um un ung uôi uôn uông uy uyên uân ư ưa ưi ưng ươi ươn ương yên"
).split()
STOP_RHYMES = (
    "ac ach ap at ăc ăp ăt âc âp ât ec ep et êch êt ich ip it iêc iêt oac oat oc op ot ôc ôt ơp ơt "
    "uc up ut uôc uôt uât uyêt ưc ưt ươc ươp ươt"
).split()


@st.composite
def syllables(draw: st.DrawFn, tcvn3_capitals_only: bool = False) -> str:
    if draw(st.booleans()):
        rhyme, tone = draw(st.sampled_from(OPEN_RHYMES)), draw(st.sampled_from(TONES))
    else:
        rhyme, tone = draw(st.sampled_from(STOP_RHYMES)), draw(st.sampled_from(TONES[4:]))
    # "qu" and "gi" already hold the glide/vowel: no "quuy" or "giit".
    onset = draw(st.sampled_from(ONSETS).filter(lambda o: o[-1:] != rhyme[0]))
    # Tone on the hatted vowel if any, else the middle of three vowels, else the second of two
    # vowels before a final consonant, else the first vowel (old-style "hòa").
    vowels = [i for i, ch in enumerate(rhyme) if ch in "aăâeêioôơuưy"]
    hatted = [i for i in vowels if rhyme[i] in "ăâêôơư"]
    if hatted:
        pos = hatted[-1]
    elif len(vowels) == 3:
        pos = vowels[1]
    elif len(vowels) == 2 and vowels[-1] < len(rhyme) - 1:
        pos = vowels[1]
    else:
        pos = vowels[0]
    word = unicodedata.normalize("NFC", onset + rhyme[: pos + 1] + tone + rhyme[pos + 1 :])
    if draw(st.booleans()):
        first = word[0].upper()
        if not tcvn3_capitals_only or first.isascii() or first in TCVN3_UPPER:
            word = first + word[1:]
    return word


names = st.lists(syllables(), min_size=2, max_size=5).map(" ".join)
tcvn3_names = st.lists(syllables(tcvn3_capitals_only=True), min_size=2, max_size=5).map(" ".join)


def _only_vietnamese_letters(text: str) -> bool:
    return all(ch in VIET_LETTERS or not ch.isalpha() for ch in text if not ch.isspace())


@given(st.lists(syllables(), min_size=1, max_size=5).map(" ".join))
def test_unicode_vietnamese_is_never_flagged(text: str) -> None:
    assert detect_legacy(text) is None


@given(tcvn3_names)
def test_tcvn3_names_are_detected(name: str) -> None:
    encoded = encode_tcvn3(name)
    result = detect_legacy(encoded)
    if encoded == name:  # plain ASCII name: nothing to detect
        assert result is None
    elif result is None:
        # Only acceptable when the mojibake is itself well-formed Unicode Vietnamese.
        event("ambiguous")
        assert _only_vietnamese_letters(encoded)
    else:
        assert result == ("TCVN3", name)


@given(names)
def test_vni_names_are_detected(name: str) -> None:
    encoded = encode_vni(name)
    result = detect_legacy(encoded)
    if encoded == name:
        assert result is None
    elif result is None:
        event("ambiguous")
        assert _only_vietnamese_letters(encoded)
    elif result[0] == "TCVN3":
        # A tie between two well-formed readings ("a æ" is "a ổ" in TCVN3, "a ỉ" in VNI) goes to
        # TCVN3; that is only allowed when TCVN3 explains every character of the input.
        event("read as TCVN3")
        assert all(ch.isascii() or ch in TCVN3_TABLE for ch in encoded)
        assert result[1] == decode_tcvn3(encoded)
    else:
        assert result == ("VNI", name)
