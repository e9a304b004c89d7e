"""The unit's own pages of the unit portal, behind its personal link (`/u/<token>`): its form
and status, uploads of its score sheet and evidence, its answer to the preliminary notice,
its letter and statement.

A unit's page is found by its token alone, shows that unit and nothing of any other, and is
the only thing a link opens: clerk pages stay behind the clerk's own access. Wrong tokens are
counted per client; past `GUESSES` in `GUESS_WINDOW` seconds the client gets 429 for the rest
of the window, and each refusal is logged."""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from reportgen import api
from reportgen.web import portal
from reportgen.web import workspace as ws
from reportgen.web.http import Refusal, attachment, read_form
from reportgen.web.portal import shown_day, shown_time
from reportgen.web.portal_store import FILE, Answer, Link, Store

if TYPE_CHECKING:
    from reportgen.web.desk import Desk

log = logging.getLogger("reportgen.web.portal")


# --- Finding the unit behind a link -----------------------------------------------------------


@dataclass
class Opened:
    """What a unit's link opens: its assessment (folder, portal store, config) and the link."""

    name: str  # the assessment folder's name
    folder: Path
    store: Store
    link: Link
    assessment: api.Assessment
    token: str


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _open(desk: Desk, request: Request) -> Opened:
    """The assessment and unit of the token in the path; 404 for any token that opens
    nothing (unknown, revoked, or of an assessment gone), 429 once a client guessed too often."""
    client = _client(request)
    if desk.portal.guesses.blocked(client):
        log.warning("portal: %s refused (too many wrong links)", client)
        raise Refusal(429, "Quá nhiều lần mở đường dẫn sai: hãy thử lại sau ít phút.")
    token = request.path_params["token"]
    if len(token) <= 64:
        for name in desk.workspace.assessments():
            folder = desk.workspace.folder(name)
            if not (folder / FILE).is_file():
                continue
            store = desk.portal.store(folder)
            link = store.link_of(token)
            if link is None:
                continue
            try:
                assessment = api.load(folder)
            except api.ConfigError:
                raise Refusal(
                    503, "Đợt đánh giá đang được sửa cấu hình: hãy thử lại sau."
                ) from None
            if link.unit in api.units_to_send(assessment):
                return Opened(name, folder, store, link, assessment, token)
    desk.portal.guesses.wrong(client)
    log.warning("portal: wrong link from %s", client)
    raise Refusal(404, "Đường dẫn không đúng hoặc đã bị thu hồi: hãy liên hệ đơn vị tổng hợp.")


def _form_token(desk: Desk, link: Link) -> str:
    """The form token of a unit's page: bound to its link, so no other page's token fits."""
    return hmac.new(desk.csrf.encode(), f"link:{link.id}".encode(), "sha256").hexdigest()


# --- The unit's pages -------------------------------------------------------------------------


async def unit_page(desk: Desk, request: Request, status: int = 200):
    o = _open(desk, request)
    unit = o.link.unit
    result = desk.notes.get(request.query_params.get("kq", ""))
    if not (isinstance(result, dict) and result.get("unit") == unit):
        result = None
    uploads = o.store.uploads(unit)
    evidence: dict[str, list] = {}
    for u in uploads:
        if u.kind == "evidence":
            evidence.setdefault(u.criterion, []).append(u)
    last = portal.deadline(o.assessment, o.store)
    out = desk.workspace.out(o.name)
    noticed = await run_in_threadpool(portal.notice_of, o.folder, out, unit)
    answered_at, answers = o.store.answers(unit)
    reply_by = o.assessment.verification.deadline
    context = {
        "token": o.token,
        "info": portal.unit_info(o.assessment, unit),
        "deadline": shown_day(last),
        "open": portal.is_open(o.assessment, o.store, unit, portal.today()),
        "reopened": shown_day(o.store.reopened().get(unit)),
        "forms": [(u, shown_time(u.at)) for u in uploads if u.kind == "form"][::-1],
        "criteria": portal.leaves(o.assessment, unit),
        "evidence": evidence,
        "result": result,
        "published": portal.published(out, unit),
        "statement": portal.statement(out, unit) is not None,
        "notice": noticed[0] if noticed else None,
        "opinions": api.OPINIONS,
        "answers": {a.criterion: a for a in answers},
        "answered_at": shown_time(answered_at) if answered_at else "",
        "reply_by": shown_day(reply_by),
        "reply_late": reply_by is not None and portal.today() > reply_by,
        "unit_csrf": _form_token(desk, o.link),
        "evidence_bytes": api.MAX_EVIDENCE_BYTES,
        "evidence_files": portal.EVIDENCE_PER_CRITERION,
    }
    return desk.page("don-vi.html", status, **context)


async def unit_form(desk: Desk, request: Request):
    o = _open(desk, request)
    filename, data = await run_in_threadpool(api.form, o.assessment, o.link.unit)
    return attachment(data, filename)


def _open_for_upload(desk: Desk, request: Request) -> Opened:
    """`_open`, and 403 past the deadline unless the clerk reopened the unit."""
    o = _open(desk, request)
    if not portal.is_open(o.assessment, o.store, o.link.unit, portal.today()):
        raise Refusal(403, "Đã hết hạn nộp: hãy liên hệ đơn vị tổng hợp để được mở lại.")
    return o


