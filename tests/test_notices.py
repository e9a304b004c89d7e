"""The verification round on the 2019 sample: notices for the units whose scores the Sở
changed (and none for the others), answer workbooks whose locked cells hold exactly the
changes, answers read back — agreed, accepted, kept, open, late — and the final totals and
ranks worked out by hand."""

from __future__ import annotations

import json
import shutil
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from typer.testing import CliRunner

from reportgen import api, config
from reportgen.cli import app
from reportgen.judge import notices
from reportgen.pipeline import build
from reportgen.pipeline.check import check
from tests.conftest import SAMPLE

VERIFICATION = """
[verification]
deadline = 2020-01-05
issuer = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
issuer_short = "Sở Thông tin và Truyền thông"
parent = "UBND TỈNH QUẢNG NAM"
symbol = "STTTT-CNTT"
number = 15
date = 2019-12-20
signer = { lines = ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name = "Nguyễn Văn A" }
recipients = ["Như trên;", "Lưu: VT, CNTT."]
"""
# unit → (criterion label, self-score, verified score, reason): the Sở's verification list
CHANGES = {
    "Sở Giao thông vận tải": (
        "Ứng dụng CNTT trong hoạt động nội bộ cơ quan",
        36,
        30,
        "Chưa ký số văn bản đi",
    ),
    "Sở Công Thương": (
        "Ứng dụng CNTT phục vụ người dân và doanh nghiệp",
        36,
        30,
        "Tỷ lệ hồ sơ trực tuyến thấp",
    ),
    "Sở Thông tin và Truyền thông": (
        "Hạ tầng kỹ thuật CNTT và An toàn thông tin",
        10,
        5,
        "Chưa có phương án ATTT",
    ),
    "Văn phòng UBND tỉnh": ("Môi trường tổ chức và Chính sách", 10, 6, "Thiếu kế hoạch CNTT"),
    "Thanh tra tỉnh": ("Nguồn nhân lực CNTT", 8, 4, "Chưa có cán bộ chuyên trách"),
}


