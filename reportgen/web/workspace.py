"""The clerk's workspace on disk: a folder of assessment folders, each with its
`assessment.toml`, `submissions/` and outputs under `WORKSPACE/out/<folder>` (where
`reportgen build FOLDER` run from the workspace writes them too).

Everything here is plain library code the web pages call; no HTTP."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from reportgen import api

_FOLDER_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,79}$")
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(10)),
    *(f"LPT{i}" for i in range(10)),
}


@dataclass
class Workspace:
    root: Path

    def assessments(self) -> list[str]:
        """Folder names of the assessments directly under the workspace."""
        return [p.name for p in api.assessments_under(self.root)]

    def folder(self, name: str) -> Path:
        """The folder of the assessment `name`; KeyError unless it is one of `assessments()`
        (a name from a URL never becomes a path by itself)."""
        if name not in self.assessments():
            raise KeyError(name)
        return self.root / name

    def out(self, name: str) -> Path:
        return self.root / "out" / name

    def submissions(self, name: str) -> Path:
        return self.folder(name) / "submissions"


# --- A new assessment from last year's --------------------------------------------------------

FORM_FIELDS = {  # form field → (config key, label)
    "number": ("decision.number", "Số quyết định"),
    "date": ("decision.date", "Ngày ký"),
    "proposal": ("decision.proposal", "Câu đề nghị (Tờ trình)"),
    "signer": ("signer.name", "Người ký"),
}


@dataclass
class NewAssessment:
    """What the clerk typed for a new year, and what is wrong with it, by form field."""

    source: str
    folder: str
    year: str
    number: str = ""
    date: str = ""
    proposal: str = ""
    signer: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    read: dict[str, str] = field(default_factory=dict)  # how a field was understood, by name

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def folder_problem(name: str) -> str | None:
    """Why `name` cannot be a new assessment folder, or None."""
    if not _FOLDER_NAME.match(name) or name.upper() in _WINDOWS_RESERVED or ".." in name:
        return "Tên thư mục chỉ gồm chữ không dấu, chữ số, '-', '_' hoặc '.', ví dụ quang-nam-2020."
    return None


def draft(workspace: Workspace, form: NewAssessment) -> str | None:
    """The new `assessment.toml` text with the form's values, checked as `config.load`
    checks it; None when `form.errors` says what to fix. Every field is checked in one go,
    each message in plain words beside its field."""
    _check_fields(workspace, form)
    if form.errors:
        return None
    try:
        new = api.carry_over(workspace.folder(form.source), int(form.year))
    except api.InitError as exc:
        form.error("year", str(exc))
        return None
    except api.ConfigError as exc:
        form.error("source", "; ".join(exc.problems))
        return None
    typed = {key: getattr(form, name) for name, (key, _) in FORM_FIELDS.items()}
    text = api.fill_blanks(new.text, typed)
    try:
        api.parse(text, Path(form.folder) / "assessment.toml")
    except api.ConfigError as exc:
        _sort_problems(form, exc.problems)
        return None
    return text


def _check_fields(workspace: Workspace, form: NewAssessment) -> None:
    """Every field's own problems, all at once (none depends on another being right)."""
    sources = workspace.assessments()
    if form.source not in sources:
        form.error("source", "Hãy chọn một đợt đánh giá có sẵn.")
    problem = folder_problem(form.folder)
    if problem:
        form.error("folder", problem)
    elif (workspace.root / form.folder).exists():
        form.error("folder", f"Thư mục {form.folder} đã có: hãy chọn tên khác.")
    year = form.year.strip()
    if not re.fullmatch(r"\d{4}", year):
        form.error("year", "Năm phải là bốn chữ số, ví dụ 2020.")
    elif form.source in sources and _year_of(workspace, form.source) == int(year):
        form.error("year", f"Đợt {form.source} đã là năm {year}: hãy ghi năm của đợt mới.")
    number = form.number.strip()
    if not number:
        form.error("number", "Chưa ghi số quyết định.")
    elif not (number.isascii() and number.isdigit()) or int(number) < 1:
        form.error("number", f"Chỉ ghi phần số của quyết định, ví dụ 52 (đang ghi: {number}).")
    date = form.date.strip()
    day = api.read_date(date)
    if not date:
        form.error("date", "Chưa ghi ngày ký.")
    elif day is None:
        form.error("date", f"Ghi ngày/tháng/năm, ví dụ 08/01/2021 (đang ghi: {date}).")
    else:
        form.read["date"] = f"Đọc là {api.date_line(day)}."
    if api.BLANK in form.proposal:
        form.error("proposal", f"Còn để trống {api.BLANK}: hãy thay bằng số và ngày Tờ trình.")
    if not form.signer.strip():
        form.error("signer", "Chưa ghi họ tên người ký.")


