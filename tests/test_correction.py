"""The correction draft (issue 23, item 7): for the 2019 seed, whose annex lists Thanh tra tỉnh
(90) after Sở Y tế (89,5), `audit --draft-correction` writes the decision amending Quyết định
52/QĐ-UBND (Nghị định 30/2020/NĐ-CP, Điều 18): laid out like the decision, schema-valid,
citing the original, each correction "đã in …, nay sửa là …", the corrected annex attached."""

from __future__ import annotations

import docx
import pytest
from typer.testing import CliRunner

from reportgen import api
from reportgen.cli import app
from reportgen.render.correction import corrections, draft_assessment
from tests import test_layout as layout
from tests.conftest import SAMPLE
from tests.test_audit import ANNEX, clean
from tests.test_docx_schema import problems

runner = CliRunner()
CITED = "Quyết định số 52/QĐ-UBND ngày 07/01/2020"


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    out = tmp_path_factory.mktemp("draft")
    report = api.audit(SAMPLE, ANNEX)
    path = api.draft_correction(report, out / "sua-doi.docx")
    return path, report


def test_the_seed_correction_swaps_thanh_tra_and_so_y_te(draft):
    _, report = draft
    assert [c.line() for c in corrections(report)] == [
        "Thanh tra tỉnh (khối Sở, Ban, ngành): đã in STT 15, nay sửa là 14.",
        "Sở Y tế (khối Sở, Ban, ngành): đã in STT 14, nay sửa là 15.",
    ]


def test_the_draft_cites_the_decision_and_lists_each_correction(draft):
    path, _ = draft
    text = [p.text for p in docx.Document(str(path)).paragraphs]
    assert f"Sửa đổi Phụ lục kèm theo {CITED} của UBND tỉnh Quảng Nam" in text
    assert any(t.startswith(f"Căn cứ {CITED} của UBND tỉnh Quảng Nam về việc phê") for t in text)
    (first,) = [t for t in text if t.startswith("Điều 1.")]
    assert "a) Thanh tra tỉnh (khối Sở, Ban, ngành): đã in STT 15, nay sửa là 14." in first
    assert "b) Sở Y tế (khối Sở, Ban, ngành): đã in STT 14, nay sửa là 15." in first
    assert any(t.startswith(f"Điều 2. Thay thế Phụ lục kèm theo {CITED}") for t in text)
    assert "Xét đề nghị của Giám đốc Sở Thông tin và Truyền thông tại Tờ trình số …/TTr-STTTT " \
        "ngày …/…/…," in text  # fmt: skip


def test_the_corrected_annex_is_attached_and_audits_clean(draft):
    path, _ = draft
    table = next(t for t in docx.Document(str(path)).tables if t.rows[0].cells[0].text == "STT")
    names = [r.cells[1].text for r in table.rows[1:]]
    assert names.index("Thanh tra tỉnh") == 13 and names.index("Sở Y tế") == 14
    report = api.audit(SAMPLE, path)
    assert report.ok and [t.group.key for t in report.tables] == ["so-nganh", "huyen"]


def test_the_draft_is_schema_valid(draft):
    path, _ = draft
    assert problems(path) == []


def test_the_draft_is_laid_out_like_the_decision(draft):
    path, report = draft
    built = (layout.Doc(path), draft_assessment(report))
    layout.test_page_a4_portrait_margins_and_font(built)
    layout.test_title_bases_and_body(built)
    layout.test_recipients_and_signer(built)
    layout.test_page_numbers_and_annex_section(built)
    doc = built[0]
    header = doc.body.find(f"{layout.W}tbl")
    left, right = header.findall(f"{layout.W}tr/{layout.W}tc")
    number = doc.find("Số: " + "\u00a0" * 6 + "/QĐ-UBND", left)  # left for the văn thư
    assert layout.jc(number) == "center"
    date = doc.find(
        "Quảng Nam, ngày" + "\u00a0" * 6 + "tháng" + "\u00a0" * 6 + "năm" + "\u00a0" * 6, right
    )
    assert layout.all_runs(doc, date, "i")
    layout.check_annex_tables(doc, 9)  # STT, name, five criteria, total, grade


