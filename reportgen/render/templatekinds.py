"""The kinds of template reportgen fills — the decision and the preliminary notice — each
with the names a template may use, the names it must use, and a sample value of every name
for the trial fill of the check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportgen.config import Decision, Issuer, Signer

# What a template may use: top-level name → its attributes (None: a plain value).
PROVIDED: dict[str, frozenset[str] | None] = {
    "year": None,
    "number": None,
    "place_date": None,
    "issuer": frozenset(Issuer.model_fields) | {"header"},
    "decision": frozenset(Decision.model_fields),
    "signer": frozenset(Signer.model_fields),
    "annex": frozenset({"title", "reference"}),
    "annex_tables": None,
}
REQUIRED = ("annex_tables",)  # without it the annex has no tables
# The preliminary notice's template (`render.notice_docx.context`)
NOTICE_PROVIDED: dict[str, frozenset[str] | None] = {
    "year": None,
    "title": None,
    "issuer": frozenset({"name", "parent", "short", "header"}),
    "number": None,
    "place_date": None,
    "unit": None,
    "group": None,
    "rows": None,  # each: number, label, max, self, verified, reason
    "count": None,
    "self_total": None,
    "verified_total": None,
    "deadline": None,
    "signer": frozenset(Signer.model_fields),
    "recipients": None,
}


@dataclass(frozen=True)
class Kind:
    """What one kind of template may use and must use, and a sample of it to fill."""

    provided: dict[str, frozenset[str] | None]
    required: tuple[str, ...]
    unused_tag: str  # the tag a required name is used in, for TEMPLATE_UNUSED
    unused: str  # why it matters
    sample: Callable[[], dict[str, object]]  # a module-level function: it goes to `bounded`


def provided_names(kind: Kind | None = None) -> list[str]:
    """Every name a template may use, dotted, sorted."""
    names = []
    for top, attrs in (kind or DECISION).provided.items():
        names.append(top)
        names.extend(f"{top}.{a}" for a in sorted(attrs or ()))
    return sorted(names)


def sample_context() -> dict[str, object]:
    """A value for every name a template may use, for the trial fill of the check: texts,
    three-line lists, a date and a number, where the config has them."""
    import datetime as dt
    import typing

    from markupsafe import Markup

    def value(name: str, annotation) -> object:
        kinds = {typing.get_origin(annotation), annotation, *typing.get_args(annotation)}
        if list in kinds:
            return [f"{name} {i}" for i in (1, 2, 3)]
        if dt.date in kinds:
            return dt.date(2020, 1, 7)
        if int in kinds:
            return 1
        return name

    models = {"issuer": Issuer, "decision": Decision, "signer": Signer}
    context: dict[str, object] = {"year": 2019, "number": "52/QĐ-UBND", "place_date": "Nơi, ngày"}
    for top, attrs in PROVIDED.items():
        if attrs is None:
            continue
        fields = getattr(models.get(top), "model_fields", {})
        context[top] = {a: value(a, getattr(fields.get(a), "annotation", str)) for a in attrs}
    context["annex_tables"] = Markup("")
    return context


def notice_sample() -> dict[str, object]:
    """A value for every name a notice template may use, for the trial fill of the check."""
    row = {"number": 1, "label": "Tiêu chí", "max": "10", "self": "10", "verified": "5"}
    return {
        "year": 2025,
        "title": "đánh giá",
        "issuer": {"name": "SỞ", "parent": "UBND", "short": "Sở", "header": "SỞ"},
        "number": "1/SKHCN",
        "place_date": "Nơi, ngày",
        "unit": "Đơn vị",
        "group": "Khối",
        "rows": [{**row, "reason": "Lý do"}] * 3,
        "count": 3,
        "self_total": "30",
        "verified_total": "15",
        "deadline": "chậm nhất ngày 05/01/2026",
        "signer": {"lines": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "name": "Tên"},
        "recipients": ["Như trên;", "Lưu: VT."],
    }


DECISION = Kind(
    PROVIDED, REQUIRED, "{{p annex_tables }}", "phụ lục sẽ không có bảng", sample_context
)
NOTICE = Kind(
    NOTICE_PROVIDED,
    ("rows",),
    "{%tr for row in rows %}",
    "thông báo sẽ không có bảng tiêu chí điều chỉnh",
    notice_sample,
)
