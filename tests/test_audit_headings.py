"""audit never reports a match it did not check: the usual headings for rank, total, STT and
grade are read, criterion keys as well as labels, "rank (index)" cells; what could not be
compared is an AUDIT_NOT_CHECKED warning and the summary says what was compared."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.judge.audit import audit
from reportgen.pipeline import build as api
from tests.conftest import SAMPLE
from tests.test_audit import clean, with_rank_column

runner = CliRunner()
RANKED = "Sở Tài nguyên và Môi trường"  # 95, shares rank 6 with Sở Tài chính


def _with_heading(heading: str, value: str | None = None):
    annex = with_rank_column(clean())
    first = annex.index("Sở Giao thông vận tải")
    annex.lines[first - 1] = annex.lines[first - 1].replace("\tXếp hạng", "\t" + heading)
    if value is not None:
        annex.set(RANKED, 9, value)
    return annex


@pytest.mark.parametrize(
    "heading",
    [
        "Thứ tự xếp hạng",
        "Xếp hạng DTI",
        "Thu hang",
        "Hạng",
        "XẾP HẠNG (năm 2019)",
        "Vị thứ",
        "XH",
        "Kết quả xếp hạng",
    ],
)
def test_rank_headings_are_read_and_checked(tmp_path, heading):
    report = audit(SAMPLE, _with_heading(heading, "7").write(tmp_path))
    assert [f.code for f in report.findings.errors] == ["AUDIT_RANK"]
    assert "ghi xếp hạng 7, nhưng theo tổng điểm xếp hạng 6" in report.findings.errors[0].message


@pytest.mark.parametrize("heading", ["Điểm đạt", "Tổng điểm đạt được", "Tổng điểm đạt"])
def test_total_headings_are_read_and_checked(tmp_path, heading):
    annex = clean().set("Sở Tư pháp", 7, "96,5")
    first = annex.index("Sở Giao thông vận tải")
    cells = annex.lines[first - 1].split("\t")
    assert cells[7] == "Tổng"
    cells[7] = heading
    annex.lines[first - 1] = "\t".join(cells)
    report = audit(SAMPLE, annex.write(tmp_path))
    assert [f.code for f in report.findings.errors] == ["AUDIT_TOTAL_WRONG"]


def test_rank_with_its_index_as_national_rankings_print_it(tmp_path):
    assert not audit(
        SAMPLE, _with_heading("Xếp hạng", "06 (0,950)").write(tmp_path)
    ).findings.errors
    report = audit(SAMPLE, _with_heading("Xếp hạng", "07 (0,950)").write(tmp_path))
    assert [f.code for f in report.findings.errors] == ["AUDIT_RANK"]


def test_what_was_not_compared_is_said_never_a_plain_match(tmp_path):
    path = clean().write(tmp_path)  # the seed's columns: STT, name, criteria, Tổng, Xếp loại
    result = runner.invoke(app, ["audit", str(SAMPLE), str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        "annex.txt: cảnh báo AUDIT_NOT_CHECKED: Không đối chiếu được xếp hạng: phụ lục không "
        "có cột xếp hạng."
    ) in lines
    assert (
        "  38 dòng; đã đối chiếu: tên đơn vị, điểm tiêu chí, tổng, xếp loại, thứ tự, STT; không "
        "có cột xếp hạng"
    ) in lines
    assert lines[-1] == (
        "Phụ lục khớp với cách tính và cấu hình: đã đối chiếu tên, thứ tự và xếp hạng."
    )


def test_no_total_column_is_named(tmp_path):
    annex = clean()
    annex.lines = ["\t".join(line.split("\t")[:7] + line.split("\t")[8:]) for line in annex.lines]
    report = audit(SAMPLE, annex.write(tmp_path))
    assert not report.findings.errors
    assert [f.message for f in report.findings.warnings] == [
        "Không đối chiếu được tổng: phụ lục không có cột tổng.",
        "Không đối chiếu được xếp hạng: phụ lục không có cột xếp hạng.",
    ]
    assert report.summary().endswith("không có cột tổng, xếp hạng")


def test_transcribed_annex_with_criterion_keys_and_a_group_column():
    report = audit(SAMPLE, SAMPLE / "annex-2019.tsv")
    assert [len(t.rows) for t in report.tables] == [20, 18]
    assert [f.code for f in report.findings.errors] == ["AUDIT_ORDER"]  # the seed's one slip
    assert "Thanh tra tỉnh" in report.findings.errors[0].message


def test_reportgen_own_ket_qua_csv(tmp_path):
    built = api.build(SAMPLE, out=tmp_path)
    assert built.ok
    report = audit(SAMPLE, tmp_path / "ket-qua.csv")
    assert [len(t.rows) for t in report.tables] == [20, 18]
    assert report.ok and not report.findings.errors, [str(f) for f in report.findings]
    assert "xếp hạng" in report.compared and report.not_compared == []
    # a slip planted in the CSV is found
    text = (tmp_path / "ket-qua.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    cells = lines[3].split(",")
    cells[2] = "9"  # the third unit's rank
    lines[3] = ",".join(cells)
    (tmp_path / "sai.csv").write_text("\n".join(lines), encoding="utf-8")
    report = audit(SAMPLE, tmp_path / "sai.csv")
    assert [f.code for f in report.findings.errors] == ["AUDIT_RANK"]
