"""The decision's layout follows Nghị định 30/2020/NĐ-CP, Phụ lục I — read from the .docx XML
(page, margins, fonts, sizes, bold/italic, alignment, indents, spacing, header repeat, page
numbers), for the 2019 sample, a landscape annex and an assessment of another shape."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from decimal import Decimal

import pytest
from lxml import etree
from openpyxl import Workbook

from reportgen.core import atomic
from reportgen.pipeline import build as api
from tests.conftest import SAMPLE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MM = 56.6929  # twips per mm
FONT = "Times New Roman"


class Doc:
    """A built decision's XML, with the effective run properties the tests need."""

    def __init__(self, path):
        with zipfile.ZipFile(path) as z:
            self.parts = {
                n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")
            }
            rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        self.rels = {r.get("Id"): r.get("Target") for r in rels}
        self.body = self.parts["word/document.xml"].find(f"{W}body")
        styles = self.parts["word/styles.xml"]
        normal = styles.find(".//w:style[@w:styleId='Normal']", NS)
        self.base_size = int(normal.find(".//w:sz", NS).get(f"{W}val")) / 2
        self.base_font = normal.find(".//w:rFonts", NS).get(f"{W}ascii")
        self.styles = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}

    def chain(self, p):
        """The paragraph's style and the styles it is based on, nearest first."""
        found, ref = [], p.find(f"{W}pPr/{W}pStyle")
        style_id = ref.get(f"{W}val") if ref is not None else None
        while style_id in self.styles and len(found) < 10:
            style = self.styles[style_id]
            found.append(style)
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        return found

    def inherited(self, run, path):
        """`path` under the run's rPr, else under its paragraph's styles' rPr."""
        own = run.find(f"{W}rPr/{path}")
        if own is not None:
            return own
        for style in self.chain(run.getparent()):
            found = style.find(f"{W}rPr/{path}")
            if found is not None:
                return found
        return None

    def flag(self, run, name):
        el = self.inherited(run, f"{W}{name}")
        return el is not None and el.get(f"{W}val", "true") not in ("0", "false")

    def jc(self, p):
        for props in [p.find(f"{W}pPr"), *(s.find(f"{W}pPr") for s in self.chain(p))]:
            el = props.find(f"{W}jc") if props is not None else None
            if el is not None:
                return el.get(f"{W}val")
        return "left"

    def paragraphs(self, root=None):
        return list((root if root is not None else self.body).iter(f"{W}p"))

    def find(self, text, root=None):
        hits = [p for p in self.paragraphs(root) if text_of(p) == text]
        assert hits, f"no paragraph {text!r}"
        return hits[0]

    def runs(self, p):
        return [r for r in p.iter(f"{W}r") if r.find(f"{W}t") is not None]

    def size(self, run):
        sz = self.inherited(run, f"{W}sz")
        return int(sz.get(f"{W}val")) / 2 if sz is not None else self.base_size

    def font(self, run):
        fonts = self.inherited(run, f"{W}rFonts")
        return fonts.get(f"{W}ascii") if fonts is not None else self.base_font

    def sizes(self, p):
        return {self.size(r) for r in self.runs(p)}


def mm(twips) -> float:
    return round(int(twips) / MM, 1)


def text_of(p):
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def flag(run, name):
    el = run.find(f"{W}rPr/{W}{name}")
    return el is not None and el.get(f"{W}val", "true") not in ("0", "false")


def all_runs(doc, p, name):
    return all(doc.flag(r, name) for r in doc.runs(p))


def no_run(doc, p, name):
    return not any(doc.flag(r, name) for r in doc.runs(p))


def jc(p):
    el = p.find(f"{W}pPr/{W}jc")
    return el.get(f"{W}val") if el is not None else "left"


def spacing(p, attr):
    el = p.find(f"{W}pPr/{W}spacing")
    return int(el.get(f"{W}{attr}", 0)) if el is not None else 0


def first_line(p):
    el = p.find(f"{W}pPr/{W}ind")
    return int(el.get(f"{W}firstLine", 0)) if el is not None else 0


def has_rule(p):
    return p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None


def next_paragraph(doc, p, root=None):
    paras = doc.paragraphs(root)
    return paras[paras.index(p) + 1]


def sections(doc):
    return doc.body.findall(f".//{W}sectPr")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("layout")
    result = api.build(SAMPLE, out=out)
    assert result.ok
    return Doc(out / "quyet-dinh.docx"), result.checked.assessment


