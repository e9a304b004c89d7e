"""The audit's comparison where mutation testing found it untested (docs/testing.md): a
published subtotal, an index printed as a number or as text at fewer digits, an index with
trailing zeros, a rank cell that is not a number, a unit not ranked given a rank. Each
planted into the Đà Nẵng sample's own annex workbook, which audits clean."""

from __future__ import annotations

from tests.test_audit_models import _errors, _plant
from tests.test_audit_models import outputs as outputs  # noqa: F401 (a fixture)

SO = "Sở, ngành"
VH = "Sở Văn hóa, Thể thao và Du lịch"  # row 1: 949,5 points, index 0,9495, rank 01
NV = "Sở Nội vụ"  # row 7: 750 points, index 0,7500, rank 07


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
    path, cell = _plant(outputs, tmp_path, SO, NV, "Chỉ số", 0.76)
    (error,) = _errors(path)
    assert error.message == (
        f"Dòng 7: {NV} ghi chỉ số 0,76, nhưng tính lại từ điểm các tiêu chí được 0,7500."
    )
    path, cell = _plant(outputs, tmp_path, SO, NV, "Xếp hạng", "09")
    (error,) = _errors(path)
    assert (error.code, error.location.cell) == ("AUDIT_RANK", cell)
    assert error.message == (
        f"Dòng 7: {NV} (0,7500) ghi xếp hạng 09, nhưng theo chỉ số xếp hạng 7."
    )


def test_a_rank_that_is_not_a_number(outputs, tmp_path):
    path, cell = _plant(outputs, tmp_path, SO, VH, "Xếp hạng", "nhất")
    (error,) = _errors(path)
    assert (error.code, error.location.cell, error.unit) == ("AUDIT_NOT_NUMBER", cell, VH)
    assert "Xếp hạng" in error.message and "nhất" in error.message


def test_a_unit_not_ranked_given_a_rank_is_told_why_in_full(outputs, tmp_path):
    unit = "Đài Phát thanh - Truyền hình"
    path, _ = _plant(outputs, tmp_path, SO, unit, "Xếp hạng", "17")
    (error,) = _errors(path)
    assert error.message == (
        f"Dòng 17: {unit} không xếp hạng (đơn vị sự nghiệp, không có thủ tục hành chính), "
        "nhưng bảng ghi xếp hạng 17."
    )