def test_cli_writes_the_draft_and_nothing_when_clean(tmp_path):
    target = tmp_path / "sua-doi.docx"
    result = runner.invoke(
        app, ["audit", str(SAMPLE), str(ANNEX), "--draft-correction", str(target)]
    )
    assert result.exit_code == 3 and target.is_file()
    assert f"Đã ghi dự thảo quyết định sửa đổi phụ lục: {target}" in result.output
    fixed = clean().write(tmp_path)
    other = tmp_path / "khong-can.docx"
    result = runner.invoke(
        app, ["audit", str(SAMPLE), str(fixed), "--draft-correction", str(other)]
    )
    assert result.exit_code == 0 and not other.exists()
    assert "Không có lỗi nội dung nào cần sửa" in result.output


def test_a_wrong_total_is_corrected_in_words(tmp_path):
    annex = clean().set("Sở Tư pháp", 7, "96,5")
    report = api.audit(SAMPLE, annex.write(tmp_path))
    assert [c.line() for c in corrections(report)] == [
        "Sở Tư pháp (khối Sở, Ban, ngành): đã in tổng điểm 96,5, nay sửa là 95,5."
    ]


def test_a_wrong_stt_alone_is_corrected_by_a_cong_van(tmp_path):
    """A number printed wrong where it decides nothing (the rows are in the right order):
    Điều 18, khoản 2 — a công văn đính chính, not a decision; the annex attached too."""
    annex = clean().set("Sở Tài chính", 0, "5")
    report = api.audit(SAMPLE, annex.write(tmp_path))
    assert [f.code for f in report.findings.errors] == ["AUDIT_STT"]
    path = api.draft_correction(report, tmp_path / "dinh-chinh.docx")
    assert problems(path) == []
    document = docx.Document(str(path))
    left = document.tables[0].rows[0].cells[0]
    assert [p.text for p in left.paragraphs][-2:] == [
        "Số: " + "\u00a0" * 6 + "/UBND",
        f"V/v đính chính {CITED}",
    ]
    text = [p.text for p in document.paragraphs]
    assert "QUYẾT ĐỊNH" not in text
    assert f"Kính gửi: Các cơ quan, đơn vị có tên tại Phụ lục kèm theo {CITED}" in text
    assert any(
        "a) Sở Tài chính (khối Sở, Ban, ngành): đã in STT 5, nay sửa là 6." in t for t in text
    )
    reference = "(Kèm theo Công văn số " + "\u00a0" * 6 + "/UBND ngày " + "\u00a0" * 6
    assert any(t.startswith(reference) for t in text)
    assert api.audit(SAMPLE, path).ok  # the corrected annex attached


def test_rows_to_take_out_and_to_put_in_are_said_in_words(tmp_path):
    annex = clean()
    del annex.lines[annex.index("Ban Dân tộc")]
    last = annex.index("Sở Giáo dục và Đào tạo")
    annex.lines.insert(last + 1, "20\tSở Y tế\t10\t34\t27,5\t8\t10\t89,5\tTốt")
    report = api.audit(SAMPLE, annex.write(tmp_path))
    assert sorted(f.code for f in report.findings.errors) == ["AUDIT_DUPLICATE", "AUDIT_MISSING"]
    assert [c.line() for c in corrections(report)] == [
        "Sở Y tế (khối Sở, Ban, ngành): in lặp lại ở dòng 20, nay bỏ dòng này.",
        "Ban Dân tộc (khối Sở, Ban, ngành): chưa có trong Phụ lục đã in, nay bổ sung (điểm "
        "theo biểu chấm điểm của đơn vị: cần điền).",
    ]
