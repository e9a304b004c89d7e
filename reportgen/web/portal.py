"""Units submit for themselves: a personal link per unit, its upload checked at once, its
evidence kept per criterion — plain library code over an assessment folder and its
`portal_store.Store`; the pages are in `unit_pages.py` (the units') and `clerk_pages.py`
(the clerk's).

Files stay where the CLI reads them: a unit's latest form is `submissions/<unit>.xlsx` (the
name `reportgen forms` gives it), every version it sent is kept under `lich-su/<unit>/` and
never overwritten, evidence under `minh-chung/<unit>/<criterion>/`. A file is written in full
to a temporary name on the same disk and renamed into place before the log records it, so a
crash leaves either the previous submission or the new one, never half a file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
import unicodedata
from collections import defaultdict, deque
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportgen import api
from reportgen.web.portal_store import Answer, Link, Store, Upload

# The province's clock: a deadline "15/01/2027" ends at midnight in Việt Nam.
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
TOKEN_BYTES = 22  # 176 random bits, URL-safe: 30 characters
HISTORY = "lich-su"
EVIDENCE = "minh-chung"
EVIDENCE_PER_CRITERION = 20  # files a unit may attach to one criterion


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def today() -> dt.date:
    return dt.datetime.now(VIETNAM).date()


def shown_time(iso: str) -> str:
    """A logged UTC time as the clerk and the unit read it: Việt Nam time."""
    return dt.datetime.fromisoformat(iso).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def shown_day(value: dt.date | None) -> str:
    """A day as the pages write it (`15/01/2027`); empty for none."""
    return value.strftime("%d/%m/%Y") if value else ""


@dataclass(frozen=True)
class UnitInfo:
    """What the unit's own page shows about it, and nothing about any other unit."""

    name: str
    group: str
    year: int
    title: str


def unit_info(assessment: api.Assessment, unit: str) -> UnitInfo:
    group = assessment.group_of(unit)
    return UnitInfo(unit, group.name, assessment.year, assessment.title)


def issue_links(store: Store, units: list[str]) -> dict[str, str]:
    """A new link for each unit (its earlier one revoked): unit → token. The tokens exist only
    in what this returns: the store keeps their hashes."""
    tokens = {}
    for unit in units:
        token = new_token()
        store.issue(unit, token)
        tokens[unit] = token
    return tokens


# --- The server's state ----------------------------------------------------------------------

GUESSES = 20  # wrong links a client may try ...
GUESS_WINDOW = 600  # ... within this many seconds


class Guesses:
    """Wrong-link attempts per client address, forgotten after `GUESS_WINDOW` seconds."""

    def __init__(self, limit: int = GUESSES, window: float = GUESS_WINDOW):
        self.limit, self.window = limit, window
        self.seen: dict[str, deque] = defaultdict(deque)

    def _recent(self, client: str) -> deque:
        times = self.seen[client]
        while times and times[0] < time.monotonic() - self.window:
            times.popleft()
        return times

    def blocked(self, client: str) -> bool:
        return len(self._recent(client)) >= self.limit

    def wrong(self, client: str) -> None:
        self._recent(client).append(time.monotonic())
        while len(self.seen) > 10_000:  # bounded, whatever the number of clients
            self.seen.pop(next(iter(self.seen)))


@dataclass
class Portal:
    """The portal state of the server: one store per assessment folder, the guess counter."""

    stores: dict[str, Store]
    guesses: Guesses

    def store(self, folder: Path) -> Store:
        key = str(folder)
        if key not in self.stores:
            self.stores[key] = Store(folder)
        return self.stores[key]


# --- The deadline -----------------------------------------------------------------------------


def deadline(assessment: api.Assessment, store: Store) -> dt.date | None:
    """The last day units may upload: the one set on the page, else `submission.deadline`."""
    set_here = store.setting("deadline")
    if set_here:
        return dt.date.fromisoformat(set_here)
    return assessment.submission.deadline


def is_open(assessment: api.Assessment, store: Store, unit: str, on: dt.date) -> bool:
    """Whether `unit` may upload on the day `on`: up to the deadline, or up to the day the
    clerk reopened it until."""
    last = deadline(assessment, store)
    if last is None or on <= last:
        return True
    reopened = store.reopened().get(unit)
    return reopened is not None and on <= reopened


# --- A unit's form ----------------------------------------------------------------------------


