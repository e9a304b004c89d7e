"""Year-over-year on two builds: the 2019 sample, then a 2020 with a known reordering, a
merged unit (Sở Tài chính takes in Sở Kế hoạch và Đầu tư), a renamed one (the Chu Lai
management board), a new one (Sở Du lịch) and a gone one (Sở Ngoại vụ).

Every expected value below was worked out by hand from the 2019 annex
(samples/quang-nam-2019/annex-2019.tsv) and the 2020 totals chosen here."""

import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from typer.testing import CliRunner

from reportgen import config
from reportgen.cli import app
from reportgen.judge import yoy
from reportgen.judge.comparison import Past, PastRow
from reportgen.judge.rank import rank_all
from reportgen.judge.registry import Heir, UnitRegistry
from reportgen.pipeline import build as api
from reportgen.pipeline.check import check
from tests import builders
from tests.conftest import ROOT, SAMPLE
from tests.moved_clock import run_later

runner = CliRunner()
RENAMED = "Ban Quản lý các Khu kinh tế và Khu công nghiệp"
OLD_BOARD = "Ban Quản lý Khu Kinh tế mở Chu Lai"

# 2020 totals of the Sở, Ban, ngành (each made of 10 + 36 + (total - 64) + 8 + 10)
TOTALS_2020 = {
    "Sở Y tế": "99",
    "Sở Giao thông vận tải": "98.5",
    "Sở Công Thương": "98",
    "Sở Tài chính": "97.5",
    "Sở Thông tin và Truyền thông": "97",
    "Văn phòng UBND tỉnh": "96",
    "Sở Tài nguyên và Môi trường": "95.5",  # before Sở Tư pháp: equal, "a" before "ư"
    "Sở Tư pháp": "95.5",
    "Sở Du lịch": "95",
    "Sở Lao động - Thương binh và Xã hội": "94.5",
    "Sở Văn hóa, Thể thao và Du lịch": "94",
    RENAMED: "93",
    "Sở Nông nghiệp và Phát triển nông thôn": "90.5",
    "Thanh tra tỉnh": "90",
    "Sở Khoa học và Công nghệ": "89.5",
    "Sở Nội vụ": "89",
    "Sở Xây dựng": "87.5",
    "Sở Giáo dục và Đào tạo": "85",
    "Ban Dân tộc": "80",
}
# unit → (rank 2020, previous rank, previous total, rank_change, change) — by hand
EXPECTED_SO_NGANH = {
    "Sở Y tế": (1, 15, 89.5, 14, "▲ 14"),
    "Sở Giao thông vận tải": (2, 1, 99.5, -1, "▼ 1"),
    "Sở Công Thương": (3, 2, 99, -1, "▼ 1"),
    "Sở Tài chính": (4, None, None, None, "sáp nhập từ Sở Kế hoạch và Đầu tư"),
    "Sở Thông tin và Truyền thông": (5, 3, 98, -2, "▼ 2"),
    "Văn phòng UBND tỉnh": (6, 4, 97, -2, "▼ 2"),
    "Sở Tư pháp": (7, 5, 95.5, -2, "▼ 2"),
    "Sở Tài nguyên và Môi trường": (7, 6, 95, -1, "▼ 1"),
    "Sở Du lịch": (9, None, None, None, "mới"),
    "Sở Lao động - Thương binh và Xã hội": (10, 8, 94.5, -2, "▼ 2"),
    "Sở Văn hóa, Thể thao và Du lịch": (11, 8, 94.5, -3, "▼ 3"),
    RENAMED: (12, 13, 90, 1, f"▲ 1 (đổi tên từ {OLD_BOARD})"),
    "Sở Nông nghiệp và Phát triển nông thôn": (13, 12, 90.5, -1, "▼ 1"),
    "Thanh tra tỉnh": (14, 13, 90, -1, "▼ 1"),
    "Sở Khoa học và Công nghệ": (15, 15, 89.5, 0, "="),
    "Sở Nội vụ": (16, 17, 87.5, 1, "▲ 1"),
    "Sở Xây dựng": (17, 17, 87.5, 0, "="),
    "Sở Giáo dục và Đào tạo": (18, 19, 81.5, 1, "▲ 1"),
    "Ban Dân tộc": (19, 20, 80, 1, "▲ 1"),
}