def test_page_a4_portrait_margins_and_font(built):
    doc, _ = built
    for sect in sections(doc):
        size, mar = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
        assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (11906, 16838)
        assert 20 <= mm(mar.get(f"{W}top")) <= 25
        assert 20 <= mm(mar.get(f"{W}bottom")) <= 25
        assert 30 <= mm(mar.get(f"{W}left")) <= 35
        assert 15 <= mm(mar.get(f"{W}right")) <= 20
    assert doc.base_font == FONT
    for p in doc.paragraphs():
        for run in doc.runs(p):
            assert doc.font(run) == FONT, text_of(p)
            color = run.find(f"{W}rPr/{W}color")
            assert color is None or color.get(f"{W}val") in ("000000", "auto")


def test_header_block(built):
    doc, a = built
    header = doc.body.find(f"{W}tbl")
    left, right = header.findall(f"{W}tr/{W}tc")
    issuer = doc.find(text_of(doc.paragraphs(left)[0]), left)
    assert issuer.find(f".//{W}br") is not None  # too long for one line: broken evenly
    assert "".join(text_of(issuer).split()) == "".join(a.issuer.name.split())
    assert all_runs(doc, issuer, "b") and doc.sizes(issuer) <= {12, 13}
    assert has_rule(next_paragraph(doc, issuer, left))
    number = doc.find("Số: 52/QĐ-UBND", left)
    assert doc.sizes(number) == {13} and no_run(doc, number, "b") and no_run(doc, number, "i")
    motto_top = doc.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right)
    assert all_runs(doc, motto_top, "b") and doc.sizes(motto_top) <= {12, 13}
    motto = doc.find("Độc lập - Tự do - Hạnh phúc", right)
    assert all_runs(doc, motto, "b") and doc.sizes(motto) <= {13, 14}
    assert has_rule(next_paragraph(doc, motto, right))
    date = doc.find("Quảng Nam, ngày 07 tháng 01 năm 2020", right)
    assert all_runs(doc, date, "i") and doc.sizes(date) <= {13, 14}
    for p in (issuer, number, motto_top, motto, date):
        assert jc(p) == "center"
    # the header table: borderless, fixed widths that fill the text width exactly
    grid = [int(c.get(f"{W}w")) for c in header.findall(f"{W}tblGrid/{W}gridCol")]
    assert abs(sum(grid) / MM - 165) < 0.5 and grid[1] > grid[0]


def test_title_bases_and_body(built):
    doc, a = built
    title = doc.find("QUYẾT ĐỊNH")
    assert all_runs(doc, title, "b") and jc(title) == "center" and doc.sizes(title) <= {13, 14}
    summary = doc.find(a.decision.summary)
    assert all_runs(doc, summary, "b") and jc(summary) == "center"
    assert has_rule(next_paragraph(doc, summary))
    assert all_runs(doc, doc.find(a.decision.authority), "b")
    for line in a.decision.legal_bases:
        p = doc.find(line)
        assert all_runs(doc, p, "i") and doc.sizes(p) <= {13, 14} and jc(p) == "both"
        assert line.endswith(";") or line is a.decision.legal_bases[-1]
    articles = [p for p in doc.paragraphs() if text_of(p).startswith("Điều ")]
    assert len(articles) == len(a.decision.articles)
    for i, p in enumerate(articles, start=1):
        first, *rest = doc.runs(p)
        assert first.find(f"{W}t").text == f"Điều {i}." and flag(first, "b")
        assert rest and not any(flag(r, "b") for r in rest)
    for p in [*articles, doc.find(a.decision.closing), doc.find(a.decision.legal_bases[0])]:
        assert jc(p) == "both" and doc.sizes(p) <= {13, 14}
        assert 1.0 <= first_line(p) / MM / 10 <= 1.27 + 1e-6  # cm
        assert spacing(p, "after") + spacing(p, "before") >= 120  # >= 6 pt
        line = spacing(p, "line")
        assert line == 0 or 240 <= line <= 360  # single to 1,5 lines


def test_recipients_and_signer(built):
    doc, a = built
    label = doc.find("Nơi nhận:")
    assert all_runs(doc, label, "b") and all_runs(doc, label, "i") and doc.sizes(label) == {12}
    assert jc(label) in ("left", "start")
    row = label.getparent().getparent()
    assert row.tag == f"{W}tr"
    entries = [doc.find(f"- {r}", row) for r in a.decision.recipients]
    for p in entries:
        assert doc.sizes(p) == {11} and no_run(doc, p, "b")
    assert all(text_of(p).endswith(";") for p in entries[:-1])
    assert text_of(entries[-1]).startswith("- Lưu: VT") and text_of(entries[-1]).endswith(".")
    signer_cell = row.findall(f"{W}tc")[1]
    for line in a.signer.lines:
        p = doc.find(line, signer_cell)  # on the same row as "Nơi nhận:"
        assert line == line.upper() and all_runs(doc, p, "b") and doc.sizes(p) <= {13, 14}
    name = doc.find(a.signer.name, signer_cell)
    assert all_runs(doc, name, "b") and jc(name) == "center"


