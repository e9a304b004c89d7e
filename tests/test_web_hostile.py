"""`reportgen serve` against requests an attacker or an unlucky clerk makes: a foreign page
that makes this machine work, an open redirect, and the reliability defects of issue 19."""

from __future__ import annotations

import os

import pytest

from reportgen import api
from reportgen.web.app import create_app
from tests.web_helpers import BASE, NAME, Client, workspace


@pytest.fixture
def root(tmp_path):
    return workspace(tmp_path)


@pytest.fixture
def client(root):
    return Client(create_app(root))


@pytest.fixture
def forms_made(monkeypatch):
    """How many times the forms zip was made."""
    calls = []
    real = api.forms_zip
    monkeypatch.setattr(api, "forms_zip", lambda loaded: calls.append(1) or real(loaded))
    return calls


# --- S4: GETs from another site ---------------------------------------------------------------

FOREIGN = {
    "img from another site": {"sec-fetch-site": "cross-site", "sec-fetch-dest": "image"},
    "img from another port": {"sec-fetch-site": "same-site", "sec-fetch-dest": "image"},
    "old browser, Referer": {"referer": "http://evil.example/page.html"},
    "old browser, Origin": {"origin": "http://evil.example"},
}


@pytest.mark.parametrize("headers", FOREIGN.values(), ids=FOREIGN.keys())
def test_a_foreign_page_cannot_make_the_forms_zip_or_start_a_check(client, forms_made, headers):
    for path in (f"/dot/{NAME}/bieu-mau.zip", f"/dot/{NAME}", f"/dot/{NAME}/tat-ca.zip"):
        page = client.get(path, headers=headers)
        assert page.status_code == 403 and "trang web khác" in page.text, path
    assert forms_made == []
    assert client.get(f"/dot/{NAME}/tien-do").json() == {"running": False}  # no check started


def test_the_page_itself_a_typed_address_and_a_link_to_the_front_page_still_work(client):
    same = {"sec-fetch-site": "same-origin", "sec-fetch-dest": "empty"}
    assert client.get(f"/dot/{NAME}/bieu-mau.zip", headers=same).status_code == 200
    typed = {"sec-fetch-site": "none", "sec-fetch-dest": "document"}
    assert client.get(f"/dot/{NAME}", headers=typed).status_code == 200
    link = {"sec-fetch-site": "cross-site", "sec-fetch-dest": "document"}
    assert client.get("/", headers=link).status_code == 200
    assert client.get("/", headers={"referer": f"{BASE}/dot/{NAME}"}).status_code == 200
    foreign_css = client.get("/static/style.css", headers=FOREIGN["img from another site"])
    assert foreign_css.status_code == 200


def test_the_forms_zip_is_made_once_until_the_config_changes(client, root, forms_made):
    first = client.get(f"/dot/{NAME}/bieu-mau.zip")
    second = client.get(f"/dot/{NAME}/bieu-mau.zip")
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert len(forms_made) == 1
    config = api.config_file(root / NAME)
    stat = config.stat()
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert client.get(f"/dot/{NAME}/bieu-mau.zip").status_code == 200
    assert len(forms_made) == 2


# --- S5: redirects stay in the application ----------------------------------------------------


