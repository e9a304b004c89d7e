"""The audit's comparison where mutation testing found it untested (docs/testing.md): a
published subtotal, an index printed as a number or as text at fewer digits, an index with
trailing zeros, a rank cell that is not a number, a unit not ranked given a rank. Each
planted into the Đà Nẵng sample's own annex workbook, which audits clean."""

from __future__ import annotations

import openpyxl

from tests.test_audit import clean, found
from tests.test_audit_models import _errors, _plant
from tests.test_audit_models import outputs as outputs  # noqa: F401 (a fixture)

SO = "Sở, ngành"
VH = "Sở Văn hóa, Thể thao và Du lịch"  # row 1: 949,5 points, index 0,9495, rank 01
NV = "Sở Nội vụ"  # row 7: rank 07


def test_a_subtotal_on_the_detail_sheet(outputs, tmp_path):
    # Nhận thức số = 42,5 + 50 = 92,5; printed 90 above its two indicators
    path, cell = _plant(outputs, tmp_path, "Chi tiết - Sở, ngành", VH, "Nhận thức số", 90)
    (error,) = _errors(path)
    assert (error.code, error.location.sheet, error.location.cell) == (
        "AUDIT_TOTAL_WRONG",
        "Chi tiết - Sở, ngành",
        cell,
    )
    assert error.message == (
        f"Dòng 1: {VH} ghi tổng điểm 90 ở 'Nhận thức số', nhưng tổng các tiêu chí là 92,5."
    )


def test_an_index_number_cell_is_compared_at_the_sets_four_decimals(outputs, tmp_path):
    # a number cell 0.95 is the value 0,95, not 0,9495 printed at two decimals
    path, cell = _plant(outputs, tmp_path, SO, VH, "Chỉ số", 0.95)
    (error,) = _errors(path)
    assert (error.code, error.location.cell) == ("AUDIT_INDEX_WRONG", cell)
    assert error.message == (
        f"Dòng 1: {VH} ghi chỉ số 0,95, nhưng tính lại từ điểm các tiêu chí được 0,9495."
    )


def test_an_index_typed_as_text_is_compared_at_its_own_digits(outputs, tmp_path):
    path, _ = _plant(outputs, tmp_path, SO, VH, "Chỉ số", "0,95")  # 0,9495 at two decimals
    assert _errors(path) == []
    path, cell = _plant(outputs, tmp_path, SO, VH, "Chỉ số", "0,930")  # three: 0,950
    (error,) = _errors(path)
    assert (error.code, error.location.cell) == ("AUDIT_INDEX_WRONG", cell)
    assert error.message == (
        f"Dòng 1: {VH} ghi chỉ số 0,930, nhưng tính lại từ điểm các tiêu chí được 0,950."
    )


def test_an_index_keeps_its_trailing_zeros_in_the_messages(outputs, tmp_path):
    ct = "Sở Công Thương"  # row 12: 670 points (verified), index 0,6700, rank 12
    path, cell = _plant(outputs, tmp_path, SO, ct, "Chỉ số", 0.68)
    (error,) = _errors(path)
    assert error.message == (
        f"Dòng 12: {ct} ghi chỉ số 0,68, nhưng tính lại từ điểm các tiêu chí được 0,6700."
    )
    path, cell = _plant(outputs, tmp_path, SO, ct, "Xếp hạng", "13")
    (error,) = _errors(path)
    assert (error.code, error.location.cell) == ("AUDIT_RANK", cell)
    assert error.message == (
        f"Dòng 12: {ct} (0,6700) ghi xếp hạng 13, nhưng theo chỉ số xếp hạng 12."
    )


def test_a_rank_that_is_not_a_number(outputs, tmp_path):
    path, cell = _plant(outputs, tmp_path, SO, VH, "Xếp hạng", "nhất")
    (error,) = _errors(path)
    assert (error.code, error.location.cell, error.unit) == ("AUDIT_NOT_NUMBER", cell, VH)
    assert error.message == f"Dòng 1: {VH}, cột 'Xếp hạng': 'nhất' không phải là số."