@dataclass
class FormResult:
    upload: Upload | None  # None: refused before it was kept
    findings: list[api.Shown] = field(default_factory=list)
    refusal: str | None = None

    @property
    def ok(self) -> bool:
        return self.upload is not None and self.upload.status == "ok"


def _clean_name(filename: str, suffixes: tuple[str, ...] | frozenset[str]) -> str | None:
    """The base name of an upload, without folders or characters a file system refuses, when
    its suffix is one of `suffixes`; None otherwise. Long names are shortened (keeping the
    suffix) to stay well under the 255-byte limit of file names."""
    name = unicodedata.normalize("NFC", filename.replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r'[\x00-\x1f\x7f<>:"|?*]', "", name).strip(" .")
    stem, suffix = os.path.splitext(name)
    if not stem or suffix.lower() not in suffixes:
        return None
    while len(stem.encode("utf-8")) > 120:
        stem = stem[:-1]
    return stem + suffix.lower()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _place(folder: Path, temp: Path, relative: str) -> Path:
    """Move the finished temp file to `relative` under `folder` (a rename on one disk)."""
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp, target)
    return target


def _write_into(folder: Path, relative: str, data: bytes) -> None:
    """Write `data` to `relative` under `folder` through a temp file, fsync and a rename."""
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def unit_folder_name(unit: str) -> str:
    """The unit's folder under lich-su/ and minh-chung/: its form's name without .xlsx."""
    return api.form_filename(unit)[: -len(".xlsx")]


def receive_form(folder: Path, store: Store, link: Link, sent_as: str, temp: Path) -> FormResult:
    """Judge the workbook a unit uploaded through `link` (written in full at `temp`) as the
    clerk's check would, keep it — in the history always, as the unit's submission when it
    is Đạt — and log it. Only what the unit may see is returned (`api.check_unit_file`)."""
    suffixes = api.WORKBOOK_SUFFIXES
    name = _clean_name(sent_as, suffixes)
    if name is None:
        return FormResult(None, refusal=f"Chỉ nhận tệp bảng tính ({', '.join(sorted(suffixes))}).")
    refusal = api.upload_refusal(temp, name)
    if refusal:
        return FormResult(None, refusal=refusal)
    judged = temp.parent / "kiem-tra" / name
    judged.parent.mkdir()
    shutil.copyfile(temp, judged)
    shown = api.check_unit_file(folder, link.unit, judged)
    errors = sum(f.error for f in shown)
    status = "ok" if errors == 0 else "fix"
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    digest = _sha256(temp)
    own = unit_folder_name(link.unit)
    suffix = Path(name).suffix
    history = f"{HISTORY}/{own}/{stamp}-{digest[:8]}{suffix}"
    _write_into(folder, history, temp.read_bytes())
    if status == "ok":  # the unit's submission: what build reads
        for old in (folder / "submissions").glob(f"{glob_escape(own)}.*"):
            if old.suffix.lower() in suffixes and old.name != own + suffix:
                old.unlink()
        _place(folder, temp, f"submissions/{own}{suffix}")
    upload = store.record(
        Upload(
            id=0,
            unit=link.unit,
            kind="form",
            criterion=None,
            at=_now(),
            file=name,
            stored=history,
            size=(folder / history).stat().st_size,
            sha256=digest,
            status=status,
            errors=errors,
            warnings=len(shown) - errors,
            link_id=link.id,
        )
    )
    return FormResult(upload, shown)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


# --- Evidence ---------------------------------------------------------------------------------

EVIDENCE_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".xlsm", ".xls", ".ods")


def leaves(assessment: api.Assessment, unit: str) -> list[tuple[str, str]]:
    """The unit's scored criteria (the leaves of its group's set) as (key, label)."""
    return [(c.key, c.label) for c in assessment.set_of(unit).leaves]


