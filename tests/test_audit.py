"""Auditing a published annex (issue 5): the 2019 seed, reportgen's own decision, and each
kind of mistake planted in a copy of the seed."""

from __future__ import annotations

import json
from decimal import Decimal

import docx
import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.judge.audit import audit
from reportgen.pipeline import build as api
from tests.conftest import ROOT, SAMPLE, SEED

# The annex part of the seed (from its title to the end), copied byte for byte, so that the
# test runs in a plain clone too; `test_fixture_is_the_seed_annex` keeps it honest.
ANNEX = ROOT / "tests" / "data" / "seed-annex-2019.txt"
ORDER_MESSAGE = "Dòng 15: Thanh tra tỉnh (90) đứng sau Sở Y tế (89,5), điểm thấp hơn."

runner = CliRunner()


class Annex:
    """The seed annex as lines of tab-separated cells, for planting mistakes."""

    def __init__(self) -> None:
        self.lines = ANNEX.read_text(encoding="utf-8").split("\n")

    def index(self, unit: str) -> int:
        (i,) = [i for i, line in enumerate(self.lines) if line.split("\t")[1:2] == [unit]]
        return i

    def set(self, unit: str, column: int, value: str) -> Annex:
        i = self.index(unit)
        cells = self.lines[i].split("\t")
        cells[column] = value
        self.lines[i] = "\t".join(cells)
        return self

    def get(self, unit: str, column: int) -> str:
        return self.lines[self.index(unit)].split("\t")[column]

    def swap(self, upper: str, lower: str) -> Annex:
        """Exchange two rows, keeping the STT in place."""
        i, j = self.index(upper), self.index(lower)
        a, b = self.lines[i].split("\t"), self.lines[j].split("\t")
        a[0], b[0] = b[0], a[0]
        self.lines[i], self.lines[j] = "\t".join(b), "\t".join(a)
        return self

    def write(self, tmp_path, name: str = "annex.txt"):
        path = tmp_path / name
        path.write_text("\n".join(self.lines), encoding="utf-8")
        return path


def clean() -> Annex:
    """The seed annex with its one mistake put right: Thanh tra tỉnh above Sở Y tế."""
    return Annex().swap("Sở Y tế", "Thanh tra tỉnh")


def compared(findings):
    """The findings about what was compared (the seed has no rank column: AUDIT_NOT_CHECKED is
    asserted in test_audit_headings.py)."""
    return [f for f in findings if f.code != "AUDIT_NOT_CHECKED"]


def found(tmp_path, annex: Annex):
    return compared(audit(SAMPLE, annex.write(tmp_path)).findings.items)


def only(findings, code: str):
    findings = compared(findings)
    assert [f.code for f in findings] == [code], [str(f) for f in findings]
    return findings[0]


# --- The seed and reportgen's own decision ---------------------------------------------------


def test_fixture_is_the_seed_annex():
    if not SEED.exists():
        pytest.skip("the seed is only beside a checkout of the project")
    assert SEED.read_text(encoding="utf-8").endswith(ANNEX.read_text(encoding="utf-8"))


@pytest.mark.parametrize("source", ["fixture", "seed"])
def test_seed_has_exactly_the_one_order_finding(source):
    path = ANNEX if source == "fixture" else SEED
    if not path.exists():
        pytest.skip("the seed is only beside a checkout of the project")
    report = audit(SAMPLE, path)
    finding = only(report.findings.items, "AUDIT_ORDER")
    assert finding.message == ORDER_MESSAGE
    assert finding.unit == "Thanh tra tỉnh"
    assert finding.location.sheet == "Bảng 1"
    line = path.read_text(encoding="utf-8").split("\n")[finding.location.row - 1]
    assert line.startswith("15\tThanh tra tỉnh\t")  # the location is the line of the file
    assert not report.ok