def test_a_unit_not_ranked_given_a_rank_is_told_why_in_full(outputs, tmp_path):
    unit = "Đài Phát thanh - Truyền hình"
    path, _ = _plant(outputs, tmp_path, SO, unit, "Xếp hạng", "17")
    (error,) = _errors(path)
    assert error.message == (
        f"Dòng 17: {unit} không xếp hạng (đơn vị sự nghiệp, không có thủ tục hành chính), "
        "nhưng bảng ghi xếp hạng 17."
    )


def _without(outputs, tmp_path, units: list[str], ranks: dict[str, str] | None = None):
    """phu-luc.xlsx with `units` left out of the group's table and its detail sheet, and
    published ranks changed (unit → rank text) on the table."""
    book = openpyxl.load_workbook(outputs / "phu-luc.xlsx")
    for name in (SO, "Chi tiết - Sở, ngành"):
        sheet = book[name]
        row_of = {c.value: c.row for c in sheet["C"] if c.value}
        if name == SO:
            for unit, rank in (ranks or {}).items():
                sheet[f"B{row_of[unit]}"] = rank
        for row in sorted((row_of[u] for u in units), reverse=True):
            sheet.delete_rows(row)
    path = tmp_path / "phu-luc.xlsx"
    book.save(path)
    return path


def test_a_unit_left_out_is_placed_where_the_ranks_skip_it(outputs, tmp_path):
    (error,) = _errors(_without(outputs, tmp_path, [NV]))  # rank 07: 06 is followed by 08
    assert error.code == "AUDIT_MISSING" and error.location.cell == "C11"
    assert error.message.endswith(
        "đứng ở vị trí 7 (sau Ban Quản lý An toàn thực phẩm, trước Văn phòng UBND thành phố)."
    )


def test_two_units_left_out_leave_two_places(outputs, tmp_path):
    errors = _errors(_without(outputs, tmp_path, [NV, "Sở Tư pháp"]))  # ranks 07 and 09
    assert [e.unit for e in errors] == [NV, "Sở Tư pháp"]
    assert all(e.message.endswith("bảng đã in bỏ trống các vị trí 7, 9.") for e in errors)


def test_a_rank_skipping_more_places_than_units_are_missing_is_wrong(outputs, tmp_path):
    # Sở Nội vụ left out (rank 7 skipped), and Sở Tài chính printed 11 where 10 follows 09
    path = _without(outputs, tmp_path, [NV], {"Sở Tài chính": "11"})
    rank, missing = _errors(path)
    assert (rank.code, missing.code) == ("AUDIT_RANK", "AUDIT_MISSING")
    assert rank.message == (
        "Dòng 9: Sở Tài chính (0,6975) ghi xếp hạng 11, nhưng theo chỉ số xếp hạng 10."
    )


def test_an_stt_that_is_not_a_place_number(outputs, tmp_path):
    for value in ("a", 14.5):
        path, cell = _plant(outputs, tmp_path, SO, "Sở Y tế", "STT", value)
        (error,) = _errors(path)
        assert (error.code, error.location.cell) == ("AUDIT_STT", cell)
        assert error.message.startswith("Dòng 14: Sở Y tế mang STT '")
        assert error.message.endswith("' không phải là số thứ tự.")
    assert (
        "mang STT 'a' không phải"
        in _errors(_plant(outputs, tmp_path, SO, "Sở Y tế", "STT", "a")[0])[0].message
    )


def test_a_number_cell_that_is_no_place_number_is_quoted_with_a_decimal_comma(outputs, tmp_path):
    # Excel shows the number cell 14.5 as 14,5 in a Vietnamese document; text stays as typed
    for column, value, quoted, tail in (
        ("STT", 14.5, "'14,5'", "không phải là số thứ tự."),
        ("STT", "14.5", "'14.5'", "không phải là số thứ tự."),
        ("Xếp hạng", 14.5, "'14,5'", "không phải là số."),
    ):
        (error,) = _errors(_plant(outputs, tmp_path, SO, "Sở Y tế", column, value)[0])
        assert error.message.endswith(f" {quoted} {tail}"), error.message


