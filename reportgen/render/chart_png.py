"""A group's bar chart as a PNG, drawn with Pillow for the report to the leadership and the
decision: rank 1 at the top, the value at the end of each bar, last year's bar in grey beside
(same input, same bytes on a machine)."""

from __future__ import annotations

import functools
import io
import textwrap
from dataclasses import dataclass
from decimal import Decimal

from reportgen.core.numbers import format_number, places
from reportgen.render import fonts
from reportgen.render.charts import Series, fitted_end, tick_step


class NoFont(RuntimeError):
    """No serif font with the Vietnamese letters is installed (see `fonts`)."""


# The PNG: 9 in wide at 150 dpi, as the matplotlib chart it replaces. One byte a pixel: the
# image is drawn in mode "L" where 0..WHITE is the grey ramp of antialiased black text on
# white and the two values above it are the bars' colours, then given a palette ("P").
WIDTH, DPI = 1350, 150
WHITE, NOW, PAST = 253, 254, 255  # values of the "L" image, indices of the palette
COLOURS = {NOW: (0x1F, 0x5F, 0xA8), PAST: (0xB0, 0xB7, 0xC3)}  # this year blue, last year grey
PALETTE = bytes(c for i in range(256) for c in COLOURS.get(i, (round(i * 255 / WHITE),) * 3))
COMPRESS_LEVEL = 3  # fixed: the same image gives the same bytes (no time or software chunk)
COMPACT_AFTER = 120  # units: past this many, rows and names shrink (see `_Style`)


@dataclass(frozen=True)
class _Style:
    """Sizes in pixels (150 dpi: 23 px is 11 pt). Up to `COMPACT_AFTER` units (the real
    case is 20 to 100) a row is 0,42 in with 11 pt names wrapped on two lines, as the
    matplotlib chart had; a national roll-up's 1 250 communes get 16 px rows (24 with last
    year's bars) and 6 pt names on one line, readable when zoomed: 1350 x 20 200 px, 27 MB
    in memory (41 MB with last year), where the normal rows would take 106 MB and twice
    the time to compress."""

    pitch: int  # one unit's row
    pitch_previous: int  # ... with last year's bar beside
    name_size: int
    value_size: int
    wrap: int  # characters a name line holds; 0: one line
    shorten: int  # a longer name is cut with " …"


NORMAL = _Style(63, 63, 23, 19, wrap=45, shorten=90)
COMPACT = _Style(16, 24, 12, 11, wrap=0, shorten=48)
TITLE_SIZE, TEXT_SIZE = 27, 23  # bold title; ticks, measure, legend, the empty-group text


def chart_png(s: Series, decimals: int) -> bytes:
    """The group's bar chart as PNG bytes: rank 1 at the top, the value at the end of each
    bar, last year's bar in grey beside when known (Vietnamese labels; same input, same
    bytes on a machine). Raises `NoFont` when no serif font is installed."""
    from PIL import Image, ImageDraw

    font = fonts.serif()
    if font is None:
        raise NoFont(", ".join(fonts.FAMILIES))
    style = COMPACT if len(s.units) > COMPACT_AFTER else NORMAL
    pitch = style.pitch_previous if s.previous is not None else style.pitch
    name_font = fonts.truetype(font.regular, style.name_size)
    value_font = fonts.truetype(font.regular, style.value_size)
    text_font = fonts.truetype(font.regular, TEXT_SIZE)
    title_font = fonts.truetype(font.bold, TITLE_SIZE)

    names = [  # a unit not ranked sits at the bottom, out of the order: its name says why
        [*_name_lines(u, style), *(["(không xếp hạng)"] if u in s.unranked else [])]
        for u in s.units
    ]
    longest = max((_width(line, name_font) for lines in names for line in lines), default=0)
    left = min(round(WIDTH * 0.55), round(longest) + 40)
    right = WIDTH - 68
    top, pad = 82, round(pitch * 0.6)
    bottom = top + 2 * pad + len(s.units) * pitch if s.units else top + 260
    height = bottom + (140 if s.previous is not None else 100)

    image = Image.new("L", (WIDTH, height), WHITE)
    draw = ImageDraw.Draw(image)

    title = f"{s.title}: {s.measure.lower()} năm {s.year}" + (" (tiếp theo)" if s.continued else "")
    half = _width(title, title_font) / 2
    centre = min(max((left + right) / 2, half + 10), WIDTH - half - 10)
    _text(draw, (centre, top - 30), title, title_font, "ms")

    draw.line([(left, top), (left, bottom)], fill=0, width=2)  # the axes: left and bottom
    draw.line([(left, bottom), (right, bottom)], fill=0, width=2)
    if not s.units:
        middle = ((left + right) / 2, (top + bottom) / 2)
        _text(draw, middle, "Chưa có đơn vị được đánh giá", text_font, "mm")
        xmax = Decimal(1)
    else:
        xmax = s.axis_end or fitted_end(s)
        step = tick_step(xmax)
        tick = Decimal(0)
        while tick <= xmax:
            x = _x(tick, xmax, left, right)
            draw.line([(x, bottom), (x, bottom + 8)], fill=0, width=2)
            text = format_number(tick, places(step), fixed=True)  # 0,0 0,2 … 1,0
            _text(draw, (x, bottom + 12), text, text_font, "ma")
            tick += step
    _text(draw, ((left + right) / 2, bottom + 50), s.measure, text_font, "ma")

    line_height = round(style.name_size * 1.15)
    bars = []  # drawn last: text is blended on white only, so the ramp stays a ramp
    for i, lines in enumerate(names):
        middle = top + pad + i * pitch + pitch / 2
        draw.line([(left - 8, middle), (left, middle)], fill=0, width=2)
        for k, line in enumerate(lines):
            y = middle + (k - (len(lines) - 1) / 2) * line_height
            _text(draw, (left - 14, y), line, name_font, "rm")
        now_end = _x(s.values[i], xmax, left, right)
        end = now_end
        if s.previous is None:
            bar = round(pitch * 0.35)
            bars.append((NOW, left + 1, middle - bar, now_end, middle + bar))
            label_y = middle
        else:
            bar = round(pitch * 0.4)
            bars.append((NOW, left + 1, middle - bar, now_end, middle))
            label_y = middle - bar / 2
            if s.previous[i] is not None:  # none: merged or new, no bar
                past_end = _x(s.previous[i], xmax, left, right)
                bars.append((PAST, left + 1, middle, past_end, middle + bar))
                end = max(end, past_end)  # the label after both bars: never on a bar
        label = _label(s.values[i], decimals, s.digits)
        _text(draw, (end + 6, label_y), label, value_font, "lm")

    if s.previous is not None:  # the legend, under the axis (as in the Excel chart)
        items = [(NOW, f"Năm {s.year}")]
        items.append((PAST, f"Năm {s.previous_year}" if s.previous_year else "Năm trước"))
        widths = [44 + _width(text, text_font) for _, text in items]
        x = (left + right) / 2 - (sum(widths) + 30 * (len(items) - 1)) / 2
        y = bottom + 110
        for (colour, text), width in zip(items, widths):
            bars.append((colour, round(x), y - 8, round(x) + 36, y + 8))
            _text(draw, (x + 44, y), text, text_font, "lm")
            x += width + 30
    for colour, x0, y0, x1, y1 in bars:
        if x1 > x0:
            draw.rectangle([x0, round(y0), x1 - 1, round(y1) - 1], fill=colour)

    image.putpalette(PALETTE)  # "L" becomes "P", pixels unchanged
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=COMPRESS_LEVEL, dpi=(DPI, DPI))
    return buffer.getvalue()


