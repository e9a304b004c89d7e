"""`reportgen serve` over HTTP: each page's job, and each security promise of issue 13."""

from __future__ import annotations

import io
import re
import threading
import time
import zipfile

import pytest

from reportgen import config
from reportgen.pipeline import build as api
from reportgen.pipeline.names import default_inputs
from reportgen.render.filenames import form_filename
from reportgen.render.forms import form_bytes
from reportgen.web.app import create_app
from reportgen.web.security import Limits
from tests.conftest import ROOT
from tests.web_helpers import BASE, NAME, Client, bad_form, filled_forms, workspace

NEW = {
    "source": NAME,
    "folder": "quang-nam-2020",
    "year": "2020",
    "number": "15",
    "date": "2021-01-08",
    "proposal": "Xét đề nghị của Giám đốc Sở Thông tin và Truyền thông tại Tờ trình số "
    "300/TTr-STTTT ngày 28/12/2020,",
    "signer": "Nguyễn Văn A",
}


@pytest.fixture
def root(tmp_path):
    return workspace(tmp_path)


@pytest.fixture
def client(root):
    return Client(create_app(root))


def upload(client, files: dict[str, bytes], name: str = NAME):
    parts = [("tep", (n, data, "application/octet-stream")) for n, data in files.items()]
    return client.submit(f"/dot/{name}/nop", files=parts)


def status_page(client, query: str = "", name: str = NAME):
    """The assessment page once its check has finished."""
    client.get(f"/dot/{name}")
    client.wait(name)
    return client.get(f"/dot/{name}{query}").text


# --- What the pages do ------------------------------------------------------------------------


def test_index_lists_the_assessments_and_offers_next_year(client):
    page = client.get("/")
    assert page.status_code == 200
    assert f'href="/dot/{NAME}"' in page.text and "2019" in page.text
    assert 'value="quang-nam-2020"' in page.text and 'value="2020"' in page.text


def test_new_assessment_from_last_year_with_the_decision_fields(client, root):
    page = client.submit("/tao-moi", NEW, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/dot/quang-nam-2020")
    made = config.load(root / "quang-nam-2020")
    assert (made.year, made.decision.number, str(made.decision.date)) == (2020, 15, "2021-01-08")
    assert made.signer.name == "Nguyễn Văn A" and "300/TTr-STTTT" in made.decision.proposal
    assert not made.blanks and (root / "quang-nam-2020" / "submissions").is_dir()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number", "15a", "Chỉ ghi phần số của quyết định, ví dụ 52 (đang ghi: 15a)"),
        ("number", "0", "Chỉ ghi phần số"),
        ("date", "31/02/2021", "Ghi ngày/tháng/năm, ví dụ 08/01/2021"),
        ("proposal", "Tờ trình số <<CẦN ĐIỀN>>", "Còn để trống"),
        ("signer", "", "Chưa ghi họ tên người ký"),
        ("folder", "../ra-ngoai", "Tên thư mục chỉ gồm"),
        ("year", "2019", "đã là năm 2019"),
    ],
)
def test_new_assessment_errors_stand_next_to_their_field(client, root, field, value, message):
    page = client.submit("/tao-moi", {**NEW, field: value})
    assert page.status_code == 422
    label = page.text.split(f'name="{field}"')[0].rsplit("<label", 1)[1]
    assert "has-error" in label, label
    after = page.text.split(f'name="{field}"', 1)[1].split("</label>")[0]
    assert message in after
    assert not (root / "quang-nam-2020").exists() and not (root.parent / "ra-ngoai").exists()


def test_new_assessment_shows_every_field_error_at_once(client, root):
    """One submission, every wrong field marked beside itself (not one stage at a time)."""
    wrong = {"number": "15a", "date": "2021/13/45", "signer": "", "proposal": "số <<CẦN ĐIỀN>>"}
    page = client.submit("/tao-moi", {**NEW, **wrong})
    assert page.status_code == 422
    for field in wrong:
        label = page.text.split(f'name="{field}"')[0].rsplit("<label", 1)[1]
        assert "has-error" in label, field
    assert "true/false" not in page.text and "dấu nháy" not in page.text
    assert not (root / "quang-nam-2020").exists()