@pytest.fixture
def round_folder(tmp_path):
    """The 2019 sample with a [verification] section and the Sở's verification list."""
    folder = tmp_path / "qn-2019"
    shutil.copytree(SAMPLE / "submissions", folder / "submissions")
    text = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    (folder / "assessment.toml").write_text(text + VERIFICATION, encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tên đơn vị", "Tiêu chí", "Điểm thẩm định", "Lý do"])
    for unit, (label, _, verified, reason) in CHANGES.items():
        sheet.append([unit, label, verified, reason])
    book.save(folder / "submissions" / "tham-dinh.xlsx")
    return folder


def test_one_notice_and_one_answer_workbook_per_changed_unit(round_folder, tmp_path):
    out = tmp_path / "thong-bao"
    result = api.notices(round_folder, out=out)
    assert [n.unit for n in result.notices] == list(CHANGES)  # config order
    assert len(result.unchanged) == 38 - len(CHANGES)
    assert "Sở Y tế" in result.unchanged
    files = sorted(p.name for p in out.iterdir())
    expected = sorted(
        [f"Thông báo - {u}.docx" for u in CHANGES]
        + [f"Phiếu giải trình - {u}.xlsx" for u in CHANGES]
        + ["thong-bao-qn-2019.zip"]
    )
    assert files == expected
    with zipfile.ZipFile(out / "thong-bao-qn-2019.zip") as archive:
        assert sorted(archive.namelist()) == [n for n in expected if not n.endswith(".zip")]
    numbers = [n.number for n in result.notices]
    assert numbers == [f"{15 + i}/STTTT-CNTT" for i in range(len(CHANGES))]


def test_the_answer_workbook_locks_exactly_the_changes(round_folder, tmp_path):
    """Read back with openpyxl: locked cells hold the change, the answer cells are open."""
    out = tmp_path / "thong-bao"
    api.notices(round_folder, out=out)
    for unit, (label, own, verified, reason) in CHANGES.items():
        sheet = openpyxl.load_workbook(out / f"Phiếu giải trình - {unit}.xlsx").active
        assert sheet.protection.sheet
        header = next(r for r in sheet.iter_rows() if r[1].value == "Tiêu chí")
        headings = [c.value for c in header]
        rows = [
            r for r in sheet.iter_rows(min_row=header[0].row + 1) if isinstance(r[0].value, int)
        ]
        assert len(rows) == 1
        (row,) = rows
        locked = {headings[i]: c.value for i, c in enumerate(row) if c.protection.locked}
        assert locked == {
            "STT": 1,
            "Tiêu chí": label,
            "Điểm tự chấm": own,
            "Điểm thẩm định sơ bộ": verified,
            "Lý do": reason,
        }
        open_ = [headings[i] for i, c in enumerate(row) if not c.protection.locked]
        assert open_[:3] == ["Ý kiến của đơn vị", "Giải trình", "Minh chứng bổ sung"]
        (rule,) = [
            v for v in sheet.data_validations.dataValidation if row[5].coordinate in str(v.sqref)
        ]
        assert rule.formula1 == '"Thống nhất,Giải trình"'
        assert sheet.cell(3, 1).value == "Đơn vị:" and sheet.cell(3, 3).value == unit


def answer(
    folder, out, unit, opinion, explanation="", conclusion=None, score=None, day=None, into=None
):
    """Fill unit's answer workbook as the unit (and the council) would, into giai-trinh/
    (or `into`, another folder of the assessment)."""
    path = out / f"Phiếu giải trình - {unit}.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = next(r for r in sheet.iter_rows() if r[1].value == "Tiêu chí")
    col = {c.value: c.column for c in header}
    row = header[0].row + 1
    sheet.cell(row, col["Ý kiến của đơn vị"], opinion)
    sheet.cell(row, col["Giải trình"], explanation)
    sheet.cell(row, col["Minh chứng bổ sung"], "QĐ 12/QĐ-SCT ngày 10/10/2019")
    if conclusion:
        sheet.cell(row, col["Kết luận của Hội đồng"], conclusion)
    if score is not None:
        sheet.cell(row, col["Điểm chấp nhận"], score)
    if day is not None:
        sheet.cell(6, 3, day)
    target = folder / (into or "giai-trinh")
    target.mkdir(exist_ok=True)
    book.save(target / path.name)


def test_answers_settle_the_scores_and_the_ranks_follow(round_folder, tmp_path):
    import datetime as dt

    out = tmp_path / "thong-bao"
    api.notices(round_folder, out=out)
    answer(round_folder, out, "Sở Giao thông vận tải", "Thống nhất")
    answer(round_folder, out, "Sở Công Thương", "Giải trình", "Đã có số liệu", "Chấp nhận")
    answer(round_folder, out, "Sở Thông tin và Truyền thông", "Giải trình", "x", "Giữ nguyên")
    answer(
        round_folder,
        out,
        "Văn phòng UBND tỉnh",
        "Giải trình",
        "y",
        "Chấp nhận",
        8,
        day=dt.datetime(2020, 1, 8),
    )
    built = build.build(round_folder, out=tmp_path / "out")
    assert built.ok, [str(f) for f in built.blocking]
    late = [f for f in built.checked.findings if f.code == "EXPLANATION_LATE"]
    assert [(f.unit, f.location.cell) for f in late] == [("Văn phòng UBND tỉnh", "C6")]
    rows = {r.unit: r for g in built.results for r in g.rows}
    # by hand, from the published 2019 totals: GTVT 99,5 − 6 (agreed); Công Thương 99 (accepted:
    # its own 36 back); STTTT 98 − 5 (kept); VP UBND 97 − 10 + 8 (accepted at 8); Thanh tra
    # tỉnh 90 − 4 (no answer: the verified score stands)
    totals = {u: rows[u].total for u in CHANGES}
    assert totals == {
        "Sở Giao thông vận tải": Decimal("93.5"),
        "Sở Công Thương": Decimal(99),
        "Sở Thông tin và Truyền thông": Decimal(93),
        "Văn phòng UBND tỉnh": Decimal(95),
        "Thanh tra tỉnh": Decimal(86),
    }
    # ranks: Công Thương 99 first, Tư pháp 95,5 second; 95 shared by Sở Tài chính, Sở Tài
    # nguyên và Môi trường and VP UBND (3); 94,5 twice (6); GTVT and Ngoại vụ 93,5 (8); STTTT 10
    assert rows["Sở Công Thương"].rank == 1 and rows["Sở Tư pháp"].rank == 2
    assert rows["Văn phòng UBND tỉnh"].rank == 3 and rows["Sở Tài chính"].rank == 3
    assert rows["Sở Giao thông vận tải"].rank == 8 and rows["Sở Ngoại vụ"].rank == 8
    assert rows["Sở Thông tin và Truyền thông"].rank == 10
    data = json.loads((tmp_path / "out" / "ket-qua.json").read_text(encoding="utf-8"))
    assert data["schema"] == 3
    by_unit = {r["unit"]: r for g in data["groups"] for r in g["results"]}
    (vp,) = by_unit["Văn phòng UBND tỉnh"]["adjustments"]
    assert vp["self"] == 10 and vp["verified"] == 6 and vp["final"] == 8
    assert vp["answer"]["opinion"] == "explain" and vp["answer"]["explanation"] == "y"
    assert vp["conclusion"]["decision"] == "accept" and vp["reason"] == "Thiếu kế hoạch CNTT"
    (gt,) = by_unit["Sở Giao thông vận tải"]["adjustments"]
    assert gt["answer"]["opinion"] == "agree" and gt["conclusion"] is None
    (tt,) = by_unit["Thanh tra tỉnh"]["adjustments"]
    assert tt["answer"] is None and tt["final"] == 4


def test_an_open_explanation_blocks_the_build_unless_allowed(round_folder, tmp_path):
    out = tmp_path / "thong-bao"
    api.notices(round_folder, out=out)
    answer(round_folder, out, "Thanh tra tỉnh", "Giải trình", "Có cán bộ kiêm nhiệm")
    runner = CliRunner()
    refused = runner.invoke(app, ["build", str(round_folder), "--out", str(tmp_path / "a")])
    assert refused.exit_code == 3
    assert "EXPLANATION_OPEN" in refused.output or "chưa có kết luận" in refused.output
    assert not (tmp_path / "a" / "quyet-dinh.docx").exists()
    built = build.build(round_folder, out=tmp_path / "b", allow_open=True)
    assert built.ok
    (listed,) = [f for f in built.checked.findings if f.code == "EXPLANATION_OPEN_PUBLISHED"]
    assert listed.unit == "Thanh tra tỉnh" and "Nguồn nhân lực CNTT" in listed.message
    row = next(r for g in built.results for r in g.rows if r.unit == "Thanh tra tỉnh")
    assert row.total == Decimal(86)  # the verified score published


def test_a_conclusion_on_the_verification_list_closes_an_explanation(round_folder, tmp_path):
    out = tmp_path / "thong-bao"
    api.notices(round_folder, out=out)
    answer(round_folder, out, "Thanh tra tỉnh", "Giải trình", "Có cán bộ kiêm nhiệm")
    listed = round_folder / "submissions" / "tham-dinh.xlsx"
    book = openpyxl.load_workbook(listed)
    sheet = book.active
    sheet.cell(1, 5, "Kết luận của Hội đồng")
    sheet.cell(1, 6, "Điểm chấp nhận")
    row = next(r[0].row for r in sheet.iter_rows() if r[0].value == "Thanh tra tỉnh")
    sheet.cell(row, 5, "Chấp nhận")
    sheet.cell(row, 6, 7)
    book.save(listed)
    built = build.build(round_folder, out=tmp_path / "b")
    assert built.ok, [str(f) for f in built.blocking]
    row = next(r for g in built.results for r in g.rows if r.unit == "Thanh tra tỉnh")
    assert row.total == Decimal(89)  # 90 − 8 + 7


def test_a_wrong_opinion_is_a_finding_at_its_cell(round_folder, tmp_path):
    out = tmp_path / "thong-bao"
    api.notices(round_folder, out=out)
    answer(round_folder, out, "Thanh tra tỉnh", "Đồng ý một phần")
    checked = check(round_folder)
    (bad,) = [f for f in checked.findings if f.code == "ANSWER_INVALID"]
    assert bad.location.file.endswith("Phiếu giải trình - Thanh tra tỉnh.xlsx")
    assert bad.location.cell == "F10" and "Đồng ý một phần" in bad.message


@pytest.fixture
def letter(round_folder, tmp_path):
    """The notice of Sở Công Thương as written, with its assessment."""
    out = tmp_path / "thong-bao"
    api.notices(round_folder, out=out)
    return out / "Thông báo - Sở Công Thương.docx", config.load(round_folder)


def test_the_notice_is_schema_valid_as_the_decision_is(letter):
    from tests.test_docx_schema import problems

    assert problems(letter[0]) == []


def test_the_notice_follows_the_national_layout(letter):
    """Nghị định 30/2020, Phụ lục I, as the decision's test reads it: A4 and margins, Times New
    Roman, the two-column header, số and trích yếu "V/v …" under the issuer, Kính gửi, the
    justified body, the table of changes, nơi nhận beside the signature block."""
    from tests.test_layout import (
        FONT,
        MM,
        Doc,
        W,
        all_runs,
        first_line,
        has_rule,
        jc,
        mm,
        next_paragraph,
        no_run,
        sections,
        text_of,
    )

    doc = Doc(letter[0])
    (sect,) = sections(doc)
    size, mar = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (11906, 16838)
    assert 20 <= mm(mar.get(f"{W}top")) <= 25 and 30 <= mm(mar.get(f"{W}left")) <= 35
    assert 15 <= mm(mar.get(f"{W}right")) <= 20
    for p in doc.paragraphs():
        for run in doc.runs(p):
            assert doc.font(run) == FONT, text_of(p)
    header = doc.body.find(f"{W}tbl")
    left, right = header.findall(f"{W}tr/{W}tc")
    parent = doc.find("UBND TỈNH QUẢNG NAM", left)
    assert no_run(doc, parent, "b") and doc.sizes(parent) <= {12, 13}
    issuer = next_paragraph(doc, parent, left)
    assert "".join(text_of(issuer).split()) == "SỞTHÔNGTINVÀTRUYỀNTHÔNG"
    assert all_runs(doc, issuer, "b") and has_rule(next_paragraph(doc, issuer, left))
    number = doc.find("Số: 16/STTTT-CNTT", left)
    assert doc.sizes(number) == {13} and no_run(doc, number, "b")
    about = next_paragraph(doc, number, left)
    assert text_of(about) == "V/v thông báo kết quả thẩm định sơ bộ năm 2019"
    assert doc.sizes(about) <= {12, 13} and no_run(doc, about, "b") and jc(about) == "center"
    motto = doc.find("Độc lập - Tự do - Hạnh phúc", right)
    assert all_runs(doc, motto, "b") and has_rule(next_paragraph(doc, motto, right))
    assert all_runs(doc, doc.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right), "b")
    date = doc.find("Quảng Nam, ngày 20 tháng 12 năm 2019", right)
    assert all_runs(doc, date, "i")
    to = doc.find("Kính gửi: Sở Công Thương.")
    assert doc.sizes(to) == {14} and no_run(doc, to, "b") and no_run(doc, to, "i")
    body = next_paragraph(doc, to)
    assert jc(body) == "both" and 1.0 <= first_line(body) / MM / 10 <= 1.27 + 1e-6
    assert "2 tiêu chí" not in text_of(body) and "1 tiêu chí" in text_of(body)
    tables = doc.body.findall(f"{W}tbl")
    changes = tables[1]
    rows = [[text_of(c) for c in tr.findall(f"{W}tc")] for tr in changes.findall(f"{W}tr")]
    assert rows[0] == [
        "STT",
        "Tiêu chí",
        "Điểm tối đa",
        "Điểm tự chấm",
        "Điểm thẩm định sơ bộ",
        "Lý do",
    ]
    assert rows[1:] == [
        [
            "1",
            "Ứng dụng CNTT phục vụ người dân và doanh nghiệp",
            "36",
            "36",
            "30",
            "Tỷ lệ hồ sơ trực tuyến thấp",
        ]
    ]
    assert changes.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None  # repeated on each page
    deadline = [p for p in doc.paragraphs() if "chậm nhất ngày 05/01/2020" in text_of(p)]
    assert deadline and text_of(deadline[0]).endswith("./.")
    label = doc.find("Nơi nhận:")
    assert all_runs(doc, label, "b") and all_runs(doc, label, "i") and doc.sizes(label) == {12}
    row = label.getparent().getparent()
    assert [text_of(p) for p in doc.paragraphs(row.findall(f"{W}tc")[0])][1:] == [
        "- Như trên;",
        "- Lưu: VT, CNTT.",
    ]
    signer = row.findall(f"{W}tc")[1]
    for line in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"):
        assert all_runs(doc, doc.find(line, signer), "b")


