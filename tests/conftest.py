from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen import config

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "quang-nam-2019"
# What a build of the 2019 sample writes, sorted (written out by hand: the tests' oracle).
SAMPLE_OUTPUTS = [
    "bao-cao-kiem-tra.xlsx",
    "bieu-do-huyen.png",
    "bieu-do-so-nganh.png",
    "ket-qua.csv",
    "ket-qua.json",
    "phu-luc.xlsx",
    "quyet-dinh.docx",
]
SEED = ROOT.parent / "shared" / "seed" / "000_db706a7206e4dc62.txt"


@pytest.fixture(scope="session")
def assessment() -> config.Assessment:
    return config.load(SAMPLE)


@pytest.fixture(scope="session")
def published() -> list[dict[str, str]]:
    """The 2019 annex as published (transcribed from the seed), in published order."""
    with (SAMPLE / "annex-2019.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))