async def unit_upload(desk: Desk, request: Request):
    o = _open_for_upload(desk, request)
    unit = o.link.unit
    temp = ws.upload_dir(desk.workspace, o.name)
    try:
        form = await _unit_form(desk, request, o.link)
        part = form.get("tep")
        if not getattr(part, "filename", None):
            key = desk.note({"unit": unit, "refusal": "Chưa chọn tệp nào."})
            return RedirectResponse(f"/u/{o.token}?kq={key}#nop", status_code=303)
        path = await _receive(part, temp, desk.limits.file_bytes)
        if path is None:
            refusal = f"Tệp quá lớn: tối đa {desk.limits.file_bytes // (1024 * 1024)} MB."
            outcome = {"unit": unit, "refusal": refusal}
        else:
            got = await run_in_threadpool(
                portal.receive_form, o.folder, o.store, o.link, part.filename, path
            )
            outcome = {
                "unit": unit,
                "refusal": got.refusal,
                "ok": got.ok,
                "file": got.upload.file if got.upload else part.filename,
                "findings": got.findings,
            }
    finally:
        ws.discard(temp)
    key = desk.note(outcome)
    return RedirectResponse(f"/u/{o.token}?kq={key}#nop", status_code=303)


async def unit_evidence(desk: Desk, request: Request):
    o = _open_for_upload(desk, request)
    unit = o.link.unit
    temp = ws.upload_dir(desk.workspace, o.name)
    messages = []
    try:
        form = await _unit_form(desk, request, o.link, max_files=5)
        criterion = str(form.get("tieu_chi", ""))
        for part in form.getlist("tep"):
            if not getattr(part, "filename", None):
                continue
            path = await _receive(part, temp, api.MAX_EVIDENCE_BYTES)
            if path is None:
                messages.append(f"{part.filename}: quá lớn.")
                continue
            got, refusal = await run_in_threadpool(
                portal.receive_evidence, o.folder, o.store, o.link, criterion, part.filename, path
            )
            messages.append(f"{part.filename}: " + ("đã nhận." if got else refusal))
    finally:
        ws.discard(temp)
    key = desk.note({"unit": unit, "evidence": messages or ["Chưa chọn tệp nào."]})
    return RedirectResponse(f"/u/{o.token}?kq={key}#minh-chung", status_code=303)


async def unit_file(desk: Desk, request: Request):
    """One of the unit's own files (an earlier form, an evidence file); any other id is 404."""
    o = _open(desk, request)
    upload = o.store.upload(request.path_params["id"])
    if upload is None or upload.unit != o.link.unit:
        raise HTTPException(404)
    return attachment((o.folder / upload.stored).read_bytes(), upload.file)


async def unit_answer(desk: Desk, request: Request):
    """The unit's answer to its preliminary notice, given on its page: an opinion per changed
    indicator, an explanation, additional evidence as text and as files."""
    o = _open(desk, request)
    unit = o.link.unit
    noticed = await run_in_threadpool(portal.notice_of, o.folder, desk.workspace.out(o.name), unit)
    if noticed is None:
        raise HTTPException(404)
    notice = noticed[0]
    temp = ws.upload_dir(desk.workspace, o.name)
    try:
        form = await _unit_form(desk, request, o.link, max_files=20)
        answers, kept = {}, []
        for row in notice.rows:
            files = []
            for part in form.getlist(f"tep:{row.key}"):
                if not getattr(part, "filename", None):
                    continue
                path = await _receive(part, temp, api.MAX_EVIDENCE_BYTES)
                got, refusal = (
                    (None, "quá lớn.")
                    if path is None
                    else await run_in_threadpool(
                        portal.receive_evidence,
                        o.folder,
                        o.store,
                        o.link,
                        row.key,
                        part.filename,
                        path,
                    )
                )
                kept.append(f"{part.filename}: " + ("đã nhận." if got else refusal))
                files += [got.file] if got else []
            evidence = str(form.get(f"minh_chung:{row.key}", "")).strip()
            answers[row.key] = Answer(
                row.key,
                str(form.get(f"y_kien:{row.key}", "")),
                str(form.get(f"giai_trinh:{row.key}", "")),
                "; ".join(p for p in (evidence, *(f"tệp {f}" for f in files)) if p),
            )
        problems = portal.answer_problems(notice, answers)
        if not problems:
            await run_in_threadpool(
                portal.receive_answer, o.folder, o.store, o.link, notice, answers
            )
    finally:
        ws.discard(temp)
    outcome = {"unit": unit, "answer_problems": problems, "answer_files": kept}
    outcome["answer_taken"] = not problems
    return RedirectResponse(f"/u/{o.token}?kq={desk.note(outcome)}#giai-trinh", status_code=303)


async def unit_letter(desk: Desk, request: Request):
    """The unit's own preliminary notice (the letter the clerk sent)."""
    o = _open(desk, request)
    noticed = await run_in_threadpool(
        portal.notice_of, o.folder, desk.workspace.out(o.name), o.link.unit
    )
    if noticed is None:
        raise HTTPException(404)
    return attachment(noticed[1].read_bytes(), noticed[1].name)


async def unit_statement(desk: Desk, request: Request):
    """The unit's own per-unit statement of the last build."""
    o = _open(desk, request)
    path = portal.statement(desk.workspace.out(o.name), o.link.unit)
    if path is None:
        raise HTTPException(404)
    return attachment(path.read_bytes(), f"phieu-diem-{path.name}")


async def _unit_form(desk: Desk, request: Request, link: Link, max_files: int = 1):
    return await read_form(desk, request, max_files, _form_token(desk, link))


async def _receive(part, temp: Path, limit: int) -> Path | None:
    """The uploaded part written in full to a file under `temp`; None past `limit` bytes."""
    path = temp / "tep"
    written = 0
    with path.open("wb") as out:
        while chunk := await part.read(1 << 20):
            written += len(chunk)
            if written > limit:
                return None
            out.write(chunk)
    return path
