"""Check a decision template (.docx with Jinja tags) before it is used.

A clerk edits the template in Word; Word may then split a tag over several runs (spelling
marks, a change of formatting in the middle), a name may be mistyped, or a `{%p %}` tag may
end up in the paragraph that carries a section break (docxtpl would drop the section). This
module lists the names a template uses, compares them with what reportgen provides
(`render.docx.context()` plus `annex_tables`), and reports each problem with the paragraph
it is in. `render_decision` calls `ensure_valid` first, so a broken template is a clear
error rather than a traceback.

A template is data, not code: it is rendered in Jinja's sandbox (`environment()`) with no
globals (no `range`, `lipsum`, ...) and only the context's names; a name outside them, an
attribute starting with `_` or the `attr` filter is an error here already. A path that is
not a regular file (`/dev/zero`, a FIFO) or is larger than `MAX_TEMPLATE_BYTES` is refused
before it is opened.
"""

from __future__ import annotations

import operator
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportgen.config import ConfigError, Decision, Issuer, Signer
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding, Findings, Severity
from reportgen.core.location import Location
from reportgen.core.text import closest

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPENERS = re.compile(r"\{\{|\{%|\{#")
PART = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")

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
MIB = 1024 * 1024
MAX_TEMPLATE_BYTES = 20 * MIB  # the bundled template is ~40 KB; a logo or two fit
MAX_TEMPLATE_UNPACKED = 100 * MIB  # what its zip entries may expand to, in all
MAX_PRODUCT = 100_000  # longest string or list `*` (and largest number `**`) may make
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
# Checking and filling a template run in a child process under these limits (`bounded`): the
# bundled template takes ~0,1 s and ~30 MB; a 100-page decision well under a second.
CPU_SECONDS = 20
MEMORY_BYTES = 512 * 1024 * 1024
# Filters whose cost their inputs bound (a copy, a count, a sort); any other — `center`,
# `indent`, `format`, `batch`, `slice`, `replace`, `wordwrap`, ... take a size or repeat
# count from the template and can make gigabytes from a word — is refused by name.
FILTERS = frozenset(
    "abs capitalize count d default dictsort e escape first float forceescape groupby int "
    "items join last length list lower map max min reject rejectattr reverse round safe "
    "select selectattr sort string striptags sum title tojson trim truncate unique upper "
    "wordcount".split()
)
# String methods that take a width or a count, or build from another string: refused too
# (`'{:>999999999}'.format(1)`, `x.center(10**9)`), as is `%` on a string (sandbox).
METHODS = frozenset(
    "center ljust rjust zfill expandtabs format format_map replace join translate "
    "split rsplit splitlines partition rpartition encode".split()
)


@dataclass(frozen=True)
class Kind:
    """What one kind of template may use and must use, and a sample of it to fill."""

    provided: dict[str, frozenset[str] | None]
    required: tuple[str, ...]
    unused_tag: str  # the tag a required name is used in, for TEMPLATE_UNUSED
    unused: str  # why it matters
    sample: Callable[[], dict[str, object]]  # a module-level function: it goes to `bounded`


class TemplateError(ConfigError):
    """The template cannot be used; `problems` are lines for a clerk."""


HERE = Location("")  # `check` sets a template finding's location to the template file


def _problem(code: str, where: str, message: str, severity: str = "", file: str = "") -> Finding:
    """A catalogued TEMPLATE_* finding (its severity from the catalogue: `severity` only
    documents the call); `where` (a tag snippet, a paragraph) leads the message; `check` sets
    the location to the template file."""
    return finding(code, Location(file), detail=f"{where}: {message}" if where else message)


@dataclass
class Report:
    path: Path
    used: list[str] = field(default_factory=list)  # names the template uses, dotted
    problems: list[Finding] = field(default_factory=list)
    kind: Kind | None = None  # None: a decision template

    @property
    def errors(self) -> list[Finding]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def findings(self) -> Findings:
        return Findings(list(self.problems))

    @property
    def outputs(self) -> list[Path]:
        return []  # a check writes nothing

    def summary(self) -> str:
        """ "Mẫu dùng được." or "Mẫu chưa dùng được: 2 lỗi."."""
        return "Mẫu dùng được." if self.ok else f"Mẫu chưa dùng được: {len(self.errors)} lỗi."

    def status(self, name: str) -> bool:
        """Whether reportgen provides `name` (`decision` or `decision.summary`)."""
        top, _, attr = name.partition(".")
        provided = (self.kind or DECISION).provided
        if top not in provided:
            return False
        attrs = provided[top]
        return not attr or (attrs is not None and attr in attrs)


