"""The preliminary notice as a Word letter: a công văn in the national layout (Nghị định
30/2020/NĐ-CP, Phụ lục I) from the docxtpl template `templates/thong-bao.docx` (editable in
Word like the decision's; checked by `templatecheck` with the notice's names), filled from
the config's `[verification]` and one `notices.Notice`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate

from reportgen.config import Assessment
from reportgen.core import atomic
from reportgen.core.numbers import format_number
from reportgen.core.vnformat import date_line
from reportgen.judge.notices import BLANK, Notice, deadline_text
from reportgen.render import wordml
from reportgen.render.docx import HEADER_LEFT_MM, balanced_lines, default_template
from reportgen.render.tables import NOT_APPLICABLE_TEXT

TEMPLATE = "thong-bao.docx"


def notice_template() -> Path:
    """The bundled notice template, beside the decision's."""
    return default_template().with_name(TEMPLATE)


def context(assessment: Assessment, notice: Notice) -> dict[str, object]:
    """Everything the notice template may use (`templatekinds.NOTICE`)."""
    v = assessment.verification
    name = v.issuer or assessment.issuer.name
    parent = v.parent if v.issuer else (v.parent or assessment.issuer.parent)
    decimals = assessment.scoring.decimals
    when = date_line(v.date) if v.date else f"ngày{BLANK}tháng{BLANK}năm{BLANK}"
    signer = v.signer or assessment.signer
    return {
        "year": notice.year,
        "title": assessment.title,
        "issuer": {
            "name": name,
            "parent": parent,
            "short": notice.issuer,
            "header": balanced_lines(name, HEADER_LEFT_MM - 2, 13, bold=True),
        },
        "number": notice.number,
        "place_date": f"{assessment.issuer.place}, {when}",
        "unit": notice.unit,
        "group": notice.group,
        "rows": [
            {
                "number": i,
                "label": r.label,
                "max": format_number(r.maximum, decimals),
                "self": NOT_APPLICABLE_TEXT
                if r.self_score is None
                else format_number(r.self_score, decimals),
                "verified": format_number(r.preliminary, decimals),
                "reason": r.reason,
            }
            for i, r in enumerate(notice.rows, 1)
        ],
        "count": len(notice.rows),
        "self_total": format_number(notice.self_total, decimals),
        "verified_total": format_number(notice.preliminary_total, decimals),
        "deadline": deadline_text(assessment),
        "signer": signer.model_dump(),
        "recipients": list(v.recipients),
    }


def render_notices(
    assessment: Assessment, notices: Sequence[Notice], template: Path | None = None
) -> list[bytes]:
    """Each notice's letter as .docx bytes (the same bytes for the same notice and config).
    The template is checked once, then every letter filled in one child process under the
    template limits (`bounded`), as the decision is: a clerk's template is data, not code."""
    from reportgen.core import bounded
    from reportgen.render import sandbox, templatecheck
    from reportgen.render.templatekinds import NOTICE

    path = Path(template) if template else notice_template()
    templatecheck.ensure_valid(path, NOTICE)
    seconds = sandbox.CPU_SECONDS * (-(-len(notices) // 100) or 1)  # per hundred letters
    try:
        return bounded.run(
            _render_all,
            assessment,
            list(notices),
            path,
            seconds=seconds,
            memory=sandbox.MEMORY_BYTES,
        )
    except bounded.Exhausted as exc:
        problem = sandbox.too_costly(exc.what, path.name, seconds)
        raise templatecheck.TemplateError(path, [str(problem)]) from None
    except RecursionError:
        problem = sandbox.too_costly("recursion", path.name, seconds)
        raise templatecheck.TemplateError(path, [str(problem)]) from None


def _render_all(assessment: Assessment, notices: list[Notice], path: Path) -> list[bytes]:
    return [_render(assessment, notice, path) for notice in notices]


def _render(assessment: Assessment, notice: Notice, path: Path) -> bytes:
    from reportgen.render import sandbox, templatecheck

    tpl = DocxTemplate(str(path))
    tpl.get_docx()
    try:
        tpl.render(context(assessment, notice), jinja_env=sandbox.environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise templatecheck.TemplateError(path, [f"lỗi khi điền mẫu: {exc}"]) from None
    props = tpl.docx.core_properties
    stamp = dt.datetime.combine(assessment.verification.date or assessment.stamp, dt.time())
    props.author = "reportgen"
    props.created = props.modified = stamp
    props.title = f"Thông báo kết quả thẩm định sơ bộ: {notice.unit}"
    wordml.set_core(props._element, "lastModifiedBy", "reportgen")
    wordml.set_core(props._element, "revision", "1")
    wordml.set_compatibility_mode(tpl.docx.settings.element)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return atomic.stable_zip(buffer.getvalue())
