"""The serif font the PNG charts are drawn in, found by file name in the usual font folders
of Windows, macOS and Linux: Times New Roman (what the decision is set in), else Liberation
Serif (metrically the same, on most Linux desktops), else DejaVu Serif. Each covers the whole
Vietnamese alphabet. Pillow's own default font does not (it has no ă, ơ, ư, đ, ạ ...), so
when none is installed there is no chart (build reports `CHART_NO_FONT`)."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

FAMILIES = ["Times New Roman", "Liberation Serif", "DejaVu Serif"]  # first found wins
# The file names (lower case) each family is installed under: Windows' own, macOS', the
# Linux packages (ttf-mscorefonts-installer, fonts-liberation/2, fonts-dejavu-core).
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # (regular, bold)
    "Times New Roman": (
        ("times.ttf", "times new roman.ttf", "times_new_roman.ttf", "timesnewroman.ttf"),
        (
            "timesbd.ttf",
            "times new roman bold.ttf",
            "times_new_roman_bold.ttf",
            "timesnewroman-bold.ttf",
            "timesnewromanbold.ttf",
        ),
    ),
    "Liberation Serif": (("liberationserif-regular.ttf",), ("liberationserif-bold.ttf",)),
    "DejaVu Serif": (("dejavuserif.ttf",), ("dejavuserif-bold.ttf",)),
}


@dataclass(frozen=True)
class SerifFont:
    family: str
    regular: Path
    bold: Path  # the regular file when the family's bold is not installed


def font_dirs() -> list[Path]:
    """The folders fonts are installed in, in the order they are searched (folders that do
    not exist are skipped by the search)."""
    home = Path.home()
    dirs = []
    for variable, below in (("WINDIR", "Fonts"), ("LOCALAPPDATA", "Microsoft/Windows/Fonts")):
        if os.environ.get(variable):  # Windows: the system's, then the user's own
            dirs.append(Path(os.environ[variable]) / below)
    dirs += [
        Path("/Library/Fonts"),  # macOS (Times New Roman.ttf; /System: .../Supplemental)
        Path("/System/Library/Fonts"),
        home / "Library" / "Fonts",
        Path("/usr/share/fonts"),  # Linux and the BSDs
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]
    return dirs


def find(dirs: list[Path]) -> SerifFont | None:
    """The first family of `FAMILIES` with its regular file under `dirs`; of two files of one
    name, the one in the earlier folder (walked in sorted order) wins: the same machine always
    gives the same font."""
    wanted = {name for regular, bold in FILES.values() for name in (*regular, *bold)}
    found: dict[str, Path] = {}
    for folder in dirs:
        for root, subdirs, files in os.walk(folder):  # a missing folder yields nothing
            subdirs.sort()
            for name in sorted(files):
                key = name.lower()
                if key in wanted and key not in found:
                    found[key] = Path(root) / name
    for family in FAMILIES:
        regulars, bolds = FILES[family]
        regular = next((found[n] for n in regulars if n in found), None)
        if regular is not None:
            bold = next((found[n] for n in bolds if n in found), regular)
            return SerifFont(family, regular, bold)
    return None


@functools.cache
def serif() -> SerifFont | None:
    """The installed serif font (searched once per process), or None."""
    return find(font_dirs())


@functools.cache
def truetype(path: Path, size: int):
    """The font file at `size` pixels, laid out by Pillow's own engine (not libraqm, which
    may or may not be installed: the same bytes on every machine with the same font).
    Vietnamese text is NFC, so every letter is one precomposed glyph."""
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
