"""The PNG bar chart per group (`render/chart_png.py`, Pillow) and the font it is drawn in
(`render/fonts.py`): the same bytes for the same series, one row per unit in rank order with
bar lengths in proportion, last year's grey bar only where last year is known, the Vietnamese
letters really in the font, and a build with no font at all (`CHART_NO_FONT`)."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import struct
import subprocess
import sys
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from reportgen.pipeline import build as api
from reportgen.pipeline.check import check
from reportgen.render import chart_png as drawing
from reportgen.render import fonts
from reportgen.render.chart_png import chart_png
from reportgen.render.charts import Series, group_series, tick_step
from tests.conftest import ROOT, SAMPLE

BLUE = (0x1F, 0x5F, 0xA8)  # this year's bars
GREY = (0xB0, 0xB7, 0xC3)  # last year's


def series(n: int, previous: list | None = None) -> Series:
    values = [Decimal(100) - Decimal(i) / 2 for i in range(n)]
    return Series(
        key="xa",
        title="UBND xã, phường",
        measure="Tổng điểm",
        units=[f"Xã Hòa Phước {i + 1}" for i in range(n)],
        values=values,
        year=2025,
        previous=previous,
        previous_year=2024 if previous is not None else None,
    )


def rgb(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def pixels(image: Image.Image, box: tuple[int, int, int, int]) -> list[tuple[int, int, int]]:
    """The RGB pixels of a one-pixel-wide or -high line of the image, in order."""
    data = image.crop(box).tobytes()
    return [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]


def row(image: Image.Image, y: int) -> list[tuple[int, int, int]]:
    return pixels(image, (0, y, image.width, y + 1))


def column(image: Image.Image, x: int, end: int | None = None) -> list[tuple[int, int, int]]:
    return pixels(image, (x, 0, x + 1, end or image.height))


def runs(pixels: list[tuple[int, int, int]]) -> list[tuple[tuple[int, int, int], int, int]]:
    """(colour, start, length) of each run of bar colour along a line of pixels."""
    found = []
    for i, p in enumerate(pixels):
        if p in (BLUE, GREY):
            if found and found[-1][0] == p and found[-1][1] + found[-1][2] == i:
                found[-1] = (p, found[-1][1], found[-1][2] + 1)
            else:
                found.append((p, i, 1))
    return found


def axis_column(image: Image.Image) -> int:
    """A pixel column just right of the value axis, crossing every bar."""
    starts = [line.index(BLUE) for y in range(image.height) if BLUE in (line := row(image, y))]
    return min(starts) + 2


def bar_length(image: Image.Image, y: int) -> int:
    """The length of the (first) bar crossing row y."""
    return runs(row(image, y))[0][2]


def png_chunks(png: bytes) -> list[str]:
    chunks, at = [], 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        chunks.append(kind.decode("ascii"))
        at += 12 + length
    return chunks


def test_same_series_same_bytes_in_another_process_and_no_metadata():
    s = series(20, previous=[Decimal(90)] * 10 + [None] * 10)
    png = chart_png(s, 1)
    assert png == chart_png(s, 1)
    code = (
        "import sys; from decimal import Decimal; from tests.test_charts import series;"
        "from reportgen.render.chart_png import chart_png;"
        "s = series(20, previous=[Decimal(90)] * 10 + [None] * 10);"
        "sys.stdout.buffer.write(chart_png(s, 1))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "123"}  # another order of every set and dict
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True)
    assert other.returncode == 0, other.stderr.decode()
    assert other.stdout == png
    assert png_chunks(png) == ["IHDR", "PLTE", "pHYs", "IDAT", "IEND"]  # no time, no software
    assert Image.open(io.BytesIO(png)).mode == "P"  # one byte a pixel


def test_one_row_per_unit_rank_one_on_top_bars_in_proportion():
    image = rgb(chart_png(series(3), 1))  # 100, 99,5, 99
    x = axis_column(image)
    bars = runs(column(image, x))
    assert [colour for colour, _, _ in bars] == [BLUE] * 3
    lengths = [bar_length(image, start + length // 2) for _, start, length in bars]
    assert lengths[0] > lengths[1] > lengths[2]  # rank 1 at the top, the longest bar
    assert [round(n / lengths[0], 3) for n in lengths] == [1, 0.995, 0.99]


def test_last_years_grey_bar_under_this_years_only_where_known():
    previous = [Decimal(80), None, Decimal(100)]
    image = rgb(chart_png(series(3, previous), 1))
    x = axis_column(image)
    bars = runs(column(image, x))
    assert [c for c, _, _ in bars] == [BLUE, GREY, BLUE, BLUE, GREY]  # unit 2: no grey bar
    lengths = [bar_length(image, start + length // 2) for c, start, length in bars if c == GREY]
    assert round(lengths[0] / lengths[1], 2) == 0.8  # 80 against 100
    below = bars[-1][1] + bars[-1][2]  # under the last bar: the axis, then the legend
    legend = image.crop((0, below, image.width, image.height))
    assert BLUE in {c for _, c in legend.getcolors(1 << 16)}  # the legend's swatches
    assert GREY in {c for _, c in legend.getcolors(1 << 16)}


def test_no_grey_at_all_without_last_year():
    colours = {c for _, c in rgb(chart_png(series(5), 1)).getcolors(1 << 16)}
    assert BLUE in colours and GREY not in colours


def test_height_grows_with_units_width_stays_and_a_national_group_stays_bounded():
    sizes = {n: Image.open(io.BytesIO(chart_png(series(n), 1))).size for n in (1, 20, 21, 93)}
    assert {w for w, _ in sizes.values()} == {drawing.WIDTH}
    assert sizes[1][1] < sizes[20][1] < sizes[21][1] < sizes[93][1]
    big = Image.open(io.BytesIO(chart_png(series(1250, [Decimal(50)] * 1250), 1)))
    assert big.mode == "P" and big.width * big.height < 45_000_000  # bytes in memory, too
    assert big.height > sizes[93][1]


def test_an_empty_group_gets_its_sentence_and_no_bar():
    image = rgb(chart_png(series(0), 1))
    colours = {c for _, c in image.getcolors(1 << 16)}
    assert BLUE not in colours and GREY not in colours
    middle = image.crop((image.width // 3, 100, 2 * image.width // 3, image.height - 120))
    assert min(sum(c) for _, c in middle.getcolors(1 << 16)) < 100  # black letters there


def test_an_index_axis_ticks_in_tenths_and_negative_totals_do_not_break():
    assert tick_step(Decimal("111.44")) == 20
    assert tick_step(Decimal("1.0606")) == Decimal("0.2")
    assert tick_step(Decimal("1120")) == 200
    s = dataclasses.replace(series(2), values=[Decimal("-5"), Decimal("-10")])
    assert chart_png(s, 1).startswith(b"\x89PNG")


# Every letter of Vietnamese, made here from the base letters and the five tone marks.
BASES = "aăâeêioôơuưy"
TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
LETTERS = sorted(
    {unicodedata.normalize("NFC", b + t) for b in BASES for t in ("", *TONES)}
    | set("bcdđghklmnpqrstvx")
)
ALPHABET = "".join(LETTERS) + "".join(LETTERS).upper()


def test_the_chosen_font_has_a_glyph_for_every_vietnamese_letter_and_label():
    font = fonts.serif()
    assert font is not None, "no serif font: install fonts-liberation2 (see .ci/run)"
    labels = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    labels += "0123456789,.: …Tổng điểm Chỉ số Năm Chưa có đơn vị được đánh giá"
    wanted = {ch for ch in ALPHABET + labels if ch.isprintable() and not ch.isspace()}
    assert len(LETTERS) == 89  # 12 vowels x 6 tones + 17 consonants
    for path in {font.regular, font.bold}:
        cmap = TTFont(path).getBestCmap()
        missing = sorted(ch for ch in wanted if ord(ch) not in cmap)
        assert not missing, f"{path}: {missing}"


def test_a_letter_with_two_marks_is_drawn_taller_than_the_bare_letter():
    font = fonts.truetype(fonts.serif().regular, 23)
    e, _, top_e, _ = drawing._glyph(font, "e")
    ee, _, top, _ = drawing._glyph(font, "ệ")  # circumflex above, dot below
    assert top < top_e and top + ee.size[1] > top_e + e.size[1]


def test_fonts_found_by_file_name_family_order_first_folder_wins(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two" / "truetype" / "dejavu"
    one.mkdir()
    two.mkdir(parents=True)
    for name in ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"):
        (two / name).write_bytes(b"")
    assert fonts.find([one, tmp_path / "two"]).family == "DejaVu Serif"
    (one / "LiberationSerif-Regular.ttf").write_bytes(b"")  # no bold: the regular for both
    found = fonts.find([tmp_path / "two", one])
    assert (found.family, found.regular, found.bold) == (
        "Liberation Serif",
        one / "LiberationSerif-Regular.ttf",
        one / "LiberationSerif-Regular.ttf",
    )
    (two / "Times New Roman.ttf").write_bytes(b"")  # macOS' name
    (one / "timesbd.ttf").write_bytes(b"")  # Windows' name
    found = fonts.find([one, tmp_path / "two"])
    assert (found.family, found.regular.name, found.bold.name) == (
        "Times New Roman",
        "Times New Roman.ttf",
        "timesbd.ttf",
    )
    (one / "TIMES.TTF").write_bytes(b"")  # the first folder's copy wins, any letter case
    assert fonts.find([one, tmp_path / "two"]).regular == one / "TIMES.TTF"
    assert fonts.find([tmp_path / "none"]) is None


@pytest.fixture
def no_fonts(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path / "no-fonts"])
    fonts.serif.cache_clear()
    yield
    fonts.serif.cache_clear()


def test_no_font_no_png_a_warning_and_everything_else_written(tmp_path, no_fonts):
    with pytest.raises(drawing.NoFont):
        chart_png(series(2), 1)
    out = tmp_path / "out"
    out.mkdir()
    (out / "bieu-do-huyen.png").write_bytes(b"last run's chart")
    built = api.build(SAMPLE, out=out, strict=True)  # about this computer: never blocks
    assert built.ok
    assert built.checked.findings.codes().count("CHART_NO_FONT") == 1
    (found,) = [f for f in built.checked.findings if f.code == "CHART_NO_FONT"]
    assert "Liberation Serif" in found.message and found.location.file == "bieu-do-*.png"
    assert not list(out.glob("bieu-do-*.png"))  # an old chart would be last year's numbers
    assert (out / "quyet-dinh.docx").exists() and (out / "phu-luc.xlsx").exists()


def test_the_chart_is_drawn_in_the_font_found(tmp_path, monkeypatch):
    """With only DejaVu Serif in the font folders, the chart is drawn in it: other letters
    than the default font's, the same layout."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not (dejavu / "DejaVuSerif.ttf").exists() or fonts.serif().family == "DejaVu Serif":
        pytest.skip("needs DejaVu Serif and another font installed")
    default = chart_png(series(3), 1)
    folder = tmp_path / "fonts"
    folder.mkdir()
    for name in ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"):
        shutil.copy(dejavu / name, folder / name)
    monkeypatch.setattr(fonts, "font_dirs", lambda: [folder])
    fonts.serif.cache_clear()
    try:
        assert fonts.serif().family == "DejaVu Serif"
        png = chart_png(series(3), 1)
    finally:
        fonts.serif.cache_clear()
    assert png != default
    assert Image.open(io.BytesIO(png)).size == Image.open(io.BytesIO(default)).size


