"""Methodology packs: a national or shipped criteria set, written once, to start an
assessment from (`reportgen init NEW --methodology NAME`) instead of retyping it.

A pack is a TOML file in `reportgen/methodologies/`: a `[methodology]` table (name, version,
source — each pack names where its criteria come from, and ships only what that source
gives) and the tables an assessment takes from it (`[[criteria_sets]]`, optionally
`[sources]`, `[scoring]`). The assessment written records the pack in its `methodology` key
and leaves everything else as `BLANK` for the clerk: issuer, decision, signer, and
in each group (one per criteria set) its name and units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportgen.config.blanks import BLANK
from reportgen.config.load import parse, tomllib
from reportgen.config.newyear import InitError, NewYear
from reportgen.core import atomic

PACKS = Path(__file__).parent / "methodologies"
B = BLANK


@dataclass(frozen=True)
class Pack:
    name: str
    version: str
    source: str
    body: str  # the tables an assessment takes from it, as TOML text (comments kept)


def packs() -> dict[str, Pack]:
    """Every shipped pack by name."""
    return {p.name: p for p in map(_read, sorted(PACKS.glob("*.toml")))}


def _read(path: Path) -> Pack:
    import tomlkit  # only `init` needs it

    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    meta = doc.pop("methodology")
    return Pack(str(meta["name"]), str(meta["version"]), str(meta["source"]), tomlkit.dumps(doc))


def assessment_text(pack: Pack, year: int) -> str:
    """A new assessment file following `pack`, its province-specific parts left blank."""
    groups = "".join(
        f'''
[[groups]]
key = "{key}"
name = "{B}"      # CẦN ĐIỀN: tên khối, ví dụ "Sở, ban, ngành"
heading = "{B}"   # CẦN ĐIỀN: tiêu đề bảng của khối trong phụ lục
criteria_set = "{key}"
units = ["{B} (các đơn vị của khối {key})"]   # CẦN ĐIỀN: tên từng đơn vị
'''
        for key in _set_keys(pack)
    )
    return f'''# Đợt đánh giá năm {year} theo bộ chỉ số "{pack.name}" ({pack.version}), tạo bằng
# `reportgen init --methodology {pack.name}`. Điền mọi giá trị {B}; định dạng: docs/formats.md.

title = "{B}"   # CẦN ĐIỀN: nội dung đánh giá, ví dụ "đánh giá, xếp hạng ... năm {year}"
year = {year}
{_recorded(pack)}

[issuer]
name = "{B}"    # CẦN ĐIỀN: tên cơ quan viết hoa, ví dụ "ỦY BAN NHÂN DÂN TỈNH ..."
short = "{B}"   # CẦN ĐIỀN: ví dụ "UBND tỉnh ..."
place = "{B}"   # CẦN ĐIỀN: địa danh

[decision]
number = "{B}"   # CẦN ĐIỀN: số quyết định
symbol = "QĐ-UBND"
date = "{B}"     # CẦN ĐIỀN: ngày ký, dạng YYYY-MM-DD
summary = "{B}"
authority = "{B}"
legal_bases = ["{B}"]
proposal = "{B}"
articles = ["{B}"]
recipients = ["Như Điều 3;", "Lưu: VT."]

[signer]
lines = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
name = "{B}"

[annex]
title = "{B}"

{pack.body.strip()}
{groups}'''


def _set_keys(pack: Pack) -> list[str]:
    """The keys of the pack's criteria sets, in order: one group each."""
    return [s["key"] for s in tomllib.loads(pack.body).get("criteria_sets", [])]


def _recorded(pack: Pack) -> str:
    """The `methodology` line: which pack, which version, from what source."""
    fields = (f"{k} = {_string(v)}" for k, v in vars(pack).items() if k != "body")
    return "methodology = { " + ", ".join(fields) + " }"


def _string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # JSON's escapes are TOML's


def start(target: Path, name: str, year: int | None = None) -> NewYear:
    """Write `target/assessment.toml` following pack `name` for `year` (default: this
    year) and an empty `target/submissions/`. Raises `InitError` for an unknown pack or an
    existing assessment file."""
    available = packs()
    if name not in available:
        listed = ", ".join(available)
        raise InitError(f"Không có bộ chỉ số '{name}'. Các bộ có sẵn: {listed}.")
    year = year or dt.date.today().year
    destination = Path(target) / "assessment.toml"
    if destination.exists():
        raise InitError(f"{destination} đã có: không ghi đè. Hãy chọn một thư mục mới.")
    text = assessment_text(available[name], year)
    new = parse(text, destination)  # what init writes must load
    (Path(target) / "submissions").mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(destination, text.encode("utf-8"))
    return NewYear(text, year, year, list(new.blanks), [], folder=Path(target))
