"""The clerk's pages of the unit portal (`/dot/<name>/don-vi`): every unit's link and
submissions, the links issued as printable letters (the only time they are shown) or revoked,
the deadline set, a unit reopened, a unit's file, and one criterion's evidence across units
for the council. Behind the clerk's own access, as every page but a unit's link."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from reportgen import api
from reportgen.web import portal
from reportgen.web.http import Refusal, attachment, read_form
from reportgen.web.portal import shown_day, shown_time
from reportgen.web.portal_store import Store

if TYPE_CHECKING:
    from reportgen.web.desk import Desk


def _assessment(desk: Desk, request: Request) -> tuple[str, Path, api.Assessment, Store]:
    name = desk.named(request)
    folder = desk.workspace.folder(name)
    try:
        assessment = api.load(folder)
    except api.ConfigError as exc:
        raise Refusal(422, "; ".join(exc.problems)) from None
    return name, folder, assessment, desk.portal.store(folder)


async def clerk_page(desk: Desk, request: Request):
    name, folder, assessment, store = _assessment(desk, request)
    links = store.links()
    uploads = store.uploads()
    reopened = store.reopened()
    rows = []
    for group in assessment.groups:
        for unit in group.units:
            if unit.not_assessed:
                continue
            forms = [u for u in uploads if u.unit == unit.name and u.kind == "form"]
            link = links.get(unit.name)
            rows.append(
                {
                    "group": group.name,
                    "unit": unit.name,
                    "link": "chưa cấp"
                    if link is None
                    else ("đã thu hồi" if link.revoked else f"cấp lúc {shown_time(link.created)}"),
                    "live": link is not None and link.revoked is None,
                    "forms": [(u, shown_time(u.at)) for u in forms][::-1],
                    "status": forms[-1].status if forms else None,
                    "evidence": sum(u.unit == unit.name and u.kind == "evidence" for u in uploads),
                    "reopened": shown_day(reopened.get(unit.name)),
                }
            )
    criteria = {c.key: c.label for s in assessment.sets for c in s.leaves}
    return desk.page(
        "cong-don-vi.html",
        name=name,
        a=assessment,
        rows=rows,
        deadline=portal.deadline(assessment, store),
        pending=[r["unit"] for r in rows if r["status"] != "ok"],
        criteria=criteria,
        message=desk.notes.get(request.query_params.get("tb", "")),
    )


async def clerk_issue(desk: Desk, request: Request):
    """New links — for the units named in the form, else for every unit without a live link —
    answered with the printable letters (the only time the links are shown)."""
    name, folder, assessment, store = _assessment(desk, request)
    form = await read_form(desk, request)
    asked = [u for u in form.getlist("don_vi") if u in api.units_to_send(assessment)]
    if not asked:
        links = store.links()
        asked = [
            u
            for u in api.units_to_send(assessment)
            if u not in links or links[u].revoked is not None
        ]
    tokens = portal.issue_links(store, asked)
    base = desk.public_url or f"{request.url.scheme}://{request.url.netloc}"
    letters = []
    for unit, token in tokens.items():
        url = f"{base.rstrip('/')}/u/{token}"
        letters.append({"info": portal.unit_info(assessment, unit), "url": url, "qr": _qr(url)})
    response = desk.page(
        "thu-don-vi.html",
        name=name,
        a=assessment,
        letters=letters,
        deadline=shown_day(portal.deadline(assessment, store)),
    )
    response.headers["cache-control"] = "no-store"
    return response


def _qr(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=3, border=2)


async def clerk_revoke(desk: Desk, request: Request):
    name, folder, assessment, store = _assessment(desk, request)
    form = await read_form(desk, request)
    unit = str(form.get("don_vi", ""))
    if unit in api.units_to_send(assessment):
        store.revoke(unit)
        note = f"Đã thu hồi đường dẫn của {unit}."
    else:
        note = "Không có đơn vị này."
    return RedirectResponse(f"/dot/{name}/don-vi?tb={desk.note(note)}", status_code=303)


async def clerk_deadline(desk: Desk, request: Request):
    name, folder, assessment, store = _assessment(desk, request)
    form = await read_form(desk, request)
    text = str(form.get("han", ""))
    day = api.read_date(text)
    if text.strip() and day is None:
        note = f"Không hiểu ngày '{text}': hãy ghi dạng 15/01/2027."
    else:
        store.set("deadline", day.isoformat() if day else None)
        note = f"Hạn nộp: {shown_day(day)}." if day else "Đã bỏ hạn nộp đặt trên trang."
    return RedirectResponse(f"/dot/{name}/don-vi?tb={desk.note(note)}", status_code=303)


async def clerk_reopen(desk: Desk, request: Request):
    name, folder, assessment, store = _assessment(desk, request)
    form = await read_form(desk, request)
    unit, day = str(form.get("don_vi", "")), api.read_date(str(form.get("den", "")))
    if unit not in api.units_to_send(assessment) or day is None:
        note = "Hãy chọn đơn vị và ghi ngày mở đến, dạng 20/01/2027."
    else:
        store.reopen(unit, day)
        note = f"Đã mở lại cho {unit} đến hết ngày {shown_day(day)}."
    return RedirectResponse(f"/dot/{name}/don-vi?tb={desk.note(note)}", status_code=303)


async def clerk_file(desk: Desk, request: Request):
    name, folder, assessment, store = _assessment(desk, request)
    upload = store.upload(request.path_params["id"])
    if upload is None:
        raise HTTPException(404)
    return attachment((folder / upload.stored).read_bytes(), upload.file)


async def clerk_evidence(desk: Desk, request: Request):
    """The evidence of one criterion across every unit, side by side, for the council."""
    name, folder, assessment, store = _assessment(desk, request)
    criteria = {c.key: c.label for s in assessment.sets for c in s.leaves}
    key = request.query_params.get("tieu_chi", "")
    rows = []
    if key in criteria:
        by_unit: dict[str, list] = {}
        for u in store.uploads(kind="evidence", criterion=key):
            by_unit.setdefault(u.unit, []).append((u, shown_time(u.at)))
        rows = sorted(by_unit.items())
    return desk.page(
        "minh-chung.html", name=name, a=assessment, criteria=criteria, key=key, rows=rows
    )
