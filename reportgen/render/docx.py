"""The decision .docx: a docxtpl template (autoescape, StrictUndefined, sandboxed) filled
from the config; the annex tables (`annex`) are placed where `{{p annex_tables }}` was, after
docxtpl has rendered the narrative. Raw WordprocessingML stays in this module, `annex` and
`wordml` (what Word is strict about)."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path

import jinja2
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from docxtpl import DocxTemplate
from markupsafe import Markup

from reportgen.config import Assessment
from reportgen.core import atomic
from reportgen.core.vnformat import date_line, document_number, short_date
from reportgen.render import annex, wordml
from reportgen.render.tables import AnnexTable

CELL_PAD_MM = 1.0  # left and right padding inside annex cells
CRITERIA_SHARE = 0.64  # of the width left after number, total and grade
MIN_CRITERION_MM, MAX_CRITERION_MM = 12.0, 24.0
MIN_NAME_MM = 30.0
WRAP_MM = 24.0  # a "Sáp nhập từ …" change wraps in a column this wide (or its longest word)
MIN_CHANGE_MM = 15.0  # the change column: its heading in a few lines, not a word per line
ONE_LINE = 1.08  # a grade of several words: its estimated width and the estimate's error
HEADER_LEFT_MM = 68.0  # the issuer's column in templates/quyet-dinh.docx
DRAFT_GAP = "\u00a0" * 6  # where a draft leaves the number or date blank (no-break spaces)

# Approximate Times New Roman advance widths in em, by base letter (diacritics removed).
_NARROW = set("ijlI.,;:'|!")
_HALF = set("frt()-/[]J")
_WIDE = set("mwMW")
_SHAPES = set("▲▼")  # the year-over-year marks: nearly an em


def text_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """An estimate of the printed width of `text` in Times New Roman (within ~5%)."""
    em = 0.0
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            continue
        if ch == " ":
            em += 0.25
        elif ch in _NARROW:
            em += 0.28
        elif ch in _HALF:
            em += 0.36
        elif ch in _SHAPES:
            em += 0.99
        elif ch in _WIDE:
            em += 0.9 if ch.isupper() else 0.75
        elif ch.isupper():
            em += 0.74 if bold else 0.69
        elif ch.isdigit():
            em += 0.5
        else:
            em += 0.5 if bold else 0.46
    return em * size_pt * 25.4 / 72


def balanced_lines(text: str, width_mm: float, size_pt: float, bold: bool = False) -> str:
    """`text` broken at spaces into the fewest lines that fit `width_mm`, as even as
    possible (`ỦY BAN NHÂN DÂN` / `TỈNH QUẢNG NAM`, not `... QUẢNG` / `NAM`), joined by
    newlines (docxtpl turns them into line breaks). A word wider than the column widens it to
    that word. Of equally even splits, the earliest cuts win.

    Never tries every split: the fewest lines come from filling greedily; the most even
    split from a binary search over the widths of the lines that fit, each tried by
    greedy filling — about words × words-per-line × log(words) steps."""
    words = text.split(" ")
    if text_mm(text, size_pt, bold) <= width_mm or len(words) < 2:
        return text
    n = len(words)
    width_mm = max(width_mm, *(text_mm(word, size_pt, bold) for word in words))
    fits: list[list[float]] = []  # fits[i][k]: the width of words[i : i + k + 1], while it fits
    for i in range(n):
        row: list[float] = []
        for j in range(i + 1, n + 1):
            width = text_mm(" ".join(words[i:j]), size_pt, bold)
            if width > width_mm:
                break
            row.append(width)
        fits.append(row)
    count = _fewest_lines(fits, width_mm)[0]
    widths = sorted({w for row in fits for w in row})
    low, high = 0, len(widths) - 1  # the narrowest bound that still takes `count` lines
    while low < high:
        middle = (low + high) // 2
        if _fewest_lines(fits, widths[middle])[0] <= count:
            high = middle
        else:
            low = middle + 1
    bound = widths[low]
    fewest = _fewest_lines(fits, bound)
    lines, i = [], 0
    for left in range(count, 0, -1):  # the earliest cut from which the rest still fits
        j = next(
            i + k + 1
            for k, w in enumerate(fits[i])
            if w <= bound and fewest[i + k + 1] <= left - 1 <= n - (i + k + 1)
        )
        lines.append(" ".join(words[i:j]))
        i = j
    return "\n".join(lines)


def _fewest_lines(fits: list[list[float]], bound: float) -> list[int]:
    """For each first word i (and n, the end): the fewest lines no wider than `bound` that
    hold words[i:] (greedy filling is optimal); len(fits) + 1 where a word is wider."""
    n = len(fits)
    fewest = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        take = sum(1 for w in fits[i] if w <= bound)  # widths grow along a row
        fewest[i] = 1 + fewest[i + take] if take else n + 1
    return fewest


def default_template(name: str = "quyet-dinh.docx") -> Path:
    """A bundled template (the decision, or `cong-van.docx`, the correction letter):
    `templates/` in a checkout, `reportgen/_templates` in a wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_templates", here.parent / "templates"):
        if (candidate / name).is_file():
            return candidate / name
    raise FileNotFoundError(f"templates/{name}")


