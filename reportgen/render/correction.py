"""The correction of a published annex that audit found wrong (`reportgen audit …
--draft-correction`): Nghị định 30/2020/NĐ-CP, Điều 18 — an administrative document wrong in
its content is amended or replaced by one of the same form. A wrong total, index, grade, rank
or order is content: the draft is a decision amending the original one, citing it by number
and date, listing each correction as "đã in …, nay sửa là …" and replacing its annex with the
corrected one (the published rows ranked again by `rank`, as audit did).

The draft goes through the decision's own template and writer (`render.docx`), so its layout
is the decision's; its number and date are left blank for the văn thư."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reportgen.config import Assessment, TieBreak
from reportgen.core.numbers import format_number, printed_digits, rank_cell, shown
from reportgen.core.text import clean
from reportgen.core.vnformat import document_number, short_date
from reportgen.judge.audit import AuditReport, AuditTable
from reportgen.judge.audit_rows import AuditRow
from reportgen.judge.rank import GroupResult, Row, rank_group

DRAFT_NAME = "du-thao-sua-doi.docx"
DECREE = "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;"
INPUT_ORDER = TieBreak.INPUT_ORDER
# Findings about what the annex decides (Điều 18, khoản 1: amended by a document of the same
# form); anything else audit reports is no reason for a correction.
CONTENT = {
    "AUDIT_ABOVE_MAX",
    "AUDIT_BELOW_MIN",
    "AUDIT_TOTAL_WRONG",
    "AUDIT_INDEX_WRONG",
    "AUDIT_GRADE_WRONG",
    "AUDIT_ORDER",
    "AUDIT_RANK",
    "AUDIT_RANK_VALUE",
    "AUDIT_NOT_RANKED",
    "AUDIT_NOT_ASSESSED",
    "AUDIT_DUPLICATE",
    "AUDIT_WRONG_GROUP",
    "AUDIT_MISSING",
}


# A number printed wrong where it decides nothing (the STT of rows in the right order): a
# correction by công văn (Điều 18, khoản 2).
FORM = {"AUDIT_STT"}
LETTER_TEMPLATE = "cong-van.docx"


class NothingToCorrect(ValueError):
    """The audit found nothing a correction could put right (no error, or none in content)."""


@dataclass(frozen=True)
class Correction:
    """One unit's row as printed and as it should be, in the words of the draft."""

    unit: str
    group: str
    changes: tuple[tuple[str, str, str], ...] = ()  # (what, as printed, corrected)
    text: str = ""  # a row to take out or put in, said in words

    def line(self) -> str:
        """ "Thanh tra tỉnh (khối Sở, Ban, ngành): đã in STT 15, nay sửa là 14." """
        parts = [f"đã in {what} {printed}, nay sửa là {corrected}"
                 for what, printed, corrected in self.changes]  # fmt: skip
        return f"{self.unit} (khối {self.group}): " + "; ".join(parts or [self.text]) + "."


def corrections(report: AuditReport) -> list[Correction]:
    """Every corrected row, group by group in the config's order, in corrected order."""
    assessment = report.assessment
    if assessment is None or not any(f.code in CONTENT | FORM for f in report.findings.errors):
        raise NothingToCorrect("phụ lục không có lỗi nào cần đính chính hay sửa đổi")
    out = []
    for table, result in _corrected(report, assessment):
        published = {row.unit: row for row in table.rows if row.ranked}
        for row in result.rows:
            changes = _changes(published[row.unit], row, table, assessment)
            if changes:
                out.append(Correction(row.unit, table.group.name, tuple(changes)))
        out += _rows_out(report, table)
    out += [
        Correction(f.unit, assessment.group_of(f.unit).name, text=ADD)
        for f in report.findings.errors
        if f.code == "AUDIT_MISSING" and f.unit
    ]
    return out


ADD = "chưa có trong Phụ lục đã in, nay bổ sung (điểm theo biểu chấm điểm của đơn vị: cần điền)"
REMOVED = {  # why a published row leaves the corrected annex
    "AUDIT_DUPLICATE": "in lặp lại ở dòng {row}, nay bỏ dòng này",
    "AUDIT_NOT_ASSESSED": "không đánh giá năm nay nhưng đã in ở dòng {row}, nay bỏ dòng này",
    "AUDIT_WRONG_GROUP": "đã in ở dòng {row} của bảng khối {table}, nay chuyển về bảng của "
    "khối mình (cần điền vào bảng đó)",
}


