"""A new year's assessment from last year's: `reportgen init NEW --from OLD --year 2020`.

The old `assessment.toml` is edited with tomlkit, so its comments and layout survive: the
issuer, criteria, grade bands, groups, units and aliases carry over; "năm 2019" becomes
"năm 2020" in every text but the căn cứ (which cite laws by their own dates); what must be
new each year — the decision's number and date, the Tờ trình in the proposal line, the
signer — is left as `BLANK`, which `build` refuses until it is filled."""

from __future__ import annotations

import datetime as dt
import errno
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.config.assessment import Assessment
from reportgen.config.blanks import BLANK, keys_where
from reportgen.config.load import ConfigError, parse, resolve_path
from reportgen.core import outputs
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location

# What each blank asks for, by key (shown by `init` and in CONFIG_BLANK findings).
BLANK_KEYS = {
    "decision.number": "số quyết định",
    "decision.date": "ngày ký quyết định, dạng ngày/tháng/năm",
    "decision.proposal": "số và ngày Tờ trình",
    "signer.name": "họ tên người ký",
}
KEEP_YEAR = ("decision.legal_bases",)  # texts that cite other documents by their own dates
_PROPOSAL_PARTS = [  # "Tờ trình số 299/TTr-STTTT ngày 26/12/2019" → blanks for số and ngày
    (re.compile(r"(\bsố\s+)[0-9][^\s,;]*", re.IGNORECASE), rf"\g<1>{BLANK}"),
    (re.compile(r"(\bngày\s+)\d{1,2}/\d{1,2}/\d{4}", re.IGNORECASE), rf"\g<1>{BLANK}"),
]


class InitError(Exception):
    """The new assessment cannot be made; the message is for a clerk."""


@dataclass
class NewYear:
    """A new assessment: its file text and what the clerk still has to do."""

    text: str  # the new assessment.toml
    year: int
    source_year: int
    blanks: list[str]  # keys left as BLANK
    moved: list[str]  # keys whose text had the year moved
    still_naming: list[str] = field(default_factory=list)  # keys still naming the old year
    folder: Path | None = None  # where it was written, by `init`

    def next_steps(self) -> list[str]:
        """What to do next, in order, as lines for the clerk."""
        where = str(self.folder) if self.folder else "THƯ_MỤC_MỚI"
        steps = [
            f"Điền các giá trị {BLANK} trong {where}/assessment.toml: "
            + "; ".join(f"{key} ({BLANK_KEYS.get(key, 'cần điền')})" for key in self.blanks),
        ]
        if self.still_naming:
            steps.append(
                f"Xem lại các khóa còn ghi năm {self.source_year}: " + ", ".join(self.still_naming)
            )
        steps += [
            f"Tạo biểu mẫu gửi các đơn vị: reportgen forms {where}",
            f"Thu biểu chấm điểm các đơn vị gửi về vào {where}/submissions/",
            f"Kiểm tra: reportgen validate {where}",
            f"Tạo dự thảo quyết định: reportgen build {where}",
        ]
        return steps


def carry_over(text: str, year: int, file: Path = Path("assessment.toml")) -> NewYear:
    """The text of last year's assessment file made into `year`'s. Raises `ConfigError`
    when the old file is not a valid assessment, `InitError` when `year` is its own year."""
    old = parse(text, file)
    if year == old.year:
        raise InitError(f"Tệp {file} đã là đợt đánh giá năm {year}: hãy chọn năm khác.")
    import tomlkit  # only `init` needs it

    doc = tomlkit.parse(text)
    doc["year"] = year
    moved: list[str] = []
    _move_year(doc, "", old.year, year, moved)
    if old.has_decision:
        _blank_decision(doc, year)
    header = (
        f"# Năm {year}: tạo bằng `reportgen init` từ {file} (năm {old.year}); "
        "các chú thích bên dưới giữ nguyên từ tệp cũ.\n"
    )
    new_text = header + tomlkit.dumps(doc)
    new = parse(new_text, file)  # what init writes must load
    naming_old = re.compile(rf"\b{old.year}\b").search
    still = keys_where(doc.unwrap(), lambda t: bool(naming_old(t)))
    return NewYear(new_text, year, old.year, list(new.blanks), moved, still)


def _blank_decision(doc, year: int) -> None:
    """Blank what a new year's decision must have anew: number, date, the Tờ trình, signer."""
    import tomlkit

    decision, signer = doc["decision"], doc["signer"]
    _blank(decision, "number", f"số quyết định năm {year}")
    _blank(decision, "date", f"ngày ký: ngày/tháng/năm, ví dụ 07/01/{year + 1}")
    proposal = str(decision.get("proposal", ""))
    if proposal:
        for pattern, blank in _PROPOSAL_PARTS:
            proposal = pattern.sub(blank, proposal)
        if BLANK not in proposal:
            proposal = BLANK
        decision["proposal"] = tomlkit.string(proposal)
        decision["proposal"].comment("số và ngày Tờ trình năm nay")
    _blank(signer, "name", "người ký năm nay; xem lại cả các dòng chức danh 'lines'")


