"""Year over year in the decision and its annex (issue 12): the annex columns `change`,
`previous_rank` and `previous_total` when the config asks for them; each group's chart under
its table when `annex.charts` asks.

The 2020 assessment is `test_yoy.assessment_2020` (a reordering, Sở Tài chính taking in Sở
Kế hoạch và Đầu tư, the renamed Chu Lai board, the new Sở Du lịch). Every expected cell below
is written out by hand from the 2019 annex (samples/quang-nam-2019/annex-2019.tsv) and the
2020 totals of that test."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.pipeline import build as api
from tests.conftest import SAMPLE
from tests.moved_clock import run_later
from tests.test_docx_schema import problems
from tests.test_yoy import RENAMED, assessment_2020
from tests.test_yoy import built_2019 as built_2019  # noqa: F401 (a fixture)

runner = CliRunner()
YOY_COLUMNS = (
    '["stt", "name", "criteria", "total", "grade", "previous_rank", "previous_total", "change"]'
)


def with_annex(folder: Path, columns: str, extra: str = "") -> Path:
    """The 2020 assessment with `annex.columns` (and more `[annex]` keys) set."""
    path = folder / "assessment.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("landscape = false\n", f"landscape = true\ncolumns = {columns}\n{extra}")
    path.write_text(text, encoding="utf-8")
    return folder


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def built_yoy(tmp_path_factory, built_2019):  # noqa: F811
    folder = with_annex(assessment_2020(tmp_path_factory.mktemp("yoy") / "qn2020"), YOY_COLUMNS)
    out = folder.parent / "out"
    result = runner.invoke(
        app,
        ["build", str(folder), "--previous", str(built_2019 / "ket-qua.json"), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    return folder, out


# unit → (previous rank, previous total, change) as the decision prints them — by hand
EXPECTED_DOCX = {
    "Sở Y tế": ("15", "89,5", "▲ 14"),
    "Sở Giao thông vận tải": ("1", "99,5", "▼ 1"),
    "Sở Tài chính": ("", "", "Sáp nhập từ Sở Kế hoạch và Đầu tư"),
    "Sở Du lịch": ("", "", "Mới"),
    RENAMED: ("13", "90", "▲ 1"),  # the Chu Lai board's 2019 rank and total
    "Sở Khoa học và Công nghệ": ("15", "89,5", "="),
    "Ban Dân tộc": ("20", "80", "▲ 1"),
}


def test_the_decisions_annex_shows_last_years_rank_total_and_the_change(built_yoy):
    _, out = built_yoy
    document = docx.Document(str(out / "quyet-dinh.docx"))
    so_nganh, huyen = document.tables[-2:]
    rows = cells(so_nganh)
    assert rows[0][-4:] == [
        "Xếp loại",
        "Xếp hạng năm 2019",
        "Tổng điểm năm 2019",
        "Thay đổi thứ hạng so với năm 2019",
    ]
    by_unit = {row[1]: row for row in rows[1:]}
    assert len(by_unit) == 19
    for unit, expected in EXPECTED_DOCX.items():
        assert tuple(by_unit[unit][-3:]) == expected, unit
    assert "Sở Ngoại vụ" not in by_unit  # gone: not in this year's table
    districts = {row[1]: row[-3:] for row in cells(huyen)[1:]}
    assert districts["Huyện Phước Sơn"] == ["18", "74,5", "▲ 16"]
    assert districts["Thành phố Hội An"][-1] == "="
    assert districts["Thành phố Tam Kỳ"][-1] == "▼ 1"


def test_the_decision_with_the_change_columns_validates(built_yoy):
    _, out = built_yoy
    assert problems(out / "quyet-dinh.docx") == []


def test_the_annex_workbook_has_the_same_columns_with_numbers_and_a_plain_equals(built_yoy):
    _, out = built_yoy
    wb = openpyxl.load_workbook(out / "phu-luc.xlsx")
    ws = wb["Sở, Ban, ngành"]
    header = [c.value for c in ws[4]]
    assert header[-3:] == [
        "Xếp hạng năm 2019",
        "Tổng điểm năm 2019",
        "Thay đổi thứ hạng so với năm 2019",
    ]
    rows = {r[1]: r[-3:] for r in ws.iter_rows(min_row=5, values_only=True) if r[1]}
    assert rows["Sở Y tế"] == (15, 89.5, "▲ 14")
    assert rows["Sở Tài chính"] == (None, None, "Sáp nhập từ Sở Kế hoạch và Đầu tư")
    assert rows["Sở Du lịch"] == (None, None, "Mới")
    assert rows["Sở Khoa học và Công nghệ"] == (15, 89.5, "=")  # not "'=", not a formula
    same = next(r for r in ws.iter_rows(min_row=5) if r[1].value == "Sở Khoa học và Công nghệ")
    assert same[-1].data_type == "s"  # a string cell
    comparison = {r[0]: r for r in wb["So với năm 2019"].iter_rows(values_only=True) if r[0]}
    assert comparison["Sở Xây dựng"][5] == "="  # the comparison sheet's mark too


def test_build_refuses_the_change_columns_without_a_previous_year(tmp_path):
    folder = with_annex(assessment_2020(tmp_path / "qn2020"), '["stt", "name", "total", "change"]')
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(folder), "--out", str(out)])
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "assessment.toml" in message and "Traceback" not in message
    assert "annex.columns: cột 'change' cần kết quả năm trước" in message
    assert 'previous = "' in message and "build --previous" in message
    assert not out.exists()
    checked = runner.invoke(app, ["validate", str(folder), "--out", str(tmp_path / "v")])
    assert checked.exit_code == 0, checked.output  # validate renders nothing: no need


def test_a_previous_key_in_the_config_is_enough(tmp_path, built_2019):  # noqa: F811
    folder = assessment_2020(tmp_path / "qn2020", previous=str(built_2019 / "ket-qua.json"))
    with_annex(folder, '["stt", "name", "total", "change"]')
    assert api.build(folder, out=tmp_path / "out").ok


def test_a_heading_from_the_config_may_name_last_year(tmp_path, built_2019):  # noqa: F811
    folder = assessment_2020(tmp_path / "qn2020", previous=str(built_2019 / "ket-qua.json"))
    with_annex(
        folder,
        '["rank", "name", "total", "previous_rank", "change"]',
        '[annex.headings]\nchange = "So với năm {year}"\nprevious_rank = "Hạng cũ"\n',
    )
    assert api.build(folder, out=tmp_path / "out").ok
    table = docx.Document(str(tmp_path / "out" / "quyet-dinh.docx")).tables[-2]
    assert cells(table)[0] == ["Xếp hạng", "Tên đơn vị", "Tổng", "Hạng cũ", "So với năm 2019"]
    assert cells(table)[1] == ["1", "Sở Y tế", "99", "15", "▲ 14"]


# ---- the charts in the decision (`annex.charts`) ----------------------------------------

# The template's A4 page (11906 × 16838 twips) less its margins (left 1701, right 850, top
# and bottom 1134): 9355 × 14570 twips of text, 635 EMU a twip; 25 mm (900 000 EMU) of the
# height is kept free around a chart.
TEXT_WIDTH, TEXT_HEIGHT = 9355 * 635, 14570 * 635  # 5 940 425, 9 251 950
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def sample_with_charts(folder: Path) -> Path:
    """The 2019 sample (no previous year) with `charts = true` in `[annex]`."""
    shutil.copytree(SAMPLE, folder)
    path = folder / "assessment.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("landscape = false\n", "landscape = false\ncharts = true\n"), "utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def charted(tmp_path_factory):
    folder = sample_with_charts(tmp_path_factory.mktemp("charts") / "qn2019")
    out = folder.parent / "out"
    assert api.build(folder, out=out).ok
    return folder, out


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_each_groups_chart_is_under_its_table_fit_to_the_page(charted):
    _, out = charted
    with zipfile.ZipFile(out / "quyet-dinh.docx") as z:
        media = sorted(n for n in z.namelist() if n.startswith("word/media/"))
        assert media == ["word/media/image1.png", "word/media/image2.png"]
        assert z.read("word/media/image1.png") == (out / "bieu-do-so-nganh.png").read_bytes()
        assert z.read("word/media/image2.png") == (out / "bieu-do-huyen.png").read_bytes()
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    tables = body.findall(f"{W}tbl")[-2:]  # the annex tables: Sở, ban, ngành; huyện
    for table, image in zip(tables, ["media/image1.png", "media/image2.png"]):
        after = table.getnext()
        while after.find(f".//{W}drawing") is None:  # the notes under the table, if any
            assert after.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "AnnexNote"
            after = after.getnext()
        inline = after.find(f".//{WP}inline")
        assert target[inline.find(f".//{A}blip").get(f"{R}embed")] == image
        cx, cy = (int(inline.find(f"{WP}extent").get(k)) for k in ("cx", "cy"))
        width, height = png_size(
            (out / f"bieu-do-{'so-nganh' if '1' in image else 'huyen'}.png").read_bytes()
        )
        assert abs(cx / cy - width / height) < 0.001  # not stretched
        assert cx <= TEXT_WIDTH and cy <= TEXT_HEIGHT - 900_000
        assert cx == TEXT_WIDTH or cy == TEXT_HEIGHT - 900_000  # as large as the page allows
    ids = [d.get("id") for d in body.iter(f"{WP}docPr")]
    assert len(ids) == len(set(ids)) == 2


def picture_extent(width: int, height: int) -> tuple[int, int]:
    """The extent (EMU) the decision gives a plain PNG of `width` × `height` pixels."""
    from PIL import Image

    from reportgen import config
    from reportgen.render import docx as docx_writer
    from reportgen.render.tables import AnnexTable, Column

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    table = AnnexTable("1. Khối", [Column("stt", "STT"), Column("name", "Tên")], [["1", "A"]])
    charts = [[("a.png", buffer.getvalue())]]
    decision = docx_writer.render_decision(config.load(SAMPLE), [table], None, charts)
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(decision)).read("word/document.xml"))
    extent = body.find(f".//{WP}extent")
    return int(extent.get("cx")), int(extent.get("cy"))


def test_a_chart_takes_the_page_width_or_less_where_it_would_be_too_tall():
    assert picture_extent(1200, 300) == (5_940_425, 1_485_106)  # the width; a quarter high
    assert picture_extent(300, 3000) == (835_195, 8_351_950)  # 9 251 950 − 900 000 high


def test_the_decision_with_charts_validates_and_is_deterministic(charted, tmp_path):
    folder, out = charted
    assert problems(out / "quyet-dinh.docx") == []
    later = run_later("build", str(folder), "--out", str(tmp_path / "again"))
    assert later.returncode == 0, later.stdout + later.stderr
    again = (tmp_path / "again" / "quyet-dinh.docx").read_bytes()
    assert again == (out / "quyet-dinh.docx").read_bytes()


def test_without_charts_the_decision_has_no_picture_nor_chart_style(tmp_path):
    assert api.build(SAMPLE, out=tmp_path).ok
    with zipfile.ZipFile(tmp_path / "quyet-dinh.docx") as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]
        assert b"AnnexChart" not in z.read("word/styles.xml")
        assert b"<w:drawing" not in z.read("word/document.xml")


def test_a_group_nobody_was_assessed_in_gets_its_note_and_no_chart(charted, tmp_path):
    folder, _ = charted
    sent = tmp_path / "nop"
    sent.mkdir()
    for path in (folder / "submissions").glob("*.xlsx"):
        if not path.name.startswith(("Huyện", "Thành phố", "Thị xã")):  # no district sends
            shutil.copy(path, sent)
    built = api.build(folder, [sent], tmp_path / "out", allow_missing=True)
    assert built.ok
    with zipfile.ZipFile(tmp_path / "out" / "quyet-dinh.docx") as z:
        assert [n for n in z.namelist() if n.startswith("word/media/")] == [
            "word/media/image1.png"  # the Sở, ban, ngành only
        ]
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    last = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle") is not None][-1]
    assert last.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "AnnexNote"
    assert "Không có đơn vị nào được đánh giá" in "".join(t.text for t in last.iter(f"{W}t"))
    assert (tmp_path / "out" / "bieu-do-huyen.png").exists()  # the PNG beside: still written


def test_year_is_filled_in_only_in_the_year_over_year_headings():
    from reportgen.config import Annex, AnnexColumn

    annex = Annex(
        title="PHỤ LỤC",
        headings={AnnexColumn.TOTAL: "Tổng {year}", AnnexColumn.CHANGE: "So với năm {year}"},
    )
    assert annex.heading(AnnexColumn.TOTAL, 2019) == "Tổng {year}"  # the clerk's text as is
    assert annex.heading(AnnexColumn.CHANGE, 2019) == "So với năm 2019"
    assert annex.heading(AnnexColumn.PREVIOUS_RANK, None) == "Xếp hạng năm trước"


def test_a_group_of_many_units_gets_one_readable_chart_per_page(tmp_path):
    """Đà Nẵng's 93 assessed communes in one chart shrunk to a page could not be read: its
    landscape decision shows them in charts of 15 (7 charts), all on one value axis, each
    large enough that the names stay at 8 pt or more (0,115 mm a pixel or more)."""
    import shutil

    from reportgen.pipeline.chart_pngs import DECISION_CHART_UNITS
    from tests.conftest import ROOT

    folder = tmp_path / "dn"
    shutil.copytree(ROOT / "samples" / "da-nang-2025", folder)
    toml = folder / "assessment.toml"
    text = toml.read_text(encoding="utf-8")
    assert "detail_sheets = true\n" in text
    charts = text.replace("detail_sheets = true\n", "detail_sheets = true\ncharts = true\n")
    toml.write_text(charts, encoding="utf-8")
    out = tmp_path / "out"
    assert api.build(folder, out=out).ok
    assert DECISION_CHART_UNITS[True] == 15
    with zipfile.ZipFile(out / "quyet-dinh.docx") as z:
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        images = {
            d.get("name"): (
                int(inline.find(f"{WP}extent").get("cx")),
                z.read("word/" + target[inline.find(f".//{A}blip").get(f"{R}embed")]),
            )
            for inline in body.iter(f"{WP}inline")
            for d in [inline.find(f"{WP}docPr")]
        }
    communes = [n for n in images if n.startswith("bieu-do-xa-phuong")]
    assert communes == [f"bieu-do-xa-phuong-{i}.png" for i in range(1, 8)]
    assert "bieu-do-trung-uong.png" in images  # a group of 15 or fewer: its one chart
    assert [n for n in images if n.startswith("bieu-do-so-nganh")] == [  # 18: two
        "bieu-do-so-nganh-1.png",
        "bieu-do-so-nganh-2.png",
    ]
    for name in communes:
        cx, png = images[name]
        width, height = png_size(png)
        assert cx / 36_000 / width >= 0.115, name  # mm a pixel: names at 8 pt or more
    first = images["bieu-do-xa-phuong-1.png"][1]
    assert first != (out / "bieu-do-xa-phuong.png").read_bytes()  # the file keeps all 93
