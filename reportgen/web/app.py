"""The clerk's desk: a small server-rendered Starlette application over the library API.

Pages are Jinja2 templates (autoescaped) in `templates/`, assets in `static/`; long work
(checking, building, the PDF) runs as background jobs the page follows."""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from reportgen import api
from reportgen.web import workspace as ws
from reportgen.web.chart import ranking_svg
from reportgen.web.desk import Desk
from reportgen.web.http import Refusal as _Refusal
from reportgen.web.http import attachment as _attachment
from reportgen.web.http import read_form as _form
from reportgen.web.jobs import Busy, Job, JobFailed, Jobs
from reportgen.web.security import Guard, Limits, size_text

log = logging.getLogger("reportgen.web")
STATIC = Path(__file__).parent / "static"
LEVELS = {"loi": api.Severity.ERROR, "canh-bao": api.Severity.WARNING}
STATUS_CLASS = {  # the badge's CSS class of each unit status, in the order counted
    api.UnitStatus.OK: "ok",
    api.UnitStatus.NEEDS_FIX: "fix",
    api.UnitStatus.NAME_DIFFERS: "name",
    api.UnitStatus.MISSING: "missing",
    api.UnitStatus.NOT_ASSESSED: "missing",
}


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
    from reportgen.web import unit_pages
    from reportgen.web.security import new_token

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
        Route("/", handler(index)),
        Route("/tao-moi", handler(create), methods=["POST"]),
        Route("/dot/{name}", handler(assessment_page)),
        Route("/dot/{name}/bieu-mau.zip", handler(forms_zip)),
        Route("/dot/{name}/nop", handler(upload), methods=["POST"]),
        Route("/dot/{name}/tao", handler(start_build), methods=["POST"]),
        Route("/dot/{name}/thong-bao", handler(notices), methods=["POST"]),
        Route("/dot/{name}/tien-do", handler(progress)),
        Route("/dot/{name}/tai/{file}", handler(download)),
        Route("/dot/{name}/tat-ca.zip", handler(download_all)),
        Route("/dot/{name}/kiem-tra-phu-luc", handler(audit), methods=["POST"]),
        *unit_pages.routes(handler),
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


# --- Pages ------------------------------------------------------------------------------------


async def index(desk: Desk, request: Request, form: ws.NewAssessment | None = None, status=200):
    rows = []
    for name in desk.workspace.assessments():
        try:
            loaded = api.load(desk.workspace.folder(name))
            rows.append(
                {
                    "name": name,
                    "title": loaded.title,
                    "year": loaded.year,
                    "units": sum(len(g.units) for g in loaded.groups),
                    "error": None,
                }
            )
        except api.ConfigError as exc:
            rows.append({"name": name, "error": exc.problems})
    sources = [r["name"] for r in rows if not r["error"]]
    if form is None:
        asked = request.query_params.get("tu", "")
        source = asked if asked in sources else (sources[-1] if sources else "")
        year = next((r["year"] + 1 for r in rows if r["name"] == source), "")
        form = ws.NewAssessment(source, _next_folder(source, year), str(year))
        form.proposal = ws.proposal_of(desk.workspace, source) if source else ""
    return desk.page(
        "index.html", status, assessments=rows, sources=sources, form=form, root=desk.workspace.root
    )


def _next_folder(source: str, year) -> str:
    if source[-4:].isdigit() and year:
        return f"{source[:-4]}{year}"
    return f"{source}-{year}" if source else ""


async def create(desk: Desk, request: Request):
    form_data = await _form(desk, request)
    form = ws.NewAssessment(
        **{
            k: str(form_data.get(k, ""))
            for k in ("source", "folder", "year", "number", "date", "proposal", "signer")
        }
    )
    text = await run_in_threadpool(ws.draft, desk.workspace, form)
    if text is None:
        return await index(desk, request, form, status=422)
    ws.create(desk.workspace, form, text)
    return RedirectResponse(f"/dot/{form.folder}?moi=1", status_code=303)


