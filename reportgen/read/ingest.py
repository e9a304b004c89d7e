"""Reading submissions: workbooks in, plain `RawEntry` records out (values as they were
written, each with its file, sheet and cell). No judgement of the values happens here —
that is `validate`'s job.

Three layouts are recognised on any sheet, found by their labels, not by fixed positions:
- consolidated: a header row naming every top-level criterion, or every leaf, of one
  criteria set (the annex layout), one row per unit;
- score sheet (the form reportgen generates): a cell "Đơn vị:" followed by the unit name,
  and a table with a "Tiêu chí" column and a score column ("Điểm tự chấm"), optionally a
  verified-score column ("Điểm thẩm định"), one row per indicator under its parents' headings;
- verification list (from the Sở): a header row with a unit column, a "Tiêu chí" column,
  "Điểm thẩm định" and "Lý do", one adjustment per row.

An entry is read against the criteria set whose labels it matches best; validate checks
that it is the set of the unit's group."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.config import Assessment, CriteriaSet, Criterion
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location
from reportgen.core.numbers import rank_cell
from reportgen.core.text import clean, label_key
from reportgen.read.workbook import WORKBOOK_SUFFIXES, Sheet, blank_reasons, read_sheets
from reportgen.safety.sniff import MAX_FILE_BYTES
from reportgen.safety.xmlsafe import enable_defusedxml

# Column headings by matching key (`text.label_key`: no case, no diacritics, no "(...)"),
# Vietnamese as published and the English keys of reportgen's own ket-qua.csv; a heading that
# starts with one of the *_PREFIXES words is that kind too ("Xếp hạng DTI", "Tổng điểm 2024").
TOTAL_HEADERS = {
    "tong",
    "tong diem",
    "tong cong",
    "tong so diem",
    "cong",
    "diem",
    "diem dat",
    "diem dat duoc",
    "tong diem dat",
    "tong diem dat duoc",
    "total",
}
SELF_TOTAL_HEADERS = {
    "tong diem tu danh gia",
    "tong diem tu cham",
    "diem tu danh gia",
    "diem tu cham",
    "self_total",
}
GRADE_HEADERS = {"xep loai", "xep loai muc do", "grade"}
NUMBER_HEADERS = {"stt", "tt", "so tt", "so thu tu", "thu tu"}
RANK_HEADERS = {
    "xep hang",
    "thu hang",
    "hang",
    "thu tu xep hang",
    "vi thu",
    "xh",
    "ket qua xep hang",
    "rank",
}
INDEX_HEADERS = {"chi so", "index"}
GROUP_HEADERS = {"group", "khoi"}
NOTE_HEADERS = {"ghi chu", "note"}  # read by nobody: a clerk's remarks
HEADING_PREFIXES = {
    "xep hang": "rank",
    "thu hang": "rank",
    "thu tu xep hang": "rank",
    "ket qua xep hang": "rank",
    "tong diem tu": "self_total",
    "tong diem": "total",
    "chi so": "index",
    "xep loai": "grade",
}

NAME_HEADERS = {"ten don vi", "don vi", "ten co quan", "co quan", "don vi duoc danh gia", "unit"}
UNIT_LABELS = {"don vi", "ten don vi", "co quan", "ten co quan"}
YEAR_LABELS = {"nam danh gia", "nam"}
ITEM_HEADERS = {"tieu chi", "noi dung", "noi dung tieu chi", "ten tieu chi", "chi tieu"}
VERIFIED_HEADERS = {"diem tham dinh", "diem sau tham dinh", "diem duoc cong nhan"}
REASON_HEADERS = {"ly do", "ly do dieu chinh", "ghi chu", "ly do dieu chinh diem"}
# The answer workbook of a preliminary notice (render.answer_xlsx writes it, this reads it)
ANSWER_SHEET = "Phiếu giải trình"
OPINIONS = {"agree": "Thống nhất", "explain": "Giải trình"}  # the unit's "Ý kiến"
CONCLUSIONS = {"keep": "Giữ nguyên", "accept": "Chấp nhận"}  # "Kết luận của Hội đồng"
ANSWER_HEADINGS = [
    "STT",
    "Tiêu chí",
    "Điểm tự chấm",
    "Điểm thẩm định sơ bộ",
    "Lý do",
    "Ý kiến của đơn vị",
    "Giải trình",
    "Minh chứng bổ sung",
    "Kết luận của Hội đồng",
    "Điểm chấp nhận",
]
OPINION_HEADERS = {"y kien cua don vi", "y kien don vi"}
ANSWER_HEADER_ROWS = 40  # the header is row 9 of the workbook reportgen writes; room for more
CONCLUSION_HEADERS = {"ket luan cua hoi dong", "ket luan"}
ACCEPTED_HEADERS = {"diem chap nhan", "diem ket luan"}
ANSWERED_LABELS = {"ngay tra loi"}  # the unit's date
RECEIVED_LABELS = {"ngay nhan"}  # the day the Sở received it, as its clerk records it
EVIDENCE_PREFIX = "minh chung"  # "Minh chứng: số, ký hiệu, ngày, trích yếu văn bản; …"
EXPLANATION_PREFIX = "giai trinh"  # "Giải trình (nếu không có minh chứng)"
_YEAR = re.compile(r"nam \d{4}")  # "Năm 2017" over a published ranking's column
HEADER_SEARCH_UP = 2  # rows above a header row that may hold a merged heading
POOL_MIN_FILES = 200  # below this, starting worker processes costs more than it saves


class RawValue:
    """One cell's value as read: str, float, int, bool, date, or "" when empty. Its
    `location` is made only when asked for (a finding needs it): a cell read from a sheet keeps
    just the sheet and its indices, so a 100 000-row table costs no `Location` per cell."""

    __slots__ = ("value", "formula", "error", "_location", "_sheet", "_file", "_i", "_j")

    def __init__(
        self,
        value: object,
        location: Location | None = None,
        formula: bool = False,  # an empty value that is a formula with no stored result
        error: str | None = None,  # an empty value that is a spreadsheet error (#DIV/0!)
    ):
        self.value = value
        self.formula = formula
        self.error = error
        self._location = location
        self._sheet: Sheet | None = None

    @classmethod
    def at(cls, sheet: Sheet, shown: str, i: int, j: int) -> RawValue:
        """The cell `sheet.rows[i][j]` of file `shown` ("" beyond the row's end)."""
        row = sheet.rows[i]
        raw = cls(row[j] if j < len(row) else "")
        raw._sheet, raw._file, raw._i, raw._j = sheet, shown, i, j
        return raw

    @property
    def location(self) -> Location:
        if self._location is None:
            assert self._sheet is not None
            self._location = self._sheet.location(self._file, self._i, self._j)
        return self._location

    def marked(self, formula: bool, error: str | None) -> RawValue:
        """The same cell, known to be a formula without a result or an error value."""
        return RawValue(self.value, self.location, formula, error)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RawValue):
            return NotImplemented
        return (self.value, self.location, self.formula, self.error) == (
            other.value,
            other.location,
            other.formula,
            other.error,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside: not a dict key

    def __repr__(self) -> str:
        return f"RawValue({self.value!r}, {self.location!r})"


@dataclass(slots=True)  # slots: one per row of a table, 100 000 in a big one
class RawEntry:
    """One unit's scores as written in one place (a score sheet or a consolidated row)."""

    name: RawValue
    scores: dict[str, RawValue]  # criterion key → value (leaves, or the top level)
    total: RawValue | None = None
    grade: RawValue | None = None
    order: int = 0  # position in the input, for the input-order tie-break
    number: RawValue | None = None  # a consolidated row's STT, when the table has one
    rank: RawValue | None = None  # a consolidated row's published rank (Xếp hạng), if any
    index: RawValue | None = None  # a consolidated row's published index (Chỉ số), if any
    self_total: RawValue | None = None  # a consolidated row's self-assessed total, if any
    year: RawValue | None = None  # a score sheet's "Năm đánh giá:" cell, if any
    foreign_rows: list[RawValue] = field(default_factory=list)  # labels of no criterion
    absent: list[str] = field(default_factory=list)  # criterion keys with no row at all
    criteria_set: str = ""  # the key of the criteria set its labels name
    verified: dict[str, RawValue] = field(default_factory=dict)  # filled "Điểm thẩm định"
    reasons: dict[str, RawValue] = field(default_factory=dict)  # "Lý do" beside a verified score
    subtotals: dict[str, RawValue] = field(default_factory=dict)  # parent rows' stated scores
    figures: dict[str, RawValue] = field(default_factory=dict)  # figure key → its value cell
    # a score sheet's "Minh chứng" and "Giải trình" cells by leaf (None: a layout without them,
    # a consolidated table; {} a score sheet without the columns)
    evidence: dict[str, RawValue] | None = None
    explanations: dict[str, RawValue] = field(default_factory=dict)


@dataclass(frozen=True)
class RawVerification:
    """One row of a verification list: the Sở's score for one unit's indicator."""

    unit: RawValue
    item: RawValue  # the indicator's label or key
    score: RawValue
    reason: RawValue
    conclusion: RawValue | None = None  # "Kết luận của Hội đồng" on an explained change
    accepted: RawValue | None = None  # "Điểm chấp nhận"


@dataclass(frozen=True)
class RawAnswer:
    """One row of a returned answer workbook: the unit's opinion on one changed indicator,
    and the council's conclusion when it wrote one there."""

    unit: RawValue
    item: RawValue
    preliminary: RawValue  # "Điểm thẩm định sơ bộ" as the notice stated it
    reason: RawValue
    opinion: RawValue  # Thống nhất / Giải trình
    explanation: RawValue
    evidence: RawValue  # "Minh chứng bổ sung"
    conclusion: RawValue | None = None  # Giữ nguyên / Chấp nhận
    accepted: RawValue | None = None  # "Điểm chấp nhận"
    answered: RawValue | None = None  # "Ngày trả lời:"
    received: RawValue | None = None  # "Ngày nhận:"


@dataclass
class Ingested:
    entries: list[RawEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    verifications: list[RawVerification] = field(default_factory=list)
    answers: list[RawAnswer] = field(default_factory=list)


class SetLayout:
    """The labels of one criteria set: every node of its tree, by matching key. Leaves whose
    scores come from a `source` table are not the unit's to give: not asked for in its
    submissions (they are in a published annex: `sourced`)."""

    def __init__(self, criteria: CriteriaSet, sourced: bool = False):
        self.key = criteria.key
        given = {c.key for c in criteria.leaves if sourced or not c.source}
        self.leaves = [c for c in criteria.leaves if c.key in given]
        self.criteria = [  # the top level, but for areas scored wholly from a source table
            c for c in criteria.criteria if any(n.key in given for _, n in c.walk())
        ]
        self.parents = {c.key for _, c in criteria.nodes if c.items}
        self.size = len(criteria.nodes)
        self._by_label: dict[str, str] = {}
        for _, c in criteria.nodes:
            for label in (c.label, *c.aliases):
                self._by_label[label_key(label)] = c.key
        for _, c in criteria.nodes:  # reportgen's own ket-qua.csv names columns by key
            self._by_label.setdefault(label_key(c.key), c.key)
        self._figures = {label_key(f.label): f.key for f in criteria.figures}

    def figure(self, value: object) -> str | None:
        """The key of the figure (số liệu) a row label names."""
        if not isinstance(value, str) or not self._figures:
            return None
        return self._figures.get(label_key(value))

    def criterion(self, value: object) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return None
        return self._by_label.get(label_key(value))


class Layout:
    """What ingest looks for on a sheet, derived from the assessment."""

    def __init__(
        self,
        assessment: Assessment,
        sets: Sequence[CriteriaSet] | None = None,
        sourced: bool = False,
        published: bool = False,
    ):
        """The layout of `sets` (by default every set of the assessment); `sourced`: with the
        criteria scored from a source table (a published annex has their columns);
        `published`: also the tables a ranking is published as with no criterion column
        (`_valued`)."""
        sets = assessment.sets if sets is None else sets
        self.sets = [SetLayout(s, sourced) for s in sets]
        self.name_headers = NAME_HEADERS | {label_key(g.name_column) for g in assessment.groups}
        self.year = assessment.year
        self.published = published
        self.columns = {label_key(h): k.value for h, k in assessment.audit.columns.items()}

    def criterion(self, value: object) -> str | None:
        """The key of the first set's criterion a label names."""
        return self.sets[0].criterion(value)

    def kind(self, heading: str) -> str | None:
        """What a column heading (its `label_key`) holds: the config's `[audit] columns` first,
        then the usual headings (`heading_kind`)."""
        return self.columns.get(heading) or heading_kind(heading)

    def headers(self, row: list[object]) -> list[tuple[SetLayout, list[Criterion], dict[str, int]]]:
        """Each criteria set and level a row names every criterion of, with each criterion's
        column, the largest level first (a commune header names the whole of a smaller set
        too); empty when the row is no table header."""
        texts = [(j, cell) for j, cell in enumerate(row) if isinstance(cell, str) and cell]
        out = []
        for set_layout in self.sets:
            if len(texts) < min(len(set_layout.leaves), len(set_layout.criteria)):
                continue  # a header names every criterion of a level: a form's rows never do
            found: dict[str, int] = {}
            for j, cell in texts:
                key = set_layout.criterion(cell)
                if key and key not in found:
                    found[key] = j
            for level in (set_layout.leaves, set_layout.criteria):
                if all(c.key in found for c in level):
                    out.append((set_layout, level, {c.key: found[c.key] for c in level}))
        if not out and self.published:
            out = self._valued(row)
        return sorted(out, key=lambda m: -len(m[1]))  # stable: set order among equals

    def _valued(self, row: list[object]) -> list[tuple[SetLayout, list[Criterion], dict]]:
        """A published ranking of one value (a set of one criterion, maximum 1: the national
        index) printed with no criterion column — a name column and a "Chỉ số" column or a
        rank column whose cells carry the value, "01 (0,727)" under "Năm 2017": the set, its
        criterion, and no column (`_columns` finds where the value is)."""
        heads = [label_key(c) for c in row if isinstance(c, str) and c.strip()]
        named = any(h in self.name_headers or self.kind(h) == "name" for h in heads)
        valued = any(self.kind(h) in ("index", "rank") or _YEAR.fullmatch(h) for h in heads)
        if not (named and valued):
            return []
        return [
            (s, s.leaves, {})
            for s in self.sets
            if len(s.criteria) == 1 and not s.criteria[0].items and s.criteria[0].max == 1
        ]

    def labels(self) -> str:
        """The top-level labels of every set, for a finding that found none of them."""
        return "; ".join(", ".join(c.label for c in s.criteria) for s in self.sets)


def heading_kind(key: str) -> str | None:
    """What a column heading (its `label_key`) holds: "number" (STT), "rank", "total",
    "self_total", "index", "grade", "group" or "ignore" (a note column); None for anything
    else."""
    for kind, keys in (
        ("rank", RANK_HEADERS),
        ("number", NUMBER_HEADERS),
        ("total", TOTAL_HEADERS),
        ("self_total", SELF_TOTAL_HEADERS),
        ("index", INDEX_HEADERS),
        ("grade", GRADE_HEADERS),
        ("group", GROUP_HEADERS),
        ("ignore", NOTE_HEADERS),
    ):
        if key in keys:
            return kind
    return next((k for p, k in HEADING_PREFIXES.items() if key.startswith(p + " ")), None)


def collect_files(inputs: Sequence[Path]) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """Expand INPUT paths into workbook files (sorted, so runs are repeatable), each with the
    name shown in findings (relative to the folder given). A folder holding no workbook is no
    submission yet (every unit then has UNIT_MISSING), not a missing input."""
    files: list[tuple[Path, str]] = []
    problems: list[Finding] = []
    for root in inputs:
        if root.is_dir():
            found = sorted(
                p
                for p in root.rglob("*")
                if p.is_file()
                and p.suffix.lower() in WORKBOOK_SUFFIXES
                and not p.name.startswith(("~$", "."))
            )
            files.extend((p, p.relative_to(root).as_posix()) for p in found)
        elif root.is_file():
            files.append((root, root.name))
        else:
            problems.append(finding("INPUT_NOT_FOUND", Location(str(root))))
    return files, problems


def drop_resends(
    files: list[tuple[Path, str]],
) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """The files without byte-identical copies, and a FILE_RESENT warning for each copy. Of
    identical files the one with the shortest name is kept ("Sở Y tế.xlsx", not the mail
    client's "Sở Y tế (1).xlsx"). Only files of equal size are hashed."""
    by_size: dict[int, list[int]] = {}
    for i, (path, _) in enumerate(files):
        try:
            size = path.stat().st_size
        except OSError:
            continue  # reading it will say why
        if 0 < size <= MAX_FILE_BYTES:
            by_size.setdefault(size, []).append(i)
    kept_for: dict[int, int] = {}  # index of a copy → index of the file kept
    for same_size in by_size.values():
        by_digest: dict[bytes, list[int]] = {}
        for i in same_size if len(same_size) > 1 else []:
            try:
                digest = hashlib.sha256(files[i][0].read_bytes()).digest()
            except OSError:
                continue
            by_digest.setdefault(digest, []).append(i)
        for same in by_digest.values():
            kept, *copies = sorted(same, key=lambda i: (len(files[i][1]), files[i][1], i))
            kept_for.update((copy, kept) for copy in copies)
    findings = [
        finding("FILE_RESENT", Location(files[i][1]), other=files[kept_for[i]][1])
        for i in sorted(kept_for)
    ]
    return [f for i, f in enumerate(files) if i not in kept_for], findings


def ingest(
    inputs: Sequence[Path],
    assessment: Assessment,
    progress: Callable[[int, int], None] | None = None,
    *,
    pool_min_files: int = POOL_MIN_FILES,
) -> Ingested:
    """Read every workbook under `inputs` into raw entries and file-level findings;
    `progress(done, total)` is called after each file.

    From `pool_min_files` files on, the files are read by a process pool (one worker per
    CPU); the results come back in file order, the same as when read one by one."""
    enable_defusedxml()
    layout = Layout(assessment)
    result = Ingested()
    files, problems = collect_files(inputs)
    result.findings.extend(problems)
    files, resent = drop_resends(files)
    result.findings.extend(resent)
    for done, (entries, problems) in enumerate(_ingest_files(files, layout, pool_min_files), 1):
        result.findings.extend(problems)
        for entry in entries:
            if isinstance(entry, RawVerification):
                result.verifications.append(entry)
                continue
            if isinstance(entry, RawAnswer):
                result.answers.append(entry)
                continue
            entry.order = len(result.entries)
            result.entries.append(entry)
        if progress:
            progress(done, len(files))
    return result


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _ingest_files(
    files: list[tuple[Path, str]], layout: Layout, pool_min_files: int
) -> Iterator[tuple[list[RawEntry], list[Finding]]]:
    """`ingest_file` of each file, in file order, each as soon as it is read (so progress
    moves while files are read): serially, or in a process pool when many."""
    workers = min(_cpus(), 61)  # 61: the most Windows allows
    if len(files) < max(pool_min_files, 2) or workers < 2:
        yield from (ingest_file(path, shown, layout) for path, shown in files)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(files) // (workers * 8)))  # many chunks: a moving bar
    try:
        pool = ProcessPoolExecutor(workers, initializer=_set_layout, initargs=(layout,))
    except (OSError, NotImplementedError):  # no process semaphores here: one by one
        yield from (ingest_file(path, shown, layout) for path, shown in files)
        return
    with pool:
        yield from pool.map(_ingest_in_worker, files, chunksize=chunk)  # lazy, in order


_worker_layout: Layout | None = None  # set once in each pool worker


def _set_layout(layout: Layout) -> None:
    global _worker_layout
    _worker_layout = layout


def _ingest_in_worker(file: tuple[Path, str]) -> tuple[list[RawEntry], list[Finding]]:
    assert _worker_layout is not None
    return ingest_file(file[0], file[1], _worker_layout)


def ingest_file(path: Path, shown: str, layout: Layout) -> tuple[list[RawEntry], list[Finding]]:
    """The entries of one workbook, or the findings saying why there are none."""
    sheets, problems = read_sheets(path, shown)
    if problems:
        return [], problems
    entries: list = []
    for sheet in sheets:
        rows = _answer_rows(sheet, shown)
        if rows is None:
            rows = _verification_rows(sheet, shown)
        entries += rows if rows is not None else entries_from_sheets([sheet], shown, layout)
    if not entries:
        return [], [finding("LAYOUT_NOT_FOUND", Location(shown), criteria=layout.labels())]
    _mark_formulas(path, [e for e in entries if isinstance(e, RawEntry)])
    return entries, []


def _mark_formulas(path: Path, entries: list[RawEntry]) -> None:
    """Flag empty score cells that are formulas without a stored result or error values
    (read lazily: only for sheets that have an empty score at all, and only those cells)."""
    empty: dict[str, dict[str, list[tuple[RawEntry, str]]]] = {}  # sheet → A1 → (entry, key)
    for entry in entries:
        for key, raw in entry.scores.items():
            if raw.value == "" and raw.location.sheet is not None and raw.location.cell:
                at = empty.setdefault(raw.location.sheet, {})
                at.setdefault(raw.location.cell, []).append((entry, key))
    for sheet, at in empty.items():
        for cell, error in blank_reasons(path, sheet, at).items():
            for entry, key in at.get(cell, []):
                entry.scores[key] = entry.scores[key].marked(error is None, error)


def entries_from_sheets(sheets: Iterable[Sheet], shown: str, layout: Layout) -> Iterable[RawEntry]:
    """Entries of every sheet laid out as a consolidated table or a score sheet."""
    for sheet in sheets:
        table = _consolidated(sheet, shown, layout)
        if table is not None:
            yield from table
            continue
        entry = _score_sheet(sheet, shown, layout)
        if entry is not None:
            yield entry


_value = RawValue.at


def _heading(sheet: Sheet, i: int, j: int, folded: bool = True) -> str:
    """The heading of column j at header row i, looking up through merged cells: folded
    (`label_key`), or as written."""
    for k in range(i, max(-1, i - HEADER_SEARCH_UP - 1), -1):
        row = sheet.rows[k]
        if j < len(row) and clean(row[j]):
            return label_key(row[j]) if folded else clean(row[j])
    return ""


def _consolidated(sheet: Sheet, shown: str, layout: Layout) -> list[RawEntry] | None:
    """Entries of an annex-like table, or None when the sheet has no such header row: one
    naming every leaf of a set (then read leaf by leaf) or every top-level criterion."""
    table = consolidated_table(sheet, shown, layout)
    return None if table is None else table[1]


@dataclass
class TableColumns:
    """What each column of a consolidated table holds, found from its header row."""

    header: int  # the header row's index in the sheet
    criteria_set: str  # the key of the set the header names
    name: int  # the unit-name column
    scores: dict[str, int]  # criterion key → column, at the level read (leaves or top level)
    subtotals: dict[str, int]  # parent criteria also shown, in a table read leaf by leaf
    fields: dict[str, int]  # "number", "rank", "total", "self_total", "index", "grade" → column
    placed: dict[int, str]  # every other column with a known heading → its kind
    unplaced: list[tuple[int, str]]  # (column, heading as written) of headings not understood
    in_rank: str = ""  # a criterion read from the value printed beside each rank (01 (0,727))

    def heading(self, sheet: Sheet, j: int) -> str:
        """The heading of column j as written (through merged cells above)."""
        return _heading(sheet, self.header, j, folded=False)


def consolidated_table(
    sheet: Sheet, shown: str, layout: Layout
) -> tuple[TableColumns, list[RawEntry]] | None:
    """The first annex-like table of a sheet: its columns and entries, or None. When its
    header names several sets or levels (a detail sheet names parents and leaves; a CSV of
    every set names them all), the one whose rows fill every score most often is read."""
    form_rows: int | None = None  # below this row of a score sheet, rows are criteria
    for i, row in enumerate(sheet.rows):
        best, most = None, -1
        for set_layout, level, columns in layout.headers(row):
            if len(level) == 1:  # one label: a score sheet's criterion row names as much
                if form_rows is None:
                    item = _item_header(sheet)
                    form_rows = (
                        item[0]
                        if item and _labelled_value(sheet, shown, UNIT_LABELS)
                        else len(sheet.rows)
                    )
                if i > form_rows:
                    continue
            placed = _columns(sheet, layout, i, set_layout, level, columns)
            if placed is None:
                continue
            entries = _table_rows(sheet, shown, placed)
            full = sum(all(_filled(v.value) for v in e.scores.values()) for e in entries)
            if full > most:
                best, most = (placed, entries, set_layout.key), full
        if best is None:
            continue
        placed, entries, key = best
        for entry in entries:
            entry.criteria_set = key
        return placed, entries
    return None


def _columns(
    sheet: Sheet,
    layout: Layout,
    header: int,
    set_layout: SetLayout,
    level: list[Criterion],
    columns: dict[str, int],
) -> TableColumns | None:
    """Place every column of the table whose header row is `header`; None when it has no
    name column. A column of "rank (value)" cells ("01 (0,727)") is a rank column whatever
    its heading ("Năm 2017"); one headed with another year is last year's, known and left."""
    width = max(len(r) for r in sheet.rows)
    headings = {j: _heading(sheet, header, j) for j in range(width)}
    kinds = {j: layout.kind(h) for j, h in headings.items() if h}
    first = min(columns.values()) if columns else width  # no criterion column: see below
    left = [j for j in range(first) if kinds.get(j) in (None, "name")]
    if not columns:
        left = [j for j in left if kinds.get(j) == "name" or headings[j] in layout.name_headers]
    named = [j for j in left if kinds.get(j) == "name" or headings[j] in layout.name_headers]
    if not named and not left:
        return None
    name = named[0] if named else left[-1]
    taken = {name, *columns.values()}
    subtotals = {}
    for j, h in headings.items():
        key = set_layout.criterion(h) if j not in taken else None
        if key and key not in columns and key not in subtotals:
            subtotals[key] = j
    taken |= set(subtotals.values())
    fields: dict[str, int] = {}
    placed: dict[int, str] = {}
    unplaced: list[tuple[int, str]] = []
    for j in range(width):
        if j in taken:
            continue
        if any(other.criterion(headings[j]) for other in layout.sets):
            placed[j] = "criterion"  # another set's (a CSV of every group), or another level
            continue
        kind = kinds.get(j)
        if kind is None:
            kind = _by_content(sheet, header, j, headings[j], layout.year)
        if kind is None:
            if headings[j] or any(_filled(r[j]) for r in sheet.rows[header + 1 :] if j < len(r)):
                unplaced.append((j, _heading(sheet, header, j, folded=False)))
        elif kind in ("number", "rank", "total", "self_total", "index", "grade") and (
            kind not in fields
        ):
            fields[kind] = j
        else:
            placed[j] = kind
    in_rank = ""
    if not columns:  # the value is the index column, or printed beside each rank
        (criterion,) = level
        if "index" in fields:
            columns = {criterion.key: fields["index"]}
        elif "rank" in fields:
            columns, in_rank = {criterion.key: fields["rank"]}, criterion.key
        else:
            return None
    return TableColumns(
        header, set_layout.key, name, columns, subtotals, fields, placed, unplaced, in_rank
    )


def _by_content(sheet: Sheet, header: int, j: int, heading: str, year: int) -> str | None:
    """ "rank" for a column whose every filled cell is a rank printed with its value
    ("01 (0,727)", "1 - 0,9291"), "previous" when its heading names another year; else None."""
    cells = [r[j] for r in sheet.rows[header + 1 :] if j < len(r) and _filled(r[j])]
    if not cells or not all((rank_cell(c) or (0, None))[1] is not None for c in cells):
        return None
    other_year = heading.startswith("nam ") and heading[4:].strip() not in ("", str(year))
    return "previous" if other_year else "rank"


def _table_rows(sheet: Sheet, shown: str, columns: TableColumns) -> list[RawEntry]:
    name_col = columns.name
    score_cols = list(columns.scores.items())
    optional = [
        (field, j)
        for field, j in columns.fields.items()
        if field in ("total", "grade", "number", "rank", "index", "self_total")
    ]
    subtotals = list(columns.subtotals.items())
    in_rank = columns.in_rank
    entries = []
    for i in range(columns.header + 1, len(sheet.rows)):
        row = sheet.rows[i]
        width = len(row)
        if not (name_col < width and _filled(row[name_col])) or not any(
            j < width and _filled(row[j]) for _, j in score_cols
        ):
            continue  # blank, section or note row
        entries.append(
            RawEntry(
                name=_value(sheet, shown, i, name_col),
                scores={key: _score(sheet, shown, i, j, key == in_rank) for key, j in score_cols},
                subtotals={key: _value(sheet, shown, i, j) for key, j in subtotals},
                **{field: _value(sheet, shown, i, j) for field, j in optional},
            )
        )
    return entries


def _score(sheet: Sheet, shown: str, i: int, j: int, in_rank: bool) -> RawValue:
    """A score cell, or the value printed in a rank cell ("01 (0,727)" → "0,727")."""
    raw = _value(sheet, shown, i, j)
    if not in_rank:
        return raw
    cell = rank_cell(raw.value)
    value = cell[1] if cell else None
    return RawValue("" if value is None else str(value).replace(".", ","), raw.location)


def _filled(value: object) -> bool:
    """Whether a cell holds something: a number, or text that is not only spaces."""
    return value != "" and value is not None and (not isinstance(value, str) or bool(clean(value)))


def _score_sheet(sheet: Sheet, shown: str, layout: Layout) -> RawEntry | None:
    """The entry of a per-unit score sheet, or None when the sheet is not one. Its rows are
    read against the criteria set whose labels they name most; the leaves are read (parent
    rows are headings), or the top-level criteria when no leaf has a row."""
    name = _labelled_value(sheet, shown, UNIT_LABELS)
    header = _item_header(sheet)
    if name is None or header is None:
        return None
    i0, item_col, score_col, verified_col, reason_col, evidence_col, explanation_col = header
    set_layout = max(layout.sets, key=lambda s: _rows_named(sheet, i0, item_col, s))  # first wins
    rows: dict[str, int] = {}
    figures: dict[str, RawValue] = {}
    total = grade = None
    foreign: list[RawValue] = []  # labelled rows of the table that name no criterion
    in_table = True  # until the total row, or the first unlabelled row after a criterion
    for i in range(i0 + 1, len(sheet.rows)):
        row = sheet.rows[i]
        label = row[item_col] if item_col < len(row) else ""
        key = set_layout.criterion(label)
        figure = set_layout.figure(label)
        if figure:
            figures.setdefault(figure, _value(sheet, shown, i, score_col))
        elif key and key not in rows:
            rows[key] = i
        elif label_key(label) in TOTAL_HEADERS and total is None:
            total = _value(sheet, shown, i, score_col)
            in_table = False
        elif label_key(label) in GRADE_HEADERS and grade is None:
            grade = _value(sheet, shown, i, score_col)
        elif not clean(label):
            in_table = in_table and not rows
        elif in_table:
            foreign.append(_value(sheet, shown, i, item_col))
    if not rows:
        return None
    leaves = set_layout.leaves
    level = leaves if any(c.key in rows for c in leaves) else set_layout.criteria
    scores = {c.key: _value(sheet, shown, rows[c.key], score_col) for c in level if c.key in rows}
    verified, reasons = {}, {}
    if verified_col is not None:
        for key in scores:
            raw = _value(sheet, shown, rows[key], verified_col)
            if clean(raw.value):
                verified[key] = raw
                if reason_col is not None:
                    reasons[key] = _value(sheet, shown, rows[key], reason_col)
    leaf_keys = {c.key for c in leaves}
    evidence = {}
    explanations = {}
    for key in (k for k in scores if k in leaf_keys):
        if evidence_col is not None:
            evidence[key] = _value(sheet, shown, rows[key], evidence_col)
        if explanation_col is not None:
            explanations[key] = _value(sheet, shown, rows[key], explanation_col)
    subtotals = {
        key: _value(sheet, shown, i, score_col)
        for key, i in rows.items()
        if level is leaves and key in set_layout.parents
    }
    absent = [c.key for c in level if c.key not in rows]
    for key in absent:  # a criterion row that is absent reads as an empty score
        scores[key] = RawValue("", Location(shown, sheet.name))
    year = _labelled_value(sheet, shown, YEAR_LABELS)
    return RawEntry(
        name,
        scores,
        total,
        grade,
        year=year,
        foreign_rows=foreign,
        absent=absent,
        criteria_set=set_layout.key,
        verified=verified,
        reasons=reasons,
        subtotals=subtotals,
        figures=figures,
        evidence=evidence,
        explanations=explanations,
    )


def _rows_named(sheet: Sheet, i0: int, item_col: int, set_layout: SetLayout) -> tuple[int, int]:
    """How many rows below the header name a node of the set, and (negated) how many of the
    set's nodes no row names: the set a sheet covers most, and most completely, wins."""
    named = {
        set_layout.criterion(row[item_col])
        for row in sheet.rows[i0 + 1 :]
        if item_col < len(row) and set_layout.criterion(row[item_col])
    }
    return len(named), len(named) - set_layout.size


def _verification_rows(sheet: Sheet, shown: str) -> list[RawVerification] | None:
    """The rows of a verification list, or None when the sheet is not one: a header row with
    a unit column, an indicator column, "Điểm thẩm định" and "Lý do"."""
    for i, row in enumerate(sheet.rows):
        if sum(isinstance(c, str) and bool(c.strip()) for c in row) < 4:
            continue  # a header names four columns: spares folding every unit row of a table
        folded = [label_key(c) if isinstance(c, str) else "" for c in row]
        columns = [
            next((j for j, h in enumerate(folded) if h in wanted), None)
            for wanted in (NAME_HEADERS, ITEM_HEADERS, VERIFIED_HEADERS, REASON_HEADERS)
        ]
        if any(j is None for j in columns):
            continue
        unit, item, score, reason = columns
        conclusion = next((j for j, h in enumerate(folded) if h in CONCLUSION_HEADERS), None)
        accepted = next((j for j, h in enumerate(folded) if h in ACCEPTED_HEADERS), None)
        out = []
        for k in range(i + 1, len(sheet.rows)):
            values = [_value(sheet, shown, k, j) for j in (unit, item, score, reason)]
            if not any(clean(v.value) for v in values[:3]):
                continue  # a blank or note row
            extra = [
                None if j is None else _value(sheet, shown, k, j) for j in (conclusion, accepted)
            ]
            out.append(RawVerification(*values, *extra))
        return out
    return None


def _answer_rows(sheet: Sheet, shown: str) -> list[RawAnswer] | None:
    """The rows of a returned answer workbook, or None when the sheet is not one: a cell
    "Đơn vị:" and, in the first ANSWER_HEADER_ROWS rows, a header row with "Tiêu chí" and "Ý
    kiến của đơn vị" (looked for in the top rows only: a 100 000-row table is not folded
    cell by cell once more)."""
    for i, row in enumerate(sheet.rows[:ANSWER_HEADER_ROWS]):
        if sum(isinstance(c, str) and bool(c.strip()) for c in row) < 4:
            continue  # the header names ten columns
        folded = [label_key(c) if isinstance(c, str) else "" for c in row]
        if not any(h in OPINION_HEADERS for h in folded):
            continue
        unit = _labelled_value(sheet, shown, UNIT_LABELS)
        item = next((j for j, h in enumerate(folded) if h in ITEM_HEADERS), None)
        if unit is None or item is None:
            return None

        def column(test: Callable[[str], bool], folded: list[str] = folded) -> int | None:
            return next((j for j, h in enumerate(folded) if h and test(h)), None)

        columns = [
            column(lambda h: h.startswith("diem tham dinh")),
            column(lambda h: h in REASON_HEADERS),
            column(lambda h: h in OPINION_HEADERS),
            column(lambda h: h.startswith(EXPLANATION_PREFIX)),
            column(lambda h: h.startswith(EVIDENCE_PREFIX)),
        ]
        council = [
            column(lambda h: h in CONCLUSION_HEADERS),
            column(lambda h: h in ACCEPTED_HEADERS),
        ]
        answered = _labelled_value(sheet, shown, ANSWERED_LABELS)
        received = _labelled_value(sheet, shown, RECEIVED_LABELS)
        out = []
        for k in range(i + 1, len(sheet.rows)):
            label = _value(sheet, shown, k, item)
            if not clean(label.value):
                continue  # a blank or note row
            cells = [
                RawValue("", label.location) if j is None else _value(sheet, shown, k, j)
                for j in columns
            ]
            extra = [None if j is None else _value(sheet, shown, k, j) for j in council]
            out.append(RawAnswer(unit, label, *cells, *extra, answered, received))
        return out
    return None


def _labelled_value(sheet: Sheet, shown: str, labels: set[str]) -> RawValue | None:
    """The first non-empty cell right of a cell whose folded text is one of `labels`."""
    for i, row in enumerate(sheet.rows):
        for j, cell in enumerate(row):
            if isinstance(cell, str) and label_key(cell) in labels:
                for k in range(j + 1, len(row)):
                    if clean(row[k]):
                        return _value(sheet, shown, i, k)
    return None


def _item_header(
    sheet: Sheet,
) -> tuple[int, int, int, int | None, int | None, int | None, int | None] | None:
    """(row, criterion-label column, score column, verified-score column, reason column,
    evidence column, explanation column) of a score sheet's table header (the last four None
    when absent). The score column is the last "Điểm ..." that is neither the maximum nor the
    verified score."""
    for i, row in enumerate(sheet.rows):
        folded = [label_key(c) if isinstance(c, str) else "" for c in row]
        item = next((j for j, h in enumerate(folded) if h in ITEM_HEADERS), None)
        if item is None:
            continue
        verified = next((j for j, h in enumerate(folded) if h in VERIFIED_HEADERS), None)
        scores = [
            j
            for j, h in enumerate(folded)
            if j not in (item, verified) and h.startswith("diem") and "toi da" not in h
        ]
        reason = next((j for j, h in enumerate(folded) if h in REASON_HEADERS), None)
        evidence = next((j for j, h in enumerate(folded) if h.startswith(EVIDENCE_PREFIX)), None)
        explained = next(
            (j for j, h in enumerate(folded) if h.startswith(EXPLANATION_PREFIX)), None
        )
        if scores:
            return i, item, scores[-1], verified, reason, evidence, explained
    return None
