"""Blank score-sheet forms, one workbook per registered unit, made from the config.

The layout is the one `ingest` reads (docs/formats.md): a sheet "Phiếu chấm điểm" with the
unit, group and year (locked), a table "STT | Tiêu chí | Điểm tối đa | Điểm tự chấm" (and
"Điểm thẩm định | Lý do điều chỉnh" when `scoring.verified_column`) with one row per node of
the group's criteria tree — units fill the leaves, parents sum their items by formula — and
a "Tổng cộng" row summed by formula.

Scoring rules (docs/formats.md) change a leaf's score cell: a leaf scored from the unit's
figures shows its score by formula (grey, locked) and the figures are asked for below the
total ("Số liệu dùng để tính điểm", yellow, validated); a yes/no leaf answered in its own
cell takes "Có"/"Không" from a list; a leaf that may not apply also takes "Không áp dụng";
a leaf the config says does not apply to the unit, or whose score comes from a `source`
table, is shown locked with why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reportgen.config import (
    Assessment,
    CriteriaSet,
    Criterion,
    EvidencePolicy,
    Figure,
    RatioRule,
    numbered,
)
from reportgen.core.location import column_letter
from reportgen.judge import rules
from reportgen.render.book import Book, merged, print_a4
from reportgen.render.filenames import form_filename
from reportgen.render.safe import Formula, Own, write

SHEET = "Phiếu chấm điểm"
HEADER_ROW = 7
FIRST_ITEM_ROW = HEADER_ROW + 1
SCORE_COLUMN = "D"
VERIFIED_HEADING = "Điểm thẩm định"
EVIDENCE_HEADING = "Minh chứng: số, ký hiệu, ngày, trích yếu văn bản; trang/mục, hoặc đường dẫn"
EXPLANATION_HEADING = "Giải trình (nếu không có minh chứng)"
_FONT = "Times New Roman"
_INPUT_FILL = "#FFF2CC"
_COMPUTED_FILL = "#EDEDED"  # a score the unit does not type: computed, or not its own
SOURCED = "do Hội đồng/khảo sát cung cấp"
FIGURES_HEADING = "Số liệu dùng để tính điểm"
_BOLD = {"font_name": _FONT, "font_size": 12, "bold": True}


def form_bytes(
    assessment: Assessment,
    unit: str,
    scores: dict[str, Decimal] | None = None,
    verified: dict[str, tuple[Decimal, str]] | None = None,
    figures: dict[str, object] | None = None,
    evidence: dict[str, tuple[str, str]] | None = None,
) -> bytes:
    """The form of one unit as .xlsx bytes; `scores` pre-fills the input cells (a number,
    or "Có"/"Không", "Không áp dụng" where the rules allow), `verified` the "Điểm thẩm định"
    and "Lý do" cells (key → (score, reason)), `evidence` the "Minh chứng" and "Giải trình"
    cells (key → (evidence, explanation)), when the config asks for those columns
    (`scoring.verified_column`, `scoring.evidence`), `figures` the figure cells (figure key →
    value).

    Every node of the group's criteria tree has a row, parents before their items, numbered
    1, 1.1, 1.1.2; units fill the leaves, and a parent's score is the sum of its items."""
    group = assessment.group_of(unit)  # not a UnitRegistry: that folds every name, per form
    criteria = assessment.criteria_set(group)
    decimals = assessment.scoring.decimals
    verifier = assessment.scoring.verified_column
    cited = assessment.scoring.evidence is not EvidencePolicy.OFF
    headings = ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"]
    widths = [6, 60, 12, 14]
    if cited:  # the unit's columns, beside its score
        headings += [EVIDENCE_HEADING, EXPLANATION_HEADING]
        widths += [42, 28]
    first_verifier = len(headings)
    if verifier:
        headings += [VERIFIED_HEADING, "Lý do điều chỉnh"]
        widths += [14, 30]
    last = len(headings) - 1
    book = Book(dt.datetime.combine(assessment.stamp, dt.time()))
    ws = book.sheet(SHEET)
    for col, size in enumerate(widths):
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

    nodes = numbered(criteria.criteria)
    row_of = {c.key: header + 1 + i for i, (_, c) in enumerate(nodes)}
    step = Decimal(1).scaleb(-decimals)
    total_row = header + 1 + len(nodes)
    skipped = criteria.skipped(assessment.unit(unit).not_applicable)
    asked = _figures(criteria, skipped)
    figure_row = {f.key: total_row + 3 + i for i, f in enumerate(asked)}
    refs = {key: f"{SCORE_COLUMN}{row + 1}" for key, row in figure_row.items()}
    marks = assessment.scoring.not_applicable_marks
    grey = book.format(border=1, bg_color=_COMPUTED_FILL, text_wrap=True, **centre)
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
            parts = ",".join(
                _part(item, f"{SCORE_COLUMN}{row_of[item.key] + 1}") for item in c.items
            )
            write(ws, row, 3, Formula(f"=SUM({parts})"), boxed)
            for col in range(4, last + 1):
                write(ws, row, col, None, boxed)
            continue
        score = (scores or {}).get(c.key)
        shown = _shown(c, refs, skipped, marks[0], decimals)
        if shown is not None:
            write(ws, row, 3, shown, grey)
        else:
            may_skip = marks if criteria.may_skip(c.key) else []
            _input(book, ws, row, 3, score, c, decimals, step, "Điểm tự chấm", may_skip)
        if c.source or c.key in skipped:
            for col in range(4, last + 1):
                write(ws, row, col, None, boxed)
            continue
        if cited:
            text = book.format(
                border=1, locked=False, bg_color=_INPUT_FILL, text_wrap=True, valign="vcenter"
            )
            for col, value in zip((4, 5), (evidence or {}).get(c.key, (None, None))):
                write(ws, row, col, value or None, text)
        if verifier:
            value, reason = (verified or {}).get(c.key, (None, None))
            if c.figure_keys == [c.key]:  # the verifier scores it as a number
                c = c.model_copy(update={"rule": None})
            _input(book, ws, row, first_verifier, value, c, decimals, step, VERIFIED_HEADING)
            unlocked = book.format(border=1, locked=False, **centre)
            write(ws, row, first_verifier + 1, reason, unlocked)

    total = book.format(**_BOLD, border=1, align="center")
    write(ws, total_row, 0, None, total)
    write(ws, total_row, 1, "Tổng cộng", total)
    write(ws, total_row, 2, criteria.max_total, total)
    tops = [_part(c, f"{SCORE_COLUMN}{row_of[c.key] + 1}") for c in criteria.criteria]
    if len(nodes) == len(criteria.criteria) and all(t[0] == SCORE_COLUMN for t in tops):
        formula = f"=SUM({SCORE_COLUMN}{header + 2}:{SCORE_COLUMN}{total_row})"  # as in 2019
    else:
        formula = f"=SUM({','.join(tops)})"
    write(ws, total_row, 3, Formula(formula), total)
    for col in range(4, last + 1):
        write(ws, total_row, col, None, book.format(border=1, align="center"))

    if asked:
        _figure_rows(book, ws, criteria, asked, figure_row, refs, figures or {}, last)
    lowest = min(c.floor for _, c in nodes)
    notes = [
        "Hướng dẫn:",
        (
            "- Chỉ ghi vào các ô màu vàng (điểm tự chấm, minh chứng, giải trình)"
            if cited
            else "- Chỉ nhập điểm vào các ô màu vàng ở cột 'Điểm tự chấm'"
        )
        + "; không sửa tên đơn vị, tiêu chí, điểm tối đa.",
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
    if cited:
        required = assessment.scoring.evidence is EvidencePolicy.REQUIRED
        notes.insert(
            -1,
            "- Cột 'Minh chứng': số, ký hiệu, ngày, trích yếu văn bản và trang/mục, hoặc đường "
            "dẫn; mỗi văn bản một dòng (Alt+Enter). Không có minh chứng thì ghi 'Giải trình'"
            + ("; điểm không có cả hai sẽ không được công nhận." if required else "."),
        )
    if verifier:
        notes.insert(
            -1,
            f"- Cột '{VERIFIED_HEADING}' và 'Lý do điều chỉnh' do cơ quan thẩm "
            "định ghi; kết quả dùng điểm thẩm định khi có.",
        )
    notes[3:3] = _rule_notes(criteria, skipped, marks)
    first = total_row + 2 + (len(asked) + 2 if asked else 0)
    for k, text in enumerate(notes, start=first):
        strong = _BOLD if k == first else {"font_name": _FONT, "font_size": 12}
        merged(ws, k, 0, last, Own(text), book.format(**strong, text_wrap=True))

    ws.protect()  # locked cells cannot be edited; input cells are unlocked
    print_a4(ws, landscape=False)
    ws.center_horizontally()
    return book.bytes()


def _part(c: Criterion, ref: str) -> str:
    """An item's term in its parent's SUM: its cell, or for a yes/no leaf answered in its
    own cell the points of the answer (SUM skips text)."""
    if c.rule is not None and c.figure_keys == [c.key]:
        return f'IF({ref}="Có",{c.rule.yes},{c.rule.no})'
    return ref


def _figures(criteria: CriteriaSet, skipped: frozenset[str]) -> list[Figure]:
    """The figures the rules of the leaves that apply to the unit read, in the order of
    `figures`."""
    used = {
        key
        for c in criteria.leaves
        if c.key not in skipped
        for key in c.figure_keys
        if key != c.key
    }
    return [f for f in criteria.figures if f.key in used]


def _shown(
    c: Criterion, refs: dict[str, str], skipped: frozenset[str], mark: str, decimals: int
) -> object | None:
    """What a leaf's score cell shows when the unit does not type it: why it is not the
    unit's, or the formula of its rule; None for an input cell."""
    if c.key in skipped:
        return Own(mark)
    if c.source:
        return Own(SOURCED)
    if c.rule is not None and c.figure_keys != [c.key]:
        return Formula(rules.formula(c, refs, decimals, mark))
    return None


def _figure_rows(book, ws, criteria, asked, figure_row, refs, values, last) -> None:
    """The figures the rules read, under the total: a label and a yellow, validated cell."""
    heading = book.format(**_BOLD, border=1, align="center", valign="vcenter", text_wrap=True)
    top = min(figure_row.values()) - 1
    write(ws, top, 1, FIGURES_HEADING, heading)
    write(ws, top, 3, "Giá trị", heading)
    fmt = book.format(
        border=1, align="center", valign="vcenter", locked=False, bg_color=_INPUT_FILL
    )
    label = book.format(border=1, text_wrap=True, valign="vcenter")
    for figure in asked:
        row = figure_row[figure.key]
        write(ws, row, 1, figure.label, label)
        write(ws, row, 3, values.get(figure.key), fmt)
        for col in (0, 2, *range(4, last + 1)):
            write(ws, row, col, None, book.format(border=1))
        ref = refs[figure.key]
        users = [c.label for c in criteria.leaves if figure.key in c.figure_keys]
        message = f"Dùng để tính điểm: {'; '.join(users)}."[:255]
        rule = {"ignore_blank": True, "input_title": "Số liệu", "input_message": message}
        if figure.yes_no:
            rule.update(validate="list", source=["Có", "Không"])
        else:
            above = [
                refs[c.rule.inputs[1]]
                for c in criteria.leaves
                if isinstance(c.rule, RatioRule) and c.rule.inputs[0] == figure.key
            ]
            bound = f",{ref}<={above[0]}" if above else ""
            rule.update(
                validate="custom",
                value=f"AND(ISNUMBER({ref}),{ref}>=0{bound})",
                error_title="Số liệu không hợp lệ",
                error_message="Số liệu là số không âm"
                + (", không lớn hơn số liệu tổng tương ứng." if above else "."),
            )
        ws.data_validation(row, 3, row, 3, rule)


def _rule_notes(criteria: CriteriaSet, skipped: frozenset[str], marks: list[str]) -> list[str]:
    """The instructions the set's rules need, if any."""
    leaves = criteria.leaves
    notes = []
    if any(c.rule is not None and c.figure_keys != [c.key] for c in leaves):
        notes.append(
            f"- Ô màu xám ở cột 'Điểm tự chấm' tự tính từ bảng '{FIGURES_HEADING}' bên dưới: "
            "chỉ nhập số liệu vào các ô màu vàng của bảng đó."
        )
    if any(c.figure_keys == [c.key] for c in leaves):
        notes.append("- Tiêu chí chấm Có/Không: chọn 'Có' hoặc 'Không' trong ô điểm.")
    if any(criteria.may_skip(c.key) and c.key not in skipped for c in leaves):
        notes.append(
            f"- Tiêu chí không áp dụng đối với đơn vị: ghi '{marks[0]}' vào ô điểm (chỉ ở "
            "tiêu chí được phép)."
        )
    if any(c.source for c in leaves):
        notes.append(f"- Dòng '{SOURCED}': đơn vị không chấm.")
    return notes


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
    marks: list[str] = (),
) -> None:
    """An unlocked, yellow score cell that accepts a number within the leaf's bounds (or,
    for a leaf that may not apply, one of `marks`); a yes/no leaf answered in its own cell
    takes "Có" or "Không" from a list."""
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
    if c.rule is not None and c.figure_keys == [c.key]:
        rule = {"validate": "list", "source": ["Có", "Không"], "ignore_blank": True}
        rule.update(input_title=title, input_message="Chọn Có hoặc Không.")
        ws.data_validation(row, col, row, col, rule)
        return
    number = f"AND(ISNUMBER({ref}),{ref}>={c.min},{ref}<={c.max},ROUND({ref},{decimals})={ref})"
    alternatives = ",".join(f'{ref}="{m}"' for m in marks)
    either = ", hoặc ghi " + " / ".join(f"'{m}'" for m in marks) if marks else ""
    ws.data_validation(
        row,
        col,
        row,
        col,
        {
            "validate": "custom",
            "value": f"OR({number},{alternatives})" if marks else number,
            "ignore_blank": True,
            "input_title": title,
            "input_message": f"Nhập số từ {c.min} đến {c.max}, tối đa {decimals} chữ số thập "
            f"phân (bước {step.normalize()}){either}.",
            "error_title": "Điểm không hợp lệ",
            "error_message": f"Điểm phải là số từ {c.min} đến {c.max}, tối đa {decimals} chữ "
            f"số thập phân{either}.",
        },
    )


def units_to_send(assessment: Assessment) -> list[str]:
    """The units a blank form goes to: every registered unit but those `not_assessed` this
    year (they send nothing)."""
    return [u.name for g in assessment.groups for u in g.units if not u.not_assessed]


def write_forms(assessment: Assessment, out_dir: Path) -> list[Path]:
    """Write the blank form of every unit of `units_to_send` into `out_dir`, as one output
    set under the folder's lock; return the paths."""
    from reportgen.core import outputs

    units = units_to_send(assessment)
    return outputs.write(out_dir, {form_filename(u): form_bytes(assessment, u) for u in units})
