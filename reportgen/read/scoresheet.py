"""The score sheet (the form reportgen generates): a cell "Đơn vị:" followed by the unit
name, and a table with a "Tiêu chí" column and a score column ("Điểm tự chấm"), optionally
a verified-score column ("Điểm thẩm định") with its "Lý do", and "Minh chứng" and "Giải
trình" columns; one row per indicator under its parents' headings."""

from __future__ import annotations

from reportgen.core.location import Location
from reportgen.core.text import clean, label_key
from reportgen.read.headings import (
    EVIDENCE_PREFIX,
    EXPLANATION_PREFIX,
    GRADE_HEADERS,
    ITEM_HEADERS,
    REASON_HEADERS,
    TOTAL_HEADERS,
    UNIT_LABELS,
    VERIFIED_HEADERS,
    YEAR_LABELS,
    labelled_value,
)
from reportgen.read.layout import Layout, SetLayout
from reportgen.read.raw import RawEntry, RawValue
from reportgen.read.workbook import Sheet


def score_sheet_entry(sheet: Sheet, shown: str, layout: Layout) -> RawEntry | None:
    """The entry of a per-unit score sheet, or None when the sheet is not one. Its rows are
    read against the criteria set whose labels they name most; the leaves are read (parent
    rows are headings), or the top-level criteria when no leaf has a row."""
    name = labelled_value(sheet, shown, UNIT_LABELS)
    header = item_header(sheet)
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
            figures.setdefault(figure, RawValue.at(sheet, shown, i, score_col))
        elif key and key not in rows:
            rows[key] = i
        elif label_key(label) in TOTAL_HEADERS and total is None:
            total = RawValue.at(sheet, shown, i, score_col)
            in_table = False
        elif label_key(label) in GRADE_HEADERS and grade is None:
            grade = RawValue.at(sheet, shown, i, score_col)
        elif not clean(label):
            in_table = in_table and not rows
        elif in_table:
            foreign.append(RawValue.at(sheet, shown, i, item_col))
    if not rows:
        return None
    leaves = set_layout.leaves
    level = leaves if any(c.key in rows for c in leaves) else set_layout.criteria
    scores = {
        c.key: RawValue.at(sheet, shown, rows[c.key], score_col) for c in level if c.key in rows
    }
    verified, reasons = {}, {}
    if verified_col is not None:
        for key in scores:
            raw = RawValue.at(sheet, shown, rows[key], verified_col)
            if clean(raw.value):
                verified[key] = raw
                if reason_col is not None:
                    reasons[key] = RawValue.at(sheet, shown, rows[key], reason_col)
    leaf_keys = {c.key for c in leaves}
    evidence = {}
    explanations = {}
    for key in (k for k in scores if k in leaf_keys):
        if evidence_col is not None:
            evidence[key] = RawValue.at(sheet, shown, rows[key], evidence_col)
        if explanation_col is not None:
            explanations[key] = RawValue.at(sheet, shown, rows[key], explanation_col)
    subtotals = {
        key: RawValue.at(sheet, shown, i, score_col)
        for key, i in rows.items()
        if level is leaves and key in set_layout.parents
    }
    absent = [c.key for c in level if c.key not in rows]
    for key in absent:  # a criterion row that is absent reads as an empty score
        scores[key] = RawValue("", Location(shown, sheet.name))
    year = labelled_value(sheet, shown, YEAR_LABELS)
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


def item_header(
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
