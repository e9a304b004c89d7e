"""The sample reverse-proxy configuration of docs/deploy/nginx-reportgen.conf, run as written
(only the names, ports and certificate paths replaced) in front of `reportgen serve
--public-url … --trusted-proxy 127.0.0.1`, over HTTPS with a self-signed certificate: the
clerk's cookie comes back Secure, a unit's link works through it, the forwarded scheme is
believed, and a client's own X-Forwarded-For cannot dodge the wrong-link limit."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time

import httpx2 as httpx
import pytest

from reportgen.web.app import create_app
from tests.conftest import ROOT
from tests.web_helpers import NAME, workspace

CONF = ROOT / "docs" / "deploy" / "nginx-reportgen.conf"
TOKEN = "clerk-" + "p" * 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nginx():
    path = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )
    if path is None or shutil.which("openssl") is None:
        if os.environ.get("REPORTGEN_REQUIRE_NGINX"):
            pytest.fail(
                "nginx or openssl missing although CI requires them (.ci/run installs them)"
            )
        pytest.skip("nginx not installed")
    return path


def test_the_documented_nginx_config_serves_units_over_https(tmp_path, nginx):
    import uvicorn

    root = workspace(tmp_path)
    app_port, https_port, http_port = free_port(), free_port(), free_port()
    public = f"https://127.0.0.1:{https_port}"
    app = create_app(
        root, token=TOKEN, loopback=False, public_url=public, trusted_proxy="127.0.0.1"
    )
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=app_port, log_level="warning", proxy_headers=False
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()

    conf = tmp_path / "nginx"
    conf.mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(conf / "key.pem"),
            "-out",
            str(conf / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = CONF.read_text(encoding="utf-8")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    site = site.replace("danhgia.tinh.gov.vn", "127.0.0.1")
    site = site.replace("/etc/ssl/danhgia/fullchain.pem", str(conf / "cert.pem"))
    site = site.replace("/etc/ssl/danhgia/privkey.pem", str(conf / "key.pem"))
    site = site.replace("127.0.0.1:8765", f"127.0.0.1:{app_port}")
    user = "user root;\n" if os.geteuid() == 0 else ""
    (conf / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {conf}/nginx.pid;\n"
        f"error_log {conf}/error.log;\nevents {{}}\nhttp {{\n  access_log off;\n"
        + "".join(
            f"  {kind}_temp_path {conf}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + site
        + "\n}\n",
        encoding="utf-8",
    )
    proxy = subprocess.Popen([nginx, "-p", str(conf), "-c", str(conf / "nginx.conf")])
    try:
        deadline = time.monotonic() + 30
        while not server.started or not _listening(https_port):
            assert time.monotonic() < deadline, (conf / "error.log").read_text()
            assert proxy.poll() is None, (conf / "error.log").read_text()
            time.sleep(0.05)
        with httpx.Client(base_url=public, verify=False, timeout=60) as clerk:
            first = clerk.get(f"/?token={TOKEN}", follow_redirects=False)
            assert first.status_code == 303
            assert "Secure" in first.headers["set-cookie"]  # the https seen by the proxy
            assert "content-security-policy" in first.headers
            page = clerk.get(f"/dot/{NAME}/don-vi")
            assert page.status_code == 200
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            letters = clerk.post(
                f"/dot/{NAME}/don-vi/cap-duong-dan",
                data={"csrf": csrf, "don_vi": "Sở Y tế"},
                headers={"origin": public},
            )
            assert letters.status_code == 200
            link = re.search(re.escape(public) + r"(/u/[\w-]+)", letters.text).group(1)
        with httpx.Client(base_url=public, verify=False, timeout=60) as unit:
            assert unit.get(link).status_code == 200
            assert unit.get(f"/dot/{NAME}").status_code == 403  # the link opens nothing else
            for i in range(20):  # a guesser rotating its own X-Forwarded-For
                headers = {"x-forwarded-for": f"198.51.100.{i}"}
                assert unit.get(f"/u/{'z' * 30}{i}", headers=headers).status_code == 404
            assert (
                unit.get("/u/zzz", headers={"x-forwarded-for": "198.51.100.250"}).status_code == 429
            )
        plain = httpx.get(f"http://127.0.0.1:{http_port}/", follow_redirects=False, timeout=30)
        assert plain.status_code == 301 and plain.headers["location"].startswith("https://")
    finally:
        proxy.terminate()
        proxy.wait(10)
        server.should_exit = True
        thread.join(10)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False