@pytest.mark.parametrize(
    "path, location",
    [
        ("//evil.example", "/evil.example"),
        ("/\\evil.example", "/evil.example"),
        ("///evil.example/x", "/evil.example/x"),
        (f"/dot/{NAME}", f"/dot/{NAME}"),
        ("/dot/quảng-nam", "/dot/qu%E1%BA%A3ng-nam"),
    ],
)
def test_the_token_redirect_goes_to_a_path_of_this_application(root, path, location):
    client = Client(create_app(root, token="T0KEN", loopback=False))
    page = client.get(f"{BASE}{path}?token=T0KEN", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == location


# --- R1: a build killed mid-replacement is rolled back before anything is served ----------


def test_downloads_after_a_killed_replacement_are_the_previous_set(root, client):
    import io
    import subprocess
    import sys
    import zipfile

    from reportgen.core import outputs
    from reportgen.web import workspace as ws

    out = ws.Workspace(root).out(NAME)
    api.build(root / NAME, out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    killed = (
        "import os, sys\n"
        "from reportgen.core import outputs\n"
        "real = os.replace\n"
        "def once(a, b):\n"
        "    real(a, b)\n"
        "    os._exit(9)\n"
        "os.replace = once\n"
        "with outputs.folder_lock(sys.argv[1]):\n"
        "    outputs.replace_set(sys.argv[1], {'quyet-dinh.docx': b'NEW', 'ket-qua.csv': b'NEW'})\n"
    )
    done = subprocess.run([sys.executable, "-c", killed, str(out)], capture_output=True)
    assert done.returncode == 9
    assert (out / outputs.JOURNAL).exists() and (out / "quyet-dinh.docx").read_bytes() == b"NEW"
    page = client.get(f"/dot/{NAME}/tat-ca.zip")
    assert page.status_code == 200
    served = zipfile.ZipFile(io.BytesIO(page.content))
    assert served.read("quyet-dinh.docx") == before["quyet-dinh.docx"]
    assert served.read("ket-qua.csv") == before["ket-qua.csv"]
    assert not (out / outputs.JOURNAL).exists()


# --- R2, R10: file names a file system or a clerk would trip on ---------------------------


def _upload(client, files: dict[str, bytes]):
    parts = [("tep", (n, data, "application/octet-stream")) for n, data in files.items()]
    return client.submit(f"/dot/{NAME}/nop", files=parts)


def test_a_name_longer_than_the_file_system_takes_is_shortened_and_the_rest_kept(client, root):
    from tests.web_helpers import filled_forms

    forms = filled_forms(root / NAME)
    (first, data), (second, other) = list(forms.items())[:2]
    long_name = "Sở Y tế " * 40 + ".xlsx"  # 325 characters, 485 bytes in UTF-8
    page = _upload(client, {long_name: data, second: other})
    assert page.status_code == 200 and "Traceback" not in page.text
    assert "Đã nhận 2 tệp" in page.text and "rút ngắn" in page.text
    kept = [p.name for p in (root / NAME / "submissions").iterdir()]
    shortened = [n for n in kept if n.startswith("Sở Y tế Sở Y tế")]
    assert len(shortened) == 1 and shortened[0].endswith(".xlsx")
    assert len(shortened[0].encode("utf-8")) <= 255 and second in kept


def test_an_annex_with_a_300_character_extension_is_read_not_a_500(client):
    page = client.submit(
        f"/dot/{NAME}/kiem-tra-phu-luc",
        files=[("phu_luc", ("phu-luc." + "x" * 300, b"STT\tTen\n", "text/plain"))],
    )
    assert page.status_code in (200, 422) and "Traceback" not in page.text


def test_an_excel_lock_file_is_refused_with_the_reason(client, root):
    page = _upload(client, {"~$Sở Y tế.xlsx": b"\x00" * 165})
    assert "Đã nhận" not in page.text
    assert "tệp khóa tạm" in page.text and "~$" in page.text
    assert not (root / NAME / "submissions" / "~$Sở Y tế.xlsx").exists()


# --- R6: an abandoned upload is one quiet line ------------------------------------------------


def test_an_upload_the_client_abandons_is_one_quiet_log_line(root, caplog):
    import asyncio
    import logging

    app = create_app(root)
    body = b'--b\r\nContent-Disposition: form-data; name="tep"; filename="a.xlsx"\r\n\r\nPK'
    sent = []

    async def receive():
        if not sent:
            sent.append(1)
            return {"type": "http.request", "body": body, "more_body": True}
        return {"type": "http.disconnect"}

    answers = []

    async def send(message):
        answers.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": f"/dot/{NAME}/nop",
        "raw_path": f"/dot/{NAME}/nop".encode(),
        "query_string": b"",
        "scheme": "http",
        "server": ("127.0.0.1", 8765),
        "client": ("127.0.0.1", 5000),
        "headers": [
            (b"host", b"127.0.0.1:8765"),
            (b"origin", BASE.encode()),
            (b"content-type", b"multipart/form-data; boundary=b"),
        ],
        "http_version": "1.1",
        "root_path": "",
    }
    with caplog.at_level(logging.INFO, logger="reportgen.web"):
        asyncio.run(app(scope, receive, send))
    assert [m["status"] for m in answers if m["type"] == "http.response.start"] == [400]
    records = [r for r in caplog.records if r.name.startswith("reportgen")]
    assert len(records) == 1 and records[0].levelno == logging.INFO
    assert records[0].exc_info is None and "left" in records[0].getMessage()


# --- R11: refusals that say what is true ------------------------------------------------------


def test_too_many_fields_and_a_huge_text_field_are_named_as_such(client):
    many = {f"f{i}": "x" for i in range(61)}
    page = client.submit(f"/dot/{NAME}/tao", many)
    assert page.status_code == 400 and "quá nhiều ô" in page.text and "200 MB" not in page.text
    huge = client.submit(f"/dot/{NAME}/tao", {"ghi_chu": "x" * (2 << 20)})
    assert huge.status_code == 413 and "dài quá 1 MB" in huge.text and "200 MB" not in huge.text


def test_a_build_waiting_for_another_writer_says_so(client, root):
    import time

    from reportgen.core import outputs
    from reportgen.web import workspace as ws

    out = ws.Workspace(root).out(NAME)
    with outputs.folder_lock(out):  # another process's build, writing
        page = client.submit(f"/dot/{NAME}/tao")
        assert page.status_code in (200, 303)
        deadline = time.monotonic() + 120
        phase = ""
        while "đang chờ" not in phase and time.monotonic() < deadline:
            progress = client.get(f"/dot/{NAME}/tien-do").json()
            phase = progress.get("phase", "")
            assert progress["running"], progress
            time.sleep(0.1)
        assert "đang chờ" in phase and "PDF" not in phase
    client.wait()
    assert (out / "quyet-dinh.docx").exists()