def test_new_assessment_reads_the_date_day_first(client, root):
    page = client.submit("/tao-moi", {**NEW, "date": "08/01/2021", "number": "1"})
    made = config.load(root / "quang-nam-2020")
    assert str(made.decision.date) == "2021-01-08"
    assert "01/QĐ-UBND" in page.text and "ngày 08 tháng 01 năm 2021" in page.text
    text = (root / "quang-nam-2020" / "assessment.toml").read_text(encoding="utf-8")
    assert "CẦN ĐIỀN" not in text


def test_forms_zip_holds_every_units_blank_form(client):
    page = client.get(f"/dot/{NAME}/bieu-mau.zip")
    assert page.status_code == 200 and "attachment" in page.headers["content-disposition"]
    assessment = config.load(f"samples/{NAME}")
    archive = zipfile.ZipFile(io.BytesIO(page.content))
    units = [u.name for g in assessment.groups for u in g.units]
    assert sorted(archive.namelist()) == sorted(form_filename(u) for u in units)
    assert archive.read(form_filename(units[0])) == form_bytes(assessment, units[0])


def test_forms_zip_has_no_form_for_a_unit_not_assessed(client, root):
    toml = root / NAME / "assessment.toml"
    text = toml.read_text(encoding="utf-8")
    unit = '{ name = "Sở Y tế", aliases = ["Sở YT"] }'
    assert unit in text
    edited = unit.replace("] }", '], not_assessed = "mới thành lập" }')
    toml.write_text(text.replace(unit, edited), encoding="utf-8")
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/dot/{NAME}/bieu-mau.zip").content))
    assert form_filename("Sở Y tế") not in archive.namelist()
    assert form_filename("Sở Tài chính") in archive.namelist()
    assert "không có biểu cho Sở Y tế" in client.get(f"/dot/{NAME}").text


def test_upload_keeps_original_names_and_bytes_and_says_what_it_replaced(client, root):
    subs = root / NAME / "submissions"
    for f in subs.iterdir():
        f.unlink()
    forms = filled_forms(root / NAME)
    first = upload(client, forms)
    assert "Đã nhận 38 tệp" in first.text and "đã thay" not in first.text
    assert {p.name: p.read_bytes() for p in subs.iterdir()} == forms
    assert "Đạt: 38" in status_page(client)
    name, data, _ = bad_form(root / NAME)
    again = upload(client, {name: data})
    assert f"{name}: đã thay tệp nộp trước đó" in again.text
    assert (subs / name).read_bytes() == data
    assert not list((root / NAME).glob(".tai-len/*"))  # no temp files left behind


def test_a_bad_file_shows_its_finding_with_the_cell_and_filters_work(client, root):
    name, data, cell = bad_form(root / NAME)
    upload(client, {name: data})
    page = status_page(client)
    assert "Cần sửa: 1" in page and "Đạt: 37" in page
    row = page.split('<tr class="error">')[1].split("</tr>")[0]
    assert "Sở Y tế" in row and name in row and f'<td class="cell">{cell}</td>' in row
    assert "SCORE_ABOVE_MAX" in row
    assert '<tr class="error">' not in status_page(client, "?muc=canh-bao")
    assert '<tr class="error">' not in status_page(client, "?don_vi=Sở Tư pháp")
    assert '<tr class="error">' in status_page(client, "?don_vi=Sở Y tế&muc=loi")


def test_a_form_with_the_unit_name_typed_differently_is_said_so(client, root):
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(filled_forms(root / NAME)["Sở Y tế.xlsx"]))
    (cell,) = [c for row in book.active.iter_rows() for c in row if c.value == "Sở Y tế"]
    cell.value = "So Y Te"
    data = io.BytesIO()
    book.save(data)
    upload(client, {"Sở Y tế.xlsx": data.getvalue()})
    page = status_page(client)
    assert "Tên ghi khác: 1" in page and "Đạt: 37" in page
    row = page.split('data-unit="Sở Y tế"')[1].split("</tr>")[0]
    assert "Tên ghi khác" in row


def test_a_file_that_is_not_a_workbook_is_refused_and_not_kept(client, root):
    page = upload(client, {"Sở Y tế.xlsx": b"%PDF-1.4 not a workbook"})
    assert "Không nhận Sở Y tế.xlsx" in page.text and "PDF" in page.text
    assert (root / NAME / "submissions" / "Sở Y tế.xlsx").read_bytes()[:2] == b"PK"