def provided_names(kind: Kind | None = None) -> list[str]:
    """Every name a template may use, dotted, sorted."""
    names = []
    for top, attrs in (kind or DECISION).provided.items():
        names.append(top)
        names.extend(f"{top}.{a}" for a in sorted(attrs or ()))
    return sorted(names)


def environment():
    """The Jinja environment templates are parsed and rendered in: sandboxed (no attribute
    starting with `_`, no Python internals, lists and dicts read-only), no globals, undefined
    names an error, autoescape on, `*`/`**` that cannot build a huge value and no `%` on a
    string (`'%999999999d' % 1`)."""
    from jinja2 import StrictUndefined
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def call_binop(self, context, operator_name, left, right):
            if operator_name == "%":
                if isinstance(left, str):
                    raise SecurityError("định dạng chuỗi bằng % không được phép trong mẫu")
                return left % right
            if operator_name == "**" and abs(_size(right)) * max(1, len(str(left))) > 64:
                raise SecurityError("phép lũy thừa quá lớn trong mẫu")
            if operator_name == "*" and _size(left) * _size(right) > MAX_PRODUCT:
                raise SecurityError("phép nhân tạo giá trị quá lớn trong mẫu")
            ops = {"*": operator.mul, "**": operator.pow}
            return ops[operator_name](left, right)

    env = Sandbox(autoescape=True, undefined=StrictUndefined)
    env.globals.clear()
    return env


