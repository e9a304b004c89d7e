"""Generate the SYNTHETIC submissions of `samples/da-nang-2025/` (fixed seed: the same bytes
on every run). Every score is made up; no score in this sample was ever published.

What it writes into `samples/da-nang-2025/submissions/`:
- one filled score-sheet form per department and commune (reportgen's own form, leaves of
  the group's criteria tree; "Điểm thẩm định" filled by the Sở for three departments);
- `tong-hop-trung-uong.xlsx`: the central agencies as one consolidated table that gives the
  top-level criteria only (what a Sở often keeps);
- `tham-dinh.xlsx`: the Sở's verification list (unit, indicator, verified score, reason);
Units marked `not_assessed` in the config send nothing.

Usage: python scripts/make_da_nang_2025.py
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from reportgen import atomic, config, forms

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


def main(out: Path = SAMPLE / "submissions") -> None:
    """Write the submissions into `out` (the sample's own folder by default)."""
    assessment = config.load(SAMPLE)
    rng = random.Random(SEED)
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
            data = forms.form_bytes(assessment, unit.name, scores, ON_FORM.get(unit.name))
            atomic.write_bytes(out / forms.form_filename(unit.name), data)
        if table:
            atomic.write_bytes(
                out / "tong-hop-trung-uong.xlsx", consolidated(assessment, group, table)
            )
    atomic.write_bytes(out / "tham-dinh.xlsx", verification_list(assessment))


if __name__ == "__main__":
    main()