def test_build_through_the_page_is_byte_identical_to_the_cli(client, root, tmp_path):
    page = client.submit(f"/dot/{NAME}/tao", follow_redirects=False)
    assert page.status_code == 303
    client.wait()
    shown = client.get(f"/dot/{NAME}")
    assert shown.text.count('class="annex-table"') == 2 and shown.text.count("<svg") == 2
    from openpyxl import load_workbook

    annex = load_workbook(root / "out" / NAME / "phu-luc.xlsx").worksheets[0]
    header = next(r for r in annex.iter_rows(values_only=True) if "Tổng" in (r or ()))
    head = shown.text.split('class="annex-table"')[1].split("</thead>")[0]
    assert head.count("<th>") == len([h for h in header if h])
    for heading in filter(None, header):
        assert f"<th>{heading}</th>" in head
    from typer.testing import CliRunner

    from reportgen.cli import app

    cli_out = tmp_path / "cli"
    result = CliRunner().invoke(app, ["build", str(root / NAME), "--out", str(cli_out)])
    assert result.exit_code == 0, result.output
    charts = sorted(p.name for p in cli_out.glob("bieu-do-*.png"))
    assert len(charts) == 2  # one per group, for the report to the leadership
    for name in (
        "quyet-dinh.docx",
        "phu-luc.xlsx",
        "bao-cao-kiem-tra.xlsx",
        "ket-qua.json",
        *charts,
    ):
        got = client.get(f"/dot/{NAME}/tai/{name}")
        assert got.status_code == 200 and got.content == (cli_out / name).read_bytes(), name
        assert f'href="/dot/{NAME}/tai/{name}"' in shown.text, name
    everything = client.get(f"/dot/{NAME}/tat-ca.zip")
    names = zipfile.ZipFile(io.BytesIO(everything.content)).namelist()
    assert "quyet-dinh.docx" in names and "phu-luc.xlsx" in names  # in ket-qua-<đợt>.zip
    assert "ket-qua-quang-nam-2019.zip" in everything.headers["content-disposition"]
    decision = client.get(f"/dot/{NAME}/tai/quyet-dinh.docx").headers["content-disposition"]
    assert decision.endswith("''quyet-dinh-quang-nam-2019.docx")
    assert (root / "out" / NAME / "quyet-dinh.docx").is_file()  # the folder keeps its names


def test_a_new_upload_after_a_build_marks_the_outputs_out_of_date(client, root):
    client.submit(f"/dot/{NAME}/tao")
    client.wait()
    built = client.get(f"/dot/{NAME}").text
    assert "Tạo lúc" in built and "Văn bản đã cũ" not in built
    assert "từ 38 tệp nộp" in built
    name = "Sở Y tế.xlsx"  # a corrected form, as a clerk sends it
    upload(client, {name: filled_forms(root / NAME)[name]})
    page = status_page(client)
    stale = page.split('id="van-ban-cu"')[1].split("</p>")[0]
    assert "Văn bản đã cũ: có tệp nộp mới (" + name in stale and "hãy tạo lại" in stale
    assert "Tải về bản cũ" in page and "chưa tính các thay đổi sau đó" in page
    client.submit(f"/dot/{NAME}/tao")
    client.wait()
    assert "Văn bản đã cũ" not in client.get(f"/dot/{NAME}").text
    time.sleep(0.01)
    (root / NAME / "submissions" / name).unlink()  # a unit's form taken out by hand
    stale = status_page(client).split('id="van-ban-cu"')[1].split("</p>")[0]
    assert "tệp nộp bị xóa hoặc đổi tên" in stale


def test_outputs_are_not_offered_while_a_rebuild_runs(client, monkeypatch):
    client.submit(f"/dot/{NAME}/tao")
    client.wait()
    release = threading.Event()
    real = api.build

    def slow(*args, **kwargs):
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "build", slow)
    try:
        client.submit(f"/dot/{NAME}/tao")
        page = client.get(f"/dot/{NAME}").text
        assert f"/dot/{NAME}/tai/" not in page and "tạm ẩn cho đến khi xong" in page
        refused = client.get(f"/dot/{NAME}/tai/quyet-dinh.docx")
        assert refused.status_code == 409 and "Đang tạo lại" in refused.text
        assert client.get(f"/dot/{NAME}/tat-ca.zip").status_code == 409
    finally:
        release.set()
        client.wait()
    assert client.get(f"/dot/{NAME}/tai/quyet-dinh.docx").status_code == 200


