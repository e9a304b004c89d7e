import unicodedata

import icu
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.core.collation import sort_key

ICU = icu.Collator.createInstance(icu.Locale("vi"))
VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
LETTERS = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES]
LETTERS += list("bcdđghklmnpqrstvx")
LETTERS += [ch.upper() for ch in LETTERS]


def test_examples_from_the_brief():
    names = ["Huyện Hiệp Đức", "Huyện Đại Lộc", "Huyện Duy Xuyên"]
    assert sorted(names, key=sort_key) == ["Huyện Duy Xuyên", "Huyện Đại Lộc", "Huyện Hiệp Đức"]
    assert sorted(["Ấp", "Ân", "An"], key=sort_key) == ["An", "Ân", "Ấp"]


def test_whole_alphabet_with_every_tone_and_case_agrees_with_icu():
    assert sorted(LETTERS, key=sort_key) == sorted(LETTERS, key=ICU.getSortKey)


def test_nfd_input_sorts_like_nfc():
    nfd = unicodedata.normalize("NFD", "Huyện Đại Lộc")
    assert sort_key(nfd) == sort_key("Huyện Đại Lộc")


@settings(max_examples=300)
@given(
    st.lists(
        st.text(alphabet=LETTERS + [" ", "-", ",", "1"], min_size=1, max_size=6),
        min_size=2,
        max_size=12,
        unique=True,
    )
)
def test_random_names_agree_with_icu(words):
    assert sorted(words, key=sort_key) == sorted(words, key=ICU.getSortKey)


def test_sample_unit_names_agree_with_icu(assessment):
    names = [u.name for g in assessment.groups for u in g.units]
    assert sorted(names, key=sort_key) == sorted(names, key=ICU.getSortKey)
