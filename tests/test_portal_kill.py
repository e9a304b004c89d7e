"""The portal's record survives a server killed with SIGKILL in the middle of a unit's upload:
after a restart the half-sent file is no submission and no log row, the earlier submission and
its history stand, and the unit's link still works."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx2 as httpx

from reportgen.web.portal_store import Store
from tests.web_helpers import NAME, filled_forms, workspace

SERVER = """
import sys, uvicorn
from pathlib import Path
from reportgen.web.app import create_app
uvicorn.run(create_app(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning")
"""
UNIT = "Sở Y tế"


def start(root, port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(root), str(port)])
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, "no server"
            time.sleep(0.1)


def test_a_kill_during_an_upload_leaves_the_previous_submission_and_log(tmp_path):
    root = workspace(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    form = filled_forms(root / NAME)[f"{UNIT}.xlsx"]
    server = start(root, port)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            page = client.get(f"/dot/{NAME}/don-vi")
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            letters = client.post(
                f"/dot/{NAME}/don-vi/cap-duong-dan",
                data={"csrf": csrf, "don_vi": UNIT},
                headers={"origin": base},
            ).text
            link = re.search(r"(/u/[\w-]+)", letters).group(1)
            token = re.search(r'name="csrf" value="([^"]+)"', client.get(link).text).group(1)
            first = client.post(
                link + "/nop",
                data={"csrf": token},
                files={"tep": ("a.xlsx", form)},
                headers={"origin": base},
            )
            assert first.status_code == 303
        submitted = (root / NAME / "submissions" / f"{UNIT}.xlsx").read_bytes()
        assert submitted == form

        # a second upload, cut off half-way by SIGKILL
        boundary = "xKILLx"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="tep"; '
            'filename="b.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        other = b"PK\x03\x04" + b"\x00" * 400_000
        body = head + other + f"\r\n--{boundary}--\r\n".encode()
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(
            (
                f"POST {link}/nop HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {base}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            + body[: len(body) // 2]
        )
        time.sleep(0.5)  # the server is reading the body into its temp file
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
        sock.close()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)

    # after the kill: the submission and the log are as before the cut upload
    assert (root / NAME / "submissions" / f"{UNIT}.xlsx").read_bytes() == submitted
    log = Store(root / NAME).uploads(UNIT, "form")
    assert [(u.file, u.status) for u in log] == [("a.xlsx", "ok")]
    assert len(list((root / NAME / "lich-su" / UNIT).iterdir())) == 1

    server = start(root, port)  # and the restarted server serves the same history
    try:
        page = httpx.get(base + link, timeout=60)
        assert page.status_code == 200
        assert page.text.count('class="status ok">Đạt') == 1 and "b.xlsx" not in page.text
    finally:
        server.terminate()
        server.wait(10)