async def assessment_page(desk: Desk, request: Request, uploaded=None, audited=None, status=200):
    name = _name(desk, request)
    uploaded = uploaded or desk.notes.get(request.query_params.get("tai_len", ""))
    audited = audited or desk.notes.get(request.query_params.get("kiem_tra", ""))
    folder = desk.workspace.folder(name)
    try:
        loaded = api.load(folder)
    except api.ConfigError as exc:
        return desk.page("dot.html", status, name=name, config_error=exc.problems)
    check = _check_job(desk, name)
    await run_in_threadpool(check.finished.wait, 1.0)  # small folders: no progress bar at all
    build = desk.jobs.latest(name, "build")
    unit_filter = request.query_params.get("don_vi", "")
    level_filter = request.query_params.get("muc", "")
    context = {
        "name": name,
        "a": loaded,
        "check": check,
        "build": build,
        "running": desk.jobs.running(name),
        "outputs": _outputs(desk, name),
        "pdf_available": api.pdf_available(),
        "uploaded": uploaded,
        "audited": audited,
        "unit_filter": unit_filter,
        "level_filter": level_filter,
        "new": request.query_params.get("moi") == "1",
        "status_class": STATUS_CLASS,
        "provenance": ws.provenance(desk.workspace, name),
        "missing_reason": api.MISSING_REASON,
        "forms_count": len(api.units_to_send(loaded)),
        "forms_left_out": [u.name for g in loaded.groups for u in g.units if u.not_assessed],
    }
    if not check.running and check.result is not None:
        result = check.result  # a build's check serves while the build runs
        checked = result.checked if isinstance(result, api.Built) else result
        context.update(_status_view(checked, unit_filter, level_filter))
    if build and not build.running and build.result is not None:
        context.update(_build_view(build.result))
    return desk.page("dot.html", status, **context)


def _status_view(checked: api.Checked, unit_filter: str, level_filter: str) -> dict:
    findings = checked.findings.items
    units = checked.units()
    shown = [
        f
        for f in findings
        if (
            not unit_filter
            or (f.unit or "") == unit_filter
            or (unit_filter == "-" and f.unit is None)
        )
        and (level_filter not in LEVELS or f.severity is LEVELS[level_filter])
    ]
    counts = {}
    for u in units:
        counts[u.status] = counts.get(u.status, 0) + 1
    errors = checked.findings.errors
    left_out = []  # what a build with --allow-missing leaves out, when that is all that blocks
    if errors and all(f.code == "UNIT_MISSING" and f.unit for f in errors):
        left_out = [(f.unit, checked.assessment.group_of(f.unit).name) for f in errors]
    return {
        "left_out": left_out,
        "units": units,
        "findings": shown,
        "all_findings": len(findings),
        "counts": counts,
        "checked": checked,
    }


def _build_view(built: api.Built) -> dict:
    if not built.ok:
        return {"blocking": built.blocking}
    assessment = built.checked.assessment
    charts = [ranking_svg(r, assessment) for r in built.results]
    return {
        "annex": list(zip(built.annex, charts, built.results)),
        "built_without": [unit for r in built.results for unit in r.missing],
    }


# --- Check and build jobs ---------------------------------------------------------------------


def _check_job(desk: Desk, name: str) -> Job:
    """The check of `name`'s current files: the last one when nothing changed since, else a
    new one started now (or the running job, whatever it is)."""
    signature = ws.signature(desk.workspace, name)
    latest = desk.jobs.latest(name, "check")
    if latest and (latest.running or getattr(latest, "signature", None) == signature):
        return latest
    running = desk.jobs.running(name)
    if running:
        return latest or running

    def work(job: Job):
        job.phase = "Đang đọc biểu chấm điểm"
        try:
            return api.check(desk.workspace.folder(name), None, job.progress)
        except api.ConfigError as exc:
            raise JobFailed("Lỗi cấu hình: " + "; ".join(exc.problems)) from None

    try:
        job = desk.jobs.start(name, "check", work)
    except Busy as busy:
        return busy.job
    job.signature = signature
    return job


