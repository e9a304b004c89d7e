"""Tables as they are published (issue 23): the 2017 national ranking of provinces, printed
"01 (0,727)" under "Năm 2017", audited cell by cell — the rank and the value beside it, a
heading audit does not know named by its column, a row left out found once."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from reportgen.cli import EXIT_PARTIAL, app
from reportgen.judge.audit import audit
from tests.test_published_rankings import DATA, published

ICT = DATA / "ict-2017"
runner = CliRunner()


def table(columns: list[str], rows: list[dict[str, str]] | None = None) -> list[str]:
    """The 2017 ranking as tab-separated lines with the given columns: "stt", "rank" (as
    printed: "01"), "rank_index" ("01 (0,727)"), "unit", "index" (the criterion)."""
    rows = published("ict-2017") if rows is None else rows
    headings = {
        "stt": "STT",
        "rank": "Xếp hạng",
        "rank_index": "Năm 2017",
        "unit": "Tỉnh, thành phố",
        "index": "Chỉ số tổng thể",
        "index_column": "Chỉ số",
    }
    cells = {
        "rank_index": lambda r: f"{r['rank']} ({r['index']})",
        "index_column": lambda r: r["index"],
    }
    lines = ["\t".join(headings[c] for c in columns)]
    for r in rows:
        lines.append("\t".join(cells[c](r) if c in cells else r[c] for c in columns))
    return lines


def write(tmp_path, lines: list[str]):
    path = tmp_path / "bang.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def errors(path, config=ICT):
    return [f for f in audit(config, path).findings if f.severity.value == "error"]


def test_the_published_ranking_audits_clean(tmp_path):
    path = write(tmp_path, table(["stt", "unit", "index", "rank_index"]))
    report = audit(ICT, path)
    assert [str(f) for f in report.findings] == [] and report.complete
    assert len(report.tables[0].rows) == 53


def test_a_rank_cell_that_contradicts_the_index_column(tmp_path):
    lines = table(["rank_index", "unit", "index", "index_column"])
    assert lines[1] == "01 (0,727)\tThừa Thiên - Huế\t0,727\t0,727"
    lines[1] = "01 (0,999)\tThừa Thiên - Huế\t0,727\t0,727"
    (error,) = errors(write(tmp_path, lines))
    assert (error.code, error.location.row, error.unit) == (
        "AUDIT_RANK_VALUE",
        2,
        "Thừa Thiên - Huế",
    )
    assert error.message == (
        "Dòng 1: Thừa Thiên - Huế ghi '01 (0,999)' ở cột xếp hạng, nhưng cột chỉ số của dòng "
        "này ghi 0,727."
    )


def test_a_rank_cell_on_its_own_is_checked_against_the_recomputed_index(tmp_path):
    lines = table(["rank_index", "unit", "index"])
    assert not errors(write(tmp_path, lines))
    lines[2] = lines[2].replace("02 (0,716)", "02 (0,761)")
    (error,) = errors(write(tmp_path, lines))
    assert (error.code, error.location.row) == ("AUDIT_INDEX_WRONG", 3)
    assert error.message == (
        "Dòng 2: TP. Đà Nẵng ghi chỉ số 02 (0,761), nhưng tính lại từ điểm các tiêu chí được 0,716."
    )


def test_a_rank_printed_wrong_beside_its_index(tmp_path):
    lines = table(["unit", "index", "rank_index"])
    lines[3] = lines[3].replace("03 (0,714)", "04 (0,714)")
    (error,) = errors(write(tmp_path, lines))
    assert error.code == "AUDIT_RANK" and error.location.row == 4
    assert error.message == (
        "Dòng 3: Lâm Đồng (0,714) ghi xếp hạng 04 (0,714), nhưng theo chỉ số xếp hạng 3."
    )


@pytest.mark.parametrize("separator", [" - ", " – "])
def test_rank_and_value_with_a_dash(tmp_path, separator):
    lines = table(["unit", "index", "rank_index"])
    lines = [line.replace(" (", separator).replace(")", "") for line in lines]
    assert lines[1].endswith("01" + separator + "0,727")
    assert [str(f) for f in audit(ICT, write(tmp_path, lines)).findings] == []


# --- A column audit cannot place --------------------------------------------------------


def _with_unknown_heading(tmp_path):
    lines = table(["unit", "index", "rank"])
    lines[0] = lines[0].replace("Xếp hạng", "Thứ bậc")
    return lines


def test_an_unknown_heading_is_named_and_the_audit_is_not_a_match(tmp_path):
    path = write(tmp_path, _with_unknown_heading(tmp_path))
    report = audit(ICT, path)
    assert report.findings.codes() == ["AUDIT_COLUMN_UNKNOWN", "AUDIT_NOT_CHECKED"]
    warning = report.findings.items[0]
    assert warning.location.row == 1
    assert warning.message.startswith("Bảng 1, cột C 'Thứ bậc': không biết cột này ghi gì")
    assert '[audit] columns = { "Thứ bậc" = "rank" }' in warning.message
    assert report.ok and not report.complete
    result = runner.invoke(app, ["audit", str(ICT), str(path)])
    assert result.exit_code == EXIT_PARTIAL == 5
    last = result.output.splitlines()[-1]
    assert "khớp" in last and last.startswith("Chưa thể nói phụ lục khớp")
    assert "cột C 'Thứ bậc' (Bảng 1)" in last


def test_with_audit_columns_the_same_table_is_checked(tmp_path):
    folder = tmp_path / "ict"
    shutil.copytree(ICT, folder)
    with (folder / "assessment.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[audit]\ncolumns = { "Thứ bậc" = "rank" }\n')
    lines = _with_unknown_heading(tmp_path)
    path = write(tmp_path, lines)
    result = runner.invoke(app, ["audit", str(folder), str(path)])
    assert result.exit_code == 0, result.output
    lines[3] = lines[3].replace("\t03", "\t04")
    (error,) = errors(write(tmp_path, lines), folder)
    assert error.code == "AUDIT_RANK" and error.location.row == 4


# --- Rows matched by unit ---------------------------------------------------------------


def test_one_dropped_row_is_one_finding(tmp_path):
    lines = table(["stt", "unit", "index", "rank_index"])
    assert len(lines) == 54  # a header and 53 provinces
    dropped = lines.pop(10)
    assert dropped.startswith("10\tHà Tĩnh\t")
    report = audit(ICT, write(tmp_path, lines))
    (error,) = report.findings
    assert (error.code, error.unit) == ("AUDIT_MISSING", "Hà Tĩnh")
    assert error.message == (
        "Đơn vị 'Hà Tĩnh' (khối Tỉnh, thành phố trực thuộc Trung ương) không có trong bảng kết "
        "quả; theo thứ tự đã in, đơn vị này đứng ở vị trí 10 (sau Tiền Giang, trước Bình "
        "Dương)."
    )
    assert error.location.row == 11  # the line of Bình Dương, where the gap is


def test_one_extra_row_is_one_finding(tmp_path):
    lines = table(["unit", "index", "rank_index"])
    lines.insert(5, "Tỉnh Không Có\t0,690\t05 (0,690)")
    lines[6:] = [_shift(line) for line in lines[6:]]
    (error,) = audit(ICT, write(tmp_path, lines)).findings
    assert error.code == "UNIT_UNKNOWN" and error.location.row == 6


def _shift(line: str) -> str:
    """A row's printed rank one lower: "05 (0,688)" → "06 (0,688)"."""
    unit, index, cell = line.split("\t")
    rank, value = cell.split(" ", 1)
    return "\t".join([unit, index, f"{int(rank) + 1:02d} {value}"])


