"""What ingest accepts, and the finding for everything it does not (issue 3)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from reportgen.core.findings import Severity, UnitStatus
from reportgen.pipeline import build as api
from reportgen.pipeline.check import check
from tests import builders
from tests.conftest import SAMPLE
from tests.test_filesafety import cfb_bytes

SY = "Sở Y tế"


def findings_for(*inputs: Path):
    """The findings of checking `inputs` alone (units that sent nothing left aside)."""
    checked = check(SAMPLE, list(inputs))
    return checked, [f for f in checked.findings if f.code != "UNIT_MISSING"]


def only(*inputs: Path):
    _, found = findings_for(*inputs)
    assert len(found) == 1, [str(f) for f in found]
    return found[0]


# --- accepted ----------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["27,5", "27.5", " 27,5 ", "27,5\u00a0", "\u00a027.5"])
def test_numbers_typed_as_text_are_read(tmp_path, assessment, typed):
    path = builders.form(tmp_path, assessment, SY, {"D10": typed})
    checked, found = findings_for(path)
    assert not found
    assert checked.submissions[0].scores["nguoi_dan"] == Decimal("27.5")


@pytest.mark.parametrize(
    "written",
    [
        "SỞ Y TẾ",
        "  Sở   Y  tế ",
        "Sở\u00a0Y tế",
        "So\u031b\u0309 Y te\u0302\u0301",  # NFD, as macOS writes it
        "Sở YT",  # a registered alias
    ],
)
def test_unit_names_in_any_form_are_matched(tmp_path, assessment, written):
    path = builders.form(tmp_path, assessment, SY, {"B3": written})
    checked, found = findings_for(path)
    assert not found
    assert [s.unit for s in checked.submissions] == [SY]


def test_ubnd_and_tp_prefixes_are_spelt_out(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, "Thành phố Hội An", {"B3": "UBND TP. Hội An"})
    checked, found = findings_for(path)
    assert not found and checked.submissions[0].unit == "Thành phố Hội An"


def test_unregistered_abbreviation_gets_a_suggestion_not_a_match(tmp_path, assessment):
    path = builders.form(
        tmp_path, assessment, "Sở Văn hóa, Thể thao và Du lịch", {"B3": "Sở VHTT&DL"}
    )
    f = only(path)  # its one acronym: the unit's form, with the name to be corrected
    assert (f.code, f.unit) == ("UNIT_UNKNOWN", "Sở Văn hóa, Thể thao và Du lịch")
    assert "Có phải 'Sở Văn hóa, Thể thao và Du lịch'?" in f.message
    assert f.message.endswith('aliases = ["Sở VH-TT&DL", "Sở VHTTDL", "Sở VHTT&DL"] },')


def test_acronyms_of_registered_names_are_suggested(assessment):
    from reportgen.judge.registry import UnitRegistry

    bare = assessment.model_copy(
        update={
            "groups": [
                g.model_copy(
                    update={"units": [u.model_copy(update={"aliases": []}) for u in g.units]}
                )
                for g in assessment.groups
            ]
        }
    )
    registry = UnitRegistry(bare)
    for written, meant in [
        ("Sở GTVT", "Sở Giao thông vận tải"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
    ]:
        assert registry.match(written).unit is None
        assert registry.match(written).suggestion == meant


def test_xlsm_is_read_and_macros_never_run(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, SY, name="Sở Y tế.xlsm")
    checked, found = findings_for(path)
    assert not found and checked.submissions[0].unit == SY


def test_legacy_xls_is_read(tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Phiếu chấm điểm")
    sheet.write(2, 0, "Đơn vị:")
    sheet.write(2, 1, SY)
    sheet.write(6, 1, "Tiêu chí")
    sheet.write(6, 3, "Điểm tự chấm")
    for i, (label, score) in enumerate(
        zip(
            [
                "Hạ tầng kỹ thuật CNTT và An toàn thông tin",
                "Ứng dụng CNTT trong hoạt động nội bộ cơ quan",
                "Ứng dụng CNTT phục vụ người dân và doanh nghiệp",
                "Nguồn nhân lực CNTT",
                "Môi trường tổ chức và Chính sách",
            ],
            [10, 34, 27.5, 8, 10],
        )
    ):
        sheet.write(7 + i, 1, label)
        sheet.write(7 + i, 3, score)
    path = tmp_path / "Sở Y tế.xls"
    book.save(str(path))
    checked, found = findings_for(path)
    assert not found
    assert checked.submissions[0].scores["nguoi_dan"] == Decimal("27.5")


def ods_bytes(rows: list[list[object]]) -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice would save it."""

    def cell(value):
        if isinstance(value, (int, float)):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Tổng hợp">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_ods_consolidated_table_is_read(tmp_path):
    header = ["STT", "Tên đơn vị", *builders.LABELS]
    path = tmp_path / "tong-hop.ods"
    path.write_bytes(ods_bytes([["Bảng tổng hợp"], header, [1, SY, 10, 34, 27.5, 8, 10]]))
    checked, found = findings_for(path)
    assert not found
    assert checked.submissions[0].scores["nguoi_dan"] == Decimal("27.5")


