"""The clerk's desk: a small server-rendered Starlette application over the library API.

Pages are Jinja2 templates (autoescaped) in `templates/`, assets in `static/`; long work
(checking, building, the PDF) runs as background jobs the page follows. This module assembles
the application — every route in one table, the error pages, the guard in front; the pages
are in the modules of their areas: `home`, `assessment_page`, `runs`, `downloads`, and the
unit portal's `unit_pages` (the units) and `clerk_pages` (the clerk)."""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from reportgen import api
from reportgen.web import assessment_page as page
from reportgen.web import clerk_pages as clerk
from reportgen.web import downloads, home, runs
from reportgen.web import unit_pages as unit
from reportgen.web import workspace as ws
from reportgen.web.desk import Desk
from reportgen.web.jobs import Jobs
from reportgen.web.security import Guard, Limits, new_token, size_text

log = logging.getLogger("reportgen.web")
STATIC = Path(__file__).parent / "static"


def create_app(
    root: Path,
    *,
    token: str | None = None,
    loopback: bool = True,
    limits: Limits | None = None,
    public_url: str | None = None,
    trusted_proxy: str | None = None,
):
    """The ASGI application for the workspace `root`. `token`: required of every request
    but a unit's link (serve sets one when listening beyond loopback); `public_url`: the
    HTTPS address the province's reverse proxy serves (its host and scheme are the only ones
    accepted; cookies become Secure); `trusted_proxy`: the address whose X-Forwarded-For and
    -Proto are believed (the client address counts wrong links; nobody else's headers are)."""
    env = Environment(
        loader=PackageLoader("reportgen.web", "templates"),
        autoescape=select_autoescape(["html", "svg"], default=True),
    )
    env.filters["size"] = size_text
    env.filters["score"] = lambda value, decimals=6: api.format_number(value, decimals)
    env.filters["date_line"] = api.date_line
    env.filters["decision_number"] = lambda d: api.decision_number(d.number, d.symbol)
    env.filters["download_name"] = ws.download_name
    desk = Desk(ws.Workspace(Path(root)), Jobs(), new_token(), limits or Limits(), env)
    desk.public_url = public_url

    def handler(fn):
        async def endpoint(request: Request):
            return await fn(desk, request)

        return endpoint

    routes = [
        Route("/", handler(home.index)),
        Route("/tao-moi", handler(home.create), methods=["POST"]),
        Route("/dot/{name}", handler(page.assessment_page)),
        Route("/dot/{name}/bieu-mau.zip", handler(downloads.forms_zip)),
        Route("/dot/{name}/nop", handler(page.upload), methods=["POST"]),
        Route("/dot/{name}/tao", handler(runs.start_build), methods=["POST"]),
        Route("/dot/{name}/thong-bao", handler(downloads.notices), methods=["POST"]),
        Route("/dot/{name}/tien-do", handler(runs.progress)),
        Route("/dot/{name}/tai/{file}", handler(downloads.download)),
        Route("/dot/{name}/tat-ca.zip", handler(downloads.download_all)),
        Route("/dot/{name}/kiem-tra-phu-luc", handler(page.audit), methods=["POST"]),
        # the unit portal: a unit's own page behind its link, the clerk's pages that follow
        Route("/u/{token}", handler(unit.unit_page)),
        Route("/u/{token}/bieu-mau.xlsx", handler(unit.unit_form)),
        Route("/u/{token}/nop", handler(unit.unit_upload), methods=["POST"]),
        Route("/u/{token}/minh-chung", handler(unit.unit_evidence), methods=["POST"]),
        Route("/u/{token}/tep/{id:int}", handler(unit.unit_file)),
        Route("/u/{token}/giai-trinh", handler(unit.unit_answer), methods=["POST"]),
        Route("/u/{token}/thong-bao.docx", handler(unit.unit_letter)),
        Route("/u/{token}/phieu-diem.xlsx", handler(unit.unit_statement)),
        Route("/dot/{name}/don-vi", handler(clerk.clerk_page)),
        Route("/dot/{name}/don-vi/cap-duong-dan", handler(clerk.clerk_issue), methods=["POST"]),
        Route("/dot/{name}/don-vi/thu-hoi", handler(clerk.clerk_revoke), methods=["POST"]),
        Route("/dot/{name}/don-vi/han-nop", handler(clerk.clerk_deadline), methods=["POST"]),
        Route("/dot/{name}/don-vi/mo-lai", handler(clerk.clerk_reopen), methods=["POST"]),
        Route("/dot/{name}/don-vi/tep/{id:int}", handler(clerk.clerk_file)),
        Route("/dot/{name}/minh-chung", handler(clerk.clerk_evidence)),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]

    async def http_error(request: Request, exc: HTTPException):
        messages = {404: "Không có trang này.", 405: "Trang này không nhận yêu cầu kiểu đó."}
        message = getattr(exc, "message", None) or messages.get(
            exc.status_code, "Yêu cầu không hợp lệ."
        )
        return HTMLResponse(desk.error(exc.status_code, message), status_code=exc.status_code)

    async def server_error(request: Request, exc: Exception):
        log.exception("page %s failed", request.url.path)
        message = "Có lỗi ngoài dự kiến; chi tiết đã ghi ở cửa sổ chạy reportgen serve."
        return HTMLResponse(desk.error(500, message), status_code=500)

    app = Starlette(
        routes=routes, exception_handlers={HTTPException: http_error, Exception: server_error}
    )
    guarded = Guard(
        app,
        token=token,
        loopback=loopback,
        limits=desk.limits,
        page=desk.error,
        public_url=public_url,
    )
    if trusted_proxy is None:
        return guarded
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    return ProxyHeadersMiddleware(guarded, trusted_hosts=trusted_proxy)