def _size(value: object) -> int:
    """How big `value` makes a product: its length, or its magnitude as a number."""
    if isinstance(value, (str, list, tuple)):
        return len(value)
    try:
        return abs(int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return 1


def file_problem(path: Path) -> Finding | None:
    """Why `path` cannot be a template before it is opened: missing, not a regular file
    (`/dev/zero`, a FIFO, a folder), or too large."""
    try:
        info = Path(path).stat()
    except OSError as exc:
        return _problem(
            "TEMPLATE_UNREADABLE", "", f"không đọc được mẫu ({exc.strerror})", file=str(path)
        )
    if not stat.S_ISREG(info.st_mode):
        return _problem(
            "TEMPLATE_UNREADABLE",
            "",
            "không phải là tệp .docx thông thường (thiết bị, ống dẫn hay thư mục)",
            file=str(path),
        )
    if info.st_size > MAX_TEMPLATE_BYTES:
        return _problem(
            "TEMPLATE_UNREADABLE",
            "",
            file=str(path),
            message=f"mẫu quá lớn ({-(-info.st_size // MIB)} MB, tối đa "  # rounded up
            f"{MAX_TEMPLATE_BYTES // MIB} MB)",
        )
    return None


def check(path: Path, kind: Kind | None = None) -> Report:
    """Everything wrong with the template at `path` (an empty list when it is usable). It is
    read, parsed and filled with a sample of every name in a child process under
    `CPU_SECONDS` and `MEMORY_BYTES` (`bounded`)."""
    from reportgen.core import bounded

    try:
        report = bounded.run(
            _check, Path(path), kind or DECISION, seconds=CPU_SECONDS, memory=MEMORY_BYTES
        )
    except bounded.Exhausted as exc:
        report = Report(Path(path), problems=[too_costly(exc.what)])
    except RecursionError:
        report = Report(Path(path), problems=[too_costly("recursion")])
    here = Location(str(path))
    report.problems = [replace(p, location=here) for p in report.problems]
    return report


def _check(path: Path, kind: Kind) -> Report:
    report = Report(path, kind=kind)
    refused = file_problem(path)
    if refused:
        report.problems.append(refused)
        return report
    try:
        parts = _parts(path)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:
        # SyntaxError: lxml's XMLSyntaxError (malformed XML, an entity bomb)
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        report.problems.append(
            _problem("TEMPLATE_UNREADABLE", "", f"không đọc được mẫu .docx ({detail})")
        )
        return report
    for name, root in parts:
        report.problems.extend(_runs_and_sections(name, root))
    if report.errors:  # split or broken tags: names cannot be read reliably
        return report
    report.used, syntax, xml = _names(path)
    report.problems.extend(syntax)
    report.problems.extend(_unknown(report.used, kind))
    if not report.errors:
        report.problems.extend(_trial(xml, kind))
    for name in kind.required:
        if not syntax and name not in report.used:
            report.problems.append(
                finding("TEMPLATE_UNUSED", HERE, tag=kind.unused_tag, why=kind.unused)
            )
    return report


def too_costly(what: str) -> Finding:
    """TEMPLATE_TOO_COSTLY: `what` ("time", "memory" or "recursion") ran out."""
    said = {
        "time": f"quá {CPU_SECONDS} giây",
        "memory": f"quá {MEMORY_BYTES // (1024 * 1024)} MB bộ nhớ",
        "recursion": "gọi lồng nhau quá sâu (macro tự gọi lại chính nó)",
    }[what]
    return _problem(
        "TEMPLATE_TOO_COSTLY",
        "",
        f"điền mẫu cần {said}: mẫu có vòng lặp, macro hay phép tính làm ra quá nhiều nội "
        "dung; hãy dùng mẫu đi kèm reportgen hoặc bỏ các vòng lặp lồng nhau",
    )


def ensure_valid(path: Path, kind: Kind | None = None) -> None:
    report = check(path, kind)
    if not report.ok:
        raise TemplateError(Path(path), [str(p) for p in report.errors])


def _parts(path: Path):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zipfile.ZipFile(path) as archive:
        if sum(i.file_size for i in archive.infolist()) > MAX_TEMPLATE_UNPACKED:
            raise ValueError("tệp nén giải ra quá lớn")
        names = sorted(n for n in archive.namelist() if PART.match(n))
        if "word/document.xml" not in names:
            raise ValueError("thiếu word/document.xml")
        names.remove("word/document.xml")
        return [
            (n.removeprefix("word/"), etree.fromstring(archive.read(n), parser))
            for n in ["word/document.xml", *names]
        ]


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


def _runs_and_sections(part: str, root) -> list[Finding]:
    """Tags split over runs, tags left open, `{%p %}` beside a section break."""
    problems = []
    for index, para in enumerate(root.iter(f"{W}p"), start=1):
        pieces = []  # (run number, text)
        for r, run in enumerate(para.iter(f"{W}r")):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            if text:
                pieces.append((r, text))
        full = "".join(text for _, text in pieces)
        if "{" not in full and "%" not in full:
            continue
        owner = [r for r, text in pieces for _ in text]
        where = f"{part}, đoạn {index} «{_snippet(full)}»"
        covered = set()
        for m in TAG.finditer(full):
            covered.update(range(m.start(), m.end()))
            runs = set(owner[m.start() : m.end()])
            if len(runs) > 1:
                problems.append(
                    finding("TEMPLATE_SPLIT_TAG", HERE, where=where, tag=m.group(0), runs=len(runs))
                )
            if (
                m.group(0).startswith(("{%p", "{%tr", "{%tc"))
                and para.find(f"{W}pPr/{W}sectPr") is not None
            ):
                problems.append(
                    finding("TEMPLATE_TAG_AT_SECTION_BREAK", HERE, where=where, tag=m.group(0))
                )
        for m in OPENERS.finditer(full):
            if m.start() not in covered:
                problems.append(finding("TEMPLATE_BROKEN_TAG", HERE, where=where, tag=m.group(0)))
    return problems


def _names(path: Path) -> tuple[list[str], list[Finding], str]:
    """The names the template uses (top-level and dotted attributes), via Jinja's parser on
    the XML as docxtpl prepares it; what it must not do; and that XML."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError, meta, nodes

    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    xml = tpl.patch_xml(tpl.xml_to_string(tpl.docx._element.body))
    for rel in sorted(tpl.docx.part.rels.values(), key=lambda r: r.rId):
        if rel.reltype in (RT.HEADER, RT.FOOTER) and rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    try:
        tree = environment().parse(xml)
    except TemplateSyntaxError as exc:
        text = re.sub(r"<[^>]+>", "", xml.splitlines()[exc.lineno - 1] if exc.lineno else "")
        return (
            [],
            [
                _problem(
                    "TEMPLATE_SYNTAX", f"«{_snippet(text)}»", f"lỗi cú pháp Jinja: {exc.message}"
                )
            ],
            xml,
        )
    problems = [p for p in map(_unsafe, tree.find_all((nodes.Getattr, nodes.Getitem))) if p]
    unbounded = _unbounded(tree)
    if unbounded:  # refused before anything compiles: Jinja folds constant filters then
        return [], problems + unbounded, xml
    top = meta.find_undeclared_variables(tree)  # every name: the environment has no globals
    used = set(top)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node.node, nodes.Name) and node.node.name in top:
            attr = node.attr if isinstance(node, nodes.Getattr) else None
            if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
                attr = str(node.arg.value)
            if attr:
                used.add(f"{node.node.name}.{attr}")
    return sorted(used), problems, xml


def _unbounded(tree) -> list[Finding]:
    """What a template may not do because its cost cannot be bounded cheaply: a filter
    outside `FILTERS` (also named through `map`), a method in `METHODS`, a macro that calls
    itself, and include/extends/import (a template stands alone: there is nothing to load)."""
    from jinja2 import nodes

    problems = []
    for node in tree.find_all((nodes.Filter, nodes.Call)):
        names = []
        if isinstance(node, nodes.Filter):
            names.append(node.name)
            if node.name == "map" and node.args:  # map('center', ...) names a filter
                first = node.args[0]
                names.append(first.value if isinstance(first, nodes.Const) else None)
        elif isinstance(node.node, nodes.Getattr) and node.node.attr in METHODS:
            problems.append(
                _problem(
                    "TEMPLATE_UNSAFE",
                    "",
                    f"mẫu gọi phương thức {node.node.attr!r}, không được phép "
                    "(có thể tạo chuỗi khổng lồ)",
                )
            )
        for name in names:
            if name not in FILTERS:
                shown = repr(name) if isinstance(name, str) else "do dữ liệu quyết định"
                problems.append(
                    _problem(
                        "TEMPLATE_UNSAFE",
                        "",
                        f"mẫu dùng bộ lọc {shown}, không được phép (chỉ các bộ lọc: "
                        f"{', '.join(sorted(FILTERS))})",
                    )
                )
    for macro in tree.find_all(nodes.Macro):
        if any(
            isinstance(call.node, nodes.Name) and call.node.name == macro.name
            for call in macro.find_all(nodes.Call)
        ):
            problems.append(
                _problem(
                    "TEMPLATE_UNSAFE",
                    "",
                    f"macro {macro.name!r} tự gọi lại chính nó, không được phép",
                )
            )
    loads = (nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)
    for node in tree.find_all(loads):
        word = {
            nodes.Include: "include",
            nodes.Extends: "extends",
            nodes.Import: "import",
            nodes.FromImport: "from ... import",
        }[type(node)]
        problems.append(
            _problem(
                "TEMPLATE_UNSAFE",
                "",
                f"mẫu dùng {{% {word} %}}: không được phép, mẫu phải tự chứa mọi nội dung",
            )
        )
    return problems


def sample_context() -> dict[str, object]:
    """A value for every name a template may use, for the trial fill of `check`: texts,
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


def _trial(xml: str, kind: Kind) -> list[Finding]:
    """The template filled once with `sample_context()`: what only filling shows (a `*` past
    `MAX_PRODUCT`, a `%` on a string). Time and memory are bounded by the caller's child."""
    from jinja2 import TemplateError as JinjaError
    from jinja2.exceptions import SecurityError

    try:
        environment().from_string(xml).render(kind.sample())
    except SecurityError as exc:
        return [_problem("TEMPLATE_UNSAFE", "", f"khi điền thử: {exc}")]
    except (JinjaError, TypeError, ValueError, ArithmeticError) as exc:
        return [_problem("TEMPLATE_SYNTAX", "", f"lỗi khi điền thử mẫu: {exc}")]
    return []


def _unsafe(node) -> Finding | None:
    """An access to an attribute or key starting with `_` (`__class__`, `__globals__`): the
    way out of a template into Python."""
    from jinja2 import nodes

    attr = node.attr if isinstance(node, nodes.Getattr) else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        attr = node.arg.value
    if isinstance(attr, str) and attr.startswith("_"):
        return _problem(
            "TEMPLATE_UNSAFE", "", f"mẫu truy cập thuộc tính nội bộ {attr!r}, không được phép"
        )
    return None


def _unknown(used: list[str], kind: Kind | None = None) -> list[Finding]:
    kind = kind or DECISION
    provided = kind.provided
    valid = provided_names(kind)
    problems = []
    for name in used:
        top, _, attr = name.partition(".")
        if top in provided and (not attr or provided[top] is None):
            continue
        if top in provided and attr in (provided[top] or ()):
            continue
        if not attr and any(u.startswith(f"{name}.") for u in used):
            continue  # reported with its attributes: `isuer.name`, not `isuer` as well
        choices = [v for v in valid if v.startswith(f"{top}.")] if top in provided else valid
        best = closest(name, choices)
        hint = f"; có phải là {best!r}?" if best else ""
        problems.append(finding("TEMPLATE_UNKNOWN_NAME", HERE, name=name, hint=hint))
    return problems


def notice_sample() -> dict[str, object]:
    """A value for every name a notice template may use, for the trial fill of `check`."""
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