def test_page_numbers_and_annex_section(built):
    doc, _ = built
    first, annex = sections(doc)
    for sect in (first, annex):
        assert sect.find(f"{W}titlePg") is not None  # no number on the first page
        refs = {r.get(f"{W}type"): r.get(f"{R}id") for r in sect.findall(f"{W}headerReference")}
        default = doc.parts[f"word/{_target(doc, refs['default'])}"]
        instr = "".join(t.text for t in default.iter(f"{W}instrText"))
        assert instr.strip() == "PAGE"
        (p,) = [p for p in default.iter(f"{W}p") if p.find(f".//{W}instrText") is not None]
        assert jc(p) == "center" and doc.sizes(p) <= {13, 14}
        if "first" in refs:
            first_page = doc.parts[f"word/{_target(doc, refs['first'])}"]
            assert not list(first_page.iter(f"{W}instrText"))
    assert annex.find(f"{W}pgNumType").get(f"{W}start") == "1"  # the annex numbered alone
    kind = annex.find(f"{W}type")
    assert kind is None or kind.get(f"{W}val") == "nextPage"


def _target(doc, rid):
    return doc.rels[rid]


def annex_tables(doc):
    return [t for t in doc.body.iter(f"{W}tbl") if t.find(f".//{W}tblHeader") is not None]


def usable_width(doc):
    sect = sections(doc)[-1]
    width = int(sect.find(f"{W}pgSz").get(f"{W}w"))
    mar = sect.find(f"{W}pgMar")
    return width - int(mar.get(f"{W}left")) - int(mar.get(f"{W}right"))


