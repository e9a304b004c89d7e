"""The consolidated table (the annex layout): a header row naming every top-level criterion,
or every leaf, of one criteria set, one row per unit; each column placed by its heading
(or, for a rank printed with its value, by its content)."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config import Criterion
from reportgen.core.numbers import rank_cell
from reportgen.core.text import clean
from reportgen.read.headings import UNIT_LABELS, column_heading, labelled_value
from reportgen.read.layout import Layout, SetLayout
from reportgen.read.raw import RawEntry, RawValue
from reportgen.read.scoresheet import item_header
from reportgen.read.workbook import Sheet

_value = RawValue.at  # bound once: a table has a cell per unit and column


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
        return column_heading(sheet, self.header, j, folded=False)


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
                    item = item_header(sheet)
                    form_rows = (
                        item[0]
                        if item and labelled_value(sheet, shown, UNIT_LABELS)
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
    headings = {j: column_heading(sheet, header, j) for j in range(width)}
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
                unplaced.append((j, column_heading(sheet, header, j, folded=False)))
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