def test_consolidated_header_with_merged_cells_notes_and_blank_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "KẾT QUẢ TỔNG HỢP"
    sheet.merge_cells("A1:I1")
    sheet["A3"], sheet["B3"], sheet["C3"], sheet["H3"] = "STT", "Tên đơn vị", "Điểm", "Tổng"
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    sheet.merge_cells("C3:G3")
    sheet.merge_cells("H3:H4")
    labels = [
        "1. HẠ TẦNG KỸ THUẬT CNTT VÀ AN TOÀN THÔNG TIN (10 điểm)",
        "ung dung cntt trong hoat dong noi bo co quan",
        "Ứng dụng CNTT phục vụ người dân và doanh nghiệp",
        "Nguồn nhân lực CNTT",
        "Môi  trường tổ chức và chính sách",
    ]
    for j, label in enumerate(labels):
        sheet.cell(4, 3 + j, label)
    sheet.append([])
    sheet.append(["I", "KHỐI SỞ, BAN, NGÀNH"])
    sheet.append([1, SY, 10, 34, 27.5, 8, 10, 89.5])
    sheet.append([None, "Ghi chú: số liệu do đơn vị tự chấm"])
    path = tmp_path / "th.xlsx"
    book.save(path)
    checked, found = findings_for(path)
    assert not found
    assert [s.unit for s in checked.submissions] == [SY]


# --- refused, one finding per code ---------------------------------------------------------------
def test_input_not_found(tmp_path):
    f = only(tmp_path / "khong-co.xlsx")
    assert (f.code, f.severity) == ("INPUT_NOT_FOUND", Severity.ERROR)


def test_empty_folder_is_no_submission_yet(tmp_path):
    """A new assessment's empty submissions/ folder: every unit Chưa nộp, no input error."""
    empty = tmp_path / "rong"
    empty.mkdir()
    checked = check(SAMPLE, [empty])
    codes = {f.code for f in checked.findings}
    assert codes == {"UNIT_MISSING"}
    assert {f.location.file for f in checked.findings} == {"rong"}
    statuses = set(checked.statuses().values())
    assert statuses <= {UnitStatus.MISSING, UnitStatus.NOT_ASSESSED}