def _build_work(desk: Desk, name: str, allow_missing: bool = False):
    """`api.build` as `reportgen build FOLDER --pdf` does it when LibreOffice is there (the
    same .docx bytes either way); a PDF that fails leaves the build without one.
    `allow_missing`: as `--allow-missing`, the units that sent nothing left out."""

    def work(job: Job) -> api.Built:
        folder, out = desk.workspace.folder(name), desk.workspace.out(name)
        with_pdf = api.pdf_available()

        def progress(done: int, total: int) -> None:
            job.progress(done, total)
            if done == total:
                job.phase = "Đang soạn văn bản" + (" và PDF (LibreOffice)" if with_pdf else "")

        def waiting() -> None:
            job.phase = (
                "Đã soạn xong, đang chờ: một lần tạo văn bản khác (ở cửa sổ khác hoặc dòng "
                "lệnh) đang ghi vào thư mục kết quả"
            )

        job.phase = "Đang đọc biểu chấm điểm"
        try:
            options = {"progress": progress, "allow_missing": allow_missing, "waiting": waiting}
            try:
                return api.build(folder, None, out, pdf=with_pdf, **options)
            except api.PdfError as exc:
                job.note = f"Không tạo được PDF: {exc}"
                return api.build(folder, None, out, **options)
        except api.ConfigError as exc:
            raise JobFailed("Chưa tạo được: " + "; ".join(exc.problems)) from None
        except OSError as exc:  # the output folder: busy (another build), not writable, full
            raise JobFailed(f"Không ghi được kết quả vào {out}: {exc.strerror or exc}") from None

    return work


async def start_build(desk: Desk, request: Request):
    name = _name(desk, request)
    form = await _form(desk, request)
    allow_missing = form.get("bo_qua_chua_nop") == "1"
    if allow_missing and form.get("dong_y") != "1":
        message = "Hãy đánh dấu ô đồng ý bỏ qua các đơn vị chưa nộp rồi bấm lại."
        return desk.page("loi.html", 422, code=422, message=message, back=f"/dot/{name}")
    try:
        desk.jobs.start(name, "build", _build_work(desk, name, allow_missing))
    except Busy as busy:
        what = "tạo văn bản" if busy.job.kind == "build" else "kiểm tra"
        message = f"Đợt {name} đang {what}; hãy chờ xong rồi bấm lại."
        return desk.page("loi.html", 409, code=409, message=message, back=f"/dot/{name}")
    return RedirectResponse(f"/dot/{name}#tao-van-ban", status_code=303)


async def progress(desk: Desk, request: Request):
    name = _name(desk, request)
    job = desk.jobs.running(name)
    return JSONResponse(job.as_dict() if job else {"running": False})


# --- Files ------------------------------------------------------------------------------------


async def forms_zip(desk: Desk, request: Request):
    name = _name(desk, request)
    try:
        loaded = api.load(desk.workspace.folder(name))
    except api.ConfigError as exc:
        return desk.page("loi.html", 422, code=422, message="; ".join(exc.problems))
    inputs = ws.signature(desk.workspace, name, submissions=False)
    make = lambda: api.forms_zip(loaded)  # noqa: E731
    data = await run_in_threadpool(desk.cached, f"forms {name}", inputs, make)
    return _attachment(data, f"bieu-mau-{name}.zip", "application/zip")


async def notices(desk: Desk, request: Request):
    """`reportgen notices` for the page: the notices written beside the outputs (`thong-bao/`),
    their zip downloaded."""
    name = _name(desk, request)
    await _form(desk, request)
    out = desk.workspace.out(name) / "thong-bao"
    try:
        made = await run_in_threadpool(api.notices, desk.workspace.folder(name), None, out)
    except api.ConfigError as exc:
        return desk.page("loi.html", 422, code=422, message="; ".join(exc.problems))
    data = (out / made.zip_name).read_bytes()
    return _attachment(data, made.zip_name, "application/zip")


