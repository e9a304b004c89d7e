"""The assessment file (`assessment.toml`): everything specific to one province and year.

Loaded with tomllib and validated with pydantic; any problem becomes a `ConfigError` whose
lines name the key and the problem."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from reportgen import config_messages
from reportgen.text import clean, label_key, name_key

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BLANK = "<<CẦN ĐIỀN>>"  # a value `reportgen init` leaves for the clerk; `build` refuses it
CleanText = Annotated[str, BeforeValidator(lambda v: clean(v) if isinstance(v, str) else v)]


class ConfigError(Exception):
    """The assessment file is missing or wrong; `problems` are lines for a clerk."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TieBreak(str, Enum):
    ALPHABETICAL = "alphabetical"  # Vietnamese alphabetical order of unit names
    INPUT_ORDER = "input-order"  # the order in which the units were read


class AnnexNumbering(str, Enum):
    STT = "stt"  # 1..n down each table
    RANK = "rank"  # shared ranks: 1, 2, 2, 4


class Issuer(_Model):
    name: CleanText  # upper-case name in the header: ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM
    short: CleanText  # in running text: UBND tỉnh Quảng Nam
    place: CleanText  # địa danh before the date: Quảng Nam
    parent: CleanText = ""  # cơ quan chủ quản, above the issuer name, if any


class Decision(_Model):
    number: int | None = Field(ge=1)  # None: left blank (BLANK) for the clerk to fill
    symbol: CleanText  # QĐ-UBND
    date: dt.date | None  # None: left blank (BLANK)
    summary: CleanText  # trích yếu, after "QUYẾT ĐỊNH"
    authority: CleanText  # the issuing authority line: ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM
    legal_bases: list[CleanText] = Field(min_length=1)  # căn cứ lines
    proposal: CleanText = ""  # "Xét đề nghị của ..."
    articles: list[CleanText] = Field(min_length=1)  # text of Điều 1, Điều 2, ...
    closing: CleanText = ""  # a last line after the articles, if any
    recipients: list[CleanText] = Field(min_length=1)  # nơi nhận, the last "Lưu: ..."


class Signer(_Model):
    lines: list[CleanText] = Field(min_length=1)  # TM. ..., KT. CHỦ TỊCH, PHÓ CHỦ TỊCH
    name: CleanText


class Annex(_Model):
    title: CleanText
    numbering: AnnexNumbering = AnnexNumbering.STT
    landscape: bool = False


class Criterion(_Model):
    key: str = Field(pattern=r"^[a-z0-9_]+$")
    label: CleanText
    max: Decimal = Field(gt=0)
    aliases: list[CleanText] = []


class Grade(_Model):
    name: CleanText
    min: Decimal  # lowest total that earns this grade


class Unit(_Model):
    name: CleanText
    aliases: list[CleanText] = []
    predecessors: list[CleanText] = []  # last year's names it continues (renamed, merged)


def _unit(value: object) -> object:
    return {"name": value} if isinstance(value, str) else value


class Group(_Model):
    key: str = Field(pattern=r"^[a-z0-9_-]+$")
    name: CleanText  # Sở, Ban, ngành
    heading: CleanText  # the annex section heading above the table
    name_column: CleanText = "Tên đơn vị"  # the annex's name-column heading
    units: list[Annotated[Unit, BeforeValidator(_unit)]] = Field(min_length=1)


class Scoring(_Model):
    decimals: int = Field(default=2, ge=0, le=6)  # most decimals a score may have
    tie_break: TieBreak = TieBreak.ALPHABETICAL


class Assessment(_Model):
    """One year's run of one province."""

    title: CleanText  # e.g. "đánh giá, xếp hạng mức độ ứng dụng CNTT ... năm 2019"
    year: int = Field(ge=2000, le=2100)
    issuer: Issuer
    decision: Decision
    signer: Signer
    annex: Annex
    scoring: Scoring = Scoring()
    criteria: list[Criterion] = Field(min_length=1)
    grades: list[Grade] = Field(min_length=1)
    groups: list[Group] = Field(min_length=1)
    previous: str = ""  # last year's ket-qua.json or assessment folder, relative to this file
    _blanks: tuple[str, ...] = PrivateAttr(default=())

    @property
    def blanks(self) -> tuple[str, ...]:
        """Keys still holding `BLANK` (e.g. `decision.number`): `build` refuses them."""
        return self._blanks

    @property
    def stamp(self) -> dt.date:
        """The date written into files' metadata: the decision date, or 1 January of the
        next year while the date is blank."""
        return self.decision.date or dt.date(self.year + 1, 1, 1)

    @model_validator(mode="after")
    def _consistent(self) -> Assessment:
        keys = [c.key for c in self.criteria]
        _unique("criteria.key", keys)
        _unique("groups.key", [g.key for g in self.groups])
        clashes = _label_collisions(self.criteria) + _name_collisions(self.groups)
        if clashes:
            raise PydanticCustomError("collision", "\n".join(clashes))
        mins = [g.min for g in self.grades]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("grades: liệt kê các mức từ 'min' cao nhất xuống, mỗi mức một khác")
        if min(mins) > 0:
            raise ValueError("grades: mức cuối cần min = 0 để tổng điểm nào cũng có xếp loại")
        return self

    @property
    def max_total(self) -> Decimal:
        return sum((c.max for c in self.criteria), Decimal(0))

    def group_of(self, unit: str) -> Group:
        return next(g for g in self.groups if any(u.name == unit for u in g.units))