def assessment_2020(folder: Path, previous: str = "") -> Path:
    """The sample's config for 2020 with the mergers, the renaming and the new unit."""
    text = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    text = text.replace("year = 2019", "year = 2020")
    for line in ("Sở Ngoại vụ", "Sở Kế hoạch và Đầu tư"):
        text = re.sub(rf'    {{ name = "{line}".*\n', "", text)
    text = text.replace(
        '{ name = "Sở Tài chính", aliases = ["Sở TC"] }',
        '{ name = "Sở Tài chính", aliases = ["Sở TC"], predecessors = ["Sở Kế hoạch và Đầu tư"] }',
    )
    text = text.replace(
        f'{{ name = "{OLD_BOARD}", aliases = ["BQL Khu KTM Chu Lai"] }}',
        f'{{ name = "{RENAMED}", predecessors = ["{OLD_BOARD}"] }},\n    {{ name = "Sở Du lịch" }}',
    )
    if previous:
        text = text.replace("year = 2020\n", f'year = 2020\nprevious = "{previous}"\n')
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "assessment.toml").write_text(text, encoding="utf-8")
    scores = builders.published_scores()
    rows = []
    for unit, total in TOTALS_2020.items():
        rows.append([len(rows) + 1, unit, 10, 36, float(Decimal(total) - 64), 8, 10])
    for unit in [u for u in scores if u.startswith(("Huyện", "Thành phố", "Thị xã"))]:
        s = scores[unit]
        if unit == "Huyện Phước Sơn":  # 74,5 (Khá) in 2019 → 90 (Tốt)
            s = {**s, "noi_bo": s["noi_bo"] + 10, "nguoi_dan": s["nguoi_dan"] + Decimal("5.5")}
        rows.append([len(rows) + 1, unit, *(float(s[k]) for k in s)])
    (folder / "submissions").mkdir(exist_ok=True)
    builders.table(folder / "submissions", rows)
    return folder


