"""Blank score-sheet forms, one workbook per registered unit, made from the config.

The layout is the one `ingest` reads (docs/formats.md): a sheet "Phiếu chấm điểm" with the
unit, group and year (locked), a table "STT | Tiêu chí | Điểm tối đa | Điểm tự chấm" (and
"Điểm thẩm định | Lý do điều chỉnh" when `scoring.verified_column`) with one row per node of
the group's criteria tree — units fill the leaves, parents sum their items by formula — and
a "Tổng cộng" row summed by formula."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from reportgen import atomic
from reportgen.config import Assessment, Criterion
from reportgen.findings import column_letter
from reportgen.render.book import Book, merged, print_a4
from reportgen.render.safe import Formula, Own, write

SHEET = "Phiếu chấm điểm"
HEADER_ROW = 7
FIRST_ITEM_ROW = HEADER_ROW + 1
SCORE_COLUMN = "D"
VERIFIED_HEADING = "Điểm thẩm định"
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_FONT = "Times New Roman"
_INPUT_FILL = "#FFF2CC"
_BOLD = {"font_name": _FONT, "font_size": 12, "bold": True}


def form_filename(unit: str) -> str:
    """A file name for the unit's form, safe on Windows and macOS (NFC, no reserved chars)."""
    name = unicodedata.normalize("NFC", unit)
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "-", name).strip(" .")
    if name.upper() in _RESERVED or not name:
        name = f"_{name}"
    return f"{name}.xlsx"


def form_bytes(
    assessment: Assessment,
    unit: str,
    scores: dict[str, Decimal] | None = None,
    verified: dict[str, tuple[Decimal, str]] | None = None,
) -> bytes:
    """The form of one unit as .xlsx bytes; `scores` pre-fills the input cells, `verified`
    the "Điểm thẩm định" and "Lý do" cells (key → (score, reason)), when the config asks
    for those columns.

    Every node of the group's criteria tree has a row, parents before their items, numbered
    1, 1.1, 1.1.2; units fill the leaves, and a parent's score is the sum of its items."""
    group = assessment.group_of(unit)  # not a UnitRegistry: that folds every name, per form
    criteria = assessment.criteria_set(group)
    decimals = assessment.scoring.decimals
    verifier = assessment.scoring.verified_column
    headings = ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"]
    if verifier:
        headings += [VERIFIED_HEADING, "Lý do điều chỉnh"]
    last = len(headings) - 1
    book = Book(dt.datetime.combine(assessment.stamp, dt.time()))
    ws = book.sheet(SHEET)
    for col, size in enumerate((6, 60, 12, 14, 14, 30)[: last + 1]):
        ws.set_column(col, col, size)
    bold = book.format(**_BOLD)

    title = book.format(font_name=_FONT, bold=True, font_size=14, align="center")
    merged(ws, 0, 0, last, f"PHIẾU CHẤM ĐIỂM NĂM {assessment.year}", title)
    heading = assessment.title[:1].upper() + assessment.title[1:]
    merged(ws, 1, 0, last, heading, book.format(align="center", text_wrap=True))
    ws.set_row(1, 32)
    facts = [("Đơn vị:", unit), ("Khối:", group.name), ("Năm đánh giá:", assessment.year)]
    for row, (label, value) in enumerate(facts, start=2):
        write(ws, row, 0, label, bold)
        merged(ws, row, 1, last, value, book.format(font_name=_FONT, font_size=12, align="left"))

    header = HEADER_ROW - 1  # 0-based rows from here on
    centre = {"align": "center", "valign": "vcenter"}
    for col, label in enumerate(headings):
        write(ws, header, col, label, book.format(**_BOLD, border=1, text_wrap=True, **centre))

    nodes = _numbered(criteria.criteria)
    row_of = {c.key: header + 1 + i for i, (_, c) in enumerate(nodes)}
    step = Decimal(1).scaleb(-decimals)
    for (number, c), row in zip(nodes, row_of.values()):
        strong = _BOLD if c.items else {}
        boxed = book.format(**strong, border=1, **centre)
        write(ws, row, 0, int(number) if number.isdigit() else number, boxed)
        label = book.format(
            **strong, border=1, text_wrap=True, valign="vcenter", indent=number.count(".")
        )
        write(ws, row, 1, c.label, label)
        write(ws, row, 2, c.max, boxed)
        if c.items:  # a parent: the sum of its items, locked
            parts = ",".join(f"{SCORE_COLUMN}{row_of[item.key] + 1}" for item in c.items)
            write(ws, row, 3, Formula(f"=SUM({parts})"), boxed)
            for col in range(4, last + 1):
                write(ws, row, col, None, boxed)
            continue
        score = (scores or {}).get(c.key)
        _input(book, ws, row, 3, score, c, decimals, step, "Điểm tự chấm")
        if verifier:
            value, reason = (verified or {}).get(c.key, (None, None))
            _input(book, ws, row, 4, value, c, decimals, step, VERIFIED_HEADING)
            write(ws, row, 5, reason, book.format(border=1, locked=False, **centre))

    total_row = header + 1 + len(nodes)
    total = book.format(**_BOLD, border=1, align="center")
    write(ws, total_row, 0, None, total)
    write(ws, total_row, 1, "Tổng cộng", total)
    write(ws, total_row, 2, criteria.max_total, total)
    if len(nodes) == len(criteria.criteria):  # one level: the range, as the 2019 form has it
        formula = f"=SUM({SCORE_COLUMN}{header + 2}:{SCORE_COLUMN}{total_row})"
    else:
        parts = ",".join(f"{SCORE_COLUMN}{row_of[c.key] + 1}" for c in criteria.criteria)
        formula = f"=SUM({parts})"
    write(ws, total_row, 3, Formula(formula), total)
    for col in range(4, last + 1):
        write(ws, total_row, col, None, book.format(border=1, align="center"))

    lowest = min(c.floor for _, c in nodes)
    notes = [
        "Hướng dẫn:",
        "- Chỉ nhập điểm vào các ô màu vàng ở cột 'Điểm tự chấm'; không sửa tên đơn vị, "
        "tiêu chí, điểm tối đa.",
        f"- Điểm là số từ {'mức trừ tối đa (số âm)' if lowest < 0 else '0'} đến điểm tối đa "
        f"của tiêu chí, tối đa {decimals} chữ số thập phân (ví dụ 27,5).",
        "- Dòng 'Tổng cộng' tự tính; phần mềm sẽ tính lại tổng khi tổng hợp.",
        "- Lưu tệp ở định dạng .xlsx và gửi lại đúng tên tệp.",
    ]
    if len(nodes) > len(criteria.criteria):
        notes.insert(
            2,
            "- Chấm điểm từng tiêu chí thành phần; dòng in đậm là tổng các dòng bên dưới, tự tính.",
        )
    if verifier:
        notes.insert(
            -1,
            f"- Cột '{VERIFIED_HEADING}' và 'Lý do điều chỉnh' do cơ quan thẩm "
            "định ghi; kết quả dùng điểm thẩm định khi có.",
        )
    for k, text in enumerate(notes, start=total_row + 2):
        strong = _BOLD if k == total_row + 2 else {"font_name": _FONT, "font_size": 12}
        merged(ws, k, 0, last, Own(text), book.format(**strong, text_wrap=True))

    ws.protect()  # locked cells cannot be edited; input cells are unlocked
    print_a4(ws, landscape=False)
    ws.center_horizontally()
    return book.bytes()


