"""Per-unit statements (phiếu điểm), written with XlsxWriter: every criterion of the unit's
tree with its maximum, self-score, final score, evidence and the reason for any change —
what the department sends a unit that asks why it ranked where it did. `phieu-diem/<unit>.xlsx`
holds one unit; `phieu-diem.xlsx` all of them, a sheet each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportgen.config import Assessment, CriteriaSet, numbered
from reportgen.core.numbers import format_number
from reportgen.judge.rank import GroupResult, Row
from reportgen.judge.verified import Adjustment
from reportgen.read.evidence import Cited
from reportgen.render.book import Book, merged, print_a4
from reportgen.render.safe import write
from reportgen.render.tables import NOT_APPLICABLE_TEXT

FONT = "Times New Roman"
HEADINGS = [
    "STT",
    "Tiêu chí",
    "Điểm tối đa",
    "Điểm tự chấm",
    "Điểm cuối cùng",
    "Minh chứng",
    "Lý do điều chỉnh",
]
WIDTHS = (7, 44, 10, 10, 10, 44, 50)
LINE_PT = 16  # a wrapped line of 12 pt Times New Roman
FOLDER = "phieu-diem"
ALL = "phieu-diem.xlsx"


@dataclass(frozen=True)
class Statement:
    """What one unit's statement shows."""

    unit: str
    group: str
    criteria: CriteriaSet
    row: Row
    ranked_of: int  # units ranked in the group
    evidence: dict[str, Cited]  # leaf key → its evidence
    adjustments: dict[str, Adjustment]  # leaf key → its change


def statements(
    results: list[GroupResult],
    evidence: Sequence[Cited],
    adjustments: Sequence[Adjustment],
) -> list[Statement]:
    """A statement for every assessed unit, in result order."""
    cited = {(c.unit, c.key): c for c in evidence}
    changed = {(a.unit, a.key): a for a in adjustments}
    out = []
    for result in results:
        ranked = sum(r.rank is not None for r in result.rows)
        for row in result.rows:
            keys = [c.key for _, c in result.criteria.nodes]
            out.append(
                Statement(
                    row.unit,
                    result.group.name,
                    result.criteria,
                    row,
                    ranked,
                    {k: cited[(row.unit, k)] for k in keys if (row.unit, k) in cited},
                    {k: changed[(row.unit, k)] for k in keys if (row.unit, k) in changed},
                )
            )
    return out


def history(a: Adjustment, decimals: int) -> str:
    """An adjustment's stages in a sentence: verified (reason), the answer, the conclusion."""

    def n(value) -> str:
        return NOT_APPLICABLE_TEXT if value is None else format_number(value, decimals)

    parts = [f"Thẩm định: {n(a.self_score)} → {n(a.verified)} ({a.reason or 'không ghi lý do'})"]
    if a.answer is not None and a.answer.agrees:
        parts.append("đơn vị thống nhất")
    elif a.answer is not None:
        said = "; ".join(t for t in (a.answer.explanation, a.answer.evidence) if t)
        parts.append(f"đơn vị giải trình: {said}" if said else "đơn vị giải trình")
        if a.conclusion is None:
            parts.append("Hội đồng chưa kết luận")
        elif a.conclusion.accepted:
            parts.append(f"Hội đồng chấp nhận: {n(a.conclusion.score)}")
        else:
            parts.append("Hội đồng giữ nguyên")
    return "; ".join(parts) + "."


def unit_bytes(assessment: Assessment, statement: Statement) -> bytes:
    """One unit's statement as .xlsx bytes."""
    return _workbook(assessment, [statement])


def all_bytes(assessment: Assessment, all_statements: list[Statement]) -> bytes:
    """Every unit's statement, a sheet each, as one workbook."""
    return _workbook(assessment, all_statements)


def _workbook(assessment: Assessment, items: list[Statement]) -> bytes:
    book = Book(dt.datetime.combine(assessment.stamp, dt.time()))
    formats = text_formats(book, assessment.scoring.decimals)
    for statement in items:
        _sheet(book.sheet(statement.unit), formats, assessment, statement)
    return book.bytes()


