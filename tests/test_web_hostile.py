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