def context(assessment: Assessment, attached_to: str = "Quyết định") -> dict[str, object]:
    """Everything the template may use, apart from `annex_tables`. `attached_to`: what the
    annex is attached to ("Công văn" for a correction letter)."""
    d = assessment.decision
    # a draft (the correction of a published annex) leaves number and date to the văn thư
    number = document_number(d.number, d.symbol) if d.number else f"{DRAFT_GAP}/{d.symbol}"
    day = date_line(d.date) if d.date else f"ngày{DRAFT_GAP}tháng{DRAFT_GAP}năm{DRAFT_GAP}"
    issuer = assessment.issuer.model_dump()
    issuer["header"] = balanced_lines(assessment.issuer.name, HEADER_LEFT_MM - 2, 13, bold=True)
    return {
        "year": assessment.year,
        "issuer": issuer,
        "number": number,
        "place_date": f"{assessment.issuer.place}, {day}",
        "decision": d.model_dump(),
        "signer": assessment.signer.model_dump(),
        "annex": {
            "title": assessment.annex.title,
            "reference": f"({'Ban hành kèm' if attached_to == 'Quyết định' else 'Kèm'} theo "
            f"{attached_to} số {number} ngày "
            f"{short_date(d.date) if d.date else DRAFT_GAP} của {assessment.issuer.short})",
        },
    }


def render_decision(
    assessment: Assessment,
    tables: list[AnnexTable],
    template: Path | None = None,
    charts: Sequence[Sequence[tuple[str, bytes]]] = (),
    attached_to: str = "Quyết định",
) -> bytes:
    """The decision. `charts`: per table, the PNGs (file name and bytes) placed under it, each
    fit to the annex page; an empty list (or none given) for no chart. The template is checked
    first, then filled in a child process under the template limits (`bounded`)."""
    from reportgen.core import bounded
    from reportgen.render import sandbox, templatecheck

    path = Path(template) if template else default_template()
    templatecheck.ensure_valid(path)  # a TemplateError names every problem before rendering
    try:
        return bounded.run(
            _render_decision,
            assessment,
            tables,
            path,
            charts,
            attached_to,
            seconds=sandbox.CPU_SECONDS,
            memory=sandbox.MEMORY_BYTES,
        )
    except bounded.Exhausted as exc:
        problem = sandbox.too_costly(exc.what, path.name, sandbox.CPU_SECONDS)
        raise templatecheck.TemplateError(path, [str(problem)]) from None
    except RecursionError:
        problem = sandbox.too_costly("recursion", path.name, sandbox.CPU_SECONDS)
        raise templatecheck.TemplateError(path, [str(problem)]) from None