def _numbered(criteria: list[Criterion], prefix: str = "") -> list[tuple[str, Criterion]]:
    """Every node with its number: 1, 2 at the top; 1.1, 1.2 under 1; and so on."""
    out = []
    for i, c in enumerate(criteria, start=1):
        number = f"{prefix}{i}"
        out.append((number, c))
        out += _numbered(c.items, number + ".")
    return out


def _input(
    book: Book,
    ws,
    row: int,
    col: int,
    value,
    c: Criterion,
    decimals: int,
    step: Decimal,
    title: str,
) -> None:
    """An unlocked, yellow score cell that accepts a number within the leaf's bounds."""
    fmt = book.format(
        border=1,
        align="center",
        valign="vcenter",
        locked=False,
        bg_color=_INPUT_FILL,
        num_format="0" if decimals == 0 else "0." + "#" * decimals,
    )
    write(ws, row, col, value, fmt)
    ref = f"{column_letter(col)}{row + 1}"
    ws.data_validation(
        row,
        col,
        row,
        col,
        {
            "validate": "custom",
            "value": f"AND(ISNUMBER({ref}),{ref}>={c.min},{ref}<={c.max},"
            f"ROUND({ref},{decimals})={ref})",
            "ignore_blank": True,
            "input_title": title,
            "input_message": f"Nhập số từ {c.min} đến {c.max}, tối đa {decimals} chữ số thập "
            f"phân (bước {step.normalize()}).",
            "error_title": "Điểm không hợp lệ",
            "error_message": f"Điểm phải là số từ {c.min} đến {c.max}, tối đa {decimals} chữ "
            "số thập phân.",
        },
    )


def units_to_send(assessment: Assessment) -> list[str]:
    """The units a blank form goes to: every registered unit but those `not_assessed` this
    year (they send nothing)."""
    return [u.name for g in assessment.groups for u in g.units if not u.not_assessed]


def write_forms(assessment: Assessment, out_dir: Path) -> list[Path]:
    """Write the blank form of every unit of `units_to_send` into `out_dir`; return the paths."""
    paths = []
    for unit in units_to_send(assessment):
        path = out_dir / form_filename(unit)
        atomic.write_bytes(path, form_bytes(assessment, unit))
        paths.append(path)
    return paths