def receive_evidence(
    folder: Path, store: Store, link: Link, criterion: str, sent_as: str, temp: Path
) -> tuple[Upload | None, str | None]:
    """Keep an evidence file for one of the unit's criteria: (the logged upload, None), or
    (None, why it was refused)."""
    assessment = api.load(folder)
    if criterion not in dict(leaves(assessment, link.unit)):
        return None, "Không có tiêu chí này trong bộ tiêu chí của đơn vị."
    name = _clean_name(sent_as, EVIDENCE_SUFFIXES)
    if name is None:
        return None, "Chỉ nhận minh chứng dạng PDF, ảnh PNG/JPEG, Word (.docx) hoặc Excel."
    if len(store.uploads(link.unit, "evidence", criterion)) >= EVIDENCE_PER_CRITERION:
        return None, f"Mỗi tiêu chí nhận tối đa {EVIDENCE_PER_CRITERION} tệp minh chứng."
    refusal = api.evidence_refusal(temp, name)
    if refusal:
        return None, refusal
    digest = _sha256(temp)
    size = temp.stat().st_size
    relative = f"{EVIDENCE}/{unit_folder_name(link.unit)}/{criterion}/{digest[:12]}-{name}"
    _place(folder, temp, relative)
    upload = store.record(
        Upload(
            0,
            link.unit,
            "evidence",
            criterion,
            _now(),
            name,
            relative,
            size,
            digest,
            None,
            None,
            None,
            link.id,
        )
    )
    return upload, None


# --- The verification round -------------------------------------------------------------------


def notice_of(folder: Path, out: Path, unit: str) -> tuple[api.Notice, Path] | None:
    """The unit's preliminary notice and its letter, once the clerk has sent the notices
    (`reportgen notices`, or the page's button, wrote the letter under `out`); else None."""
    sent = Path(out) / api.NOTICES_FOLDER
    if not sent.is_dir():
        return None
    notice = api.unit_notice(folder, unit)
    if notice is None:
        return None
    letter = sent / api.notice_files(notice)[0]
    return (notice, letter) if letter.is_file() else None


def answer_problems(notice: api.Notice, answers: dict[str, Answer]) -> list[str]:
    """What is missing from an answer before it can be taken: an opinion on every indicator
    of the notice, and words for every explanation."""
    problems = []
    for row in notice.rows:
        given = answers.get(row.key)
        if given is None or given.opinion not in api.OPINIONS:
            problems.append(f"{row.label}: hãy chọn Thống nhất hoặc Giải trình.")
        elif given.opinion == "explain" and not given.explanation.strip():
            problems.append(f"{row.label}: hãy ghi nội dung giải trình.")
    return problems


def receive_answer(
    folder: Path, store: Store, link: Link, notice: api.Notice, answers: dict[str, Answer]
) -> str:
    """Take a unit's answer given on its page: its answer workbook filled in and dated today
    (`giai-trinh/`, what `build` reads; the earlier one replaced, every one kept under
    lich-su/), and the answer logged. Returns the time it was logged."""
    assessment = api.load(folder)
    given = {k: (a.opinion, a.explanation.strip(), a.evidence.strip()) for k, a in answers.items()}
    name, data = api.answer_workbook(assessment, notice, given, today())
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    own = unit_folder_name(link.unit)
    _write_into(folder, f"{HISTORY}/{own}/{stamp}-giai-trinh.xlsx", data)
    _write_into(folder, f"{api.ANSWERS_FOLDER}/{name}", data)
    return store.answer(link.unit, [answers[r.key] for r in notice.rows], link.id)


def statement(out: Path, unit: str) -> Path | None:
    """The unit's per-unit statement written by the last build (`phieu-diem/<unit>.xlsx`)."""
    path = Path(out) / api.STATEMENTS / api.form_filename(unit)
    return path if path.is_file() else None


# --- The published result -----------------------------------------------------------------------


def published(out: Path, unit: str) -> dict | None:
    """The unit's own row of the built `ket-qua.json` (total, rank, grade; numbers as
    documents print them, at the digits the file holds), or None before a build. Nothing of
    another unit is read out."""
    path = Path(out) / "ket-qua.json"
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError):
        return None
    for group in document.get("groups", []):
        for row in group.get("results", []):
            if row.get("unit") == unit:
                shown = {k: row.get(k) for k in ("rank", "grade")}
                numbers = {k: _printed(row.get(k)) for k in ("total", "index")}
                return shown | numbers | {"group": group.get("name"), "max": group.get("max")}
    return None


def _printed(value: object) -> str | None:
    """A number of ket-qua.json as the decision prints it (`99,5`, `0,7270`: its digits kept)."""
    if value is None:
        return None
    number = Decimal(value) if isinstance(value, int) else value
    return api.format_number(number, max(0, -number.as_tuple().exponent), fixed=True)
