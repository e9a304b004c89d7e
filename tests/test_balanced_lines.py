"""The issuer's name in the header, broken into even lines — in bounded work, whatever its
length (every split was tried before: 40 words took about ten minutes). The bound is held
by pytest-timeout: a return of the exhaustive search fails in seconds, not minutes."""

from __future__ import annotations

import itertools
import random

import pytest

from reportgen.render import docx
from reportgen.render.docx import balanced_lines, text_mm

VOCAB = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM SỞ THÔNG TIN VÀ TRUYỀN HUYỆN Xã W MMMMMMMMMMMM i".split()


def brute_force(text: str, width: float) -> str:
    """The oracle: every split into every number of lines; the fewest lines that fit, then
    the narrowest widest line, then the earliest cuts."""
    words = text.split(" ")
    if text_mm(text, 13, True) <= width or len(words) < 2:
        return text
    best = None
    for count in range(2, len(words) + 1):
        for cuts in itertools.combinations(range(1, len(words)), count - 1):
            bounds = zip((0, *cuts), (*cuts, len(words)))
            lines = [" ".join(words[a:b]) for a, b in bounds]
            widest = max(text_mm(line, 13, True) for line in lines)
            if best is None or widest < best[0]:
                best = (widest, lines)
        if best[0] <= width:
            break
    return "\n".join(best[1])


def test_the_issuer_of_2019_breaks_as_published():
    assert balanced_lines("ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM", 66, 13, True) == (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM"
    )


@pytest.mark.parametrize("seed", range(300))
def test_same_lines_as_trying_every_split(seed):
    rng = random.Random(seed)
    text = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(1, 9)))
    width = rng.choice([20, 30, 40, 66])
    assert balanced_lines(text, width, 13, True) == brute_force(text, width)


@pytest.mark.timeout(30)  # about a second each; every split of 40 words: minutes
@pytest.mark.parametrize("words", [40, 400, 4000])
def test_work_is_bounded_by_words_times_words_per_line(monkeypatch, words):
    calls = 0

    def counted(text, size_pt, bold=False):
        nonlocal calls
        calls += 1
        return text_mm(text, size_pt, bold)

    monkeypatch.setattr(docx, "text_mm", counted)
    text = " ".join(["SỞ THÔNG TIN VÀ TRUYỀN THÔNG"] * (words // 6))
    lines = balanced_lines(text, 66, 13, True).split("\n")
    assert " ".join(lines) == text and all(text_mm(line, 13, True) <= 66 for line in lines)
    assert calls <= words * 10  # a line of this column holds fewer than 10 of these words


@pytest.mark.timeout(60)  # under a second (seconds on a busy machine); ten minutes before
def test_a_build_with_a_forty_word_issuer_name_finishes(tmp_path):
    """Took about ten minutes before: every split of 40 words was tried."""
    import shutil

    import docx as python_docx
    from typer.testing import CliRunner

    from reportgen.cli import app
    from tests.conftest import SAMPLE

    folder = tmp_path / "qn"
    shutil.copytree(SAMPLE, folder)
    toml = folder / "assessment.toml"
    long_name = " ".join(["ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM"] * 6 + ["SỞ NỘI VỤ"] * 2)
    text = toml.read_text(encoding="utf-8")
    old = 'name = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM"'
    assert old in text
    toml.write_text(text.replace(old, f'name = "{long_name}"', 1), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    document = python_docx.Document(str(tmp_path / "o" / "quyet-dinh.docx"))
    header = "\n".join(c.text for t in document.tables for c in t._cells)
    assert " ".join(header.split()).count("ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM") >= 6