def test_no_font_and_charts_asked_in_the_decision_the_decision_has_none(tmp_path, no_fonts):
    from tests.test_yoy_decision import sample_with_charts

    folder = sample_with_charts(tmp_path / "qn2019")
    out = tmp_path / "out"
    built = api.build(folder, out=out)
    assert built.ok and "CHART_NO_FONT" in built.checked.findings.codes()
    with zipfile.ZipFile(out / "quyet-dinh.docx") as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]


def test_a_unit_not_ranked_is_labelled_so_at_the_bottom():
    """Đà Nẵng's Đài Phát thanh - Truyền hình: assessed, listed last, and said to be unranked."""
    plain = series(3)
    marked = dataclasses.replace(plain, unranked=frozenset({plain.units[-1]}))
    before, after = rgb(chart_png(plain, 1)), rgb(chart_png(marked, 1))
    bars = runs(column(before, axis_column(before)))
    top, bottom = bars[-1][1], bars[-1][1] + bars[-1][2]  # the last unit's row only
    ink = [
        sum(max(p) < 120 for p in pixels(image, (0, top, image.width, bottom)))  # black text
        for image in (before, after)
    ]
    assert ink[1] > ink[0] * 1.5  # "(không xếp hạng)" after the value
    assert chart_png(plain, 1) == drawing.chart_png(plain, 1)  # nothing else changed
    danang = check(ROOT / "samples" / "da-nang-2025")
    from reportgen.judge.rank import rank_all

    results = rank_all(danang.submissions, danang.assessment)
    unranked = set().union(*(s.unranked for s in group_series(results, 2025, None)))
    assert unranked == {"Đài Phát thanh - Truyền hình"}