def _render_decision(
    assessment: Assessment,
    tables: list[AnnexTable],
    path: Path,
    charts: Sequence[Sequence[tuple[str, bytes]]],
    attached_to: str = "Quyết định",
) -> bytes:
    from reportgen.render import sandbox, templatecheck

    tpl = DocxTemplate(str(path))
    document = tpl.get_docx()
    wordml.put_in_order(document.element.body)  # the template's own order, cheaply: no annex yet
    annex.add_styles(document.styles.element, charts=any(charts))
    section = document.sections[-1]
    if assessment.annex.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        if section.page_width < section.page_height:
            section.page_width, section.page_height = section.page_height, section.page_width
    usable_mm = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    page_text = (  # EMU: the width and height between the margins
        section.page_width - section.left_margin - section.right_margin,
        section.page_height - section.top_margin - section.bottom_margin,
    )
    values = context(assessment, attached_to) | {"annex_tables": Markup(annex.MARK_XML)}
    try:
        tpl.render(values, jinja_env=sandbox.environment(), autoescape=True)
    except jinja2.TemplateError as exc:  # what the check cannot see before rendering
        raise templatecheck.TemplateError(path, [f"lỗi khi điền mẫu: {exc}"]) from None
    wordml.keep_with_signature(tpl.docx.element.body)
    marked = annex.mark(tpl.docx.element.body)
    pictures: list[list[annex.Picture]] = [[] for _ in tables]
    if marked and any(charts):
        pictures = _pictures(tpl.docx, tables, charts, *page_text)
    props = tpl.docx.core_properties
    stamp = dt.datetime.combine(assessment.stamp, dt.time())
    props.author = "reportgen"
    props.created = props.modified = stamp
    props.title = assessment.decision.summary
    wordml.set_core(props._element, "lastModifiedBy", "reportgen")
    wordml.set_core(props._element, "revision", "1")
    wordml.set_compatibility_mode(tpl.docx.settings.element)
    buffer = io.BytesIO()
    tpl.save(buffer)
    if not marked:
        return atomic.stable_zip(buffer.getvalue())
    rotated = assessment.annex.criteria_headings == "rotated"
    xml = "".join(
        annex.table_xml(t, *column_widths(t, usable_mm, rotated), placed, _rotated_mm(t, rotated))
        for t, placed in zip(tables, pictures)
    )
    with zipfile.ZipFile(buffer) as saved:
        document = annex.splice(saved.read("word/document.xml"), xml)
    return atomic.stable_zip(buffer.getvalue(), {"word/document.xml": document})


CHART_ROOM = Mm(25)  # of the page's text height kept free around a chart (its spacing)


def _pictures(
    document,
    tables: list[AnnexTable],
    charts: Sequence[Sequence[tuple[str, bytes]]],
    width: int,
    height: int,
) -> list[list[annex.Picture]]:
    """Each table's charts added to the package as image parts (`word/media/imageN.png`,
    numbered in table order: the same charts give the same part names and relationship ids)
    and sized to the page's text `width` (EMU), or less where one would be taller than the
    text `height` less CHART_ROOM."""
    taken = [int(v) for v in document.element.body.xpath("//wp:docPr/@id") if str(v).isdigit()]
    shape_id = max(taken, default=0)
    out: list[list[annex.Picture]] = []
    for table, pngs in zip(tables, charts):
        placed = []
        for name, png in pngs:
            rid, image = document.part.get_or_add_image(io.BytesIO(png))
            scale = min(width / image.px_width, (height - CHART_ROOM) / image.px_height)
            shape_id += 1
            placed.append(
                annex.Picture(
                    rid,
                    round(image.px_width * scale),
                    round(image.px_height * scale),
                    shape_id,
                    name,
                    f"Biểu đồ: {table.heading}",
                )
            )
        out.append(placed)
    return out


