"""Reading submissions: workbooks in, plain `RawEntry` records out (values as they were
written, each with its file, sheet and cell). No judgement of the values happens here —
that is `validate`'s job.

Layouts are recognised on any sheet, found by their labels, not by fixed positions: the
consolidated table (`consolidated`), the score sheet (`scoresheet`), the Sở's verification
list (`verification`) and the answer workbook of a preliminary notice (`answer_sheet`).

An entry is read against the criteria set whose labels it matches best; validate checks
that it is the set of the unit's group."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.config import Assessment
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location
from reportgen.read.answer_sheet import answer_rows
from reportgen.read.consolidated import consolidated_table
from reportgen.read.discover import collect_files, drop_resends
from reportgen.read.layout import Layout
from reportgen.read.pool import POOL_MIN_FILES, read_files
from reportgen.read.raw import RawAnswer, RawEntry, RawVerification
from reportgen.read.scoresheet import score_sheet_entry
from reportgen.read.verification import verification_rows
from reportgen.read.workbook import Sheet, blank_reasons, read_sheets
from reportgen.safety.xmlsafe import enable_defusedxml


@dataclass
class Ingested:
    """What `ingest` read: entries, verification and answer rows, file-level findings."""

    entries: list[RawEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    verifications: list[RawVerification] = field(default_factory=list)
    answers: list[RawAnswer] = field(default_factory=list)


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
    for done, (entries, problems) in enumerate(
        read_files(files, ingest_file, layout, pool_min_files), 1
    ):
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


def ingest_file(path: Path, shown: str, layout: Layout) -> tuple[list[RawEntry], list[Finding]]:
    """The entries of one workbook, or the findings saying why there are none."""
    sheets, problems = read_sheets(path, shown)
    if problems:
        return [], problems
    entries: list = []
    for sheet in sheets:
        rows = answer_rows(sheet, shown)
        if rows is None:
            rows = verification_rows(sheet, shown)
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
        table = consolidated_table(sheet, shown, layout)
        if table is not None:
            yield from table[1]
            continue
        entry = score_sheet_entry(sheet, shown, layout)
        if entry is not None:
            yield entry