def _unique(what: str, values: list[str]) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what}: '{value}' ghi hai lần")
        seen.add(value)


def _collisions(entries: list[tuple[str, str, str]], why: str) -> list[str]:
    """Lines naming each pair of entries (key, owner, description) whose matching keys are
    equal but whose owners differ: a workbook could not tell them apart."""
    first: dict[str, tuple[str, str]] = {}
    lines = []
    for key, owner, described in entries:
        if key not in first:
            first[key] = (owner, described)
        elif first[key][0] != owner:
            lines.append(f"{first[key][1]} và {described} {why}")
    return lines


def _label_collisions(criteria: list[Criterion]) -> list[str]:
    entries = [
        (label_key(text), c.key, f"{kind} '{text}' của tiêu chí {c.key}")
        for c in criteria
        for kind, text in (("nhãn", c.label), *(("tên khác", a) for a in c.aliases))
    ]
    why = (
        "trùng nhau khi đọc tiêu đề cột (không tính hoa/thường, dấu, số thứ tự đầu dòng "
        "và ghi chú trong ngoặc): hãy đặt nhãn khác nhau."
    )
    return _collisions(entries, why)


def _name_collisions(groups: list[Group]) -> list[str]:
    entries = [
        (name_key(text), u.name, described)
        for g in groups
        for u in g.units
        for text, described in (
            (u.name, f"đơn vị '{u.name}' (khối {g.key})"),
            *((a, f"tên khác '{a}' của đơn vị '{u.name}' (khối {g.key})") for a in u.aliases),
        )
    ]
    why = (
        "trùng nhau khi so khớp tên đơn vị (không tính hoa/thường, dấu câu, 'UBND', 'TP.'): "
        "một tên chỉ được chỉ một đơn vị."
    )
    return _collisions(entries, why)


def resolve_path(path: Path) -> Path:
    """An assessment folder means its `assessment.toml`."""
    return path / "assessment.toml" if path.is_dir() else path


def load(path: Path) -> Assessment:
    """Read and validate an assessment file (or folder); raise `ConfigError` if wrong."""
    file = resolve_path(Path(path))
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(file, ["không tìm thấy tệp cấu hình assessment.toml"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(file, [f"không đọc được tệp: {exc}"]) from None
    return parse(text, file)


def parse(text: str, file: Path) -> Assessment:
    """Validate the text of an assessment file; `file` names it in a `ConfigError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file, [config_messages.toml_syntax(exc)]) from None
    blanks = find_blanks(data)
    decision = data.get("decision")
    if isinstance(decision, dict):  # a typed value left blank reads as None
        for key in ("number", "date"):
            if decision.get(key) == BLANK:
                decision[key] = None
    try:
        assessment = Assessment.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        lines = [line for err in errors for line in config_messages.describe(err).splitlines()]
        raise ConfigError(file, lines) from None
    assessment._blanks = tuple(blanks)
    return assessment


def find_blanks(data: object) -> list[str]:
    """The dotted keys of every text value holding `BLANK` (list items as `key[i]`)."""
    return keys_where(data, lambda text: BLANK in text)


def keys_where(data: object, test: Callable[[str], bool], key: str = "") -> list[str]:
    """The dotted keys of every text value under `data` (parsed TOML) that passes `test`."""
    if isinstance(data, str):
        return [key] if test(data) else []
    if isinstance(data, dict):
        return [h for k, v in data.items() for h in keys_where(v, test, f"{key}.{k}" if key else k)]
    if isinstance(data, list):
        return [h for i, v in enumerate(data) for h in keys_where(v, test, f"{key}[{i}]")]
    return []
