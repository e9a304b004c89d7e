"""Year-over-year in the outputs: two sheets of the annex workbook ("So với năm …" per unit,
"Tóm tắt") and the extra fields of ket-qua.json."""

from __future__ import annotations

from reportgen.config import Assessment
from reportgen.core.numbers import format_number
from reportgen.judge.comparison import Change, Comparison, PastRow, Summary
from reportgen.render.book import Book, lines_in, merged, print_a4
from reportgen.render.safe import write

_FONT = "Times New Roman"
_CHANGE = 5  # the column "Thay đổi" (0-based)
_WIDTHS = [38, 11, 9, 11, 9, 11, 40]  # characters: unit, 4 numbers, change, note
_SUMMARY_WIDTH = 100  # characters: the summary's one column, within an A4 landscape page


def comparison_title(comparison: Comparison) -> str:
    return f"So với năm {comparison.previous_year or 'trước'}"


def add_comparison_sheet(book: Book, assessment: Assessment, comparison: Comparison) -> None:
    """A title, one header row (repeated on every printed page), then per group a row with
    its name, every unit's total and rank this year and last, the change, new and merged
    units, and last year's units that are gone. A4 landscape, one page wide."""
    ws = book.sheet(comparison_title(comparison))
    year, last = assessment.year, comparison.previous_year or "trước"
    decimals = assessment.scoring.decimals
    headings = [
        "Đơn vị",
        f"Tổng {year}",
        f"Hạng {year}",
        f"Tổng {last}",
        f"Hạng {last}",
        "Thay đổi",
        "Ghi chú",
    ]
    for c, width in enumerate(_WIDTHS):
        ws.set_column(c, c, width)
    title = book.format(font_name=_FONT, bold=True, font_size=13, align="center", valign="vcenter")
    merged(ws, 0, 0, len(headings) - 1, f"So sánh kết quả năm {year} với năm {last}", title)
    group_format = book.format(
        font_name=_FONT, font_size=12, bold=True, border=1, align="left", valign="vcenter"
    )
    header = 2
    _row(book, ws, header, headings, header=True)
    row = header
    for group in assessment.groups:
        changes = comparison.in_group(group.key)
        gone = comparison.gone_from(group.key)
        if not changes and not gone:
            continue
        row += 1  # the group's name across the table, in bold
        merged(ws, row, 0, len(headings) - 1, group.name, group_format)
        for change in changes:
            row += 1
            _row(book, ws, row, _change_cells(change, decimals))
        for past in gone:
            row += 1
            _row(book, ws, row, _gone_cells(past, decimals))
    ws.freeze_panes(header + 1, 1)  # the names and the header row stay in view
    print_a4(ws, title_row=header)


def _change_cells(c: Change, decimals: int) -> list[object]:
    p = c.previous
    note = {
        "new": "",
        "merged": "sáp nhập từ "
        + "; ".join(
            f"{m.unit} (hạng {m.rank}, {format_number(m.total, decimals)})" for m in c.merged_from
        ),
        "renamed": f"đổi tên từ {p.unit}" if p else "",
        "same": "",
    }[c.status]
    if p is not None and p.group != c.group:
        note = (note + "; " if note else "") + "năm trước ở khối khác"
    return [
        c.unit,
        c.total,
        c.rank,
        p.total if p else None,
        p.rank if p else None,
        c.mark if c.status not in ("merged",) else "",
        note,
    ]


def _gone_cells(p: PastRow, decimals: int) -> list[object]:
    return [p.unit, None, None, p.total, p.rank, "", "không còn trong đợt này"]


def _row(book: Book, ws, r: int, values: list[object], header: bool = False) -> None:
    for c, value in enumerate(values):
        fmt = book.format(
            font_name=_FONT,
            font_size=12,
            bold=header,
            border=1,
            align="left" if c in (0, 6) else "center",
            valign="vcenter",
            text_wrap=True,
        )
        write(ws, r, c, value, fmt, mark=c == _CHANGE and not header)
    texts = [(str(v), w) for v, w in zip(values, _WIDTHS) if isinstance(v, str)]
    lines = max((lines_in(text, width) for text, width in texts), default=1)
    if lines > 1 and not header:  # a long note or name: the row grows with it
        ws.set_row(r, 16 * lines)


def add_summary_sheet(book: Book, summary: Summary, decimals: int) -> None:
    """A sheet "Tóm tắt": the summary lines, one per row."""
    ws = book.sheet("Tóm tắt")
    ws.set_column(0, 0, _SUMMARY_WIDTH)
    print_a4(ws)
    title = f"Tóm tắt so với năm {summary.previous_year or 'trước'}"
    write(ws, 0, 0, title, book.format(font_name=_FONT, bold=True, font_size=13))
    line_format = book.format(font_name=_FONT, font_size=12, text_wrap=True, valign="top")
    for r, line in enumerate(summary.lines(decimals), start=2):
        write(ws, r, 0, line, line_format)
        if lines_in(line, _SUMMARY_WIDTH) > 1:
            ws.set_row(r, 16 * lines_in(line, _SUMMARY_WIDTH))


def annotate(document: dict, comparison: Comparison) -> dict:
    """ket-qua.json (schema 2) with `previous_year`; per group the units `gone`; per result
    `previous` ({rank, total[, index][, unit when renamed]} or null), `rank_change`, `change`
    and, for a merged unit, `merged_from`."""
    changes = comparison.by_unit()
    document["previous_year"] = comparison.previous_year
    for group in document["groups"]:
        for r in group["results"]:
            c = changes.get(r["unit"])
            if c is None:
                continue
            r["previous"] = _past(c.previous, c.unit) if c.previous else None
            r["rank_change"] = c.rank_change
            r["change"] = c.note
            if c.merged_from:
                r["merged_from"] = [_past(p) for p in c.merged_from]
        group["gone"] = [_past(p) for p in comparison.gone_from(group["key"])]
    return document


def _past(p: PastRow, unit: str | None = None) -> dict[str, object]:
    out: dict[str, object] = {} if p.unit == unit else {"unit": p.unit}
    out["rank"] = p.rank
    out["total"] = p.total
    if p.index is not None:
        out["index"] = p.index
    return out


def annotate_records(records: list[dict[str, object]], comparison: Comparison) -> None:
    """ket-qua.csv's rows with `previous_rank`, `previous_total`, `previous_index` (when the
    rows have an index), `rank_change` and `change` (as in ket-qua.json) added at the end."""
    changes = comparison.by_unit()
    for record in records:
        c = changes.get(str(record["unit"]))
        p = c.previous if c else None
        record["previous_rank"] = p.rank if p else None
        record["previous_total"] = p.total if p else None
        if "index" in record:
            record["previous_index"] = p.index if p else None
        record["rank_change"] = c.rank_change if c else None
        record["change"] = c.note if c else ""
