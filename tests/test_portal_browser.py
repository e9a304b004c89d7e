"""The unit portal in a real browser (Playwright driving the system chromium), served as a
province serves it (a public address, the clerk's pages behind the access token): the clerk
opens the year and reads the links off the letters; two units, one on a desktop and one on a
phone-sized window, upload at the same time; one sees its finding at the cell, fixes it and
reaches Đạt; neither reaches the other's files or any clerk page; a revoked link and a closed
deadline are refused in Vietnamese; the clerk's page shows both histories. Screenshots go to
out/web-screenshots/ (docs/huong-dan.md shows them)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import socket
import threading
import time

import pytest

from reportgen.web import portal
from reportgen.web.app import create_app
from reportgen.web.portal_store import Store
from tests.test_web_browser import SHOTS, chromium  # noqa: F401  (the fixture)
from tests.web_helpers import NAME, bad_form, filled_forms, workspace

UNIT_A, UNIT_B = "Sở Y tế", "Sở Tư pháp"
TOKEN = "clerk-" + "k" * 30


@pytest.fixture
def province(tmp_path):
    """The app over a workspace holding the 2019 sample, with a public address (here the
    loopback port itself), served by uvicorn on a free port; stopped within 10 s."""
    import uvicorn

    root = workspace(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    app = create_app(root, token=TOKEN, loopback=False, public_url=url)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start within 30 s"
        time.sleep(0.05)
    yield root, url
    server.should_exit = True
    thread.join(10)


def test_two_units_submit_at_once_and_see_only_their_own(province, chromium):  # noqa: F811
    root, url = province
    asyncio.run(_year(root, url, chromium))


async def _year(root, url: str, executable: str) -> None:
    from playwright.async_api import async_playwright

    name_a, bad, cell = bad_form(root / NAME, UNIT_A)
    good = filled_forms(root / NAME)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable)
        clerk = await (await browser.new_context()).new_page()
        await clerk.goto(f"{url}/?token={TOKEN}")
        await clerk.goto(f"{url}/dot/{NAME}/don-vi")
        await clerk.click('button:has-text("Mở cho đơn vị tự nộp")')
        await clerk.wait_for_selector(".letter-list")
        letters = await clerk.content()
        links = dict(re.findall(r"<td>([^<]+)</td><td class=\"cell\">([^<]+)</td>", letters))
        assert len(links) == 38 and links[UNIT_A].startswith(url + "/u/")
        await clerk.screenshot(path=str(SHOTS / "don-vi-thu.png"), full_page=False)

        desk = await browser.new_context(viewport={"width": 1280, "height": 900})
        phone = await browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
        a, b = await desk.new_page(), await phone.new_page()
        await asyncio.gather(a.goto(links[UNIT_A]), b.goto(links[UNIT_B]))
        assert UNIT_A in await a.title() and UNIT_B in await b.title()

        async def send(page, filename: str, data: bytes) -> None:
            await page.set_input_files(
                "#nop input[type=file]",
                {"name": filename, "mimeType": "application/octet-stream", "buffer": data},
            )
            await page.click("#nop button[type=submit]")
            await page.wait_for_selector("#ket-qua-nop")

        # both at once: A's form has a score above its maximum, B's is right
        await asyncio.gather(
            send(a, name_a, bad), send(b, "Sở Tư pháp.xlsx", good["Sở Tư pháp.xlsx"])
        )
        result_a = await a.inner_text("#ket-qua-nop")
        assert "Cần sửa" in result_a and f"ô {cell}" in result_a
        assert "Đạt" in await b.inner_text("#ket-qua-nop")
        SHOTS.mkdir(parents=True, exist_ok=True)
        await a.screenshot(path=str(SHOTS / "don-vi-can-sua.png"), full_page=True)
        await send(a, name_a, good["Sở Y tế.xlsx"])
        assert "Đạt" in await a.inner_text("#ket-qua-nop")
        await a.screenshot(path=str(SHOTS / "don-vi-may-tinh.png"), full_page=True)
        await b.screenshot(path=str(SHOTS / "don-vi-dien-thoai.png"), full_page=True)

        # B's evidence, then A tries B's file, B's link pieces and the clerk's pages
        key = portal.leaves(__import__("reportgen.config").config.load(root / NAME), UNIT_B)[0][0]
        await b.set_input_files(
            f"#minh-chung input[name=tieu_chi][value={key}] ~ input[type=file]",
            {"name": "qd.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"},
        )
        await b.click(f"#minh-chung input[value={key}] ~ button")
        assert "qd.pdf: đã nhận" in await b.inner_text("#minh-chung")
        (evidence,) = Store(root / NAME).uploads(UNIT_B, "evidence")
        (form_b,) = Store(root / NAME).uploads(UNIT_B, "form")
        for target in (f"/tep/{evidence.id}", f"/tep/{form_b.id}"):
            response = await a.request.get(links[UNIT_A] + target)
            assert response.status == 404
        for clerk_path in (
            "/",
            f"/dot/{NAME}",
            f"/dot/{NAME}/don-vi",
            f"/dot/{NAME}/tai/ket-qua.json",
        ):
            response = await a.request.get(url + clerk_path)
            assert response.status == 403
        assert UNIT_B not in await a.content() and "qd.pdf" not in await a.content()

        # the clerk revokes B's link and closes the deadline for everyone else
        await clerk.goto(f"{url}/dot/{NAME}/don-vi")
        row = clerk.locator("tr", has_text=UNIT_B)
        await row.locator('button:has-text("Thu hồi")').click()
        await b.reload()
        assert "đã bị thu hồi" in await b.content()
        await clerk.fill(
            "input[name=han]", (portal.today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
        )
        await clerk.click('button:has-text("Đặt hạn nộp")')
        await a.reload()
        assert "Đã hết hạn nộp" in await a.inner_text("main")
        assert await a.locator("#nop form").count() == 0

        # the clerk sees both histories
        page = await clerk.content()
        row_a = await clerk.locator("tr", has_text=UNIT_A).inner_text()
        row_b = await clerk.locator("tr", has_text=UNIT_B).inner_text()
        assert row_a.count("Cần sửa") == 1 and row_a.count("Đạt") == 2  # two uploads + status
        assert "Đạt" in row_b and "đã thu hồi" in row_b
        assert "Nhắc các đơn vị chưa Đạt (36)" in page
        await clerk.screenshot(path=str(SHOTS / "don-vi-can-bo.png"), full_page=True)
        await browser.close()