def test_the_notice_template_passes_template_check():
    from reportgen.render import templatecheck, templatekinds
    from reportgen.render.notice_docx import notice_template

    report = templatecheck.check(notice_template(), templatekinds.NOTICE)
    assert report.ok and report.problems == []
    assert "rows" in report.used and "unit" in report.used
    decision = templatecheck.check(notice_template())  # read as a decision template: wrong
    assert not decision.ok


def test_a_results_file_of_schema_3_works_as_previous(round_folder, tmp_path):
    """Next year reads this year's schema-3 ket-qua.json like a schema-2 one."""
    first = build.build(round_folder, out=tmp_path / "y1")
    assert first.ok
    data = json.loads((tmp_path / "y1" / "ket-qua.json").read_text(encoding="utf-8"))
    assert data["schema"] == 3
    again = build.build(
        round_folder, out=tmp_path / "y2", previous=tmp_path / "y1" / "ket-qua.json"
    )
    assert again.ok and again.comparison is not None
    change = again.comparison.by_unit()["Thanh tra tỉnh"]
    assert change.previous.total == Decimal(86) and change.rank_change == 0


def test_each_unit_gets_its_statement_with_every_stage(round_folder, tmp_path):
    out = tmp_path / "thong-bao"
    api.notices(round_folder, out=out)
    answer(round_folder, out, "Văn phòng UBND tỉnh", "Giải trình", "Có kế hoạch", "Chấp nhận", 8)
    built = build.build(round_folder, out=tmp_path / "out")
    assert built.ok
    folder = tmp_path / "out" / "phieu-diem"
    assert len(list(folder.glob("*.xlsx"))) == 38
    sheet = openpyxl.load_workbook(folder / "Văn phòng UBND tỉnh.xlsx").active
    facts = {r[0].value: r[2].value for r in sheet.iter_rows(max_row=8) if r[0].value}
    assert facts["Đơn vị:"] == "Văn phòng UBND tỉnh" and facts["Tổng điểm cuối cùng:"] == "95"
    header = next(r for r in sheet.iter_rows() if r[1].value == "Tiêu chí")
    rows = {
        r[1].value: [c.value for c in r]
        for r in sheet.iter_rows(min_row=header[0].row + 1)
        if r[1].value
    }
    number, label, maximum, own, final, _, why = rows["Môi trường tổ chức và Chính sách"]
    assert (maximum, own, final) == (10, 10, 8)
    assert "10 → 6 (Thiếu kế hoạch CNTT)" in why and "Hội đồng chấp nhận: 8" in why
    assert rows["Tổng cộng"][2:5] == [100, 97, 95]
    assert rows["Nguồn nhân lực CNTT"][6] in ("", None)  # unchanged: no reason
    book = openpyxl.load_workbook(tmp_path / "out" / "phieu-diem.xlsx")
    assert len(book.sheetnames) == 38 and "Văn phòng UBND tỉnh" in book.sheetnames


