"""The page of one assessment (`/dot/<name>`): its units' status and findings, filtered by
unit and level, the last build's annex and charts; and the forms on it that send files — the
submissions (`/nop`) and a published annex to audit (`/kiem-tra-phu-luc`)."""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse

from reportgen import api
from reportgen.web import workspace as ws
from reportgen.web.chart import ranking_svg
from reportgen.web.desk import Desk
from reportgen.web.downloads import outputs
from reportgen.web.http import read_form
from reportgen.web.runs import check_job

LEVELS = {"loi": api.Severity.ERROR, "canh-bao": api.Severity.WARNING}
STATUS_CLASS = {  # the badge's CSS class of each unit status, in the order counted
    api.UnitStatus.OK: "ok",
    api.UnitStatus.NEEDS_FIX: "fix",
    api.UnitStatus.NAME_DIFFERS: "name",
    api.UnitStatus.MISSING: "missing",
    api.UnitStatus.NOT_ASSESSED: "missing",
}


async def assessment_page(desk: Desk, request: Request, uploaded=None, audited=None, status=200):
    name = desk.named(request)
    uploaded = uploaded or desk.notes.get(request.query_params.get("tai_len", ""))
    audited = audited or desk.notes.get(request.query_params.get("kiem_tra", ""))
    folder = desk.workspace.folder(name)
    try:
        loaded = api.load(folder)
    except api.ConfigError as exc:
        return desk.page("dot.html", status, name=name, config_error=exc.problems)
    check = check_job(desk, name)
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
        "outputs": outputs(desk, name),
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


async def upload(desk: Desk, request: Request):
    name = desk.named(request)
    limits = desk.limits
    temp = ws.upload_dir(desk.workspace, name)
    try:
        form = await read_form(desk, request, max_files=limits.files)
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


async def audit(desk: Desk, request: Request):
    name = desk.named(request)
    temp = ws.upload_dir(desk.workspace, name)
    try:
        form = await read_form(desk, request, max_files=1)
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
