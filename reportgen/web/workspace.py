"""The clerk's workspace on disk: a folder of assessment folders, each with its
`assessment.toml`, `submissions/` and outputs under `WORKSPACE/out/<folder>` (where
`reportgen build FOLDER` run from the workspace writes them too).

Everything here is plain library code the web pages call; no HTTP."""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from reportgen import atomic, config, extent, filesafety
from reportgen import build as api
from reportgen.workbook import WORKBOOK_SUFFIXES

PDF = "quyet-dinh.pdf"
SUMMARY = "tom-tat.md"  # with a previous year: the year-over-year summary
DOWNLOADS = (
    "quyet-dinh.docx",
    PDF,
    "phu-luc.xlsx",
    api.FINDINGS_REPORT,
    "ket-qua.csv",
    "ket-qua.json",
)
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
    from reportgen import newyear

    _check_fields(workspace, form)
    if form.errors:
        return None
    source = config.resolve_path(workspace.folder(form.source))
    try:
        new = newyear.carry_over(source.read_text(encoding="utf-8"), int(form.year), source)
    except newyear.InitError as exc:
        form.error("year", str(exc))
        return None
    except config.ConfigError as exc:
        form.error("source", "; ".join(exc.problems))
        return None
    text = _fill(new.text, form)
    try:
        config.parse(text, Path(form.folder) / "assessment.toml")
    except config.ConfigError as exc:
        _sort_problems(form, exc.problems)
        return None
    return text


def _check_fields(workspace: Workspace, form: NewAssessment) -> None:
    """Every field's own problems, all at once (none depends on another being right)."""
    from reportgen.vnformat import date_line, read_date

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
    if not date:
        form.error("date", "Chưa ghi ngày ký.")
    elif read_date(date) is None:
        form.error("date", f"Ghi ngày/tháng/năm, ví dụ 08/01/2021 (đang ghi: {date}).")
    else:
        form.read["date"] = f"Đọc là {date_line(read_date(date))}."
    if config.BLANK in form.proposal:
        form.error("proposal", f"Còn để trống {config.BLANK}: hãy thay bằng số và ngày Tờ trình.")
    if not form.signer.strip():
        form.error("signer", "Chưa ghi họ tên người ký.")


def _year_of(workspace: Workspace, name: str) -> int | None:
    try:
        return config.load(workspace.folder(name)).year
    except config.ConfigError:
        return None


def _fill(text: str, form: NewAssessment) -> str:
    """The blanks `init` left, replaced by what the clerk typed (checked by `_check_fields`);
    their "fill this in" comments go with the blanks."""
    import tomlkit

    from reportgen.vnformat import read_date

    doc = tomlkit.parse(text)
    decision = doc["decision"]
    _set(decision, "number", int(form.number.strip()))
    _set(decision, "date", read_date(form.date))
    if form.proposal.strip() or "proposal" in decision:
        _set(decision, "proposal", form.proposal.strip())
    _set(doc["signer"], "name", form.signer.strip())
    return tomlkit.dumps(doc)


def _set(table, key: str, value: object) -> None:
    """`table[key] = value` without the comment that described the blank."""
    table[key] = value
    table[key].trivia.comment = table[key].trivia.comment_ws = ""


def _sort_problems(form: NewAssessment, problems: list[str]) -> None:
    by_key = {key: name for name, (key, _) in FORM_FIELDS.items()}
    for line in problems:
        key, _, message = line.partition(": ")
        form.error(by_key.get(key, "other"), message if key in by_key else line)


def create(workspace: Workspace, form: NewAssessment, text: str) -> Path:
    """Write the new assessment folder (with an empty `submissions/`)."""
    target = workspace.root / form.folder
    (target / "submissions").mkdir(parents=True, exist_ok=False)
    atomic.write_bytes(target / "assessment.toml", text.encode("utf-8"))
    return target


def proposal_of(workspace: Workspace, name: str) -> str:
    """The source's proposal line as `init` carries it over (its numbers left blank)."""
    from reportgen import newyear

    file = config.resolve_path(workspace.folder(name))
    text = file.read_text(encoding="utf-8")
    try:
        new = newyear.carry_over(text, config.parse(text, file).year + 1, file)
        return config.parse(new.text, file).decision.proposal
    except (config.ConfigError, newyear.InitError):
        return ""


# --- Forms and downloads ----------------------------------------------------------------------


