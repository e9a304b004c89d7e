"""The check and the build as the page starts and follows them: background jobs, one at a
time per assessment (`POST /dot/<name>/tao`), their progress polled (`/tien-do`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse

from reportgen import api
from reportgen.web import workspace as ws
from reportgen.web.desk import Desk
from reportgen.web.http import read_form
from reportgen.web.jobs import Busy, Job, JobFailed


def check_job(desk: Desk, name: str) -> Job:
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
    name = desk.named(request)
    form = await read_form(desk, request)
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
    name = desk.named(request)
    job = desk.jobs.running(name)
    return JSONResponse(job.as_dict() if job else {"running": False})
