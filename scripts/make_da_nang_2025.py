"""Generate the SYNTHETIC submissions of `samples/da-nang-2025/` (fixed seed: the same bytes
on every run). Every score is made up; no score in this sample was ever published.

What it writes into `samples/da-nang-2025/submissions/`:
- one filled score-sheet form per department and commune (reportgen's own form, leaves of
  the group's criteria tree; "Điểm thẩm định" filled by the Sở for three departments);
- `tong-hop-trung-uong.xlsx`: the central agencies as one consolidated table that gives the
  top-level criteria only (what a Sở often keeps);
- `tham-dinh.xlsx`: the Sở's verification list (unit, indicator, verified score, reason);
- evidence on every form (`scoring.evidence = "required"`): a document reference or a link per
  scored indicator; a few left empty (two of them scored 0 on the verification list, one
  answered), one explained instead, one dated outside 2025;
Units marked `not_assessed` in the config send nothing.

Then, into `samples/da-nang-2025/giai-trinh/`, the notice round: the answer workbooks
`reportgen notices` writes, filled as three units and the council would — Sở Y tế agrees,
Phường An Hải explains its missing evidence and the council accepts, Sở Công Thương explains
and the council keeps its score; the other notified units did not answer.

Usage: python scripts/make_da_nang_2025.py
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from reportgen import config
from reportgen.core import atomic
from reportgen.judge import notices
from reportgen.pipeline.check import check
from reportgen.pipeline.names import notice_files
from reportgen.render import forms
from reportgen.render.answer_xlsx import answer_bytes
from reportgen.render.filenames import form_filename

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "da-nang-2025"
SEED = 20250701  # the day the two-level local government began
STEP = Decimal("0.5")

# Route 1: the Sở wrote verified scores on these departments' forms (leaf key → score, reason).
ON_FORM = {
    "Sở Y tế": {"dv_ho_so": (Decimal(80), "Tỷ lệ hồ sơ trực tuyến tính lại theo Cổng DVC")},
    "Sở Công Thương": {
        "ud_chu_ky": (Decimal(50), "Chưa ký số văn bản đi ở hai phòng chuyên môn"),
        "ht_attt": (Decimal(30), "Chưa có phương án ứng phó sự cố được phê duyệt"),
    },
    "Thanh tra thành phố": {"nt_tuyen_truyen": (Decimal(35), "Thiếu minh chứng tuyên truyền")},
}
# Route 2: the Sở's verification list, for communes (unit, indicator label, score, reason).
LISTED = [
    (
        "Phường Hải Châu",
        "Hồ sơ thủ tục hành chính cấp xã nộp trực tuyến",
        100,
        "Số liệu hồ sơ trực tuyến đối chiếu Cổng DVC",
    ),
    ("Xã Hòa Vang", "Kết nối mạng tại trụ sở", 40, "Trụ sở mới chưa kết nối mạng chuyên dùng"),
    ("Sở Nội vụ", "Quy chế, quy định nội bộ về chuyển đổi số", 0, "Không có minh chứng"),
    ("Xã Bà Nà", "Tổ công nghệ số cộng đồng", 0, "Không có minh chứng"),
    (
        "Xã Trà Linh",
        "Người dân thanh toán không dùng tiền mặt",
        20,
        "Không có số liệu của ngân hàng xác nhận",
    ),
    (
        "Phường Hội An",
        "Số hóa kết quả giải quyết thủ tục hành chính",
        60,
        "Tỷ lệ số hóa kiểm tra lại trên hệ thống",
    ),
]
# Evidence: the indicators left without it (unit → leaf label); two are on the list above,
# Phường An Hải's is answered in the notice round.
NO_EVIDENCE = {
    "Sở Nội vụ": "Quy chế, quy định nội bộ về chuyển đổi số",
    "Xã Bà Nà": "Tổ công nghệ số cộng đồng",
    "Phường An Hải": "Kết nối mạng tại trụ sở",
}
EXPLAINED = {
    "Xã Trà Linh": (
        "Sử dụng các hệ thống thông tin dùng chung",
        "Dùng các hệ thống dùng chung của thành phố; không có văn bản riêng của xã",
    )
}
OUT_OF_PERIOD = {"Sở Tư pháp": "Kế hoạch số 212/KH-STP ngày 15/11/2024 về chuyển đổi số; mục II"}
KINDS = [
    ("Kế hoạch", "KH"),
    ("Quyết định", "QĐ"),
    ("Báo cáo", "BC"),
    ("Công văn", ""),
]
# The notice round: unit → (opinion, explanation, additional evidence, conclusion, answered on)
ANSWERS = {
    "Sở Y tế": ("Thống nhất", "", "", None, dt.date(2026, 1, 8)),
    "Phường An Hải": (
        "Giải trình",
        "Trụ sở đã kết nối mạng truyền số liệu chuyên dùng từ tháng 8/2025",
        "Biên bản nghiệm thu số 15/BB-VNPT ngày 20/8/2025; trang 2",
        "Chấp nhận",
        dt.date(2026, 1, 9),
    ),
    "Sở Công Thương": (
        "Giải trình",
        "Hai phòng đã ký số từ tháng 12/2025",
        "Báo cáo số 301/BC-SCT ngày 22/12/2025",
        "Giữ nguyên",
        dt.date(2026, 1, 10),
    ),
}
PENALTY = {"Sở Xây dựng": Decimal(-20)}  # late annual report: 20 points off
BONUS = {"Sở Khoa học và Công nghệ": Decimal(40), "Sở Tư pháp": Decimal(15)}


def leaf_scores(rng: random.Random, criteria: config.CriteriaSet) -> dict[str, Decimal]:
    """A unit of some quality: every leaf near that share of its maximum, in steps of 0.5."""
    quality = rng.uniform(0.45, 0.97)
    scores = {}
    for leaf in criteria.leaves:
        if leaf.bonus or leaf.max == 0:
            scores[leaf.key] = Decimal(0)
            continue
        share = min(1.0, max(0.0, quality + rng.gauss(0, 0.08)))
        scores[leaf.key] = (leaf.max * Decimal(str(round(share, 4))) / STEP).quantize(1) * STEP
    return scores


def symbol(unit: str, kind: str) -> str:
    """A made-up document symbol: KH-SYT for Sở Y tế, KH-UBND for a commune."""
    words = unit.split()
    issuer = "UBND" if words[0] in ("Phường", "Xã", "Đặc") else "".join(w[0] for w in words)
    return f"{kind}-{issuer.upper()}" if kind else issuer.upper()


def evidence_of(
    rng: random.Random, unit: str, criteria: config.CriteriaSet, scores: dict[str, Decimal]
) -> dict[str, tuple[str, str]]:
    """Leaf key → (evidence, explanation) for every scored leaf, made up: a document of 2025
    with its number, date, summary and section, or a link."""
    out = {}
    labels = {leaf.label: leaf.key for leaf in criteria.leaves}
    for leaf in criteria.leaves:
        if scores.get(leaf.key, 0) <= 0:
            continue
        name, kind = rng.choice(KINDS)
        number, day, month = rng.randint(2, 480), rng.randint(1, 28), rng.randint(1, 11)
        if rng.random() < 0.15:
            text = f"https://dichvucong.danang.gov.vn/bao-cao/{leaf.key.replace('_', '-')}"
        else:
            text = (
                f"{name} số {number}/{symbol(unit, kind)} ngày {day:02d}/{month:02d}/2025 "
                f"về {leaf.label.lower()}; mục {rng.choice(['I', 'II', 'III'])}"
            )
        out[leaf.key] = (text, "")
    if unit in NO_EVIDENCE:
        out.pop(labels[NO_EVIDENCE[unit]], None)
    if unit in EXPLAINED:
        label, why = EXPLAINED[unit]
        out[labels[label]] = ("", why)
    if unit in OUT_OF_PERIOD:
        out[criteria.leaves[0].key] = (OUT_OF_PERIOD[unit], "")
    return out


def answer_workbooks(assessment: config.Assessment, inputs: Path) -> dict[str, bytes]:
    """The answer workbooks `reportgen notices` writes for the units of ANSWERS, filled as
    the unit and the council would (and saved with fixed properties)."""
    from openpyxl import load_workbook

    made = notices.prepare(check(SAMPLE, [inputs]))
    out = {}
    for notice in made.notices:
        if notice.unit not in ANSWERS:
            continue
        opinion, explanation, more, conclusion, day = ANSWERS[notice.unit]
        book = load_workbook(io.BytesIO(answer_bytes(assessment, notice)))
        sheet = book.active
        sheet["C6"] = dt.datetime.combine(day, dt.time())
        sheet["C6"].number_format = "dd/mm/yyyy"
        sheet["C7"] = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
        sheet["C7"].number_format = "dd/mm/yyyy"
        for row in range(10, 10 + len(notice.rows)):
            sheet[f"F{row}"], sheet[f"G{row}"], sheet[f"H{row}"] = opinion, explanation, more
            if conclusion:
                sheet[f"I{row}"] = conclusion
        when = dt.datetime.combine(day, dt.time())
        out[notice_files(notice)[1]] = atomic.workbook_bytes(book, when)
    return out


def consolidated(assessment: config.Assessment, group: config.Group, rows) -> bytes:
    criteria = assessment.criteria_set(group)
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    ws.append([f"BẢNG TỔNG HỢP ĐIỂM {group.name.upper()} NĂM {assessment.year} (DỮ LIỆU MẪU)"])
    ws.append(["STT", group.name_column, *(c.label for c in criteria.criteria), "Tổng"])
    for i, (unit, top) in enumerate(rows, start=1):
        values = [top[c.key] for c in criteria.criteria]
        ws.append([i, unit, *values, sum(values)])
    return atomic.workbook_bytes(wb, dt.datetime.combine(assessment.stamp, dt.time()))


def verification_list(assessment: config.Assessment) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Thẩm định"
    ws.append(["DANH SÁCH ĐIỀU CHỈNH ĐIỂM SAU THẨM ĐỊNH (DỮ LIỆU MẪU GIẢ LẬP)"])
    ws.append(["STT", "Tên đơn vị", "Tiêu chí", "Điểm thẩm định", "Lý do"])
    for i, row in enumerate(LISTED, start=1):
        ws.append([i, *row])
    return atomic.workbook_bytes(wb, dt.datetime.combine(assessment.stamp, dt.time()))


def main(out: Path = SAMPLE / "submissions", answers: Path = SAMPLE / "giai-trinh") -> None:
    """Write the submissions into `out` and the answers into `answers` (the sample's own
    folders by default)."""
    assessment = config.load(SAMPLE)
    rng = random.Random(SEED)
    cites = random.Random(SEED + 1)  # the evidence's own sequence: the scores stay as they were
    out.mkdir(exist_ok=True)
    for old in out.glob("*.xlsx"):
        old.unlink()
    for group in assessment.groups:
        criteria = assessment.criteria_set(group)
        table = []
        for unit in group.units:
            scores = leaf_scores(rng, criteria)  # drawn for every unit: stable sequences
            if unit.not_assessed:
                continue
            if unit.name in PENALTY:
                scores["tru"] = PENALTY[unit.name]
            if unit.name in BONUS:
                scores["thuong"] = BONUS[unit.name]
            if group.key == "trung-uong":
                top = {
                    c.key: sum(scores[leaf.key] for _, leaf in c.walk() if not leaf.items)
                    for c in criteria.criteria
                }
                table.append((unit.name, top))
                continue
            cited = evidence_of(cites, unit.name, criteria, scores)
            data = forms.form_bytes(
                assessment, unit.name, scores, ON_FORM.get(unit.name), evidence=cited
            )
            atomic.write_bytes(out / form_filename(unit.name), data)
        if table:
            atomic.write_bytes(
                out / "tong-hop-trung-uong.xlsx", consolidated(assessment, group, table)
            )
    atomic.write_bytes(out / "tham-dinh.xlsx", verification_list(assessment))
    answers.mkdir(exist_ok=True)
    for old in answers.glob("*.xlsx"):
        old.unlink()
    for name, data in answer_workbooks(assessment, out).items():
        atomic.write_bytes(answers / name, data)


if __name__ == "__main__":
    main()