@pytest.fixture(scope="module")
def built_2019(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("y2019")
    assert api.build(SAMPLE, out=out).ok
    return out


@pytest.fixture(scope="module")
def built_2020(tmp_path_factory, built_2019):
    folder = assessment_2020(tmp_path_factory.mktemp("qn2020") / "qn2020")
    out = folder.parent / "out"
    result = runner.invoke(
        app,
        ["build", str(folder), "--previous", str(built_2019 / "ket-qua.json"), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    return out, result.output


def results_of(document: dict) -> list[dict]:
    return [r for g in document["groups"] for r in g["results"]]


def test_ket_qua_json_carries_previous_rank_change_and_marks(built_2020):
    out, _ = built_2020
    document = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    assert document["previous_year"] == 2019
    rows = {r["unit"]: r for r in results_of(document)}
    for unit, (rank, prev_rank, prev_total, moved, change) in EXPECTED_SO_NGANH.items():
        r = rows[unit]
        assert r["rank"] == rank, unit
        if prev_rank is None:
            assert r["previous"] is None, unit
        else:
            assert (r["previous"]["rank"], r["previous"]["total"]) == (prev_rank, prev_total), unit
        assert r["rank_change"] == moved, unit
        assert r["change"] == change, unit
    assert rows[RENAMED]["previous"]["unit"] == OLD_BOARD
    assert "unit" not in rows["Sở Y tế"]["previous"]
    assert [(m["unit"], m["rank"], m["total"]) for m in rows["Sở Tài chính"]["merged_from"]] == [
        ("Sở Tài chính", 6, 95),
        ("Sở Kế hoạch và Đầu tư", 11, 92),
    ]
    assert rows["Huyện Phước Sơn"]["rank_change"] == 16
    assert rows["Thành phố Hội An"]["change"] == "="
    assert rows["Thành phố Tam Kỳ"]["change"] == "▼ 1"
    gone = [{"group": g["key"], **p} for g in document["groups"] for p in g["gone"]]
    assert gone == [{"group": "so-nganh", "unit": "Sở Ngoại vụ", "rank": 10, "total": 93.5}]
    schema = json.loads((ROOT / "docs" / "ket-qua.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)


def test_summary_counts_moves_grades_and_averages(built_2020):
    out, printed = built_2020
    summary = (out / "tom-tat.md").read_text(encoding="utf-8")
    assert summary.startswith("# Tóm tắt so với năm 2019\n")
    assert (
        "Sở, Ban, ngành: 5 đơn vị tăng hạng, 10 giảm hạng, 2 giữ nguyên; mới: Sở Du lịch; "
        "sáp nhập: Sở Tài chính; không còn: Sở Ngoại vụ" in summary
    )
    assert "Sở, Ban, ngành: điểm bình quân năm 2020 là 92,89, năm 2019 là 91,98" in summary
    assert "UBND huyện, thị xã, thành phố: 1 đơn vị tăng hạng, 16 giảm hạng, 1 giữ nguyên" in (
        summary
    )
    assert "điểm bình quân năm 2020 là 83,03, năm 2019 là 82,17" in summary
    assert "Tăng nhiều nhất: Huyện Phước Sơn (▲ 16, hạng 18 → 2); Sở Y tế (▲ 14, hạng 15 → 1)" in (
        summary
    )
    assert "Giảm nhiều nhất: Sở Văn hóa, Thể thao và Du lịch (▼ 3, hạng 8 → 11)" in summary
    assert "Thay đổi xếp loại: 1 đơn vị (Huyện Phước Sơn: Khá → Tốt)" in summary
    assert "Tăng nhiều nhất: Huyện Phước Sơn" in printed  # the CLI prints it too


def test_annex_workbook_has_comparison_and_summary_sheets(built_2020):
    out, _ = built_2020
    import openpyxl

    wb = openpyxl.load_workbook(out / "phu-luc.xlsx")
    assert wb.sheetnames[-3:] == ["So với năm 2019", "Tóm tắt", "Biểu đồ"]
    ws = wb["So với năm 2019"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
    assert rows["Đơn vị"] == (
        "Đơn vị",
        "Tổng 2020",
        "Hạng 2020",
        "Tổng 2019",
        "Hạng 2019",
        "Thay đổi",
        "Ghi chú",
    )
    assert rows["Sở Y tế"][1:6] == (99, 1, 89.5, 15, "▲ 14")
    assert rows["Sở Du lịch"][1:6] == (95, 9, None, None, "mới")
    assert rows[RENAMED][3:7] == (90, 13, "▲ 1", f"đổi tên từ {OLD_BOARD}")
    assert rows["Sở Tài chính"][6] == (
        "sáp nhập từ Sở Tài chính (hạng 6, 95); Sở Kế hoạch và Đầu tư (hạng 11, 92)"
    )
    assert rows["Sở Ngoại vụ"][1:7] == (None, None, 93.5, 10, None, "không còn trong đợt này")


def test_previous_from_config_or_folder_gives_the_same_comparison(tmp_path, built_2019, built_2020):
    out, _ = built_2020
    folder = assessment_2020(tmp_path / "qn2020", previous=str(SAMPLE))
    built = api.build(folder, out=tmp_path / "out")
    assert built.ok and built.comparison is not None
    assert (tmp_path / "out" / "ket-qua.json").read_bytes() == (out / "ket-qua.json").read_bytes()
    assert (tmp_path / "out" / "tom-tat.md").read_bytes() == (out / "tom-tat.md").read_bytes()


def predecessor_by_alias(folder: Path) -> Path:
    """The 2020 config with Sở Tài chính's predecessor written as 2019's alias "Sở KH&ĐT"."""
    toml = folder / "assessment.toml"
    text = toml.read_text(encoding="utf-8")
    old = 'predecessors = ["Sở Kế hoạch và Đầu tư"]'
    assert old in text
    toml.write_text(text.replace(old, 'predecessors = ["Sở KH&ĐT"]'), encoding="utf-8")
    return folder


def test_a_predecessor_may_be_written_as_last_years_alias(tmp_path, built_2019):
    """ "Sở KH&ĐT" was an alias of Sở Kế hoạch và Đầu tư in 2019's config: with last year's
    folder as `previous`, a predecessor written that way finds it (a ket-qua.json carries
    names only, so there it must be the registered name)."""
    folder = predecessor_by_alias(assessment_2020(tmp_path / "qn2020", previous=str(SAMPLE)))
    built = api.build(folder, out=tmp_path / "out")
    assert built.ok
    finance = built.comparison.by_unit()["Sở Tài chính"]
    assert finance.status == "merged"
    assert finance.absorbed == ("Sở Kế hoạch và Đầu tư",)
    assert "Sở Kế hoạch và Đầu tư" not in [p.unit for p in built.comparison.gone]
    json_previous = str(built_2019 / "ket-qua.json")
    from_json = predecessor_by_alias(assessment_2020(tmp_path / "json", previous=json_previous))
    by_json = api.build(from_json, out=tmp_path / "out-json")
    assert by_json.comparison.by_unit()["Sở Tài chính"].status == "same"  # names only


def test_the_registry_says_which_units_a_name_of_last_year_leads_to(tmp_path):
    """`heirs`: the unit of that name or alias (matched as a submission's name is), then each
    unit naming it among its predecessors; a name of a unit now gone leads nowhere."""
    registry = UnitRegistry(config.load(assessment_2020(tmp_path / "qn2020")))
    assert registry.heirs("SỞ TÀI CHÍNH.") == [Heir("Sở Tài chính", own=True, place=0)]
    assert registry.heirs("Sở  TC") == [Heir("Sở Tài chính", own=True, place=1)]  # its alias
    assert registry.heirs("Sở Kế hoạch và Đầu tư") == [Heir("Sở Tài chính", own=False, place=0)]
    assert registry.heirs(OLD_BOARD) == [Heir(RENAMED, own=False, place=0)]
    assert registry.heirs("Sở Ngoại vụ") == []
    assert registry.heirs("Sở Tài chánh") == []  # close, but a suggestion is never a match


def test_year_over_year_matches_names_through_the_registry(monkeypatch):
    """The registry is the one owner of name matching: a name of last year that only the
    registry resolves (here a registry knowing one more old name of Sở Tài chính) is matched
    by `compare`, which would not be so if it matched names any way of its own."""
    old_name = "Sở Tài chính - Vật giá"  # no matching key maps it to Sở Tài chính

    class Knowing(UnitRegistry):
        def heirs(self, written: str) -> list[Heir]:
            if written == old_name:
                return [Heir("Sở Tài chính", own=True, place=1)]
            return super().heirs(written)

    checked = check(SAMPLE)
    results = rank_all(checked.submissions, checked.assessment)
    group = checked.assessment.group_of("Sở Tài chính").key
    past = Past(2018, [PastRow(old_name, group, 3, Decimal(95), None, None)], "2018")
    assert yoy.compare(results, checked.assessment, past).by_unit()["Sở Tài chính"].status == "new"
    monkeypatch.setattr(yoy, "UnitRegistry", Knowing)
    change = yoy.compare(results, checked.assessment, past).by_unit()["Sở Tài chính"]
    assert change.status == "same" and change.previous.unit == old_name


def test_unreadable_previous_exits_2_and_writes_nothing(tmp_path):
    folder = assessment_2020(tmp_path / "qn2020")
    bad = tmp_path / "ket-qua.json"
    bad.write_text('{"year": 2019, "results": [{"unit": "x"}]}', encoding="utf-8")
    for previous in (bad, tmp_path / "none.json", tmp_path / "ghi-chu.txt"):
        result = runner.invoke(
            app, ["build", str(folder), "--previous", str(previous), "--out", str(tmp_path / "o")]
        )
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert not (tmp_path / "o").exists()
    with pytest.raises(yoy.PreviousError):
        yoy.load_previous(bad)


def test_chart_series_and_categories_from_the_xlsx_xml(built_2020):
    out, _ = built_2020
    with zipfile.ZipFile(out / "phu-luc.xlsx") as z:
        charts = sorted(n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n))
        root = ElementTree.fromstring(z.read(charts[0]))
    assert len(charts) == 2  # one per group
    c = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    assert root.find(".//c:barChart/c:barDir", c).get("val") == "bar"
    series = root.findall(".//c:barChart/c:ser", c)
    assert len(series) == 2  # this year and last year
    refs = [[s.find(f"c:{part}//c:f", c).text for part in ("tx", "cat", "val")] for s in series]
    assert refs[0] == ["'Biểu đồ'!$B$2", "'Biểu đồ'!$A$3:$A$21", "'Biểu đồ'!$B$3:$B$21"]
    assert refs[1] == ["'Biểu đồ'!$C$2", "'Biểu đồ'!$A$3:$A$21", "'Biểu đồ'!$C$3:$C$21"]
    import openpyxl

    ws = openpyxl.load_workbook(out / "phu-luc.xlsx")["Biểu đồ"]
    assert [ws["B2"].value, ws["C2"].value] == ["Năm 2020", "Năm 2019"]
    categories = [ws.cell(r, 1).value for r in range(3, 22)]
    assert categories == list(TOTALS_2020)
    assert [ws.cell(r, 2).value for r in range(3, 22)] == [float(v) for v in TOTALS_2020.values()]
    last_year = [ws.cell(r, 3).value for r in range(3, 22)]
    assert last_year[:5] == [89.5, 99.5, 99, None, 98]  # Sở Tài chính: merged, no bar
    assert last_year[8] is None and last_year[11] == 90  # new; renamed keeps its history


def test_pngs_are_written_per_group_and_every_output_is_deterministic(
    tmp_path, built_2019, built_2020
):
    out, _ = built_2020
    for key in ("so-nganh", "huyen"):
        png = (out / f"bieu-do-{key}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    again = tmp_path / "again"
    previous = str(built_2019 / "ket-qua.json")
    later = run_later(
        "build", str(out.parent / "qn2020"), "--previous", previous, "--out", str(again)
    )
    assert later.returncode == 0, later.stdout + later.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "tom-tat.md" in names and sorted(p.name for p in again.iterdir()) == names
    for name in names:
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_a_build_without_previous_year_removes_the_old_summary(tmp_path):
    folder = assessment_2020(tmp_path / "qn2020", previous=str(SAMPLE))
    out = tmp_path / "out"
    assert api.build(folder, out=out).ok and (out / "tom-tat.md").exists()
    (out / "bieu-do-khoi-cu.png").write_bytes(b"an old group's chart")
    text = (folder / "assessment.toml").read_text(encoding="utf-8")
    (folder / "assessment.toml").write_text(re.sub(r'previous = ".*"\n', "", text), "utf-8")
    built = api.build(folder, out=out)
    assert built.ok and built.comparison is None
    assert not (out / "tom-tat.md").exists() and not (out / "bieu-do-khoi-cu.png").exists()
    assert (out / "bieu-do-so-nganh.png").exists()


def test_the_comparison_sheet_prints_on_a4_landscape_with_its_header_repeated(built_2020):
    out, _ = built_2020
    import openpyxl

    wb = openpyxl.load_workbook(out / "phu-luc.xlsx")
    ws = wb["So với năm 2019"]
    assert ws["A1"].value == "So sánh kết quả năm 2020 với năm 2019"
    assert ws["A3"].value == "Đơn vị"  # the one header row, repeated on every page
    assert ws.print_title_rows == "$3:$3"
    # row 4 the group, rows 5-23 its 19 units of 2020, row 24 the unit gone, then the districts
    assert [ws["A4"].value, ws["A25"].value] == ["Sở, Ban, ngành", "UBND huyện, thị xã, thành phố"]
    assert ws["A24"].value == "Sở Ngoại vụ"
    for sheet in (ws, wb["Tóm tắt"]):
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    merged = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "Sở Tài chính")
    assert round(ws.row_dimensions[merged[0].row].height) == 32  # its long note: two lines
    # (32 pt is stored as 32,25: a whole number of pixels)


def test_ket_qua_csv_gains_last_years_columns_only_with_a_previous_year(built_2019, built_2020):
    out, _ = built_2020
    lines = (out / "ket-qua.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == (
        "group,stt,rank,unit,ha_tang,noi_bo,nguoi_dan,nhan_luc,moi_truong,total,grade,"
        "previous_rank,previous_total,rank_change,change"
    )
    rows = {line.split(",")[3]: line for line in lines[1:]}
    assert rows["Sở Y tế"].endswith(",99,Tốt,15,89.5,14,▲ 14")
    assert rows["Sở Giao thông vận tải"].endswith(",98.5,Tốt,1,99.5,-1,▼ 1")
    assert rows["Sở Tài chính"].endswith(",97.5,Tốt,,,,sáp nhập từ Sở Kế hoạch và Đầu tư")
    assert rows["Sở Du lịch"].endswith(",95,Tốt,,,,mới")
    assert rows[RENAMED].endswith(f",93,Tốt,13,90,1,▲ 1 (đổi tên từ {OLD_BOARD})")
    assert rows["Sở Khoa học và Công nghệ"].endswith(",89.5,Tốt,15,89.5,0,'=")  # no formula
    before = (built_2019 / "ket-qua.csv").read_text(encoding="utf-8-sig").splitlines()
    assert before[0] == (  # the 2019 sample: no previous year, the columns it always had
        "group,stt,rank,unit,ha_tang,noi_bo,nguoi_dan,nhan_luc,moi_truong,total,grade"
    )


def test_build_json_carries_the_comparison_summary(tmp_path, built_2019):
    folder = assessment_2020(tmp_path / "qn2020", previous=str(built_2019 / "ket-qua.json"))
    result = runner.invoke(app, ["build", str(folder), "--json", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert '"average": 92.89,' in result.output  # an exact number, rounded as printed
    comparison = json.loads(result.output)["comparison"]
    assert comparison["previous_year"] == 2019
    so_nganh, huyen = comparison["groups"]
    assert (so_nganh["key"], so_nganh["measure"]) == ("so-nganh", "total")
    assert (so_nganh["up"], so_nganh["down"], so_nganh["same"]) == (5, 10, 2)
    assert (so_nganh["new"], so_nganh["merged"], so_nganh["gone"]) == (
        ["Sở Du lịch"],
        ["Sở Tài chính"],
        ["Sở Ngoại vụ"],
    )
    assert (so_nganh["average"], so_nganh["previous_average"]) == (92.89, 91.98)
    assert (huyen["up"], huyen["down"], huyen["same"]) == (1, 16, 1)
    assert (huyen["average"], huyen["previous_average"]) == (83.03, 82.17)
    assert comparison["biggest_up"][0] == {
        "unit": "Huyện Phước Sơn",
        "group": "huyen",
        "rank": 2,
        "previous_rank": 18,
        "rank_change": 16,
    }
    assert [m["unit"] for m in comparison["biggest_down"]][0] == "Sở Văn hóa, Thể thao và Du lịch"
    assert comparison["grade_changes"] == [
        {"unit": "Huyện Phước Sơn", "previous_grade": "Khá", "grade": "Tốt"}
    ]
    assert comparison["lines"][-1] == "Thay đổi xếp loại: 1 đơn vị (Huyện Phước Sơn: Khá → Tốt)"
    without = runner.invoke(app, ["build", str(SAMPLE), "--json", "--out", str(tmp_path / "s")])
    assert json.loads(without.output)["comparison"] is None


def test_an_index_keeps_its_digits_in_the_csv_and_the_summary_says_index(tmp_path):
    """Đà Nẵng 2025 against its own results: nobody moves; the Sở, ngành group is ranked by
    an index with 4 decimals (Sở Văn hóa, Thể thao và Du lịch: 949,5 of 1 000 → 0.9495)."""
    da_nang = ROOT / "samples" / "da-nang-2025"
    assert api.build(da_nang, out=tmp_path / "first").ok
    result = runner.invoke(
        app,
        [
            "build",
            str(da_nang),
            "--previous",
            str(tmp_path / "first" / "ket-qua.json"),
            "--json",
            "--out",
            str(tmp_path / "again"),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "again" / "ket-qua.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].endswith(
        ",self_total,total,index,grade,previous_rank,previous_total,previous_index,rank_change,change"
    )
    first = lines[1]
    assert first.startswith('so-nganh,1,1,"Sở Văn hóa, Thể thao và Du lịch",')
    assert first.endswith(",949.5,949.5,0.9495,Xuất sắc,1,949.5,0.9495,0,'=")
    fourth = lines[4]  # 868 of 1 000: the index keeps its trailing zero, last year's too
    assert fourth.startswith("so-nganh,4,4,Sở Giáo dục và Đào tạo,")
    assert fourth.endswith(",868,0.8680,Tốt,4,868,0.8680,0,'=")
    so_nganh = json.loads(result.output)["comparison"]["groups"][0]
    assert (so_nganh["key"], so_nganh["measure"]) == ("so-nganh", "index")
    assert (so_nganh["up"], so_nganh["down"]) == (0, 0)
