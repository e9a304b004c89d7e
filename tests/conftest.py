from __future__ import annotations

import csv
import os
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


# What tests may leave in the checkout: caches, and the browser tests' screenshots kept for a
# reviewer (docs/huong-dan.md shows them).
_MAY_WRITE = {".git", ".venv", ".hypothesis", ".pytest_cache", ".ruff_cache", "__pycache__",
              ".import_linter_cache", "mutants", "web-screenshots"}  # fmt: skip


def _checkout_files() -> dict[str, int]:
    """Every file of the checkout outside `_MAY_WRITE`, with its modification time."""
    files = {}
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in _MAY_WRITE]
        for name in names:
            path = os.path.join(folder, name)
            files[os.path.relpath(path, ROOT)] = os.stat(path).st_mtime_ns
    return files


@pytest.fixture(scope="session", autouse=True)
def _tests_write_under_tmp():
    """A run that writes a file into the checkout (a CLI call whose default `out/` is relative
    to the working folder, say) fails at the end, naming the files."""
    before = _checkout_files()
    yield
    written = sorted(p for p, t in _checkout_files().items() if before.get(p) != t)
    assert not written, f"tests wrote into the checkout: {written}"


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
