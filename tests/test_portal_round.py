"""The verification round on a unit's own page: once the clerk has sent the preliminary
notices, the unit sees its notice (and only its own), answers it on the page — agree or
explain, with text and evidence files — and that answer becomes the answer workbook the
round reads (`giai-trinh/`), so the council's record and the build take it as if it had come
back by mail; after the build, the unit downloads its per-unit statement."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from openpyxl import load_workbook

from reportgen import api
from reportgen.web import portal
from reportgen.web.app import create_app
from reportgen.web.portal_store import Store
from tests.conftest import ROOT
from tests.web_helpers import BASE, Client

SAMPLE = ROOT / "samples" / "da-nang-2025"
NAME = SAMPLE.name
UNIT = "Thanh tra thành phố"  # a notice in the sample, no answer in giai-trinh/
OTHER = "Sở Tư pháp"  # nothing changed for it: no notice


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copytree(SAMPLE, root / NAME)
    return root


@pytest.fixture
def client(root):
    client = Client(create_app(root))
    assert client.submit(f"/dot/{NAME}/thong-bao").status_code == 200  # the clerk sends them
    return client


def links(client, *units) -> dict[str, str]:
    page = client.submit(f"/dot/{NAME}/don-vi/cap-duong-dan", {"don_vi": list(units)})
    return dict(re.findall(r'<td>([^<]+)</td><td class="cell">[^<]*?(/u/[\w-]+)</td>', page.text))


def csrf(client, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def answer(client, path: str, data: dict, files=None):
    data = {"csrf": csrf(client, path), **data}
    return client.post(path + "/giai-trinh", data=data, files=files, headers={"origin": BASE})


def test_the_unit_sees_its_notice_and_answers_it_on_the_page(client, root):
    path = links(client, UNIT, OTHER)
    a, b = path[UNIT], path[OTHER]
    notice = api.unit_notice(root / NAME, UNIT)
    (row,) = notice.rows
    page = client.get(a)
    assert "Thông báo kết quả thẩm định sơ bộ" in page.text and row.label in page.text
    letter = client.get(a + "/thong-bao.docx")
    sent = root / "out" / NAME / api.NOTICES_FOLDER / api.notice_files(notice)[0]
    assert letter.status_code == 200 and letter.content == sent.read_bytes()
    # the other unit: no notice on its page, and not this one's letter through its own link
    assert "Thông báo kết quả thẩm định sơ bộ" not in client.get(b).text
    assert client.get(b + "/thong-bao.docx").status_code == 404

    # an explanation without words is refused, nothing written
    refused = answer(client, a, {f"y_kien:{row.key}": "explain"})
    assert "hãy ghi nội dung giải trình" in refused.text
    kept = root / NAME / api.ANSWERS_FOLDER / api.notice_files(notice)[1]
    assert not kept.exists()

    pdf = b"%PDF-1.4\n%%EOF\n"
    taken = answer(
        client,
        a,
        {
            f"y_kien:{row.key}": "explain",
            f"giai_trinh:{row.key}": "Đã ban hành kế hoạch, xin xem minh chứng.",
            f"minh_chung:{row.key}": "Kế hoạch 12/KH-TTTP ngày 10/3/2025",
        },
        {f"tep:{row.key}": ("ke-hoach.pdf", pdf)},
    )
    assert "Đã nhận câu trả lời của đơn vị" in taken.text
    # the answer workbook, read back independently: the unit's cells as given, dated today
    sheet = load_workbook(io.BytesIO(kept.read_bytes())).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    (given,) = [r for r in rows if r[1] == row.label]
    assert given[5:8] == [
        "Giải trình",
        "Đã ban hành kế hoạch, xin xem minh chứng.",
        "Kế hoạch 12/KH-TTTP ngày 10/3/2025; tệp ke-hoach.pdf",
    ]
    dates = [r[2] for r in rows if r[0] and str(r[0]).startswith("Ngày")]
    assert [d.date() for d in dates] == [portal.today(), portal.today()]
    at, logged = Store(root / NAME).answers(UNIT)
    assert at and [(x.criterion, x.opinion) for x in logged] == [(row.key, "explain")]
    (evidence,) = Store(root / NAME).uploads(UNIT, "evidence")
    assert evidence.criterion == row.key and client.get(f"{a}/tep/{evidence.id}").content == pdf

    # the round reads it like an answer sent back by mail: open until the council concludes
    checked = api.check(root / NAME)
    assert [f.unit for f in checked.findings if f.code == "EXPLANATION_OPEN"].count(UNIT) == 1


def test_the_statement_after_the_build_is_the_units_own(client, root):
    path = links(client, UNIT, OTHER)
    assert client.get(path[UNIT] + "/phieu-diem.xlsx").status_code == 404  # before a build
    built = api.build(root / NAME, None, root / "out" / NAME, allow_open=True)
    assert built.ok
    own = client.get(path[UNIT] + "/phieu-diem.xlsx")
    expected = root / "out" / NAME / api.STATEMENTS / api.form_filename(UNIT)
    assert own.status_code == 200 and own.content == expected.read_bytes()
    page = client.get(path[UNIT])
    assert "Tải phiếu điểm của đơn vị" in page.text and "Xếp hạng" in page.text
    row = next(r for g in built.results for r in g.rows if r.unit == UNIT)
    printed = api.format_number(row.total, 2)
    assert "," in printed and f"<strong>{printed}</strong>" in page.text  # 678,5, not 678.5
    assert client.get(path[OTHER] + "/phieu-diem.xlsx").content != own.content