def test_missing_units_not_located_in_a_given_file(tmp_path):
    """`build A quyet-dinh.pdf`: the PDF is refused by its name; the units it does not hold
    are not said to be missing 'in quyet-dinh.pdf'."""
    pdf = tmp_path / "quyet-dinh.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    checked = check(SAMPLE, [pdf])
    refused = [f for f in checked.findings if f.code == "FILE_NOT_SPREADSHEET"]
    assert [f.location.file for f in refused] == ["quyet-dinh.pdf"]
    missing = [f for f in checked.findings if f.code == "UNIT_MISSING"]
    assert missing and all("quyet-dinh.pdf" not in str(f.location) for f in missing)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("Sở Y tế.xlsx", b"", "FILE_EMPTY"),
        (
            "Sở Y tế.xls",
            b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            "FILE_NOT_SPREADSHEET",
        ),
        ("Sở Y tế.xlsx", "STT;Đơn vị;Điểm\n1;Sở Y tế;89,5\n".encode(), "FILE_NOT_SPREADSHEET"),
        ("Sở Y tế.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "FILE_NOT_SPREADSHEET"),
        ("Sở Y tế.xlsx", cfb_bytes(["EncryptionInfo", "EncryptedPackage"]), "FILE_ENCRYPTED"),
    ],
)
def test_files_refused_before_parsing(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    f = only(path)
    assert (f.code, f.severity, f.location.file) == (code, Severity.ERROR, name)
    assert name in f.message


def test_html_renamed_names_what_it_is(tmp_path):
    path = tmp_path / "Sở Y tế.xls"
    path.write_bytes(b"<!DOCTYPE html><html><table></table></html>")
    assert "HTML" in only(path).message


def test_truncated_workbook_is_corrupt(tmp_path, assessment):
    good = builders.form(tmp_path, assessment, SY).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert only(path).code == "FILE_CORRUPT"


def test_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                entry.write(chunk)
    assert only(path).code == "FILE_ZIP_BOMB"


def test_workbook_the_reader_cannot_parse(tmp_path, assessment):
    good = builders.form(tmp_path, assessment, SY).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = b"<workbook><sheets><sheet name="
            dst.writestr(info, data)
    path = tmp_path / "broken.xlsx"
    path.write_bytes(out.getvalue())
    f = only(path)
    assert f.code in ("FILE_UNREADABLE", "FILE_CORRUPT") and f.severity is Severity.ERROR


def test_no_layout(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = "Danh sách cán bộ"
    path = tmp_path / "khac.xlsx"
    book.save(path)
    f = only(path)
    assert (f.code, f.location.file) == ("LAYOUT_NOT_FOUND", "khac.xlsx")


def test_unknown_unit_with_suggestion(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, SY, {"B3": "Sở Y tê"})
    f = only(path)
    assert (f.code, f.location.sheet, f.location.cell) == ("UNIT_UNKNOWN", "Phiếu chấm điểm", "B3")
    assert "Có phải 'Sở Y tế'?" in f.message


def test_two_files_for_one_unit(tmp_path, assessment):
    a = builders.form(tmp_path, assessment, SY)
    b = builders.form(tmp_path, assessment, SY, {"D8": 9}, name="Sở Y tế (gửi lại).xlsx")
    f = only(a, b)  # different contents (an identical copy is FILE_RESENT: test_resend.py)
    assert (f.code, f.unit, f.location.file) == ("UNIT_DUPLICATE", SY, "Sở Y tế (gửi lại).xlsx")
    assert "Sở Y tế.xlsx" in f.message


def test_two_rows_for_one_unit(tmp_path):
    path = builders.table(
        tmp_path, [[1, SY, 10, 34, 27.5, 8, 10], [2, "Sở Y Tế", 10, 34, 27, 8, 10]]
    )
    f = only(path)
    assert (f.code, f.location.cell) == ("UNIT_DUPLICATE", "B4")


def test_registered_unit_with_no_submission(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, SY)
    checked = check(SAMPLE, [path])
    missing = [f for f in checked.findings if f.code == "UNIT_MISSING"]
    assert len(missing) == 37 and all(f.severity is Severity.ERROR for f in missing)
    assert "Thanh tra tỉnh" in {f.unit for f in missing}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "SCORE_MISSING"),
        ("khoảng 30", "SCORE_NOT_NUMBER"),
        ("1.234,5", "SCORE_NOT_NUMBER"),
        ("35,5,0", "SCORE_NOT_NUMBER"),
        (True, "SCORE_NOT_NUMBER"),
        (-1, "SCORE_NEGATIVE"),
        (37, "SCORE_ABOVE_MAX"),
        ("36,5", "SCORE_ABOVE_MAX"),
        (27.125, "SCORE_TOO_PRECISE"),
        ("=20+7", "FORMULA_NO_VALUE"),
    ],
)
def test_bad_scores(tmp_path, assessment, value, code):
    path = builders.form(tmp_path, assessment, SY, {"D9": value})
    f = only(path)
    assert (f.code, f.severity, f.unit) == (code, Severity.ERROR, SY)
    assert (f.location.file, f.location.sheet, f.location.cell) == (
        "Sở Y tế.xlsx",
        "Phiếu chấm điểm",
        "D9",
    )
    assert "Ứng dụng CNTT trong hoạt động nội bộ cơ quan" in f.message


def test_above_max_message_reads_like_a_clerk_would_write_it(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, SY, {"D9": 37})
    assert str(only(path)) == (
        "Sở Y tế.xlsx, sheet Phiếu chấm điểm, ô D9: Điểm tiêu chí 'Ứng dụng CNTT trong hoạt "
        "động nội bộ cơ quan' là 37, vượt điểm tối đa 36."
    )


def test_stated_total_and_grade_that_disagree_are_warnings(tmp_path):
    path = builders.table(tmp_path, [[1, SY, 10, 34, 27.5, 8, 10, 90, "Khá"]])
    checked, found = findings_for(path)
    assert {(f.code, f.severity, f.location.cell) for f in found} == {
        ("TOTAL_MISMATCH", Severity.WARNING, "H3"),
        ("GRADE_MISMATCH", Severity.WARNING, "I3"),
    }
    assert checked.submissions[0].unit == SY  # warnings do not drop the unit
    assert "89,5" in next(f for f in found if f.code == "TOTAL_MISMATCH").message


def test_stated_total_in_the_form_is_checked(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, SY, {"D13": 95})
    assert only(path).code == "TOTAL_MISMATCH"


