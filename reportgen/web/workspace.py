"""The clerk's workspace on disk: a folder of assessment folders, each with its
`assessment.toml`, `submissions/` and outputs under `WORKSPACE/out/<folder>` (where
`reportgen build FOLDER` run from the workspace writes them too).

Everything here is plain library code the web pages call; no HTTP."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
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

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def folder_problem(name: str) -> str | None:
    """Why `name` cannot be a new assessment folder, or None."""
    if not _FOLDER_NAME.match(name) or name.upper() in _WINDOWS_RESERVED or ".." in name:
        return "Tên thư mục chỉ gồm chữ không dấu, chữ số, '-', '_' hoặc '.', ví dụ quang-nam-2020."
    return None


def draft(workspace: Workspace, form: NewAssessment) -> str | None:
    """The new `assessment.toml` text with the form's values, checked as `config.load`
    checks it; None when `form.errors` says what to fix (messages by field)."""
    from reportgen import newyear

    if form.source not in workspace.assessments():
        form.error("source", "Hãy chọn một đợt đánh giá có sẵn.")
        return None
    problem = folder_problem(form.folder)
    if problem:
        form.error("folder", problem)
    elif (workspace.root / form.folder).exists():
        form.error("folder", f"Thư mục {form.folder} đã có: hãy chọn tên khác.")
    if not re.fullmatch(r"\d{4}", form.year.strip()):
        form.error("year", "Năm phải là bốn chữ số, ví dụ 2020.")
    for name in ("number", "date", "signer"):
        if not getattr(form, name).strip():
            form.error(name, "không được để trống")
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
        filled = config.parse(text, Path(form.folder) / "assessment.toml")
    except config.ConfigError as exc:
        _sort_problems(form, exc.problems)
        return None
    for key in filled.blanks:
        _sort_problems(form, [f"{key}: còn để trống {config.BLANK}, hãy điền"])
    return None if form.errors else text


def _fill(text: str, form: NewAssessment) -> str:
    """The blanks `init` left, replaced by what the clerk typed (typed as TOML types where the
    text reads as one, so that the config's own check names a wrong value)."""
    import tomlkit

    doc = tomlkit.parse(text)
    number = form.number.strip()
    doc["decision"]["number"] = int(number) if re.fullmatch(r"-?\d+", number) else number
    date = form.date.strip()
    try:
        doc["decision"]["date"] = dt.date.fromisoformat(date)
    except ValueError:
        doc["decision"]["date"] = date
    if form.proposal.strip() or "proposal" in doc["decision"]:
        doc["decision"]["proposal"] = form.proposal.strip()
    doc["signer"]["name"] = form.signer.strip()
    return tomlkit.dumps(doc)


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
    """Every registered unit's blank form, in one zip (same bytes for the same config)."""
    from reportgen.forms import form_bytes, form_filename

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for group in assessment.groups:
            for unit in group.units:
                entry = zipfile.ZipInfo(form_filename(unit.name), atomic.FIXED_ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, form_bytes(assessment, unit.name))
    return buffer.getvalue()


def outputs(workspace: Workspace, name: str) -> list[str]:
    """The downloadable outputs present for `name`: `DOWNLOADS` in that order, then the
    year-over-year summary and each group's chart PNG (for the report to the leadership)."""
    out = workspace.out(name)
    charts = sorted(p.name for p in out.glob("bieu-do-*.png")) if out.is_dir() else []
    return [n for n in (*DOWNLOADS, SUMMARY, *charts) if (out / n).is_file()]


def outputs_zip(workspace: Workspace, name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in outputs(workspace, name):
            entry = zipfile.ZipInfo(file, atomic.FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, (workspace.out(name) / file).read_bytes())
    return buffer.getvalue()


# --- Uploads ----------------------------------------------------------------------------------


def safe_name(filename: str) -> str | None:
    """The base name to store an upload under, or None when there is none: no folders
    (either slash), no control or reserved characters, no leading dots, a workbook suffix."""
    name = unicodedata.normalize("NFC", filename.replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r'[\x00-\x1f\x7f<>:"|?*]', "", name).strip(" .")
    stem, suffix = os.path.splitext(name)
    if not stem or suffix.lower() not in WORKBOOK_SUFFIXES or stem.upper() in _WINDOWS_RESERVED:
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
