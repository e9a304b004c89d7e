"""The findings report `bao-cao-kiem-tra.xlsx`: one row per finding, and a summary per unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from reportgen.config import Assessment
from reportgen.core.findings import Finding, Severity, UnitStatus, counts_by_unit
from reportgen.core.numbers import format_number
from reportgen.core.vnformat import short_date
from reportgen.judge.figures import Computation
from reportgen.judge.verified import Adjustment
from reportgen.read.evidence import Cited
from reportgen.render.book import Book, lines_in, print_a4
from reportgen.render.safe import write
from reportgen.render.tables import ADJUSTMENT_HEADINGS, adjustment_row

REGISTER_HEADINGS = [
    "STT",
    "Tiêu chí",
    "Khối",
    "Đơn vị",
    "Điểm tự chấm",
    "Minh chứng",
    "Số, ký hiệu",
    "Ngày",
    "Đường dẫn",
    "Giải trình",
    "Tệp",
    "Ô",
]
SEVERITY_TEXT = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}
FINDING_HEADINGS = ["STT", "Đơn vị", "Mức", "Mã", "Tệp", "Sheet", "Ô / dòng", "Nội dung"]
COMPUTED_SHEET = "Điểm tính theo số liệu"
COMPUTED_HEADINGS = ["STT", "Đơn vị", "Tiêu chí", "Cách tính", "Điểm", "Tệp", "Sheet", "Ô"]
ERROR, WRAP = "error", "wrap"  # the cell looks a row may ask for (`Styled`)


@dataclass(frozen=True)
class Styled:
    """A cell value in the look ERROR (a light red fill) or WRAP (wrapped, top-aligned)."""

    value: object
    look: str


def render_findings(
    assessment: Assessment,
    findings: list[Finding],
    statuses: Mapping[str, UnitStatus],
    adjustments: Sequence[Adjustment] = (),
    computations: Sequence[Computation] = (),
    evidence: Sequence[Cited] | None = None,
) -> bytes:
    """`statuses`: each registered unit's status (its `text` shown); `adjustments`: verified
    scores that replaced self-assessed ones, with their stages (a sheet "Điều chỉnh thẩm
    định" when any); `computations`: scores worked out from the units' figures (a sheet "Điểm
    tính theo số liệu" when any, each with its working and the cell of its first figure);
    `evidence`: the evidence register, indicator by indicator (a sheet "Sổ minh chứng"; None
    when the assessment asks for no evidence).

    Rows are written to disk as they come (XlsxWriter's constant-memory mode): a 100 000-
    finding report holds no object per cell."""
    book = Book(dt.datetime.combine(assessment.stamp, dt.time()), constant_memory=True)
    looks = {
        ERROR: book.format(bg_color="#F8CBAD"),
        WRAP: book.format(text_wrap=True, valign="top"),
    }
    sheets = [
        ("Phát hiện", FINDING_HEADINGS, (6, 34, 10, 22, 30, 18, 10, 90), _rows(findings)),
        (
            "Theo đơn vị",
            ["Khối", "Đơn vị", "Tình trạng", "Số lỗi", "Số cảnh báo"],
            (30, 40, 14, 8, 12),
            _summary(assessment, findings, statuses),
        ),
    ]
    if adjustments:
        sheets.append(
            (
                "Điều chỉnh thẩm định",
                ADJUSTMENT_HEADINGS + ["Tệp", "Sheet", "Ô"],
                (6, 34, 40, 12, 12, 50, 14, 50, 14, 12, 30, 18, 8),
                _adjustment_rows(adjustments, assessment.scoring.decimals),
            )
        )
    if computations:
        sheets.append(
            (
                COMPUTED_SHEET,
                COMPUTED_HEADINGS,
                (6, 34, 50, 34, 10, 30, 18, 8),
                _computation_rows(computations, assessment.scoring.decimals),
            )
        )
    if evidence is not None:
        sheets.append(
            (
                "Sổ minh chứng",
                REGISTER_HEADINGS,
                (6, 40, 30, 34, 12, 60, 16, 12, 30, 40, 30, 8),
                _register_rows(evidence, assessment),
            )
        )
    bold = book.format(bold=True)
    for title, headings, widths, rows in sheets:
        _sheet(book.sheet(title), headings, widths, rows, bold, looks)
    return book.bytes()


def _sheet(ws, headings, widths, rows: Iterable[list[object]], bold, looks) -> None:
    """A bold header row, frozen and repeated on every printed page, then the rows, each as
    high as its longest wrapped text; printed on A4 landscape, one page wide."""
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
    print_a4(ws, landscape=True, title_row=0)
    for c, text in enumerate(headings):
        write(ws, 0, c, text, bold)
    for r, row in enumerate(rows, start=1):
        wrapped = [
            lines_in(str(v.value), widths[c])
            for c, v in enumerate(row)
            if isinstance(v, Styled) and v.look == WRAP
        ]
        if max(wrapped, default=1) > 1:  # set before the row's cells (constant memory)
            ws.set_row(r, 15 * max(wrapped))
        for c, value in enumerate(row):
            if isinstance(value, Styled):
                write(ws, r, c, value.value, looks[value.look])
            else:
                write(ws, r, c, value)


def _rows(findings: list[Finding]) -> Iterator[list[object]]:
    for i, f in enumerate(findings, start=1):
        loc = f.location
        place = loc.cell or (str(loc.row) if loc.row is not None else "")
        level = SEVERITY_TEXT[f.severity]
        yield [
            i,
            f.unit or "",
            Styled(level, ERROR) if f.severity is Severity.ERROR else level,
            f.code,
            loc.file,
            loc.sheet or "",
            place,
            Styled(f.message, WRAP),
        ]


def _summary(
    assessment: Assessment, findings: list[Finding], statuses: Mapping[str, UnitStatus]
) -> Iterator[list[object]]:
    counts = counts_by_unit(findings)
    for group in assessment.groups:
        for unit in group.units:
            errors = counts[(unit.name, Severity.ERROR)]
            warnings = counts[(unit.name, Severity.WARNING)]
            status = statuses[unit.name].text
            yield [group.name, unit.name, status, errors, warnings]


def _adjustment_rows(adjustments: Sequence[Adjustment], decimals: int) -> Iterator[list[object]]:
    for i, a in enumerate(adjustments, start=1):
        where = a.location
        yield [i, *adjustment_row(a, decimals)[1:], where.file, where.sheet or "", where.cell or ""]


def _computation_rows(computations: Sequence[Computation], decimals: int) -> Iterator[list[object]]:
    for i, c in enumerate(computations, start=1):
        score = "Không áp dụng" if c.score is None else format_number(c.score, decimals)
        where = c.location
        yield [
            i,
            c.unit,
            c.label,
            c.working,
            score,
            where.file,
            where.sheet or "",
            where.cell or "",
        ]


def _register_rows(evidence: Sequence[Cited], assessment: Assessment) -> Iterator[list[object]]:
    """The register as validate ordered it: one indicator across all units, then the next;
    the numbers, dates and links read from each reference, one a line."""
    decimals = assessment.scoring.decimals
    for i, c in enumerate(evidence, start=1):
        refs = c.references
        yield [
            i,
            c.label,
            assessment.group_of(c.unit).name,
            c.unit,
            format_number(c.score, decimals),
            Styled(c.text, WRAP),
            "\n".join(r.number for r in refs if r.number),
            "\n".join(short_date(r.date) for r in refs if r.date),
            "\n".join(r.url for r in refs if r.url),
            Styled(c.explanation, WRAP),
            c.location.file,
            c.location.cell or "",
        ]
