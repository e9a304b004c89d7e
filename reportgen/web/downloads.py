"""What the clerk downloads: the blank forms zipped, the notices written and zipped, each
output of the last build and all of them in one zip — never a set half written or being
replaced."""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from reportgen import api
from reportgen.web import workspace as ws
from reportgen.web.desk import Desk
from reportgen.web.http import Refusal, attachment, read_form


async def forms_zip(desk: Desk, request: Request):
    name = desk.named(request)
    try:
        loaded = api.load(desk.workspace.folder(name))
    except api.ConfigError as exc:
        return desk.page("loi.html", 422, code=422, message="; ".join(exc.problems))
    inputs = ws.signature(desk.workspace, name, submissions=False)
    make = lambda: api.forms_zip(loaded)  # noqa: E731
    data = await run_in_threadpool(desk.cached, f"forms {name}", inputs, make)
    return attachment(data, f"bieu-mau-{name}.zip", "application/zip")


async def notices(desk: Desk, request: Request):
    """`reportgen notices` for the page: the notices written beside the outputs (`thong-bao/`),
    their zip downloaded."""
    name = desk.named(request)
    await read_form(desk, request)
    out = desk.workspace.out(name) / "thong-bao"
    try:
        made = await run_in_threadpool(api.notices, desk.workspace.folder(name), None, out)
    except api.ConfigError as exc:
        return desk.page("loi.html", 422, code=422, message="; ".join(exc.problems))
    data = (out / made.zip_name).read_bytes()
    return attachment(data, made.zip_name, "application/zip")


async def download(desk: Desk, request: Request):
    name = desk.named(request)
    file = request.path_params["file"]
    if file not in outputs(desk, name):
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
    return attachment(data, shown, types[Path(file).suffix])


async def download_all(desk: Desk, request: Request):
    name = desk.named(request)
    files = outputs(desk, name)
    if not files:
        raise HTTPException(404)
    _not_while_building(desk, name)
    data = await run_in_threadpool(api.zip_files, desk.workspace.out(name), files)
    shown = ws.download_name("ket-qua.zip", name, _year(desk, name))
    return attachment(data, shown, "application/zip")


def outputs(desk: Desk, name: str) -> list[str]:
    """`ws.outputs`, never a mixed set: a replacement a killed build left half done is rolled
    back first; while another writer holds the folder, a refusal that says so."""
    try:
        return ws.outputs(desk.workspace, name)
    except api.OutputBusy:
        raise Refusal(
            409,
            "Một lần tạo văn bản khác (ở cửa sổ khác hoặc dòng lệnh) đang ghi vào thư mục kết "
            "quả: hãy chờ một lát rồi tải lại trang.",
        ) from None


def _not_while_building(desk: Desk, name: str) -> None:
    """The last set is not handed out as current while a new one is being made."""
    running = desk.jobs.running(name)
    if running and running.kind == "build":
        message = "Đang tạo lại văn bản: chờ xong rồi tải bản mới ở bước 4."
        raise Refusal(409, message)


def _year(desk: Desk, name: str) -> int:
    try:
        return api.load(desk.workspace.folder(name)).year
    except api.ConfigError as exc:
        raise Refusal(422, "Tệp cấu hình có lỗi: " + "; ".join(exc.problems)) from None