# --- commands and promises -----------------------------------------------------------------------
def test_inputs_are_byte_identical_after_validate_and_build(tmp_path):
    files = sorted((SAMPLE / "submissions").iterdir()) + [SAMPLE / "tong-hop.xlsx"]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    check(SAMPLE)
    api.build(SAMPLE, out=tmp_path / "a")
    api.build(SAMPLE, [SAMPLE / "tong-hop.xlsx"], out=tmp_path / "b")
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files} == before


def test_generated_forms_filled_by_a_person_give_the_sample_results(tmp_path, assessment):
    scores = builders.published_scores()
    forms_dir = tmp_path / "forms"
    from reportgen.render.forms import write_forms

    paths = write_forms(assessment, forms_dir)
    assert len(paths) == 38
    for path in paths:
        book = openpyxl.load_workbook(path)
        sheet = book["Phiếu chấm điểm"]
        unit = sheet["B3"].value
        for row in range(8, 13):
            label = sheet.cell(row, 2).value
            key = next(c.key for c in assessment.criteria if c.label == label)
            value = scores[unit][key]
            # a person types some scores as text with a decimal comma
            sheet.cell(row, 4).value = (
                str(value).replace(".", ",") if value != value.to_integral() else int(value)
            )
        book.save(path)
    ours = api.build(SAMPLE, [forms_dir], out=tmp_path / "out")
    sample = api.build(SAMPLE, out=tmp_path / "sample")
    assert ours.ok and ours.results == sample.results


def test_form_is_locked_validated_and_printable(tmp_path, assessment):
    from reportgen.render.forms import write_forms

    path = write_forms(assessment, tmp_path)[0]
    sheet = openpyxl.load_workbook(path)["Phiếu chấm điểm"]
    assert sheet.protection.sheet
    assert sheet["B3"].protection.locked and not sheet["D8"].protection.locked
    rules = {str(r.sqref): r for r in sheet.data_validations.dataValidation}
    assert set(rules) == {f"D{r}" for r in range(8, 13)}
    assert "<=36" in rules["D9"].formula1 and "ROUND(D9,2)" in rules["D9"].formula1
    assert sheet["D13"].value == "=SUM(D8:D12)"
    assert int(sheet.page_setup.paperSize) == 9 and (sheet.page_setup.fitToWidth or 1) == 1  # 9: A4


def test_form_file_names_are_safe_everywhere():
    from reportgen.render.filenames import form_filename

    assert (
        form_filename("Sở Lao động - Thương binh và Xã hội")
        == "Sở Lao động - Thương binh và Xã hội.xlsx"
    )
    assert form_filename('Ban A/B: "C"?') == "Ban A-B- -C--.xlsx"
    assert form_filename("CON") == "_CON.xlsx"
    assert form_filename("Xa\u0303 A") == "Xã A.xlsx"


def test_unit_name_in_tcvn3_is_read_with_a_warning(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, SY, {"B3": "Së Y tÕ"})
    checked, found = findings_for(path)
    assert [(f.code, f.severity, f.location.cell) for f in found] == [
        ("LEGACY_ENCODING", Severity.WARNING, "B3")
    ]
    assert "TCVN3" in found[0].message and "'Sở Y tế'" in found[0].message
    assert [s.unit for s in checked.submissions] == [SY]


def test_consolidated_sheet_typed_in_tcvn3_is_read(tmp_path):
    header = [
        "STT",
        "Tªn ®¬n vÞ",
        "H¹ tÇng kü thuËt CNTT vµ An toµn th«ng tin",
        "øng dông CNTT trong ho¹t ®éng néi bé c¬ quan",
        "øng dông CNTT phôc vô ng­êi d©n vµ doanh nghiÖp",
        "Nguån nh©n lùc CNTT",
        "M«i tr­êng tæ chøc vµ ChÝnh s¸ch",
    ]
    path = builders.table(tmp_path, [[1, "HuyÖn §¹i Léc", 10, 30, 23, 8, 8]], header=header)
    checked, found = findings_for(path)
    assert [f.code for f in found] == ["LEGACY_ENCODING"]
    assert [s.unit for s in checked.submissions] == ["Huyện Đại Lộc"]


def test_legacy_name_that_is_no_registered_unit(tmp_path, assessment):
    path = builders.form(tmp_path, assessment, SY, {"B3": "Së Ngo¹i giao"})
    _, found = findings_for(path)
    assert [f.code for f in found] == ["LEGACY_ENCODING", "UNIT_UNKNOWN"]
    assert "'Sở Ngoại giao'" in found[1].message
