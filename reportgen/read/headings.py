"""The words reading looks for: column headings and cell labels by matching key
(`text.label_key`: no case, no diacritics, no "(...)"), what a heading holds
(`heading_kind`), a column's heading through merged cells and the value beside a label."""

from __future__ import annotations

from reportgen.core.text import clean, label_key
from reportgen.read.raw import RawValue
from reportgen.read.workbook import Sheet

# Column headings by matching key (`text.label_key`: no case, no diacritics, no "(...)"),
# Vietnamese as published and the English keys of reportgen's own ket-qua.csv; a heading that
# starts with one of the *_PREFIXES words is that kind too ("Xếp hạng DTI", "Tổng điểm 2024").
TOTAL_HEADERS = {
    "tong",
    "tong diem",
    "tong cong",
    "tong so diem",
    "cong",
    "diem",
    "diem dat",
    "diem dat duoc",
    "tong diem dat",
    "tong diem dat duoc",
    "total",
}
SELF_TOTAL_HEADERS = {
    "tong diem tu danh gia",
    "tong diem tu cham",
    "diem tu danh gia",
    "diem tu cham",
    "self_total",
}
GRADE_HEADERS = {"xep loai", "xep loai muc do", "grade"}
NUMBER_HEADERS = {"stt", "tt", "so tt", "so thu tu", "thu tu"}
RANK_HEADERS = {
    "xep hang",
    "thu hang",
    "hang",
    "thu tu xep hang",
    "vi thu",
    "xh",
    "ket qua xep hang",
    "rank",
}
INDEX_HEADERS = {"chi so", "index"}
GROUP_HEADERS = {"group", "khoi"}
NOTE_HEADERS = {"ghi chu", "note"}  # read by nobody: a clerk's remarks
HEADING_PREFIXES = {
    "xep hang": "rank",
    "thu hang": "rank",
    "thu tu xep hang": "rank",
    "ket qua xep hang": "rank",
    "tong diem tu": "self_total",
    "tong diem": "total",
    "chi so": "index",
    "xep loai": "grade",
}

NAME_HEADERS = {"ten don vi", "don vi", "ten co quan", "co quan", "don vi duoc danh gia", "unit"}
UNIT_LABELS = {"don vi", "ten don vi", "co quan", "ten co quan"}
YEAR_LABELS = {"nam danh gia", "nam"}
ITEM_HEADERS = {"tieu chi", "noi dung", "noi dung tieu chi", "ten tieu chi", "chi tieu"}
VERIFIED_HEADERS = {"diem tham dinh", "diem sau tham dinh", "diem duoc cong nhan"}
REASON_HEADERS = {"ly do", "ly do dieu chinh", "ghi chu", "ly do dieu chinh diem"}
OPINION_HEADERS = {"y kien cua don vi", "y kien don vi"}
CONCLUSION_HEADERS = {"ket luan cua hoi dong", "ket luan"}
ACCEPTED_HEADERS = {"diem chap nhan", "diem ket luan"}
ANSWERED_LABELS = {"ngay tra loi"}  # the unit's date
RECEIVED_LABELS = {"ngay nhan"}  # the day the Sở received it, as its clerk records it
EVIDENCE_PREFIX = "minh chung"  # "Minh chứng: số, ký hiệu, ngày, trích yếu văn bản; …"
EXPLANATION_PREFIX = "giai trinh"  # "Giải trình (nếu không có minh chứng)"
HEADER_SEARCH_UP = 2  # rows above a header row that may hold a merged heading


def heading_kind(key: str) -> str | None:
    """What a column heading (its `label_key`) holds: "number" (STT), "rank", "total",
    "self_total", "index", "grade", "group" or "ignore" (a note column); None for anything
    else."""
    for kind, keys in (
        ("rank", RANK_HEADERS),
        ("number", NUMBER_HEADERS),
        ("total", TOTAL_HEADERS),
        ("self_total", SELF_TOTAL_HEADERS),
        ("index", INDEX_HEADERS),
        ("grade", GRADE_HEADERS),
        ("group", GROUP_HEADERS),
        ("ignore", NOTE_HEADERS),
    ):
        if key in keys:
            return kind
    return next((k for p, k in HEADING_PREFIXES.items() if key.startswith(p + " ")), None)


def column_heading(sheet: Sheet, i: int, j: int, folded: bool = True) -> str:
    """The heading of column j at header row i, looking up through merged cells: folded
    (`label_key`), or as written."""
    for k in range(i, max(-1, i - HEADER_SEARCH_UP - 1), -1):
        row = sheet.rows[k]
        if j < len(row) and clean(row[j]):
            return label_key(row[j]) if folded else clean(row[j])
    return ""


def labelled_value(sheet: Sheet, shown: str, labels: set[str]) -> RawValue | None:
    """The first non-empty cell right of a cell whose folded text is one of `labels`."""
    for i, row in enumerate(sheet.rows):
        for j, cell in enumerate(row):
            if isinstance(cell, str) and label_key(cell) in labels:
                for k in range(j + 1, len(row)):
                    if clean(row[k]):
                        return RawValue.at(sheet, shown, i, k)
    return None
