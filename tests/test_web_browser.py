"""The clerk's year in a real browser (Playwright driving the system chromium): create the
2020 assessment from the 2019 sample, download the forms, upload the 38 filled forms, see 38
"Đạt", upload a bad file and see its finding with the cell, fix it by drag and drop, build,
download the decision and compare its bytes with the CLI's. Screenshots of each page go to
out/web-screenshots/ for a reviewer (and docs/huong-dan.md uses them)."""

from __future__ import annotations

import base64
import io
import os
import shutil
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest

from reportgen import config
from reportgen.render.forms import form_bytes
from reportgen.web.app import create_app
from tests.conftest import ROOT
from tests.web_helpers import NAME, bad_form, filled_forms, workspace

SHOTS = ROOT / "out" / "web-screenshots"
NEW = "quang-nam-2020"


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("REPORTGEN_REQUIRE_BROWSER"):
            pytest.fail("chromium missing although CI requires it (.ci/run installs it)")
        pytest.skip("chromium not installed")
    return path


@pytest.fixture
def server(tmp_path):
    """The app over a workspace holding the 2019 sample, served by uvicorn on a free port."""
    import uvicorn

    root = workspace(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config_ = uvicorn.Config(create_app(root), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config_)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:  # a server that dies or hangs fails here, not never
        assert thread.is_alive(), "uvicorn stopped before it started serving"
        assert time.monotonic() < deadline, "uvicorn did not start within 30 s"
        time.sleep(0.05)
    yield root, f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)