def _year_of(workspace: Workspace, name: str) -> int | None:
    try:
        return api.load(workspace.folder(name)).year
    except api.ConfigError:
        return None


def _sort_problems(form: NewAssessment, problems: list[str]) -> None:
    by_key = {key: name for name, (key, _) in FORM_FIELDS.items()}
    for line in problems:
        key, _, message = line.partition(": ")
        form.error(by_key.get(key, "other"), message if key in by_key else line)


def create(workspace: Workspace, form: NewAssessment, text: str) -> Path:
    """Write the new assessment folder (with an empty `submissions/`)."""
    return api.write_config(workspace.root / form.folder, text)


def proposal_of(workspace: Workspace, name: str) -> str:
    """The source's proposal line as `init` carries it over (its numbers left blank)."""
    folder = workspace.folder(name)
    try:
        new = api.carry_over(folder, api.load(folder).year + 1)
        decision = api.parse(new.text, api.config_file(folder)).decision
        return decision.proposal if decision else ""
    except (api.ConfigError, api.InitError):
        return ""


# --- Forms and downloads ----------------------------------------------------------------------


def outputs(workspace: Workspace, name: str) -> list[str]:
    """The downloadable outputs present for `name`, in the order a person reads them."""
    return api.output_names(workspace.out(name))


@dataclass
class Provenance:
    """When the outputs on disk were made and whether the inputs changed since."""

    built_at: dt.datetime  # local time the output set was written
    used: list[str]  # the submissions (relative to submissions/) older than the outputs
    newer: list[str]  # submissions written after the outputs
    config_changed: bool  # assessment.toml edited after the outputs
    removed: bool = False  # a submission deleted or renamed after (its folder changed)

    @property
    def stale(self) -> bool:
        return bool(self.newer) or self.config_changed or self.removed

    @property
    def when(self) -> str:
        return f"{self.built_at:%H:%M} ngày {self.built_at:%d/%m/%Y}"


def provenance(workspace: Workspace, name: str) -> Provenance | None:
    """The outputs of `name` against its inputs, by modification time (the page, a CLI build
    and a copy into submissions/ all change it): None when nothing was built. The outputs are
    written as one set, so the decision's time is the set's."""
    present = outputs(workspace, name)
    if not present:
        return None
    built = (workspace.out(name) / present[0]).stat().st_mtime_ns
    folder = workspace.folder(name)
    subs = folder / "submissions"
    used, newer, folders = [], [], [subs] if subs.is_dir() else []
    for path in sorted(subs.rglob("*")) if folders else []:
        if path.is_dir():
            folders.append(path)
        elif path.is_file() and not path.name.startswith((".", "~$")):
            shown = path.relative_to(subs).as_posix()
            (newer if path.stat().st_mtime_ns > built else used).append(shown)
    changed = api.config_file(folder).stat().st_mtime_ns > built
    # a folder changes when an entry is added, deleted or renamed; added ones are in `newer`
    removed = not newer and any(f.stat().st_mtime_ns > built for f in folders)
    return Provenance(dt.datetime.fromtimestamp(built / 1e9), used, newer, changed, removed)


def download_name(file: str, name: str, year: int) -> str:
    """What a downloaded output is called on the clerk's computer: the file's fixed name with
    the assessment and its year (`quyet-dinh.docx` of quang-nam-2019 →
    `quyet-dinh-quang-nam-2019.docx`), so a year's files stay apart in Downloads; the
    output folder keeps the fixed names."""
    stem, suffix = os.path.splitext(file)
    tail = name if name.endswith(str(year)) else f"{name}-{year}"
    return f"{stem}-{tail}{suffix}"


# --- Uploads ----------------------------------------------------------------------------------