def test_missing_evidence_is_notified_and_an_accepted_explanation_restores_the_score(
    round_folder, tmp_path
):
    """With evidence required: Sở Y tế left one indicator without evidence; its notice says 0
    (not accepted), it explains with evidence, the council accepts: its own 34 stands."""
    toml = round_folder / "assessment.toml"
    text = toml.read_text(encoding="utf-8").replace("[scoring]", '[scoring]\nevidence = "required"')
    toml.write_text(text, encoding="utf-8")
    for path in (round_folder / "submissions").glob("*.xlsx"):
        if path.name == "tham-dinh.xlsx":
            continue
        book = openpyxl.load_workbook(path)
        sheet = book.active
        sheet["E7"], sheet["F7"] = "Minh chứng", "Giải trình"
        for row in range(8, 13):
            sheet.cell(row, 5, f"QĐ {row}/QĐ-X ngày 02/03/2019")
        if path.name == "Sở Y tế.xlsx":
            sheet["E9"] = None
        book.save(path)
    (bad,) = [f for f in check(round_folder).findings if f.code == "EVIDENCE_MISSING"]
    assert (bad.unit, bad.location.cell) == ("Sở Y tế", "E9")
    out = tmp_path / "thong-bao"
    made = api.notices(round_folder, out=out)
    (notice,) = [n for n in made.notices if n.unit == "Sở Y tế"]
    (row,) = notice.rows
    assert (row.label, row.self_score, row.preliminary) == (
        "Ứng dụng CNTT trong hoạt động nội bộ cơ quan",
        Decimal(34),
        Decimal(0),
    )
    assert row.reason == notices.MISSING_REASON
    assert not build.build(round_folder, out=tmp_path / "blocked").ok
    answer(round_folder, out, "Sở Y tế", "Giải trình", "Có quy chế nội bộ", "Chấp nhận")
    built = build.build(round_folder, out=tmp_path / "b")
    assert built.ok, [str(f) for f in built.blocking]
    row = next(r for g in built.results for r in g.rows if r.unit == "Sở Y tế")
    assert row.total == Decimal("89.5")  # its own 34 accepted: the published 2019 total
    (a,) = [a for a in built.checked.adjustments if a.unit == "Sở Y tế"]
    assert (a.verified, a.final, a.conclusion.accepted) == (Decimal(0), Decimal(34), True)