def shot(page, name: str, part: str | None = None) -> None:
    """The whole page as `name.png`; with `part` (a selector), also that part alone as
    `name-phan.png`, the size docs/huong-dan.md shows (copied to docs/img/web-*.png)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    if part:
        page.locator(part).first.screenshot(path=str(SHOTS / f"{name}-phan.png"))


def drop(page, selector: str, name: str, data: bytes) -> None:
    """Drop a file onto `selector` as a clerk drags it from the file manager."""
    transfer = page.evaluate_handle(
        """([name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name));
            return transfer;
        }""",
        [name, base64.b64encode(data).decode()],
    )
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


def test_the_clerks_year_in_chromium(chromium, server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    root, base = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        context = browser.new_context(
            locale="vi-VN", accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(30_000)

        # The workspace, and a new year from 2019's: a wrong number is named beside its field.
        page.goto(base + "/")
        expect(page.locator("table.list")).to_contain_text(NAME)
        shot(page, "01-cac-dot-danh-gia", "main")
        page.fill("input[name=number]", "15a")
        page.fill("input[name=date]", "2021-01-08")
        page.fill(
            "input[name=proposal]",
            "Xét đề nghị của Giám đốc Sở Thông tin và Truyền "
            "thông tại Tờ trình số 300/TTr-STTTT ngày 28/12/2020,",
        )
        page.fill("input[name=signer]", "Nguyễn Văn A")
        page.get_by_role("button", name="Tạo đợt mới").click()
        number = page.locator("label.field.has-error", has=page.locator("input[name=number]"))
        expect(number).to_contain_text("Chỉ ghi phần số của quyết định")
        shot(page, "02-loi-ben-o-nhap", "#tao-moi")
        page.fill("input[name=number]", "15")
        page.get_by_role("button", name="Tạo đợt mới").click()
        expect(page.locator("h1")).to_contain_text("năm 2020")
        shot(page, "03-dot-moi")
        assert config.load(root / NEW).decision.number == 15

        # The forms to send out: one blank per unit.
        with page.expect_download() as download:
            page.click("text=Tải tất cả biểu mẫu")
        forms = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
        assessment = config.load(root / NEW)
        filled = filled_forms(root / NEW)
        assert sorted(forms.namelist()) == sorted(filled)
        unit = assessment.groups[0].units[0].name
        assert forms.read(f"{unit}.xlsx") == form_bytes(assessment, unit)

        # The 38 filled forms come back: 38 "Đạt".
        sent = tmp_path / "nhan-ve"
        sent.mkdir()
        for name, data in filled.items():
            (sent / name).write_bytes(data)
        page.set_input_files("input[name=tep]", sorted(sent.iterdir()))
        page.click("#nop-bieu button[type=submit]")
        expect(page.locator("p.counts")).to_contain_text("Đạt: 38", timeout=60_000)
        shot(page, "04-da-nhan-38-bieu")

        # A bad file: its finding names the file and the cell.
        name, data, cell = bad_form(root / NEW)
        (sent / name).write_bytes(data)
        page.set_input_files("input[name=tep]", [sent / name])
        page.click("#nop-bieu button[type=submit]")
        expect(page.locator("#ket-qua-tai-len")).to_contain_text("đã thay tệp nộp trước đó")
        expect(page.locator("p.counts")).to_contain_text("Cần sửa: 1")
        page.select_option("select[name=don_vi]", "Sở Y tế")
        page.get_by_role("button", name="Lọc").click()
        finding = page.locator("table.findings tr.error")
        expect(finding).to_have_count(1)
        expect(finding.locator("td.cell")).to_have_text(cell)
        expect(finding).to_contain_text(name)
        shot(page, "05-bieu-can-sua", "table.findings")

        # Fixed by dropping the corrected file onto the upload box.
        drop(page, "[data-drop]", name, filled[name])
        expect(page.locator("[data-chosen]").first).to_contain_text(name)
        page.click("#nop-bieu button[type=submit]")
        expect(page.locator("p.counts")).to_contain_text("Đạt: 38")

        # Build: progress, then the annex tables, charts and downloads.
        page.get_by_role("button", name="Tạo văn bản").click()
        expect(page.locator("table.annex-table")).to_have_count(2, timeout=180_000)
        expect(page.locator("figure svg.chart")).to_have_count(2)
        shot(page, "06-tao-van-ban", "div.annex")
        with page.expect_download() as download:
            page.click("a[href$='/tai/quyet-dinh.docx']")
        from_page = Path(download.value.path()).read_bytes()
        assert download.value.suggested_filename == f"quyet-dinh-{NEW}.docx"
        expect(page.locator("#lan-tao")).to_contain_text("từ 38 tệp nộp")

        # A corrected form arrives after the build: the outputs are marked out of date.
        drop(page, "[data-drop]", name, filled[name])
        page.click("#nop-bieu button[type=submit]")
        expect(page.locator("#van-ban-cu")).to_contain_text(
            f"Văn bản đã cũ: có tệp nộp mới ({name})"
        )
        expect(page.locator("#van-ban-cu")).to_contain_text("hãy tạo lại")
        shot(page, "08-van-ban-da-cu", "#tao-van-ban")

        # A unit never answers: build without it from the page, after saying yes.
        missing = assessment.groups[1].units[-1].name
        (root / NEW / "submissions" / f"{missing}.xlsx").unlink()
        page.goto(f"{base}/dot/{NEW}")
        offer = page.locator("#bo-qua-chua-nop")
        expect(offer).to_contain_text(missing)
        shot(page, "09-bo-qua-don-vi-chua-nop", "#tao-van-ban")
        offer.locator("input[name=dong_y]").check()
        offer.get_by_role("button").click()
        expect(page.locator("#da-bo-qua")).to_contain_text(missing, timeout=180_000)
        expect(page.locator("#van-ban-cu")).to_have_count(0)
        (root / NEW / "submissions" / f"{missing}.xlsx").write_bytes(filled[f"{missing}.xlsx"])

        # Audit of a published annex, by upload.
        page.set_input_files("input[name=phu_luc]", ROOT / "samples" / NAME / "tong-hop.xlsx")
        page.click("#kiem-tra-phu-luc button[type=submit]")
        expect(page.locator("#kiem-tra-phu-luc table.findings")).to_contain_text("AUDIT_ORDER")
        shot(page, "07-kiem-tra-phu-luc", "#kiem-tra-phu-luc")
        browser.close()

    from typer.testing import CliRunner

    from reportgen.cli import app

    result = CliRunner().invoke(app, ["build", str(root / NEW), "--out", str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    assert from_page == (tmp_path / "cli" / "quyet-dinh.docx").read_bytes()