def test_building_without_the_units_that_sent_nothing_from_the_page(client, root, tmp_path):
    """Named on the page, confirmed, and the same decision as `build --allow-missing`."""
    from typer.testing import CliRunner

    from reportgen.cli import app

    subs = root / NAME / "submissions"
    gone = ["Sở Y tế", "Huyện Nam Giang"]
    for unit in gone:
        (subs / f"{unit}.xlsx").unlink()
    page = status_page(client)
    offer = page.split('id="bo-qua-chua-nop"')[1].split("</form>")[0]
    for unit in gone:
        assert unit in offer
    assert "chưa nộp biểu chấm điểm" in offer and 'name="dong_y"' in offer
    unconfirmed = client.submit(f"/dot/{NAME}/tao", {"bo_qua_chua_nop": "1"})
    assert unconfirmed.status_code == 422 and not (root / "out" / NAME).exists()
    client.submit(f"/dot/{NAME}/tao", {"bo_qua_chua_nop": "1", "dong_y": "1"})
    client.wait()
    built = client.get(f"/dot/{NAME}").text
    assert built.count('class="annex-table"') == 2 and "bo-qua-chua-nop" not in built
    said = built.split('id="da-bo-qua"')[1].split("</p>")[0]
    assert all(unit in said for unit in gone)
    cli_out = tmp_path / "cli"
    args = ["build", str(root / NAME), "--out", str(cli_out), "--allow-missing"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    for name in ("quyet-dinh.docx", "phu-luc.xlsx"):
        assert (root / "out" / NAME / name).read_bytes() == (cli_out / name).read_bytes()


def test_another_province_with_criteria_sets_per_group_builds_on_the_page(tmp_path):
    import shutil

    from tests.conftest import ROOT

    root = tmp_path / "ws"
    shutil.copytree(ROOT / "samples" / "da-nang-2025", root / "da-nang-2025")
    client = Client(create_app(root))
    client.submit("/dot/da-nang-2025/tao")
    client.wait("da-nang-2025")
    page = client.get("/dot/da-nang-2025").text
    assert page.count('class="annex-table"') >= 2 and page.count("<svg") >= 2
    assert "Column(" not in page and "Có lỗi" not in page


def test_audit_by_upload_lists_the_published_annexs_disagreements(client):
    published = (default_inputs(f"samples/{NAME}")[0].parent / "tong-hop.xlsx").read_bytes()
    parts = [("phu_luc", ("tong-hop.xlsx", published, "application/octet-stream"))]
    page = client.submit(f"/dot/{NAME}/kiem-tra-phu-luc", files=parts)
    assert page.status_code == 200 and "AUDIT_ORDER" in page.text


def test_audit_of_a_text_annex_names_the_file_sent(client):
    published = (ROOT / "samples" / NAME / "annex-2019.tsv").read_bytes()
    parts = [("phu_luc", ("annex-2019.tsv", published, "text/plain"))]
    page = client.submit(f"/dot/{NAME}/kiem-tra-phu-luc", files=parts).text
    assert "AUDIT_ORDER" in page and "annex-2019.tsv" in page and "phu-luc.tsv" not in page


def test_an_empty_workspace_says_what_to_do_first(tmp_path):
    page = Client(create_app(tmp_path)).get("/").text
    assert "Bước tiếp theo" in page and "reportgen init" in page


# --- Security promises ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename",
    ["../../ra-ngoai.xlsx", "..\\..\\ra-ngoai.xlsx", "/tmp/ra-ngoai.xlsx", "C:\\ra-ngoai.xlsx"],
)
def test_traversal_names_are_reduced_to_a_base_name_inside_submissions(client, root, filename):
    data = filled_forms(root / NAME)["Sở Y tế.xlsx"]
    page = upload(client, {filename: data})
    assert page.status_code == 200
    assert (root / NAME / "submissions" / "ra-ngoai.xlsx").read_bytes() == data
    outside = [p for p in root.parent.rglob("ra-ngoai.xlsx") if "submissions" not in p.parts]
    assert outside == []


