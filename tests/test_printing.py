"""The printed pages, as LibreOffice prints them (issue 24): the decision's grades on one
line and its signature on the last article's page; phu-luc.xlsx with no chart across a page
break; bao-cao-kiem-tra.xlsx one page wide with its header on every page; and the criterion
headings turned or abbreviated when asked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest

from reportgen import api
from tests.conftest import ROOT, SAMPLE

DANANG = ROOT / "samples" / "da-nang-2025"


def pdf_of(path: Path) -> Path:
    """`path` printed to PDF by LibreOffice (its own profile), beside it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = (path.parent / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(path.parent), str(path)],
        capture_output=True, check=True, timeout=240,
    )  # fmt: skip
    return path.with_suffix(".pdf")


def pages(pdf: Path, layout: bool = False) -> list[str]:
    """The text of each page (NFC)."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    text = subprocess.run(args, capture_output=True, check=True).stdout.decode("utf-8")
    return [unicodedata.normalize("NFC", page) for page in text.split("\f")[:-1]]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if not (api.pdf_available() and shutil.which("pdftotext")):
        if os.environ.get("REPORTGEN_REQUIRE_PDF"):
            pytest.fail("LibreOffice or poppler-utils missing although CI requires them")
        pytest.skip("LibreOffice (soffice) or poppler-utils not installed")
    out = tmp_path_factory.mktemp("in-ra")
    made = {}
    for sample in (SAMPLE, DANANG):
        built = api.build(sample, out=out / sample.name)
        assert built.ok
        made[sample.name] = {
            name: pdf_of(out / sample.name / name) for name in ("quyet-dinh.docx", "phu-luc.xlsx")
        }
    # a findings report with many findings: the 2019 forms and the consolidated table too
    checked = api.check(SAMPLE, [SAMPLE / "submissions", SAMPLE / "tong-hop.xlsx"])
    report = api.write_findings_report(checked, out / "bao-cao")
    made["findings"] = (pdf_of(report), len(checked.findings.items))
    return out, made


def test_each_grade_prints_on_one_line(printed):
    out, made = printed
    document = json.loads((out / DANANG.name / "ket-qua.json").read_text(encoding="utf-8"))
    grades = [row["grade"] for g in document["groups"] for row in g["results"] if row.get("grade")]
    text = "\n".join(pages(made[DANANG.name]["quyet-dinh.docx"], layout=True))
    for grade in {g for g in grades if " " in g}:  # a grade of several words
        assert text.count(grade) == grades.count(grade), grade  # whole on its line


def test_the_signature_shares_its_page_with_the_last_article(printed):
    for sample in (SAMPLE, DANANG):
        last = len(api.load(sample).decision.articles)
        page = next(p for p in pages(printed[1][sample.name]["quyet-dinh.docx"]) if "Nơi nhận" in p)
        assert f"Điều {last}." in page, sample.name


def only_sheet(xlsx: Path, name: str, target: Path) -> Path:
    """A copy of `xlsx` with every sheet but `name` hidden (hidden sheets do not print)."""
    import re

    with zipfile.ZipFile(xlsx) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                sheets = re.findall(r"<sheet [^>]*/>", text)
                shown = next(i for i, tag in enumerate(sheets) if f'name="{name}"' in tag)
                for tag in sheets:
                    if f'name="{name}"' not in tag:
                        text = text.replace(tag, tag.replace("<sheet ", '<sheet state="hidden" '))
                text = re.sub(r'activeTab="\d+"', "", text)
                text = text.replace("<workbookView ", f'<workbookView activeTab="{shown}" ')
                data = text.encode("utf-8")
            copy.writestr(item, data)
    return target


def test_no_chart_crosses_a_page_break(printed):
    """The chart sheet alone prints on exactly one page per chart: a chart cut by a page
    break would take a page more."""
    out, _ = printed
    for sample in (SAMPLE, DANANG):
        annex = out / sample.name / "phu-luc.xlsx"
        with zipfile.ZipFile(annex) as book:
            charts = sum(n.startswith("xl/charts/chart") for n in book.namelist())
        folder = out / f"bieu-do-{sample.name}"
        folder.mkdir()
        pdf = pdf_of(only_sheet(annex, "Biểu đồ", folder / "bieu-do.xlsx"))
        assert charts >= 2 and len(pages(pdf)) == charts, sample.name
        for page in pages(pdf):  # every unit's name on its chart's axis, one title a page
            assert page.count(" năm 20") >= 1


def test_the_findings_report_prints_one_page_wide_with_its_header(printed):
    pdf, count = printed[1]["findings"]
    assert count > 30
    sheet = [p for p in pages(pdf) if "UNIT_DUPLICATE" in p or "STT" in p]
    for page in sheet[:-1] or sheet:
        if "Khối" in page:  # the second sheet, per unit
            continue
        assert "STT" in page and "Nội dung" in page and "Ô / dòng" in page


@pytest.mark.parametrize("mode", ["rotated", "short"])
def test_criterion_headings_turned_or_abbreviated(tmp_path, mode):
    folder = tmp_path / "qn"
    shutil.copytree(SAMPLE, folder)
    toml = folder / "assessment.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[annex]\n", f'[annex]\ncriteria_headings = "{mode}"\n', 1),
                    encoding="utf-8")  # fmt: skip
    built = api.build(folder, out=tmp_path / "out")
    xml = zipfile.ZipFile(tmp_path / "out" / "quyet-dinh.docx").read("word/document.xml")
    xml = xml.decode("utf-8")
    labels = [c.label for c in api.load(folder).criteria]
    if mode == "rotated":
        assert xml.count('<w:textDirection w:val="btLr"/>') == len(labels) * len(built.annex)
    else:
        assert "TC1" in xml and f"TC1: {labels[0]}" in xml
        assert all(f"<w:t>{label}</w:t>" not in xml for label in labels)