def _wrapped_mm(text: str, size: float) -> float:
    """The width `text` needs: all of it up to WRAP_MM, else its longest word or WRAP_MM."""
    width = text_mm(text, size)
    if width <= WRAP_MM:
        return width
    return max([WRAP_MM] + [text_mm(word, size) for word in text.split()])


# A rotated heading takes up to ROTATED_LINES lines, each at least ROTATED_MIN_MM long
# (shorter headings stay on one line), the header row at most ROTATED_MAX_MM high.
ROTATED_LINES, ROTATED_MIN_MM, ROTATED_MAX_MM = 3, 20.0, 45.0


def _rotated_mm(table: AnnexTable, rotated: bool) -> float:
    """The header row's height for rotated criterion headings: the longest heading's line
    and the cell's padding; 0 when not rotated."""
    if not rotated:
        return 0.0
    longest = max(
        (
            text_mm(c.heading, annex.HEADER_PT, bold=True)
            for c in table.columns
            if c.kind == "criterion"
        ),
        default=0.0,
    )
    line = max(longest / ROTATED_LINES, min(longest, ROTATED_MIN_MM))
    return min(line * 1.1, ROTATED_MAX_MM) + 2 * CELL_PAD_MM + 2


def column_widths(
    table: AnnexTable, usable_mm: float, rotated: bool = False
) -> tuple[list[float], int]:
    """Column widths (mm) that fill the usable width exactly, and the font size.

    Criterion columns share what is left with the name column (the name column keeps at
    least MIN_NAME_MM, long names wrap); every other column is as wide as its longest text.
    With many criteria the font drops to 11 pt. The header row is 1 pt smaller. `rotated`:
    criterion headings read upwards, so they ask a column only a few lines' height."""
    kinds = [c.kind for c in table.columns]
    crit = [i for i, k in enumerate(kinds) if k == "criterion"]
    fixed = [i for i, k in enumerate(kinds) if k not in ("criterion", "name")]
    n = max(len(crit), 1)
    for size in (annex.CELL_PT, 11, 10):  # the style's 12 pt, less when columns get narrow
        pad = 2 * CELL_PAD_MM + 0.5

        def fit(col: int, size: float = size, pad: float = pad) -> float:
            cells = [row[col] for row in table.rows]
            body = max((text_mm(c, size) for c in cells), default=0.0)
            if kinds[col] == "change":  # "▲ 16" on one line; "Sáp nhập từ …" wraps
                body = max([MIN_CHANGE_MM - pad] + [_wrapped_mm(c, size) for c in cells])
            elif kinds[col] == "grade":  # "Trung bình khá" on one line: the estimate's
                body = max(  # ~5% short would break it at a space, so words get room
                    (text_mm(c, size) * (ONE_LINE if " " in c else 1) for c in cells),
                    default=0.0,
                )
            words = table.columns[col].heading.split() or [""]
            head = max(text_mm(w, size - 1, bold=True) for w in words)
            if rotated and kinds[col] == "criterion":  # its lines of text, turned
                head = ROTATED_LINES * (size - 1) * 1.2 * 25.4 / 72
            return max(body, head) + pad

        widths = {i: fit(i) for i in fixed}
        crit_need = max([fit(i) for i in crit] + [MIN_CRITERION_MM])
        flexible = usable_mm - sum(widths.values())
        criterion = min(MAX_CRITERION_MM, max(crit_need, flexible * CRITERIA_SHARE / n))
        name = flexible - len(crit) * criterion
        if name >= MIN_NAME_MM or size == 10:
            break
    if name < MIN_NAME_MM and crit:  # squeeze the criteria to keep the name column readable
        criterion = max(crit_need, (flexible - MIN_NAME_MM) / len(crit))
        name = flexible - len(crit) * criterion
    widths |= {i: criterion for i in crit}
    return [widths.get(i, name) for i in range(len(kinds))], size