def check_annex_tables(doc, n_columns):
    tables = annex_tables(doc)
    for table in tables:
        grid = [int(c.get(f"{W}w")) for c in table.findall(f"{W}tblGrid/{W}gridCol")]
        assert len(grid) == n_columns
        assert sum(grid) <= usable_width(doc) + 2
        assert min(grid) >= 9 * MM
        rows = table.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        for row in rows:
            cells = row.findall(f"{W}tc")
            assert len(cells) == n_columns
            widths = [int(c.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for c in cells]
            assert all(abs(a - b) <= 2 for a, b in zip(widths, grid))
        for row in rows[1:]:
            cells = row.findall(f"{W}tc")
            assert doc.jc(cells[1].find(f"{W}p")) in ("left", "start")  # names: left, wrapping
            for c in [cells[0], *cells[2:]]:
                assert doc.jc(c.find(f"{W}p")) == "center"  # numbers centred
    return tables


def test_annex_title_reference_and_tables(built):
    doc, a = built
    title = doc.find(a.annex.title)
    assert title.getparent().tag == f"{W}body"
    assert all_runs(doc, title, "b") and jc(title) == "center" and doc.sizes(title) <= {13, 14}
    assert a.annex.title == a.annex.title.upper()
    reference = doc.find(
        "(Ban hành kèm theo Quyết định số 52/QĐ-UBND ngày 07/01/2020 của UBND tỉnh Quảng Nam)"
    )
    assert all_runs(doc, reference, "i") and doc.sizes(reference) <= {13, 14}
    body = list(doc.body)
    assert body.index(title) > body.index(sections(doc)[0].getparent().getparent())
    for g in a.groups:
        heading = doc.find(g.heading)
        assert all_runs(doc, heading, "b")
    tables = check_annex_tables(doc, len(a.criteria) + 4)
    assert [len(t.findall(f"{W}tr")) - 1 for t in tables] == [len(g.units) for g in a.groups]


def test_landscape_annex(tmp_path):
    folder = tmp_path / "qn"
    shutil.copytree(SAMPLE, folder)
    toml = folder / "assessment.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("landscape = false", "landscape = true"), encoding="utf-8")
    assert api.build(folder, out=tmp_path / "out").ok
    doc = Doc(tmp_path / "out" / "quyet-dinh.docx")
    first, annex = sections(doc)
    assert first.find(f"{W}pgSz").get(f"{W}orient") in (None, "portrait")
    size = annex.find(f"{W}pgSz")
    assert size.get(f"{W}orient") == "landscape"
    assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (16838, 11906)
    tables = check_annex_tables(doc, 9)
    grid = [int(c.get(f"{W}w")) for c in tables[0].findall(f"{W}tblGrid/{W}gridCol")]
    assert sum(grid) / MM > 230  # uses the landscape width


LONG_NAME = (
    "Trung tâm Công nghệ thông tin và Truyền thông thuộc Sở Thông tin và Truyền thông "
    "tỉnh (đơn vị sự nghiệp công lập tự chủ một phần chi thường xuyên)"
)


def write_shape(folder, groups=3, criteria=7):
    """An assessment of another shape: `groups` groups, `criteria` criteria out of 15 each,
    a long unit name, and its consolidated workbook (laid out like tong-hop.xlsx)."""
    folder.mkdir(parents=True, exist_ok=True)
    crits = [
        (f"tc{i}", f"Tiêu chí thành phần số {i} về ứng dụng", 15) for i in range(1, criteria + 1)
    ]
    units = {
        f"k{g}": [f"Đơn vị {g}.{u}" for u in range(1, 4)] + ([LONG_NAME] if g == 1 else [])
        for g in range(1, groups + 1)
    }
    lines = [
        'title = "đánh giá thử"',
        "year = 2031",
        '[issuer]\nname = "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM"\nshort = "UBND tỉnh Thử Nghiệm"',
        'place = "Thử Nghiệm"',
        '[decision]\nnumber = 7\nsymbol = "QĐ-UBND"\ndate = 2032-02-03',
        'summary = "Phê duyệt kết quả thử"\nauthority = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"',
        'legal_bases = ["Căn cứ A;", "Căn cứ B."]',
        'articles = ["Phê duyệt.", "Thi hành./."]',
        'recipients = ["Như Điều 2;", "Lưu: VT, KGVX."]',
        '[signer]\nlines = ["CHỦ TỊCH"]\nname = "Nguyễn Văn A"',
        '[annex]\ntitle = "KẾT QUẢ THỬ"',
    ]
    for key, label, top in crits:
        lines.append(f'[[criteria]]\nkey = "{key}"\nlabel = "{label}"\nmax = {top}')
    for name, low in (("Xuất sắc", 90), ("Tốt", 70), ("Khá", 50), ("Chưa đạt", 0)):
        lines.append(f'[[grades]]\nname = "{name}"\nmin = {low}')
    for g, names in units.items():
        listed = ", ".join(f'"{n}"' for n in names)
        lines.append(
            f'[[groups]]\nkey = "{g}"\nname = "Khối {g}"\nheading = "{g[1]}. Khối {g}"\n'
            f"units = [{listed}]"
        )
    (folder / "assessment.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    wb = Workbook()
    wb.remove(wb.active)
    for g, names in units.items():
        ws = wb.create_sheet(f"Khối {g}")
        ws.cell(1, 1, f"Khối {g}")
        header = ["STT", "Tên đơn vị", *(c[1] for c in crits), "Tổng"]
        for col, text in enumerate(header, start=1):
            ws.cell(2, col, text)
        for i, name in enumerate(names):
            scores = [Decimal(15 - (i + j) % 4) for j in range(criteria)]
            for col, value in enumerate([i + 1, name, *scores, sum(scores)], start=1):
                ws.cell(3 + i, col, value)
    atomic.write_bytes(folder / "tong-hop.xlsx", atomic.workbook_bytes(wb, dt.datetime(2032, 2, 3)))
    return folder


def test_any_shape_three_groups_seven_criteria(tmp_path):
    folder = write_shape(tmp_path / "shape")
    result = api.build(folder, [folder / "tong-hop.xlsx"], tmp_path / "a")
    assert result.ok, [str(f) for f in result.blocking]
    doc = Doc(tmp_path / "a" / "quyet-dinh.docx")
    tables = check_annex_tables(doc, 7 + 4)
    assert len(tables) == 3
    names = [text_of(r.findall(f"{W}tc")[1]) for t in tables for r in t.findall(f"{W}tr")[1:]]
    assert LONG_NAME in names
    assert "Số: 07/QĐ-UBND" in [text_of(p) for p in doc.paragraphs()]
    # same inputs, same bytes
    api.build(folder, [folder / "tong-hop.xlsx"], tmp_path / "b")
    for name in ("quyet-dinh.docx", "phu-luc.xlsx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