async def upload(desk: Desk, request: Request):
    name = _name(desk, request)
    limits = desk.limits
    temp = ws.upload_dir(desk.workspace, name)
    try:
        form = await _form(desk, request, max_files=limits.files)
        files = [f for f in form.getlist("tep") if hasattr(f, "filename") and f.filename]
        if not files:
            return await assessment_page(desk, request, uploaded={"none": True}, status=422)
        received: list[tuple[str, Path | None]] = []
        oversize = []
        for i, part in enumerate(files):
            safe = ws.safe_name(part.filename)
            if safe is None:
                received.append((part.filename, None))
                continue
            if part.size is not None and part.size > limits.file_bytes:
                oversize.append(part.filename)
                continue
            path = temp / str(i) / safe
            path.parent.mkdir()
            with path.open("wb") as out:
                while chunk := await part.read(1 << 20):
                    out.write(chunk)
            received.append((part.filename, path))
        stored = await run_in_threadpool(ws.store, desk.workspace, name, received)
    finally:
        ws.discard(temp)
    key = desk.note({"files": stored, "oversize": oversize})
    return RedirectResponse(f"/dot/{name}?tai_len={key}#nop-bieu", status_code=303)


async def download(desk: Desk, request: Request):
    name = _name(desk, request)
    file = request.path_params["file"]
    if file not in _outputs(desk, name):
        raise HTTPException(404)
    _not_while_building(desk, name)
    types = {
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pdf": "application/pdf",
        ".csv": "text/csv; charset=utf-8",
        ".json": "application/json",
        ".md": "text/markdown; charset=utf-8",
        ".png": "image/png",
    }
    data = (desk.workspace.out(name) / file).read_bytes()
    shown = ws.download_name(file, name, _year(desk, name))
    return _attachment(data, shown, types[Path(file).suffix])


async def download_all(desk: Desk, request: Request):
    name = _name(desk, request)
    files = _outputs(desk, name)
    if not files:
        raise HTTPException(404)
    _not_while_building(desk, name)
    data = await run_in_threadpool(api.zip_files, desk.workspace.out(name), files)
    shown = ws.download_name("ket-qua.zip", name, _year(desk, name))
    return _attachment(data, shown, "application/zip")


def _outputs(desk: Desk, name: str) -> list[str]:
    """`ws.outputs`, never a mixed set: a replacement a killed build left half done is rolled
    back first; while another writer holds the folder, a refusal that says so."""
    try:
        return ws.outputs(desk.workspace, name)
    except api.OutputBusy:
        raise _Refusal(
            409,
            "Một lần tạo văn bản khác (ở cửa sổ khác hoặc dòng lệnh) đang ghi vào thư mục kết "
            "quả: hãy chờ một lát rồi tải lại trang.",
        ) from None


def _not_while_building(desk: Desk, name: str) -> None:
    """The last set is not handed out as current while a new one is being made."""
    running = desk.jobs.running(name)
    if running and running.kind == "build":
        message = "Đang tạo lại văn bản: chờ xong rồi tải bản mới ở bước 4."
        raise _Refusal(409, message)


def _year(desk: Desk, name: str) -> int:
    try:
        return api.load(desk.workspace.folder(name)).year
    except api.ConfigError as exc:
        raise _Refusal(422, "Tệp cấu hình có lỗi: " + "; ".join(exc.problems)) from None


async def audit(desk: Desk, request: Request):
    name = _name(desk, request)
    temp = ws.upload_dir(desk.workspace, name)
    try:
        form = await _form(desk, request, max_files=1)
        part = form.get("phu_luc")
        if not getattr(part, "filename", None):
            return await assessment_page(desk, request, audited={"none": True}, status=422)
        safe = ws.safe_name(part.filename, any_suffix=True) or "phu-luc"
        path = temp / safe
        path.write_bytes(await part.read())
        try:
            report = await run_in_threadpool(api.audit, desk.workspace.folder(name), path)
        except api.ConfigError as exc:
            return desk.page("loi.html", 422, code=422, message="; ".join(exc.problems))
    finally:
        ws.discard(temp)
    key = desk.note({"report": report, "file": part.filename})
    return RedirectResponse(f"/dot/{name}?kiem_tra={key}#kiem-tra-phu-luc", status_code=303)


# --- Helpers ----------------------------------------------------------------------------------


def _name(desk: Desk, request: Request) -> str:
    name = request.path_params["name"]
    if name not in desk.workspace.assessments():
        raise HTTPException(404)
    return name