def row_height(cells: Sequence[tuple[str, float]], lines: int = 1) -> float:
    """A row tall enough for its wrapped texts — (text, column width) pairs, a width holding
    about that many letters, each line of the text wrapping on its own — and at least
    `lines` lines (XlsxWriter sets no height by itself; LibreOffice and Excel keep it)."""
    for text, width in cells:
        per_line = max(1, int(width) - 2)
        lines = max(lines, sum(-(-len(part) // per_line) or 1 for part in text.split("\n")))
    return LINE_PT * lines + 4


def _sheet(ws, f: dict, assessment: Assessment, s: Statement) -> None:
    decimals = assessment.scoring.decimals
    last = len(HEADINGS) - 1
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    merged(ws, 0, 0, last, f"PHIẾU ĐIỂM NĂM {assessment.year}", f["title"])
    merged(ws, 1, 0, last, assessment.title[:1].upper() + assessment.title[1:], f["centre"])
    row = s.row
    rank = f"{row.rank} trên {s.ranked_of} đơn vị xếp hạng" if row.rank else "không xếp hạng"
    facts = [
        ("Đơn vị:", s.unit),
        ("Khối:", s.group),
        ("Tổng điểm tự chấm:", format_number(row.self_total or row.total, decimals)),
        ("Tổng điểm cuối cùng:", format_number(row.total, decimals)),
        ("Xếp hạng trong khối:", rank),
    ]
    if row.grade:
        facts.append(("Xếp loại:", row.grade))
    for i, (label, value) in enumerate(facts, start=2):
        merged(ws, i, 0, 1, label, f["label"])
        merged(ws, i, 2, last, value, f["text"])
    header = len(facts) + 3
    for col, heading in enumerate(HEADINGS):
        write(ws, header, col, heading, f["header"])
    ws.set_row(header, row_height([(h, w) for h, w in zip(HEADINGS, WIDTHS)]))
    own = row.self_scores or row.scores
    r = header
    for number, c in numbered(s.criteria.criteria):
        r += 1
        bold = "bold_" if c.items else ""
        write(ws, r, 0, number, f[f"{bold}centre_box"])
        write(ws, r, 1, c.label, f[f"{bold}box"])
        write(ws, r, 2, c.max, f[f"{bold}number"])
        write(ws, r, 3, own.get(c.key), f[f"{bold}number"])
        write(ws, r, 4, row.scores.get(c.key), f[f"{bold}number"])
        cited = s.evidence.get(c.key)
        text = ""
        if cited is not None:
            text = cited.text or (f"Giải trình: {cited.explanation}" if cited.explanation else "")
        write(ws, r, 5, text, f["box"])
        change = s.adjustments.get(c.key)
        why = history(change, decimals) if change else ""
        write(ws, r, 6, why, f["box"])
        ws.set_row(r, row_height([(c.label, WIDTHS[1]), (text, WIDTHS[5]), (why, WIDTHS[6])]))
    r += 1
    write(ws, r, 0, None, f["box"])
    write(ws, r, 1, "Tổng cộng", f["bold_box"])
    write(ws, r, 2, s.criteria.max_total, f["bold_number"])
    write(ws, r, 3, row.self_total or row.total, f["bold_number"])
    write(ws, r, 4, row.total, f["bold_number"])
    for col in (5, 6):
        write(ws, r, col, None, f["box"])
    print_a4(ws, landscape=True, title_row=header)


def text_formats(book: Book, decimals: int) -> dict:
    """The looks of the round's workbooks (statements, answer workbooks): Times New Roman
    12, boxed table cells, scores with at most `decimals` decimals; "box_props" the boxed
    cell's properties and "num_format" the scores' number format, for looks of one's own."""
    number = "0" if decimals == 0 else "0." + "#" * decimals
    base = {"font_name": FONT, "font_size": 12, "valign": "vcenter"}
    box = {**base, "border": 1, "text_wrap": True}
    add = book.format
    return {
        "box_props": box,
        "num_format": number,
        "title": add(**{**base, "font_size": 14}, bold=True, align="center"),
        "centre": add(**base, align="center", text_wrap=True),
        "label": add(**base, bold=True),
        "text": add(**base),
        "wrap": add(**base, text_wrap=True),
        "header": add(**box, bold=True, align="center"),
        "box": add(**box),
        "bold_box": add(**box, bold=True),
        "centre_box": add(**box, align="center"),
        "bold_centre_box": add(**box, align="center", bold=True),
        "number": add(**box, align="center", num_format=number),
        "bold_number": add(**box, align="center", bold=True, num_format=number),
    }
