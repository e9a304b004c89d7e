"""Rankings published as tables, not decisions (issue 23): `kind = "table"` needs no decision
fields and builds the annex outputs without quyet-dinh.docx; a composed annex column prints
"01 (0,727)" as the national tables do, in the decision and the workbook; audit reads both."""

from __future__ import annotations

import shutil

import docx
import openpyxl
import pytest

from reportgen import api
from tests.test_published_rankings import DATA, published

ICT = DATA / "ict-2017"
COMPOSED = '{ key = "rank_index", heading = "Năm 2017", format = "{rank} ({index})" }'
DECISION_FIELDS = """
[decision]
number = 5
symbol = "BC-BTTTT"
date = 2018-07-05
summary = "Xếp hạng mức độ ứng dụng CNTT năm 2017"
authority = "BỘ THÔNG TIN VÀ TRUYỀN THÔNG"
legal_bases = ["Căn cứ để kiểm thử;"]
articles = ["Kết quả tái lập để kiểm thử."]
recipients = ["Lưu: VT."]

[signer]
lines = ["BỘ TRƯỞNG"]
name = "(kiểm thử)"
"""


def folder(tmp_path, columns: str | None = None, decision: bool = False):
    """The 2017 ranking as an assessment folder: its config (with other annex columns, or as
    a decision) and the published values as one consolidated workbook."""
    target = tmp_path / "ict"
    shutil.copytree(ICT, target)
    config = target / "assessment.toml"
    text = config.read_text(encoding="utf-8")
    if columns is not None:
        text = text.replace('columns = ["rank", "name", "criteria", "index"]', columns)
    if decision:
        text = text.replace('kind = "table"', 'kind = "decision"') + DECISION_FIELDS
    config.write_text(text, encoding="utf-8")
    (target / "submissions").mkdir()
    book = openpyxl.Workbook()
    book.active.append(["Tỉnh, thành phố", "Chỉ số tổng thể"])
    for r in published("ict-2017"):
        book.active.append([r["unit"], r["index"]])
    book.save(target / "submissions" / "cong-bo.xlsx")
    return target


def test_a_table_builds_without_decision_fields_and_audits(tmp_path):
    source = folder(tmp_path)
    assert "[decision]" not in (source / "assessment.toml").read_text(encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "quyet-dinh.docx").write_bytes(b"an older build's decision")
    built = api.build(source, out=out)
    assert built.ok, [str(f) for f in built.blocking]
    assert sorted(p.name for p in out.iterdir()) == [
        "bao-cao-kiem-tra.xlsx",
        "bieu-do-tinh.png",
        "ket-qua.csv",
        "ket-qua.json",
        "phu-luc.xlsx",
    ]
    report = api.audit(source, out / "phu-luc.xlsx")
    assert [str(f) for f in report.findings] == [] and report.complete
    with pytest.raises(api.ConfigError, match="quyet-dinh.pdf"):
        api.build(source, out=out, pdf=True)


def test_a_decision_still_needs_its_fields(tmp_path):
    source = folder(tmp_path)
    config = source / "assessment.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('kind = "table"', 'kind = "decision"'),
        encoding="utf-8",
    )
    with pytest.raises(api.ConfigError) as raised:
        api.load(source)
    assert raised.value.problems == [
        "decision: thiếu khóa bắt buộc (một bảng xếp hạng công bố bằng báo cáo, thông báo hay "
        'trang web, không bằng quyết định: ghi kind = "table")',
        "signer: thiếu khóa bắt buộc (một bảng xếp hạng công bố bằng báo cáo, thông báo hay "
        'trang web, không bằng quyết định: ghi kind = "table")',
    ]


@pytest.fixture(scope="module")
def composed(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("composed")
    columns = (
        f'columns = ["stt", "name", "criteria", {COMPOSED}, '
        '{ key = "chi_so", heading = "Chỉ số", format = "{index}" }]'
    )
    source = folder(tmp_path, columns, decision=True)
    out = tmp_path / "out"
    built = api.build(source, out=out)
    assert built.ok, [str(f) for f in built.blocking]
    return source, out


def _expected():
    """Each province's cell as published: "01 (0,727)", the shared "17 (0,633)" twice."""
    return [(r["unit"], f"{r['rank']} ({r['index']})") for r in published("ict-2017")]


def test_the_composed_column_in_the_decision(composed):
    _, out = composed
    document = docx.Document(str(out / "quyet-dinh.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    headings = [c.text for c in table.rows[0].cells]
    assert headings == ["STT", "Tỉnh, thành phố", "Chỉ số tổng thể", "Năm 2017", "Chỉ số"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [(r[1], r[3]) for r in rows] == _expected()
    assert rows[0][4] == "0,727"


def test_the_composed_column_in_the_workbook(composed):
    _, out = composed
    sheet = openpyxl.load_workbook(out / "phu-luc.xlsx").worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=5, max_row=57)]
    assert [(r[1], r[3]) for r in rows] == _expected()  # text, as published
    assert rows[0][4] == 0.727  # one value: still a number
    assert sheet.cell(5, 5).number_format == "#,##0.000"


@pytest.mark.parametrize("name", ["quyet-dinh.docx", "phu-luc.xlsx"])
def test_audit_reads_the_composed_column_as_rank_and_index(composed, name):
    source, out = composed
    report = api.audit(source, out / name)
    assert [str(f) for f in report.findings] == [] and report.complete
    assert "rank" in report.tables[0].columns and "index" in report.tables[0].columns


def test_the_national_layout_as_published_builds_and_audits(tmp_path):
    """STT, province and "Năm 2017" over "01 (0,727)": no criterion column, as the national
    table printed it; audit reads the value beside each rank."""
    source = folder(tmp_path, f'columns = ["stt", "name", {COMPOSED}]')
    out = tmp_path / "out"
    assert api.build(source, out=out).ok
    sheet = openpyxl.load_workbook(out / "phu-luc.xlsx").worksheets[0]
    assert [c.value for c in sheet[4]] == ["STT", "Tỉnh, thành phố", "Năm 2017"]
    report = api.audit(source, out / "phu-luc.xlsx")
    assert [str(f) for f in report.findings] == [] and report.complete