def blank_findings(assessment: Assessment, file: Path) -> list[Finding]:
    """One CONFIG_BLANK finding per key of `assessment` still left blank."""
    return [
        finding("CONFIG_BLANK", Location(str(file)), key=key, what=BLANK_KEYS.get(key, "cần điền"))
        for key in assessment.blanks
    ]


class BlanksRemain(ConfigError):
    """`build` refused: blanks remain; `findings` has one CONFIG_BLANK per blank."""

    def __init__(self, file: Path, findings: list[Finding]):
        self.findings = findings
        super().__init__(file, [f.message for f in findings])


def init(source: Path, target: Path, year: int | None = None) -> NewYear:
    """Write `target/assessment.toml` for `year` (default: the year after the source's)
    from the assessment at `source`, and an empty `target/submissions/`. Refuses
    (`InitError`) to overwrite an existing assessment file."""
    source_file = resolve_path(Path(source))
    try:
        text = source_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(source_file, ["không tìm thấy tệp cấu hình assessment.toml"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(source_file, [f"không đọc được tệp: {exc}"]) from None
    if year is None:
        year = parse(text, source_file).year + 1
    target = Path(target)
    destination = target / "assessment.toml"
    if destination.exists():
        raise InitError(f"{destination} đã có: không ghi đè. Hãy chọn một thư mục mới.")
    new = carry_over(text, year, source_file)
    write_folder(target, new.text)
    new.folder = target
    return new


def write_folder(target: Path, text: str) -> Path:
    """`target/assessment.toml` holding `text`, and an empty `target/submissions/`; the file
    written as the output set of `target`, under its lock. Refuses (`FileExistsError`) an
    assessment file already there."""
    target = Path(target)
    (target / "submissions").mkdir(parents=True, exist_ok=True)
    with outputs.folder_lock(target):
        if (target / "assessment.toml").exists():
            raise FileExistsError(errno.EEXIST, "đã có", str(target / "assessment.toml"))
        outputs.replace_set(target, {"assessment.toml": text.encode("utf-8")})
    return target


# The blanks a new year's form fills that are not plain text: a number, a date.
_TYPED = {"decision.number": int, "decision.date": lambda text: _date(text)}


def _date(text: str) -> dt.date:
    """A date typed day first (08/01/2021) or ISO (2021-01-08); ValueError otherwise."""
    from reportgen.core.vnformat import read_date

    day = read_date(text)
    if day is None:
        raise ValueError(text)
    return day


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` (an assessment.toml) with each dotted key of `values` set to the value typed
    for it, comments and layout kept but the comment that described a blank it fills.
    `decision.number` that reads as a whole number and `decision.date` that reads as a date
    (08/01/2021 or 2021-01-08) are written as TOML number and date, anything else as text, so
    the config's own check names a wrong value; an empty value for a key the file does not
    have is left out."""
    import tomlkit

    doc = tomlkit.parse(text)
    for key, typed in values.items():
        *tables, name = key.split(".")
        table = doc
        for part in tables:
            table = table[part]
        value = typed.strip()
        if not value and name not in table:
            continue
        blank = BLANK in str(table.get(name, ""))
        try:
            table[name] = _TYPED[key](value) if key in _TYPED else value
        except ValueError:
            table[name] = value
        if blank:  # its comment said what to fill in
            table[name].trivia.comment = table[name].trivia.comment_ws = ""
    return tomlkit.dumps(doc)


def _blank(table, key: str, note: str) -> None:
    """`key = "<<CẦN ĐIỀN>>"  # note`: replacing only the placeholder, quotes kept, gives a
    valid file (`parse` reads a quoted number or date); the comment says what the value
    is, so it still reads right once the value is filled in."""
    import tomlkit

    table[key] = tomlkit.string(BLANK)
    table[key].comment(note)


def _move_year(node: object, key: str, old: int, new: int, moved: list[str]) -> None:
    """Replace "năm <old>" by "năm <new>" in every string under `node`, in place."""
    from tomlkit.items import Array, String

    if key in KEEP_YEAR:
        return
    if hasattr(node, "items"):  # the document, a table, an inline table
        for k, v in list(node.items()):
            child = f"{key}.{k}" if key else k
            if isinstance(v, String):
                replaced = _replace_year(str(v), old, new)
                if replaced != str(v):
                    node[k] = _like(v, replaced)
                    moved.append(child)
            else:
                _move_year(v, child, old, new, moved)
    elif isinstance(node, (Array, list)):
        for i, v in enumerate(node):
            child = f"{key}[{i}]"
            if isinstance(v, String):
                replaced = _replace_year(str(v), old, new)
                if replaced != str(v):
                    node[i] = _like(v, replaced)
                    moved.append(child)
            else:
                _move_year(v, child, old, new, moved)


def _replace_year(text: str, old: int, new: int) -> str:
    return re.sub(rf"(\b[Nn][ăĂ][Mm]\s+){old}\b", rf"\g<1>{new}", text)


def _like(original, text: str):
    """A string item holding `text`, keeping the original's comment."""
    import tomlkit

    item = tomlkit.string(text)
    if original.trivia.comment:
        item.comment(original.trivia.comment.lstrip("# "))
    return item
