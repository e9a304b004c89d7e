"""The unit portal over HTTP: links per unit, a unit's upload checked at once, evidence, the
deadline, isolation between units, and the promises of serving a province (CSP, cookies,
forwarded headers, wrong-link rate limiting)."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest

from reportgen import api, config
from reportgen.web import portal
from reportgen.web.app import create_app
from reportgen.web.portal_store import FILE, Store, token_hash
from tests.web_helpers import BASE, NAME, Client, bad_form, filled_forms, workspace

PUBLIC = "https://danhgia.example.gov.vn"
UNIT_A, UNIT_B = "Sở Y tế", "Sở Tư pháp"


@pytest.fixture
def root(tmp_path):
    return workspace(tmp_path)


@pytest.fixture
def client(root):
    return Client(create_app(root))


def open_links(client, units=()) -> dict[str, str]:
    """Issue links as the clerk does; unit → its link path, read from the letters page."""
    data = {"don_vi": list(units)} if units else {}
    page = client.submit(f"/dot/{NAME}/don-vi/cap-duong-dan", data)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    found = re.findall(
        r"<td>([^<]+)</td><td class=\"cell\">[^<]*?(/u/[A-Za-z0-9_-]+)</td>", page.text
    )
    return {unit: path for unit, path in found}


def unit_token(client, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def unit_post(client, path: str, url: str, data=None, files=None):
    data = {"csrf": unit_token(client, path), **(data or {})}
    return client.post(url, data=data, files=files, headers={"origin": BASE})


def test_opening_gives_every_assessed_unit_one_link_stored_only_as_a_hash(client, root):
    links = open_links(client)
    folder = root / NAME
    assessment = config.load(folder)
    assert set(links) == set(api.units_to_send(assessment))
    assert len(links) == 38
    tokens = [path.removeprefix("/u/") for path in links.values()]
    assert all(len(t) >= 22 for t in tokens)  # ≥ 128 bits, URL-safe base64
    stored = sqlite3.connect(folder / FILE).execute("SELECT token_hash FROM link").fetchall()
    hashes = {row[0] for row in stored}
    assert hashes == {token_hash(t) for t in tokens}
    raw = (folder / FILE).read_bytes()
    assert not any(t.encode() in raw for t in tokens)
    # a second opening issues none for units that already have a live link
    assert open_links(client) == {}


def test_the_unit_page_shows_its_own_name_and_form_and_no_other_unit(client, root):
    links = open_links(client)
    page = client.get(links[UNIT_A])
    assert page.status_code == 200
    assert UNIT_A in page.text
    others = [u for u in links if u != UNIT_A]
    assert not [u for u in others if u in page.text]
    form = client.get(links[UNIT_A] + "/bieu-mau.xlsx")
    assert form.status_code == 200
    assert form.content[:2] == b"PK"


def test_a_unit_uploads_a_bad_form_sees_the_cell_fixes_and_reaches_dat(client, root):
    links = open_links(client, [UNIT_A])
    path = links[UNIT_A]
    name, data, cell = bad_form(root / NAME, UNIT_A)
    bad = unit_post(client, path, path + "/nop", files={"tep": (name, data)})
    assert bad.status_code == 200  # after the redirect
    assert "Cần sửa" in bad.text and f"ô {cell}" in bad.text
    assert not (root / NAME / "submissions" / "Sở Y tế.xlsx.bak").exists()
    good = filled_forms(root / NAME)["Sở Y tế.xlsx"]
    ok = unit_post(client, path, path + "/nop", files={"tep": ("Sở Y tế.xlsx", good)})
    assert "Đạt" in ok.text and "biểu hợp lệ" in ok.text
    assert (root / NAME / "submissions" / "Sở Y tế.xlsx").read_bytes() == good
    log = Store(root / NAME).uploads(UNIT_A, "form")
    assert [u.status for u in log] == ["fix", "ok"]
    # both versions kept in the history, never overwritten
    kept = sorted((root / NAME / "lich-su" / "Sở Y tế").iterdir())
    assert [p.read_bytes() for p in kept] == [data, good]


def test_a_form_of_another_unit_is_not_taken_and_the_message_names_no_one_else(client, root):
    links = open_links(client, [UNIT_A])
    path = links[UNIT_A]
    other = filled_forms(root / NAME)["Sở Tư pháp.xlsx"]
    before = (root / NAME / "submissions" / "Sở Tư pháp.xlsx").read_bytes()
    page = unit_post(client, path, path + "/nop", files={"tep": ("x.xlsx", other)})
    assert "Cần sửa" in page.text and "đơn vị khác" in page.text
    assert UNIT_B not in page.text
    assert (root / NAME / "submissions" / "Sở Tư pháp.xlsx").read_bytes() == before


def test_units_cannot_reach_each_others_files_or_results(client, root):
    links = open_links(client, [UNIT_A, UNIT_B])
    a, b = links[UNIT_A], links[UNIT_B]
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    key = portal.leaves(config.load(root / NAME), UNIT_B)[0][0]
    sent = unit_post(client, b, b + "/minh-chung", {"tieu_chi": key}, {"tep": ("qd.pdf", pdf)})
    assert "đã nhận" in sent.text
    (evidence,) = Store(root / NAME).uploads(UNIT_B, "evidence")
    assert client.get(f"{b}/tep/{evidence.id}").content == pdf
    assert client.get(f"{a}/tep/{evidence.id}").status_code == 404  # B's file, A's link
    assert "qd.pdf" not in client.get(a).text


def test_evidence_must_be_a_document_or_picture(client, root):
    links = open_links(client, [UNIT_A])
    path = links[UNIT_A]
    key = portal.leaves(config.load(root / NAME), UNIT_A)[0][0]
    page = unit_post(
        client, path, path + "/minh-chung", {"tieu_chi": key}, {"tep": ("x.pdf", b"MZ\x90\x00")}
    )
    assert "không phải loại minh chứng" in page.text
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    page = unit_post(
        client, path, path + "/minh-chung", {"tieu_chi": key}, {"tep": ("anh.png", png)}
    )
    assert "anh.png: đã nhận" in page.text
    assert len(Store(root / NAME).uploads(UNIT_A, "evidence")) == 1


def test_a_revoked_link_and_a_closed_deadline_are_refused_in_vietnamese(client, root):
    links = open_links(client, [UNIT_A])
    path = links[UNIT_A]
    store = Store(root / NAME)
    store.set("deadline", (portal.today() - dt.timedelta(days=1)).isoformat())
    good = filled_forms(root / NAME)["Sở Y tế.xlsx"]
    page = client.get(path)
    assert "Đã hết hạn nộp" in page.text and 'action="' + path + '/nop"' not in page.text
    late = client.post(
        path + "/nop",
        data={"csrf": "closed: the page offers no form"},
        files={"tep": ("a.xlsx", good)},
        headers={"origin": BASE},
    )
    assert late.status_code == 403 and "hết hạn nộp" in late.text
    store.reopen(UNIT_A, portal.today())  # the clerk reopens it for today
    assert "Đạt" in unit_post(client, path, path + "/nop", files={"tep": ("a.xlsx", good)}).text
    store.revoke(UNIT_A)
    gone = client.get(path)
    assert gone.status_code == 404 and "đã bị thu hồi" in gone.text


def test_wrong_links_get_404_then_429(root):
    client = Client(create_app(root))
    open_links(client, [UNIT_A])
    statuses = [client.get(f"/u/{'x' * 30}{i}").status_code for i in range(25)]
    assert statuses[:20] == [404] * 20
    assert set(statuses[20:]) == {429}


def test_a_unit_link_never_opens_a_clerk_page_when_serving_the_province(root):
    clerk = Client(create_app(root, token="T" * 32, loopback=False, public_url=PUBLIC))
    clerk.base_url = PUBLIC
    clerk.headers["host"] = "danhgia.example.gov.vn"
    clerk.cookies.set("reportgen_token", "T" * 32)
    page = clerk.post(
        f"/dot/{NAME}/don-vi/cap-duong-dan",
        data={"csrf": re.search(r'name="csrf" value="([^"]+)"', clerk.get("/").text).group(1)},
        headers={"origin": PUBLIC},
    )
    assert page.status_code == 200
    path = re.search(r"(/u/[A-Za-z0-9_-]+)", page.text).group(1)
    assert path in page.text and PUBLIC + path in page.text  # letters carry the public URL
    unit = Client(create_app(root, token="T" * 32, loopback=False, public_url=PUBLIC))
    unit.base_url = PUBLIC
    unit.headers["host"] = "danhgia.example.gov.vn"
    assert unit.get(path).status_code == 200
    assert unit.get("/static/style.css").status_code == 200  # the page's look, no clerk data
    for clerk_path in ("/", f"/dot/{NAME}", f"/dot/{NAME}/don-vi", f"/dot/{NAME}/tai/ket-qua.json"):
        assert unit.get(clerk_path).status_code == 403


def test_security_headers_and_cookie_flags(root):
    app = create_app(root, token="T" * 32, loopback=False, public_url=PUBLIC)
    client = Client(app)
    client.base_url = PUBLIC
    client.headers["host"] = "danhgia.example.gov.vn"
    first = client.get("/?token=" + "T" * 32, follow_redirects=False)
    assert first.status_code == 303
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie
    csp = first.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert first.headers["referrer-policy"] == "same-origin"
    other_host = client.get("/", headers={"host": "evil.example"})
    assert other_host.status_code == 421


def test_forwarded_headers_are_believed_only_from_the_trusted_proxy(root):
    """The wrong-link counter is per client: behind the trusted proxy the forwarded address
    counts; from elsewhere, X-Forwarded-For is ignored (a guesser cannot rotate it)."""
    trusted = Client(create_app(root, trusted_proxy="testclient"))
    Client(create_app(root))  # the store exists for the assessment once links are issued
    open_links(trusted, [UNIT_A])
    for i in range(20):
        trusted.get(f"/u/{'y' * 30}{i}", headers={"x-forwarded-for": "203.0.113.7"})
    assert trusted.get("/u/zzz", headers={"x-forwarded-for": "203.0.113.7"}).status_code == 429
    assert trusted.get("/u/zzz", headers={"x-forwarded-for": "203.0.113.8"}).status_code == 404
    untrusted = Client(create_app(root, trusted_proxy="10.9.9.9"))
    for i in range(20):
        untrusted.get(f"/u/{'y' * 30}{i}", headers={"x-forwarded-for": f"198.51.100.{i}"})
    assert untrusted.get("/u/zzz", headers={"x-forwarded-for": "198.51.100.99"}).status_code == 429


def test_the_log_survives_a_restart_and_a_temp_file_is_never_a_submission(root, client):
    links = open_links(client, [UNIT_A])
    path = links[UNIT_A]
    good = filled_forms(root / NAME)["Sở Y tế.xlsx"]
    unit_post(client, path, path + "/nop", files={"tep": ("a.xlsx", good)})
    # a new server over the same folder: same link, same history
    again = Client(create_app(root))
    page = again.get(path)
    assert page.status_code == 200 and "Đạt" in page.text
    # an upload killed while streaming leaves only a temp folder, which is not read
    leftover = root / NAME / ".tai-len" / "tmpdead" / "tep"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(good[: len(good) // 2])
    from reportgen.pipeline.check import check

    checked = check(root / NAME)
    assert not [f for f in checked.findings if "tai-len" in str(f.location)]


def test_the_clerk_sees_both_histories_and_the_evidence_of_one_criterion(client, root):
    links = open_links(client, [UNIT_A, UNIT_B])
    forms = filled_forms(root / NAME)
    for unit in (UNIT_A, UNIT_B):
        path = links[unit]
        unit_post(client, path, path + "/nop", files={"tep": ("f.xlsx", forms[f"{unit}.xlsx"])})
    page = client.get(f"/dot/{NAME}/don-vi")
    assert page.status_code == 200
    assert page.text.count('class="status ok">Đạt') >= 2
    key = portal.leaves(config.load(root / NAME), UNIT_A)[0][0]
    pdf = b"%PDF-1.4\n%%EOF\n"
    unit_post(
        client,
        links[UNIT_A],
        links[UNIT_A] + "/minh-chung",
        {"tieu_chi": key},
        {"tep": ("a.pdf", pdf)},
    )
    unit_post(
        client,
        links[UNIT_B],
        links[UNIT_B] + "/minh-chung",
        {"tieu_chi": key},
        {"tep": ("b.pdf", pdf)},
    )
    side = client.get(f"/dot/{NAME}/minh-chung?tieu_chi={key}")
    assert (
        UNIT_A in side.text
        and UNIT_B in side.text
        and "a.pdf" in side.text
        and "b.pdf" in side.text
    )


def test_the_store_migrates_a_version_1_file_keeping_its_rows(tmp_path):
    """A portal database written by the first version (links and uploads only) is moved up to
    the answers' table on opening, its links kept; opening again changes nothing."""
    from reportgen.web.portal_store import MIGRATIONS

    old = sqlite3.connect(tmp_path / FILE)
    old.executescript(MIGRATIONS[0])
    old.execute(
        "INSERT INTO link (unit, token_hash, created) VALUES ('Sở Y tế', ?, 'x')",
        (token_hash("t" * 30),),
    )
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    store = Store(tmp_path)
    assert store.version == len(MIGRATIONS) == 2
    assert store.link_of("t" * 30).unit == "Sở Y tế"
    assert store.answers("Sở Y tế") == (None, [])
    assert Store(tmp_path).version == 2