@pytest.mark.parametrize("filename", ["..", ".xlsx", "bao-cao.exe", "CON.xlsx", "a\x00.txt"])
def test_names_with_no_safe_base_are_refused(client, root, filename):
    before = sorted(p.name for p in (root / NAME / "submissions").iterdir())
    page = upload(client, {filename: b"PK\x03\x04"})
    assert "Tên tệp không dùng được" in page.text
    assert sorted(p.name for p in (root / NAME / "submissions").iterdir()) == before


def test_oversize_upload_is_refused_with_the_limits_stated(root):
    limits = Limits(files=3, file_bytes=20_000, body_bytes=60_000)
    client = Client(create_app(root, limits=limits))
    assert "Tối đa 3 tệp mỗi lần" in client.get(f"/dot/{NAME}").text
    big = upload(client, {"Sở Y tế.xlsx": b"PK" + b"\0" * 100_000})
    assert big.status_code == 413 and "Hãy chia ra" in big.text
    assert "tối đa 58 KB mỗi lần, 3 tệp, mỗi tệp 19 KB" in big.text
    one_file_too_big = upload(client, {"Sở Y tế.xlsx": b"PK" + b"\0" * 30_000})
    assert "Không nhận Sở Y tế.xlsx: quá" in one_file_too_big.text
    many = upload(client, {f"{i}.xlsx": b"PK" for i in range(5)})
    assert many.status_code == 413
    kept = (root / NAME / "submissions" / "Sở Y tế.xlsx").read_bytes()
    assert kept[:2] == b"PK" and len(kept) not in (100_002, 30_002)


def test_chunked_oversize_body_is_cut_off_while_streaming(root):
    client = Client(create_app(root, limits=Limits(body_bytes=10_000)))
    token = client.token()

    def body():
        yield b'--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + token.encode()
        for _ in range(20):
            yield b"\r\n" + b"a" * 1000

    page = client.post(
        f"/dot/{NAME}/nop",
        content=body(),
        headers={"origin": BASE, "content-type": "multipart/form-data; boundary=x"},
    )
    assert page.status_code == 413


@pytest.mark.parametrize(
    "headers",
    [{"origin": "http://evil.example"}, {"referer": "http://evil.example/x"}, {}],
)
def test_cross_site_posts_are_refused(client, root, headers):
    data = {"csrf": client.token(), **NEW}
    page = client.post("/tao-moi", data=data, headers=headers)
    assert page.status_code == 403 and "không đến từ trang reportgen" in page.text
    assert not (root / "quang-nam-2020").exists()


def test_a_post_without_the_form_token_is_refused(client, root):
    page = client.post("/tao-moi", data={**NEW, "csrf": "doan-bua"}, headers={"origin": BASE})
    assert page.status_code == 403 and "tải lại trang" in page.text
    assert not (root / "quang-nam-2020").exists()
    same_origin_referer = client.post(
        "/tao-moi", data={**NEW, "csrf": client.token()}, headers={"referer": BASE + "/"}
    )
    assert same_origin_referer.status_code in (200, 303)


def test_loopback_bind_refuses_another_host_name(client):
    page = client.get("/", headers={"host": "evil.example"})
    assert page.status_code == 421 and "127.0.0.1" in page.text


def test_non_loopback_bind_needs_the_token_then_a_cookie(root):
    client = Client(create_app(root, token="ma-bi-mat", loopback=False))
    refused = client.get("/", headers={"host": "192.168.1.5:8765"})
    assert refused.status_code == 403 and "mã truy cập" in refused.text
    assert client.get("/?token=sai").status_code == 403
    entry = client.get(f"/dot/{NAME}?token=ma-bi-mat", follow_redirects=False)
    assert entry.status_code == 303 and entry.headers["location"] == f"/dot/{NAME}"
    assert "HttpOnly" in entry.headers["set-cookie"]
    assert client.get(f"/dot/{NAME}").status_code == 200  # the cookie carries it now
    client.cookies.clear()
    assert client.get(f"/dot/{NAME}/bieu-mau.zip").status_code == 403