def test_two_tables_in_one_text_are_two_tables():
    report = audit(SAMPLE, ANNEX)
    assert [(t.name, t.group.key, len(t.rows)) for t in report.tables] == [
        ("Bảng 1", "so-nganh", 20),
        ("Bảng 2", "huyen", 18),
    ]
    rows = report.tables[0].rows
    thanh_tra = rows[14]
    assert (thanh_tra.position, thanh_tra.unit, thanh_tra.total) == (15, "Thanh tra tỉnh", 90)
    assert thanh_tra.rank == 13 and thanh_tra.expected_position == 14  # shares 13 with the BQL
    assert rows[13].unit == "Sở Y tế" and rows[13].rank == 15


def test_the_clean_annex_has_no_finding(tmp_path):
    assert found(tmp_path, clean()) == []


@pytest.fixture(scope="module")
def decision(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    built = api.build(SAMPLE, out=out)
    assert built.ok, [str(f) for f in built.blocking]
    return out / "quyet-dinh.docx"


def test_reportgen_own_decision_has_no_finding(decision):
    report = audit(SAMPLE, decision)
    assert [f.message for f in report.findings] == [
        "Không đối chiếu được xếp hạng: phụ lục không có cột xếp hạng."  # STT numbering
    ]
    assert [(t.name, t.group.key, len(t.rows)) for t in report.tables] == [
        ("Bảng 1", "so-nganh", 20),
        ("Bảng 2", "huyen", 18),
    ]


def test_a_mistake_in_a_word_table_is_located_by_its_unit_row(decision, tmp_path):
    document = docx.Document(str(decision))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    row = next(r for r in table.rows if r.cells[1].text == "Sở Tư pháp")
    row.cells[7].paragraphs[0].runs[0].text = "96,5"
    path = tmp_path / "sua.docx"
    document.save(str(path))
    finding = only(audit(SAMPLE, path).findings.items, "AUDIT_TOTAL_WRONG")
    assert finding.message == (
        "Dòng 5: Sở Tư pháp ghi tổng điểm 96,5, nhưng tổng các tiêu chí là 95,5."
    )
    assert (finding.location.sheet, finding.location.row) == ("Bảng 1", 5)


def test_consolidated_workbook_gives_the_same_order_finding():
    report = audit(SAMPLE, SAMPLE / "tong-hop.xlsx")
    finding = only(report.findings.items, "AUDIT_ORDER")
    assert finding.message == ORDER_MESSAGE
    assert (finding.location.sheet, finding.location.cell) == ("Sở Ban ngành", "B17")


# --- Each kind of mistake, planted in the seed ---------------------------------------------


def test_wrong_total(tmp_path):
    finding = only(found(tmp_path, clean().set("Sở Tư pháp", 7, "96,5")), "AUDIT_TOTAL_WRONG")
    assert finding.unit == "Sở Tư pháp"
    assert finding.message.startswith("Dòng 5: Sở Tư pháp ghi tổng điểm 96,5")


def test_wrong_grade(tmp_path):
    annex = clean().set("Huyện Duy Xuyên", 8, "Tốt")
    finding = only(found(tmp_path, annex), "AUDIT_GRADE_WRONG")
    assert finding.location.sheet == "Bảng 2"
    assert finding.message == (
        "Dòng 12: Huyện Duy Xuyên ghi xếp loại 'Tốt', nhưng 79 điểm xếp loại 'Khá'."
    )


def test_order(tmp_path):
    annex = clean().swap("Thành phố Tam Kỳ", "Thị xã Điện Bàn")
    finding = only(found(tmp_path, annex), "AUDIT_ORDER")
    assert finding.message == (
        "Dòng 3: Thành phố Tam Kỳ (89) đứng sau Thị xã Điện Bàn (87), điểm thấp hơn."
    )


def test_stt_gap(tmp_path):
    annex = clean()
    for line in range(annex.index("Sở Tư pháp"), annex.index("Ban Dân tộc") + 1):
        cells = annex.lines[line].split("\t")
        annex.lines[line] = "\t".join([str(int(cells[0]) + 1), *cells[1:]])
    finding = only(found(tmp_path, annex), "AUDIT_STT")
    assert finding.message == "Dòng 5: Sở Tư pháp mang STT 6, thiếu STT 5."


def test_stt_repeat(tmp_path):
    finding = only(found(tmp_path, clean().set("Sở Tài chính", 0, "5")), "AUDIT_STT")
    assert finding.message == "Dòng 6: Sở Tài chính mang STT 5, trùng với dòng 5."


def with_rank_column(annex: Annex) -> Annex:
    """Add a 'Xếp hạng' column to the first table: the shared rank of each total."""
    first, last = annex.index("Sở Giao thông vận tải"), annex.index("Ban Dân tộc")
    totals = [
        Decimal(annex.lines[i].split("\t")[7].replace(",", ".")) for i in range(first, last + 1)
    ]
    annex.lines[first - 1] += "\tXếp hạng"
    for i, total in zip(range(first, last + 1), totals):
        annex.lines[i] += "\t" + str(1 + sum(1 for t in totals if t > total))
    return annex


def test_rank_column_that_agrees_is_no_finding(tmp_path):
    annex = with_rank_column(clean())
    assert annex.get("Sở Tài nguyên và Môi trường", 9) == "6"  # 95, shared with Sở Tài chính
    assert found(tmp_path, annex) == []


def test_wrong_rank(tmp_path):
    annex = with_rank_column(clean()).set("Sở Tài nguyên và Môi trường", 9, "7")
    finding = only(found(tmp_path, annex), "AUDIT_RANK")
    assert finding.message == (
        "Dòng 7: Sở Tài nguyên và Môi trường (95) ghi xếp hạng 7, nhưng theo tổng điểm xếp hạng 6."
    )


def test_unit_listed_twice(tmp_path):
    annex = clean()
    last = annex.index("Ban Dân tộc")
    annex.lines.insert(last + 1, "21\tSở Y tế\t8\t32\t24\t8\t8\t80\tTốt")
    finding = only(found(tmp_path, annex), "AUDIT_DUPLICATE")
    assert finding.message == "Dòng 21: Sở Y tế đã có ở dòng 15."


def test_registered_unit_missing(tmp_path):
    annex = clean()
    del annex.lines[annex.index("Ban Dân tộc")]
    finding = only(found(tmp_path, annex), "AUDIT_MISSING")
    assert finding.unit == "Ban Dân tộc"
    assert (
        finding.message == "Đơn vị 'Ban Dân tộc' (khối Sở, Ban, ngành) không có trong bảng kết quả."
    )
    assert finding.location.sheet == "Bảng 1"


def test_score_above_max(tmp_path):
    annex = clean().set("Sở Giao thông vận tải", 2, "11").set("Sở Giao thông vận tải", 7, "100,5")
    finding = only(found(tmp_path, annex), "AUDIT_ABOVE_MAX")
    assert finding.message == (
        "Dòng 1: Sở Giao thông vận tải có điểm tiêu chí 'Hạ tầng kỹ thuật CNTT và An toàn "
        "thông tin' là 11, vượt điểm tối đa 10."
    )


def test_score_not_a_number(tmp_path):
    finding = only(found(tmp_path, clean().set("Sở Y tế", 3, "ba tư")), "AUDIT_NOT_NUMBER")
    assert finding.message == (
        "Dòng 15: Sở Y tế, cột 'Ứng dụng CNTT trong hoạt động nội bộ cơ quan': 'ba tư' "
        "không phải là số."
    )


def test_unknown_unit_is_named_with_a_suggestion(tmp_path):
    findings = found(tmp_path, clean().set("Sở Ngoại vụ", 1, "Sở Ngaoi vụ"))
    assert [f.code for f in findings] == ["UNIT_UNKNOWN", "AUDIT_MISSING"]
    assert findings[0].message.startswith("Đơn vị 'Sở Ngaoi vụ'")
    assert "có phải 'Sở Ngoại vụ'?" in findings[0].message
    assert findings[0].location.row == Annex().index("Sở Ngoại vụ") + 1  # its line
    assert findings[1].unit == "Sở Ngoại vụ"


def test_unit_in_another_groups_table(tmp_path):
    annex = clean().set("Ban Dân tộc", 1, "Huyện Phước Sơn")
    del annex.lines[_last(annex, "Huyện Phước Sơn")]  # the one in the districts table
    findings = found(tmp_path, annex)
    assert sorted(f.code for f in findings) == ["AUDIT_MISSING", "AUDIT_WRONG_GROUP"]
    wrong = next(f for f in findings if f.code == "AUDIT_WRONG_GROUP")
    assert wrong.message == (
        "Dòng 20: Huyện Phước Sơn thuộc khối UBND huyện, thị xã, thành phố, "
        "không thuộc bảng của khối Sở, Ban, ngành."
    )


def _last(annex: Annex, unit: str) -> int:
    return max(i for i, line in enumerate(annex.lines) if line.split("\t")[1:2] == [unit])


def test_a_group_without_table(tmp_path):
    annex = clean()
    annex.lines = annex.lines[: annex.index("Ban Dân tộc") + 1]
    finding = only(found(tmp_path, annex), "AUDIT_GROUP_MISSING")
    assert finding.message == "Không có bảng kết quả của khối UBND huyện, thị xã, thành phố."


# --- Bad input: a finding, never a traceback -------------------------------------------------


def test_missing_file(tmp_path):
    only(audit(SAMPLE, tmp_path / "khong-co.docx").findings.items, "INPUT_NOT_FOUND")


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("ghi-chu.txt", "Quyết định không kèm phụ lục.\n".encode(), "AUDIT_NO_TABLE"),
        ("rong.txt", b"", "FILE_EMPTY"),
        ("phu-luc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "FILE_UNREADABLE"),
        ("tcvn3.txt", "Së Y tÕ\t10\n".encode("cp1252"), "FILE_UNREADABLE"),
        ("hong.docx", b"PK\x03\x04not really a zip", "FILE_CORRUPT"),
    ],
)
def test_unusable_file(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    only(audit(SAMPLE, path).findings.items, code)


def test_workbook_without_annex_table(tmp_path):
    sheet = SAMPLE / "submissions" / "Sở Y tế.xlsx"  # a score sheet, not an annex
    only(audit(SAMPLE, sheet).findings.items, "AUDIT_NO_TABLE")


# --- The command ---------------------------------------------------------------------------


def test_cli_reports_the_seed_and_exits_3():
    result = runner.invoke(app, ["audit", str(SAMPLE), str(ANNEX)])
    assert result.exit_code == 3
    assert "AUDIT_ORDER" in result.output and "Thanh tra tỉnh" in result.output


def test_cli_json(tmp_path):
    result = runner.invoke(app, ["audit", str(SAMPLE), str(ANNEX), "--json"])
    assert result.exit_code == 3
    data = json.loads(result.output)
    assert data["ok"] is False
    assert [(f["code"], f["unit"], f["row"]) for f in data["findings"]] == [
        ("AUDIT_ORDER", "Thanh tra tỉnh", 22),
        ("AUDIT_NOT_CHECKED", None, None),
    ]
    assert [len(t["rows"]) for t in data["tables"]] == [20, 18]
    assert data["tables"][0]["rows"][13]["total"] == "89.5"


def test_cli_exits_0_on_a_clean_annex(tmp_path, decision):
    result = runner.invoke(app, ["audit", str(SAMPLE), str(decision)])
    assert result.exit_code == 0, result.output


def test_cli_bad_input_exits_3_and_bad_config_2(tmp_path):
    result = runner.invoke(app, ["audit", str(SAMPLE), str(tmp_path / "khong-co.txt")])
    assert result.exit_code == 3 and "INPUT_NOT_FOUND" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["audit", str(tmp_path), str(ANNEX)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_cli_help_has_an_example():
    result = runner.invoke(app, ["audit", "--help"])
    assert result.exit_code == 0 and "Ví dụ:" in result.output


def test_cli_prints_published_text_literally(tmp_path):
    """Names come from the published file: rich markup in them is shown, not interpreted."""
    annex = clean().set("Sở Ngoại vụ", 1, "Sở Ngoại vụ [bold]")
    result = runner.invoke(app, ["audit", str(SAMPLE), str(annex.write(tmp_path))])
    assert result.exit_code == 3 and "[bold]" in result.output