def test_a_table_numbered_from_2(outputs, tmp_path):
    path, cell = _plant(outputs, tmp_path, SO, VH, "STT", 2)
    first, second = _errors(path)
    assert (first.location.cell, first.message) == (
        cell,
        f"Dòng 1: {VH} mang STT 2, thiếu STT 1.",
    )
    assert second.message.endswith("mang STT 2, trùng với dòng 1.")


# --- The 2019 annex: STT only, no rank column ------------------------------------------------


def test_a_unit_left_out_is_placed_where_the_stt_skips_it(tmp_path):
    annex = clean()
    at = annex.index("Sở Tài chính")  # STT 6, between STT 5 and STT 7
    above, below = (annex.lines[i].split("\t")[1] for i in (at - 1, at + 1))
    del annex.lines[at]
    (error,) = found(tmp_path, annex)
    assert error.code == "AUDIT_MISSING" and error.unit == "Sở Tài chính"
    assert error.message.endswith(f"đứng ở vị trí 6 (sau {above}, trước {below}).")


def test_two_units_left_out_leave_their_stt_numbers_empty(tmp_path):
    annex = clean()
    stts = sorted(int(annex.get(u, 0)) for u in ("Sở Tài chính", "Sở Ngoại vụ"))
    for unit in ("Sở Tài chính", "Sở Ngoại vụ"):
        del annex.lines[annex.index(unit)]
    errors = found(tmp_path, annex)
    assert sorted(e.unit for e in errors) == ["Sở Ngoại vụ", "Sở Tài chính"]
    where = f"bảng đã in bỏ trống các vị trí {stts[0]}, {stts[1]}."
    assert all(e.code == "AUDIT_MISSING" and e.message.endswith(where) for e in errors)


def test_an_stt_skipping_two_numbers_names_the_range(tmp_path):
    annex = clean()
    for line in range(annex.index("Sở Tư pháp"), annex.index("Ban Dân tộc") + 1):
        cells = annex.lines[line].split("\t")
        annex.lines[line] = "\t".join([str(int(cells[0]) + 2), *cells[1:]])
    (error,) = found(tmp_path, annex)
    assert error.message == "Dòng 5: Sở Tư pháp mang STT 7, thiếu STT 5–6."


def test_rows_below_a_rank_that_is_not_a_number_are_still_checked(outputs, tmp_path):
    second = "Ban Quản lý Khu công nghệ cao và các khu công nghiệp"  # 0,9245, rank 02
    path = _without(outputs, tmp_path, [], {VH: "nhất", second: "03"})
    assert [(e.code, e.unit) for e in _errors(path)] == [
        ("AUDIT_NOT_NUMBER", VH),
        ("AUDIT_RANK", second),
    ]


def test_rows_out_of_order_by_index(outputs, tmp_path):
    """The first two rows exchanged (their ranks with them, the STT left in place)."""
    second = "Ban Quản lý Khu công nghệ cao và các khu công nghiệp"  # 0,9245
    book = openpyxl.load_workbook(outputs / "phu-luc.xlsx")
    sheet = book[SO]
    row_of = {c.value: c.row for c in sheet["C"] if c.value}
    for column in range(2, sheet.max_column + 1):
        upper, lower = sheet.cell(row_of[VH], column), sheet.cell(row_of[second], column)
        upper.value, lower.value = lower.value, upper.value
    book.save(tmp_path / "phu-luc.xlsx")
    (error,) = _errors(tmp_path / "phu-luc.xlsx")
    assert (error.code, error.location.cell) == ("AUDIT_ORDER", f"C{row_of[second]}")
    assert error.message == (f"Dòng 2: {VH} (0,9495) đứng sau {second} (0,9245), chỉ số thấp hơn.")