def _text(draw, xy: tuple[float, float], text: str, font, anchor: str) -> None:
    """Black `text` at `xy` by Pillow's anchor (first letter: l, m, r; second: a ascender,
    m middle, s baseline), set letter by letter from `_glyph`'s cache."""
    x, y = xy
    if anchor[0] != "l":
        x -= _width(text, font) / (2 if anchor[0] == "m" else 1)
    ascent, descent = _metrics(font)
    baseline = round({"a": y + ascent, "s": y, "m": y + (ascent - descent) / 2}[anchor[1]])
    for ch in text:
        mask, left, top, advance = _glyph(font, ch)
        if mask is not None:  # black through the mask, blended with the white under it: what
            # draw.bitmap(..., fill=0) does, less its checks per call (40 % of a big chart)
            draw.draw.draw_bitmap((round(x) + left, baseline + top), mask, 0)
        x += advance


def _width(text: str, font) -> float:
    return sum(_glyph(font, ch)[3] for ch in text)


@functools.cache
def _metrics(font) -> tuple[int, int]:
    return font.getmetrics()


@functools.cache
def _glyph(font, ch: str):
    """A letter rendered once per font and size: its antialiased mask (Pillow's core image;
    None for a blank), the mask's offset from the pen on the baseline, the pen's advance.
    FreeType renders a whole label in ~0,2 ms; setting it from these masks takes ~0,02 ms,
    which is what makes a 1 250-unit chart affordable. (No kerning pairs: the basic layout
    Pillow uses without libraqm applies only a font's old `kern` table.)"""
    from PIL import Image, ImageDraw

    left, top, right, bottom = font.getbbox(ch, anchor="ls")
    mask = None
    if right > left and bottom > top:
        mask = Image.new("L", (right - left, bottom - top), 0)
        ImageDraw.Draw(mask).text((-left, -top), ch, fill=255, font=font, anchor="ls")
        mask = mask.im
    return mask, left, top, font.getlength(ch)


def _name_lines(unit: str, style: _Style) -> list[str]:
    """A unit's name as the chart shows it: cut with " …" past `style.shorten` characters,
    wrapped at `style.wrap`."""
    short = textwrap.shorten(unit, style.shorten, placeholder=" …")
    return textwrap.wrap(short, style.wrap) if style.wrap else [short]


def _x(value: Decimal, end: Decimal, left: int, right: int) -> int:
    """The pixel column of `value` on the axis from 0 (at `left`) to `end` (at `right`); a
    negative value (a penalty larger than the score) stays at 0."""
    return left + round(max(float(value), 0.0) / float(end) * (right - left))


def _label(value: Decimal, decimals: int, digits: int | None) -> str:
    if digits is None:
        return format_number(value, decimals)
    return format_number(value, digits, fixed=True)  # an index keeps its digits: 0,880


def png_name(s: Series) -> str:
    return f"bieu-do-{s.key}.png"
