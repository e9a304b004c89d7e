"""`reportgen serve`: run the clerk's desk with uvicorn and open it in the browser."""

from __future__ import annotations

import os
import socket
import threading
import webbrowser
from pathlib import Path

from reportgen.web.security import is_loopback, new_token


class ServeError(Exception):
    """The server cannot start; the message is for a clerk."""


def missing_extras() -> list[str]:
    """The web dependencies (`pip install 'reportgen[web]'`) that are not installed."""
    import importlib.util

    modules = {"starlette": "starlette", "uvicorn": "uvicorn", "multipart": "python-multipart"}
    return [pkg for mod, pkg in modules.items() if importlib.util.find_spec(mod) is None]


def address(host: str, port: int, token: str | None) -> str:
    shown = socket.gethostname() if host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def public_problem(url: str) -> str | None:
    """Why `url` cannot be the public address (`--public-url`), or None."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.path not in ("", "/"):
        return (
            f"--public-url '{url}' không dùng được: ghi dạng https://danhgia.tinh.gov.vn "
            "(không có đường dẫn phía sau)."
        )
    return None


def port_free(host: str, port: int) -> bool:
    """Whether uvicorn can listen on `host`:`port`: bound the way it binds, with SO_REUSEADDR
    (outside Windows, where it means taking a port another program holds), so connections of
    a server just stopped (TIME_WAIT, ~60 s) do not make the port look busy."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            if os.name != "nt":
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError:
        return False
    return True


def serve(
    root: Path,
    host: str,
    port: int,
    open_browser: bool,
    say,
    *,
    public_url: str | None = None,
    trusted_proxy: str | None = None,
) -> None:
    """Serve the workspace `root` until interrupted; `say` prints a line for the clerk.
    `public_url`: the address units reach through the province's reverse proxy (the clerk's
    pages then need the access token whatever `host` is); `trusted_proxy`: the one address
    whose X-Forwarded-For and X-Forwarded-Proto are believed."""
    if missing := missing_extras():
        raise ServeError(
            "Thiếu phần chạy trang web (" + ", ".join(missing) + "): "
            "cài bằng  pip install 'reportgen[web]'"
        )
    import uvicorn

    from reportgen.web.app import create_app

    if not Path(root).is_dir():
        raise ServeError(f"Không có thư mục {root}.")
    if public_url and (problem := public_problem(public_url)):
        raise ServeError(problem)
    loopback = is_loopback(host) and not public_url
    token = None if loopback else new_token()
    if not port_free(host, port):  # say it plainly now rather than let uvicorn log it
        raise ServeError(
            f"Không mở được cổng {port} trên {host}: cổng đang bận hoặc địa chỉ "
            "không thuộc máy này. Hãy chọn --port khác."
        ) from None
    url = address(host, port, token)
    if public_url:
        url = public_url.rstrip("/") + f"/?token={token}"
    say(f"reportgen đang chạy tại {url}")
    if token:
        say(
            "Trang mở cho máy khác trong mạng: chỉ ai có đường dẫn kèm mã truy cập trên "
            "(in một lần này) mới vào được."
        )
    say("Đóng cửa sổ này hoặc bấm Ctrl+C để dừng.")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    app = create_app(
        Path(root).resolve(),
        token=token,
        loopback=loopback,
        public_url=public_url,
        trusted_proxy=trusted_proxy,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
