"""The front page: the workspace's assessments, and the form that starts a new year's from
last year's (`POST /tao-moi`)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse

from reportgen import api
from reportgen.web import workspace as ws
from reportgen.web.desk import Desk
from reportgen.web.http import read_form


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
    form_data = await read_form(desk, request)
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