def _rows_out(report: AuditReport, table: AuditTable) -> list[Correction]:
    """The published rows of known units left out of the corrected table, with why."""
    out = []
    for row in table.rows:
        if row.ranked or row.unit is None:
            continue
        code = next(
            (f.code for f in report.findings.errors
             if f.unit == row.unit and f.location == row.location and f.code in REMOVED),
            None,
        )  # fmt: skip
        if code:
            text = REMOVED[code].format(row=row.position, table=table.group.name)
            out.append(Correction(row.unit, table.group.name, text=text))
    return out


def _corrected(report: AuditReport, assessment: Assessment) -> list[tuple[AuditTable, GroupResult]]:
    """The first table of each group that was ranked (a workbook's detail sheet is another
    view of the same rows), ranked again keeping the published order among equal values:
    audit accepts any order of a tie, so the correction moves only what was wrong."""
    first: dict[str, AuditTable] = {}
    for table in report.tables:
        if table.group is not None and table.result is not None:
            first.setdefault(table.group.key, table)
    as_printed = assessment.model_copy(
        update={"scoring": assessment.scoring.model_copy(update={"tie_break": INPUT_ORDER})}
    )
    out = []
    for group in assessment.groups:
        table = first.get(group.key)
        if table is None:
            continue
        out.append((table, rank_group(group, table.submissions, as_printed)))
    return out


def _changes(
    printed: AuditRow, row: Row, table: AuditTable, assessment: Assessment
) -> list[tuple[str, str, str]]:
    out = []
    stt = _int(printed.stt) if printed.stt is not None else printed.position
    if stt != row.stt:
        out.append(("STT", str(printed.stt or printed.position), str(row.stt)))
    if printed.stated_rank is not None:
        cell = rank_cell(printed.stated_rank)
        corrected = _rank_text(row, cell, assessment)
        if corrected != printed.stated_rank:
            out.append(("xếp hạng", printed.stated_rank or "(trống)", corrected))
    decimals = assessment.scoring.decimals
    if printed.stated_total is not None and printed.stated_total != row.total:
        out.append(("tổng điểm", shown(printed.stated_total), format_number(row.total, decimals)))
    if printed.stated_index is not None and row.index is not None:
        digits = printed_digits(row.index)
        if printed.stated_index != row.index:
            out.append(
                ("chỉ số", shown(printed.stated_index), format_number(row.index, digits, True))
            )
    if printed.stated_grade is not None and row.grade and clean(printed.stated_grade) != row.grade:
        out.append(("xếp loại", printed.stated_grade, row.grade))
    return [(what, f"«{a}»" if what == "xếp loại" else a, b) for what, a, b in out]


def _int(text: str) -> int | None:
    cell = rank_cell(text)
    return cell[0] if cell else None


def _rank_text(row: Row, printed: tuple[int, object] | None, assessment: Assessment) -> str:
    """The corrected rank as the published cell printed it ("05", "05 (0,688)", "–")."""
    if row.rank is None:
        return "–"
    digits = assessment.annex.rank_digits
    text = f"{row.rank:0{digits}d}" if digits else str(row.rank)
    value = printed[1] if printed else None
    if value is not None and row.index is not None:
        text += f" ({format_number(row.index, printed_digits(value), True)})"
    return text


def is_letter(report: AuditReport) -> bool:
    """Whether the errors are only numbers printed wrong where they decide nothing (a
    công văn đính chính), not the annex's content (a decision amending it)."""
    return not any(f.code in CONTENT for f in report.findings.errors)


def draft_document(report: AuditReport, template: Path | None = None) -> bytes:
    """The draft — a decision amending the published one, or a công văn correcting it —
    its corrected annex attached. `template` replaces the decision's template only."""
    from reportgen.render import docx, tables

    draft = draft_assessment(report)
    results = [result for _, result in _corrected(report, draft)]
    annex = tables.annex_tables(results, draft)
    if is_letter(report):
        letter = docx.default_template(LETTER_TEMPLATE)
        return docx.render_decision(draft, annex, letter, attached_to="Công văn")
    return docx.render_decision(draft, annex, template)


