"""Check a decision or notice template (.docx with Jinja tags) before it is used.

A clerk edits the template in Word; Word may then split a tag over several runs (spelling
marks, a change of formatting in the middle), a name may be mistyped, or a `{%p %}` tag may
end up in the paragraph that carries a section break (docxtpl would drop the section). This
module lists the names a template uses, compares them with what its kind provides
(`templatekinds`), and reports each problem with the paragraph it is in. `render_decision`
calls `ensure_valid` first, so a broken template is a clear error rather than a traceback.

A template is data, not code: it is parsed and filled once with a sample in the `sandbox`,
whose refusals are findings here already. A path that is not a regular file (`/dev/zero`, a
FIFO) or is larger than `MAX_TEMPLATE_BYTES` is refused before it is opened.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportgen.config import ConfigError
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding, Findings, Severity
from reportgen.core.location import Location
from reportgen.core.text import closest
from reportgen.render import sandbox
from reportgen.render.sandbox import HERE, MIB
from reportgen.render.templatekinds import DECISION, Kind, provided_names

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPENERS = re.compile(r"\{\{|\{%|\{#")
PART = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
MAX_TEMPLATE_BYTES = 20 * MIB  # the bundled template is ~40 KB; a logo or two fit
MAX_TEMPLATE_UNPACKED = 100 * MIB  # what its zip entries may expand to, in all


class TemplateError(ConfigError):
    """The template cannot be used; `problems` are lines for a clerk."""


class UnreadableTemplate(Exception):
    """The .docx cannot be read as a template: `case` is TEMPLATE_UNREADABLE's case."""

    def __init__(self, case: str, **params: object) -> None:
        super().__init__(case)
        self.case, self.params = case, params


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


def file_problem(path: Path) -> Finding | None:
    """Why `path` cannot be a template before it is opened: missing, not a regular file
    (`/dev/zero`, a FIFO, a folder), or too large."""
    here, name = Location(str(path)), Path(path).name
    try:
        info = Path(path).stat()
    except FileNotFoundError:
        return finding("TEMPLATE_UNREADABLE", here, name=name, case="missing")
    except OSError as exc:
        return finding("TEMPLATE_UNREADABLE", here, name=name, case="os", error=exc.strerror)
    if not stat.S_ISREG(info.st_mode):
        return finding("TEMPLATE_UNREADABLE", here, name=name, case="not_file")
    if info.st_size > MAX_TEMPLATE_BYTES:
        size = -(-info.st_size // MIB)  # rounded up: a byte over never reads as the limit
        limit = MAX_TEMPLATE_BYTES // MIB
        return finding(
            "TEMPLATE_UNREADABLE", here, name=name, case="too_large", size=size, limit=limit
        )
    return None


def check(path: Path, kind: Kind | None = None) -> Report:
    """Everything wrong with the template at `path` (an empty list when it is usable). It is
    read, parsed and filled with a sample of every name in a child process under
    `sandbox.CPU_SECONDS` and `MEMORY_BYTES` (`bounded`)."""
    from reportgen.core import bounded

    name = Path(path).name
    try:
        report = bounded.run(
            _check,
            Path(path),
            kind or DECISION,
            seconds=sandbox.CPU_SECONDS,
            memory=sandbox.MEMORY_BYTES,
        )
    except bounded.Exhausted as exc:
        report = Report(
            Path(path), problems=[sandbox.too_costly(exc.what, name, sandbox.CPU_SECONDS)]
        )
    except RecursionError:
        report = Report(
            Path(path), problems=[sandbox.too_costly("recursion", name, sandbox.CPU_SECONDS)]
        )
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
    except UnreadableTemplate as exc:
        report.problems.append(
            finding("TEMPLATE_UNREADABLE", HERE, name=path.name, case=exc.case, **exc.params)
        )
        return report
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:
        # SyntaxError: lxml's XMLSyntaxError (malformed XML, an entity bomb)
        error = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        report.problems.append(
            finding("TEMPLATE_UNREADABLE", HERE, name=path.name, case="not_docx", error=error)
        )
        return report
    for part, root in parts:
        report.problems.extend(_runs_and_sections(part, root))
    if report.errors:  # split or broken tags: names cannot be read reliably
        return report
    report.used, syntax, xml = _names(path)
    report.problems.extend(syntax)
    report.problems.extend(_unknown(report.used, kind))
    if not report.errors:
        report.problems.extend(_trial(xml, kind, path.name))
    for name in kind.required:
        if not syntax and name not in report.used:
            report.problems.append(
                finding("TEMPLATE_UNUSED", HERE, tag=kind.unused_tag, why=kind.unused)
            )
    return report


def ensure_valid(path: Path, kind: Kind | None = None) -> None:
    report = check(path, kind)
    if not report.ok:
        raise TemplateError(Path(path), [str(p) for p in report.errors])


def _parts(path: Path):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zipfile.ZipFile(path) as archive:
        if sum(i.file_size for i in archive.infolist()) > MAX_TEMPLATE_UNPACKED:
            raise UnreadableTemplate("unpacks_too_large", limit=MAX_TEMPLATE_UNPACKED // MIB)
        names = sorted(n for n in archive.namelist() if PART.match(n))
        if "word/document.xml" not in names:
            raise UnreadableTemplate("no_document")
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
        tree = sandbox.environment().parse(xml)
    except TemplateSyntaxError as exc:
        text = re.sub(r"<[^>]+>", "", xml.splitlines()[exc.lineno - 1] if exc.lineno else "")
        where, error = _snippet(text), exc.message
        syntax = finding(
            "TEMPLATE_SYNTAX", HERE, name=path.name, case="parse", where=where, error=error
        )
        return [], [syntax], xml
    problems = sandbox.private_access(tree, path.name)
    unbounded = sandbox.unbounded(tree, path.name)
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


def _trial(xml: str, kind: Kind, name: str) -> list[Finding]:
    """The template `name` filled once with its kind's sample: what only filling shows (a `*`
    past `sandbox.MAX_PRODUCT`, a `%` on a string). Time and memory are bounded by the
    caller's child."""
    from jinja2 import TemplateError as JinjaError
    from jinja2.exceptions import SecurityError

    try:
        sandbox.environment().from_string(xml).render(kind.sample())
    except sandbox.UnsafeOperation as exc:
        return [finding("TEMPLATE_UNSAFE", HERE, name=name, case=exc.case, **exc.params)]
    except SecurityError as exc:  # what Jinja's own sandbox blocks (a list's `append`)
        return [finding("TEMPLATE_UNSAFE", HERE, name=name, case="blocked", error=str(exc))]
    except (JinjaError, TypeError, ValueError, ArithmeticError) as exc:
        return [finding("TEMPLATE_SYNTAX", HERE, name=name, case="trial", error=str(exc))]
    return []


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