def test_serve_beyond_loopback_makes_a_token_and_prints_it_once(monkeypatch, tmp_path):
    import uvicorn

    from reportgen.web import server

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    lines = []
    server.serve(tmp_path, "0.0.0.0", 0, False, lines.append)
    token = started["app"].token
    assert token and len(token) >= 20 and started["host"] == "0.0.0.0"
    assert sum(token in line for line in lines) == 1
    server.serve(tmp_path, "127.0.0.1", 0, False, lines.append)
    assert started["app"].token is None


def test_one_build_at_a_time(client, monkeypatch):
    release = threading.Event()
    real = api.build

    def slow(*args, **kwargs):
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "build", slow)
    first = client.submit(f"/dot/{NAME}/tao", follow_redirects=False)
    second = client.submit(f"/dot/{NAME}/tao", follow_redirects=False)
    release.set()
    assert first.status_code == 303
    assert second.status_code == 409 and "đang tạo văn bản" in second.text
    client.wait()


def test_a_cli_build_holding_the_output_folder_makes_the_page_wait_then_say_so(
    client, root, monkeypatch
):
    from reportgen.core import outputs

    monkeypatch.setattr(outputs, "LOCK_WAIT_S", 0.3)
    with outputs.folder_lock(root / "out" / NAME):  # as `reportgen build` holds it
        client.submit(f"/dot/{NAME}/tao")
        client.wait()
    page = client.get(f"/dot/{NAME}").text
    assert "Không ghi được kết quả" in page and "một lần tạo báo cáo khác" in page
    assert not (root / "out" / NAME / "quyet-dinh.docx").exists()


def test_error_pages_say_something_and_never_show_a_traceback(client, monkeypatch):
    missing = client.get("/dot/khong-co")
    assert missing.status_code == 404 and "Không có trang này" in missing.text
    assert client.get("/dot/..%2F..%2Fetc").status_code == 404

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("reportgen.pipeline.check.check", broken)
    page = client.get(f"/dot/{NAME}")
    assert page.status_code == 200 and "Có lỗi ngoài dự kiến" in page.text
    monkeypatch.setattr(config, "load", broken)
    crash = client.get("/")
    assert crash.status_code == 500 and "Có lỗi ngoài dự kiến" in crash.text
    for text in (page.text, crash.text):
        assert "Traceback" not in text and "secret internal detail" not in text


def test_workbook_and_config_text_is_escaped(root):
    """A unit named like markup, its workbook still matched (by an alias), so the build goes
    through and the page draws the hostile name in the annex table and the SVG chart."""
    hostile = "<script>alert(1)</script>"
    toml = root / NAME / "assessment.toml"
    text = toml.read_text(encoding="utf-8")
    named = '{ name = "Sở Y tế", aliases = ["Sở YT"] }'
    assert named in text
    toml.write_text(
        text.replace(named, f'{{ name = "{hostile}", aliases = ["Sở Y tế", "Sở YT"] }}'),
        encoding="utf-8",
    )
    client = Client(create_app(root))
    page = status_page(client)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    client.submit(f"/dot/{NAME}/tao", follow_redirects=False)
    client.wait()
    built = client.get(f"/dot/{NAME}").text
    svgs = re.findall(r"<svg.*?</svg>", built, re.S)
    assert svgs, "the build did not go through: no chart drawn"
    assert "<script>alert" not in built
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;</text>" in svg for svg in svgs)


def test_the_notices_button_downloads_the_zip_the_command_writes(root, tmp_path):
    """The clerk's button gives the same zip as `reportgen notices` (Đà Nẵng: ten notices)."""
    import shutil
    import zipfile

    from reportgen import api
    from tests.conftest import ROOT

    shutil.copytree(ROOT / "samples" / "da-nang-2025", root / "da-nang-2025")
    client = Client(create_app(root))
    page = client.submit("/dot/da-nang-2025/thong-bao")
    assert page.status_code == 200
    assert page.headers["content-type"] == "application/zip"
    made = api.notices(root / "da-nang-2025", out=tmp_path / "cli")
    assert page.content == (tmp_path / "cli" / made.zip_name).read_bytes()
    with zipfile.ZipFile(io.BytesIO(page.content)) as archive:
        letters = [n for n in archive.namelist() if n.endswith(".docx")]
    assert len(letters) == len(made.notices) == 10
    assert "/thong-bao" in client.get("/dot/da-nang-2025").text