def test_a_second_run_removes_only_its_own_stale_files(round_folder, tmp_path):
    out = tmp_path / "thong-bao"
    api.notices(round_folder, out=out)
    (out / "ghi-chu.docx").write_bytes(b"the clerk's own file")
    listed = round_folder / "submissions" / "tham-dinh.xlsx"
    book = openpyxl.load_workbook(listed)
    book.active.delete_rows(book.active.max_row)  # Thanh tra tỉnh's change withdrawn
    book.save(listed)
    again = api.notices(round_folder, out=out)
    assert "Thanh tra tỉnh" in again.unchanged
    assert not (out / "Thông báo - Thanh tra tỉnh.docx").exists()
    assert not (out / "Phiếu giải trình - Thanh tra tỉnh.xlsx").exists()
    assert (out / "ghi-chu.docx").read_bytes() == b"the clerk's own file"


def test_an_answer_among_the_submissions_is_found_by_its_layout(round_folder, tmp_path):
    out = tmp_path / "thong-bao"
    api.notices(round_folder, out=out)
    answer(round_folder, out, "Thanh tra tỉnh", "Giải trình", "x", "Chấp nhận", into="submissions")
    built = build.build(round_folder, out=tmp_path / "b")
    assert built.ok, [str(f) for f in built.blocking]
    row = next(r for g in built.results for r in g.rows if r.unit == "Thanh tra tỉnh")
    assert row.total == Decimal(90)  # its own 8 accepted
