"""What keeps the page safe on a shared office network, checked before any page runs:

- the Host header names this machine when bound to loopback (no DNS rebinding);
- on another address, the access token printed at start: `?token=...` once, a cookie after;
- every POST comes from the page itself (Origin, else Referer) and carries the form token;
- a GET from another site (Sec-Fetch-Site, else Origin or Referer, when the browser sends
  them) is refused, except a link to the front page: a foreign page's `<img src=.../bieu-mau
  .zip>` must not make this machine work;
- a redirect goes to a path of this application only, never `//elsewhere`;
- a request body larger than the stated limit is refused while it streams in;
- a unit's own page (`/u/<token>`) needs no clerk token: its token is the access (checked by
  `unit_pages`), and it opens nothing else;
- behind the province's reverse proxy (`public_url`), only that address's host and scheme are
  accepted and the cookie is Secure;
- every response carries a Content-Security-Policy without inline script, no referrer to
  other sites (a unit's link is in its path), no framing, no content-type sniffing."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from reportgen import api

COOKIE = "reportgen_token"
OPEN_PATHS = ("/u/", "/static/")  # a unit's page (its token is its access) and its assets
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make browsers send Origin: null
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
]
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


@dataclass(frozen=True)
class Limits:
    """Upload limits, stated on the page."""

    files: int = 300  # files in one upload
    file_bytes: int = api.MAX_FILE_BYTES  # one file
    body_bytes: int = 200 * 1024 * 1024  # one request, all files together


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


class Refused(Exception):
    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message


ErrorPage = Callable[[int, str], bytes]


class Guard:
    """ASGI middleware enforcing the rules above; refusals are Vietnamese pages."""

    def __init__(
        self,
        app,
        *,
        token: str | None,
        loopback: bool,
        limits: Limits,
        page: ErrorPage,
        public_url: str | None = None,
    ):
        self.app = app
        self.token = token
        self.loopback = loopback
        self.limits = limits
        self.page = page
        self.public = urlsplit(public_url) if public_url else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        send = _with_headers(send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            host = self._check_host(headers)
            redirect = self._check_token(scope, headers)
            if redirect:
                return await self._send(
                    send,
                    303,
                    b"",
                    [
                        (b"location", redirect.encode("latin-1")),
                        (b"set-cookie", self._cookie().encode()),
                    ],
                )
            if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
                self._check_origin(scope, headers, host)
                self._check_length(headers)
            elif not scope["path"].startswith("/static/"):
                self._check_site(scope, headers, host)
        except Refused as refusal:
            return await self._send(
                send, refusal.status, self.page(refusal.status, refusal.message)
            )
        return await self.app(scope, self._counting(receive), send)

    def _cookie(self) -> str:
        secure = "; Secure" if self.public and self.public.scheme == "https" else ""
        return f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict{secure}"

    def _check_host(self, headers: dict[str, str]) -> str:
        host = headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if self.public is not None:
            if host.lower() != self.public.netloc.lower():
                raise Refused(421, "Địa chỉ này không phải địa chỉ của trang reportgen.")
            return host
        if self.loopback and not is_loopback(name):
            raise Refused(421, "Trang chỉ mở được trên chính máy này (địa chỉ 127.0.0.1).")
        return host

    def _check_token(self, scope, headers: dict[str, str]) -> str | None:
        """None when the request may go on; the URL to redirect to when it brought the token
        in its query (the token then moves into a cookie and out of the address bar)."""
        if self.token is None or scope["path"].startswith(OPEN_PATHS):
            return None
        cookie = SimpleCookie(headers.get("cookie", ""))
        if COOKIE in cookie and same(cookie[COOKIE].value, self.token):
            return None
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        given = dict(query).get("token")
        if same(given, self.token) and scope["method"] in ("GET", "HEAD"):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            return local_path(scope["path"]) + (f"?{rest}" if rest else "")
        raise Refused(
            403, "Cần mã truy cập: mở đúng đường dẫn có ?token=... mà reportgen serve đã in ra."
        )

    def _origin(self, headers: dict[str, str]) -> str | None:
        """Where the request says it comes from: Origin, else the Referer's origin."""
        origin = headers.get("origin")
        if origin is None and "referer" in headers:
            parts = urlsplit(headers["referer"])
            origin = f"{parts.scheme}://{parts.netloc}"
        return origin

    def _expected(self, scope, host: str) -> str:
        if self.public is not None:
            return f"{self.public.scheme}://{self.public.netloc}"
        return f"{scope.get('scheme', 'http')}://{host}"

    def _check_origin(self, scope, headers: dict[str, str], host: str) -> None:
        if self._origin(headers) != self._expected(scope, host):
            raise Refused(403, "Yêu cầu không đến từ trang reportgen này nên bị từ chối.")

    def _check_site(self, scope, headers: dict[str, str], host: str) -> None:
        """A GET or HEAD from another site is refused, but for a link followed to the front
        page or to a unit's own page (sent by mail). Browsers say where a request comes from
        in Sec-Fetch-Site ("none": typed or bookmarked); older ones in Origin or Referer. A
        request with none of them (a script, curl) goes on: the token, when set, guards it."""
        site = headers.get("sec-fetch-site")
        if site is not None:
            foreign = site not in ("same-origin", "none")
        else:
            origin = self._origin(headers)
            foreign = origin is not None and origin != self._expected(scope, host)
        path = scope["path"]
        link = headers.get("sec-fetch-dest", "document") == "document" and (
            path == "/" or path.startswith(OPEN_PATHS)
        )
        if foreign and not link:
            raise Refused(
                403,
                "Yêu cầu đến từ một trang web khác nên bị từ chối. Hãy mở reportgen từ địa "
                "chỉ mà reportgen serve đã in ra, rồi bấm các liên kết trên trang.",
            )

    def _check_length(self, headers: dict[str, str]) -> None:
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.limits.body_bytes:
            raise Refused(413, too_large(self.limits))

    def _counting(self, receive):
        seen = 0
        limit = self.limits.body_bytes

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        return counted

    @staticmethod
    async def _send(send, status: int, body: bytes, headers=()):
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), *headers],
            }
        )
        await send({"type": "http.response.body", "body": body})


def local_path(path: str) -> str:
    """`path` as a path of this application to redirect to: one leading slash (`//evil.example`
    and `/\\evil.example` would leave it), percent-encoded (a Location header is ASCII)."""
    return "/" + quote(path.lstrip("/\\"), safe="/-._~!$&'()*+,;=:@")


def _with_headers(send):
    """`send` with `SECURITY_HEADERS` added to the response's start."""

    async def sending(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
        await send(message)

    return sending


class BodyTooLarge(Exception):
    """The request body grew past the limit while streaming in."""


def size_text(n: int) -> str:
    """A byte count as a clerk reads it: 50 MB, 200 KB."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{max(n // 1024, 1)} KB"


def too_large(limits: Limits) -> str:
    return (
        f"Lần tải lên quá lớn: tối đa {size_text(limits.body_bytes)} mỗi lần, "
        f"{limits.files} tệp, mỗi tệp {size_text(limits.file_bytes)}. Hãy chia ra nhiều lần."
    )