NAME_BYTES = 255  # the longest file name the file systems allow (ext4, NTFS: in UTF-8 bytes)
SUFFIX_CHARS = 10  # a longer "extension" is part of the name, not a type
LOCK_PREFIX = "~$"  # Excel's lock file beside an open workbook: "~$Sở Y tế.xlsx"


def _cleaned(filename: str) -> str:
    """The base name of `filename`: no folders (either slash), no control or reserved
    characters, no leading or trailing dots and spaces."""
    name = unicodedata.normalize("NFC", filename.replace("\\", "/").rsplit("/", 1)[-1])
    return re.sub(r'[\x00-\x1f\x7f<>:"|?*]', "", name).strip(" .")


def safe_name(filename: str, any_suffix: bool = False) -> str | None:
    """The base name to store an upload under, or None when there is none: `_cleaned`, a
    workbook suffix (any short one with `any_suffix`: a published annex is judged by its
    content), not Excel's lock file, and cut to `NAME_BYTES` (the suffix kept; `shortened`
    says when)."""
    name = _cleaned(filename)
    stem, suffix = os.path.splitext(name)
    if len(suffix) > SUFFIX_CHARS:
        stem, suffix = name, ""
    if not stem or stem.upper() in _WINDOWS_RESERVED or name.startswith(LOCK_PREFIX):
        return None
    if not any_suffix and suffix.lower() not in api.WORKBOOK_SUFFIXES:
        return None
    room = NAME_BYTES - len(suffix.encode("utf-8"))
    stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .")
    return stem + suffix


def shortened(filename: str, stored: str) -> bool:
    """Whether `safe_name` cut `filename` to store it as `stored`."""
    return len(_cleaned(filename)) > len(stored)


def name_refusal(filename: str) -> str:
    """Why `safe_name` gives no name for `filename`, for the clerk."""
    if _cleaned(filename).startswith(LOCK_PREFIX):
        return (
            "đây là tệp khóa tạm mà Excel tạo khi một bảng tính đang mở (tên bắt đầu bằng ~$), "
            "không phải biểu chấm điểm: hãy gửi chính tệp bảng tính (tên không có ~$)."
        )
    allowed = ", ".join(sorted(api.WORKBOOK_SUFFIXES))
    return f"Tên tệp không dùng được: chỉ nhận tệp bảng tính ({allowed})."


@dataclass
class Stored:
    name: str  # as written to the browser
    stored: str | None = None  # the name kept under submissions/, None when refused
    replaced: bool = False
    refusal: str | None = None
    shortened: bool = False  # the name was cut to fit the file system


def store(workspace: Workspace, name: str, uploads: list[tuple[str, Path | None]]) -> list[Stored]:
    """Keep each upload — (name as sent, temp file named by `safe_name`, or None when the
    name is unusable) — under the assessment's `submissions/`, unchanged, once `sniff`
    accepts its content and its sheets' extent (`sheetsize.oversized`). A refused file is not
    kept."""
    target = workspace.submissions(name)
    target.mkdir(parents=True, exist_ok=True)
    results = []
    for original, temp in uploads:
        if temp is None:
            results.append(Stored(original, refusal=name_refusal(original)))
            continue
        refusal = api.upload_refusal(temp, original)
        if refusal:
            results.append(Stored(original, refusal=refusal))
            continue
        destination = target / temp.name
        replaced = destination.exists()
        os.replace(temp, destination)
        results.append(
            Stored(original, temp.name, replaced, shortened=shortened(original, temp.name))
        )
    return results


def upload_dir(workspace: Workspace, name: str) -> Path:
    """A private temp folder beside `submissions/` (same disk, so moving in is a rename)."""
    base = workspace.folder(name) / ".tai-len"
    base.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(dir=base))


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def signature(workspace: Workspace, name: str, submissions: bool = True) -> tuple:
    """What a check depends on: the config file and every file under submissions/ (the
    forms: the config file only)."""
    folder = workspace.folder(name)
    files = [api.config_file(folder)]
    subs = folder / "submissions"
    if submissions and subs.is_dir():
        files += sorted(p for p in subs.rglob("*") if p.is_file())
    out = []
    for path in files:
        stat = path.stat()
        out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)