# --- A ranking printed with no criterion column -------------------------------------------


def test_a_ranking_printed_as_rank_and_index_only(tmp_path):
    """As the national table was published: STT, province, "Năm 2017" over "01 (0,727)" —
    no column of the criterion; the value beside each rank is what it is ranked by."""
    lines = table(["stt", "unit", "rank_index"])
    report = audit(ICT, write(tmp_path, lines))
    assert [str(f) for f in report.findings] == [] and report.complete
    assert len(report.tables[0].rows) == 53
    lines[5] = lines[5].replace("05 (0,688)", "06 (0,688)")
    (error,) = errors(write(tmp_path, lines))
    assert (error.code, error.location.row) == ("AUDIT_RANK", 6)
    assert error.message == (
        "Dòng 5: TP. Hồ Chí Minh (0,688) ghi xếp hạng 06 (0,688), nhưng theo chỉ số xếp hạng 5."
    )


def test_a_ranking_printed_with_its_index_column_only(tmp_path):
    lines = table(["rank", "unit", "index_column"])
    lines[3], lines[4] = lines[4], lines[3]  # Lâm Đồng (03, 0,714) after Quảng Ninh (04)
    (error,) = errors(write(tmp_path, lines))  # each rank is right: only the order is not
    assert error.code == "AUDIT_ORDER" and error.message == (
        "Dòng 4: Lâm Đồng (0,714) đứng sau Quảng Ninh (0,703), chỉ số thấp hơn."
    )