def draft_assessment(report: AuditReport) -> Assessment:
    """The assessment as the draft presents it: its document the amending decision (or the
    correcting letter), number and date blank. Raises `NothingToCorrect`."""
    lines = corrections(report)
    assessment = report.assessment
    write = _letter if is_letter(report) else _decision
    return assessment.model_copy(update={"decision": write(assessment, lines)})


def _point(i: int) -> str:
    """a, b, c, d, đ, e, … y, then aa, ab: the points of an article, lettered in the
    Vietnamese alphabet (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
    letters = "abcdđeghiklmnopqrstuvxy"
    n = len(letters)
    return letters[i] if i < n else _point(i // n - 1) + letters[i % n]


def _letter(assessment: Assessment, lines: list[Correction]):
    """The công văn đính chính, in the decision's fields as the letter template reads them:
    `summary` after "V/v", `authority` after "Kính gửi:", `articles` its paragraphs."""
    d = assessment.decision
    cited = f"Quyết định số {document_number(d.number, d.symbol)} ngày {short_date(d.date)}"
    issuer = assessment.issuer.short
    subject = d.summary[:1].lower() + d.summary[1:]
    points = " ".join(f"{_point(i)}) {c.line()}" for i, c in enumerate(lines))
    return d.model_copy(
        update={
            "number": None,
            "date": None,
            "symbol": d.symbol.removeprefix("QĐ-"),  # a công văn: the issuer's ký hiệu only
            "summary": f"đính chính {cited}",
            "authority": f"Các cơ quan, đơn vị có tên tại Phụ lục kèm theo {cited}",
            "proposal": "",
            "recipients": ["Như trên;", *(r for r in d.recipients if not r.startswith("Như "))],
            "articles": [
                f"Ngày {short_date(d.date)}, {issuer} ban hành {cited} về việc {subject}. "
                "Phụ lục kèm theo Quyết định có sai sót về số thứ tự; "
                f"{issuer} đính chính như sau: {points}",
                f"Phụ lục đã đính chính gửi kèm theo. Các nội dung khác của {cited} giữ "
                f"nguyên. {issuer} thông báo để các cơ quan, đơn vị biết./.",
            ],
            "closing": "",
        }
    )


def _decision(assessment: Assessment, lines: list[Correction]):
    d = assessment.decision
    cited = f"Quyết định số {document_number(d.number, d.symbol)} ngày {short_date(d.date)}"
    of = f"{cited} của {assessment.issuer.short}"
    subject = d.summary[:1].lower() + d.summary[1:]
    points = " ".join(f"{_point(i)}) {c.line()}" for i, c in enumerate(lines))
    proposal = re.sub(r"(số )\d+/", r"\1…/", d.proposal)  # the new Tờ trình: blanks
    proposal = re.sub(r"ngày \d{1,2}/\d{1,2}/\d{4}", "ngày …/…/…", proposal)
    return d.model_copy(
        update={
            "number": None,
            "date": None,
            "summary": f"Sửa đổi Phụ lục kèm theo {of}",
            "legal_bases": [*d.legal_bases, DECREE, f"Căn cứ {of} về việc {subject};"],
            "proposal": proposal,
            "articles": [
                f"Sửa đổi Phụ lục kèm theo {of} như sau: {points}",
                f"Thay thế Phụ lục kèm theo {cited} bằng Phụ lục kèm theo Quyết định này. "
                f"Các nội dung khác của {cited} giữ nguyên.",
                *d.articles[-1:],
            ],
        }
    )


def write_draft(report: AuditReport, target: Path, template: Path | None = None) -> Path:
    """Write the draft to `target` (a .docx, or a folder for `du-thao-sua-doi.docx`) as the
    outputs are written: whole, or not at all. Raises `NothingToCorrect`."""
    from reportgen.core import outputs

    target = Path(target)
    if target.is_dir() or target.suffix.lower() != ".docx":
        target = target / DRAFT_NAME
    content = draft_document(report, template)
    with outputs.folder_lock(target.parent):
        outputs.replace_set(target.parent, {target.name: content})
    return target