def forms_zip(assessment: config.Assessment) -> bytes:
    """The blank form of every unit assessed this year, in one zip (same bytes for the same
    config)."""
    from reportgen.forms import form_bytes, form_filename, units_to_send

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for unit in units_to_send(assessment):
            entry = zipfile.ZipInfo(form_filename(unit), atomic.FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, form_bytes(assessment, unit))
    return buffer.getvalue()


def outputs(workspace: Workspace, name: str) -> list[str]:
    """The downloadable outputs present for `name`: `DOWNLOADS` in that order, then the
    year-over-year summary and each group's chart PNG (for the report to the leadership)."""
    out = workspace.out(name)
    charts = sorted(p.name for p in out.glob("bieu-do-*.png")) if out.is_dir() else []
    return [n for n in (*DOWNLOADS, SUMMARY, *charts) if (out / n).is_file()]


def download_name(file: str, name: str, year: int) -> str:
    """What a downloaded output is called on the clerk's computer: the file's fixed name with
    the assessment and its year (`quyet-dinh.docx` of quang-nam-2019 →
    `quyet-dinh-quang-nam-2019.docx`), so a year's files stay apart in Downloads; the
    output folder keeps the fixed names."""
    stem, suffix = os.path.splitext(file)
    tail = name if name.endswith(str(year)) else f"{name}-{year}"
    return f"{stem}-{tail}{suffix}"


def outputs_zip(workspace: Workspace, name: str, year: int) -> bytes:
    """Every output of `outputs`, under its `download_name`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in outputs(workspace, name):
            entry = zipfile.ZipInfo(download_name(file, name, year), atomic.FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, (workspace.out(name) / file).read_bytes())
    return buffer.getvalue()


# --- Uploads ----------------------------------------------------------------------------------


def safe_name(filename: str, suffixes: Collection[str] | None = WORKBOOK_SUFFIXES) -> str | None:
    """The base name to store an upload under, or None when there is none: no folders
    (either slash), no control or reserved characters, no leading dots, one of `suffixes`
    (None: any — a published annex is judged by its content)."""
    name = unicodedata.normalize("NFC", filename.replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r'[\x00-\x1f\x7f<>:"|?*]', "", name).strip(" .")
    stem, suffix = os.path.splitext(name)
    if not stem or stem.upper() in _WINDOWS_RESERVED:
        return None
    if suffixes is not None and suffix.lower() not in suffixes:
        return None
    return name


@dataclass
class Stored:
    name: str  # as written to the browser
    stored: str | None = None  # the name kept under submissions/, None when refused
    replaced: bool = False
    refusal: str | None = None


def store(workspace: Workspace, name: str, uploads: list[tuple[str, Path | None]]) -> list[Stored]:
    """Keep each upload — (name as sent, temp file named by `safe_name`, or None when the
    name is unusable) — under the assessment's `submissions/`, unchanged, once `filesafety`
    accepts its content and its sheets' extent (`extent.oversized`). A refused file is not
    kept."""
    target = workspace.submissions(name)
    target.mkdir(parents=True, exist_ok=True)
    results = []
    for original, temp in uploads:
        if temp is None:
            allowed = ", ".join(sorted(WORKBOOK_SUFFIXES))
            refusal = f"Tên tệp không dùng được: chỉ nhận tệp bảng tính ({allowed})."
            results.append(Stored(original, refusal=refusal))
            continue
        sniff = filesafety.sniff(temp)
        if sniff.refusal:
            results.append(Stored(original, refusal=sniff.refusal.message))
            continue
        too_large = extent.oversized(temp, sniff.kind)
        if too_large is not None:
            results.append(Stored(original, refusal=too_large.finding(original).message))
            continue
        destination = target / temp.name
        replaced = destination.exists()
        os.replace(temp, destination)
        results.append(Stored(original, temp.name, replaced))
    return results


def upload_dir(workspace: Workspace, name: str) -> Path:
    """A private temp folder beside `submissions/` (same disk, so moving in is a rename)."""
    base = workspace.folder(name) / ".tai-len"
    base.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(dir=base))


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def signature(workspace: Workspace, name: str) -> tuple:
    """What a check depends on: the config file and every file under submissions/."""
    folder = workspace.folder(name)
    files = [config.resolve_path(folder)]
    subs = folder / "submissions"
    if subs.is_dir():
        files += sorted(p for p in subs.rglob("*") if p.is_file())
    out = []
    for path in files:
        stat = path.stat()
        out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)
