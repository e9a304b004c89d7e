"""Command line: a thin typer shell over `reportgen.build` — parse, call, print, exit.

Exit codes: 0 done; 2 usage, configuration or template error; 3 findings block the result;
4 the PDF could not be made (nothing written)."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from reportgen import __version__
from reportgen import build as api
from reportgen.config import ConfigError
from reportgen.findings import Finding
from reportgen.numbers import format_number

EXIT_USAGE, EXIT_FINDINGS = 2, 3
EXIT_PDF = 4

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Xếp hạng mức độ ứng dụng CNTT từ biểu chấm điểm Excel và soạn dự thảo Quyết định.",
)
console = Console()
err = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        console.print(f"reportgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """reportgen: score sheets in, the province's decision out."""


def _config_error(exc: ConfigError) -> typer.Exit:
    err.print(f"[bold red]Lỗi cấu hình[/] {exc.path}:")
    for line in exc.problems:
        err.print(f"  - {line}")
    return typer.Exit(EXIT_USAGE)


def print_findings(findings: list[Finding], title: str) -> None:
    """The findings as a table grouped by unit (findings about no known unit first)."""
    if not findings:
        return
    table = Table(title=title, show_lines=False)
    for column in ("Đơn vị", "Mức", "Mã", "Vị trí", "Nội dung"):
        table.add_column(column, overflow="fold")
    ordered = sorted(findings, key=lambda f: (f.unit is not None, f.unit or ""))
    previous = object()
    for f in ordered:
        level = "[red]lỗi[/]" if f.severity.value == "error" else "[yellow]cảnh báo[/]"
        unit = "" if f.unit == previous else (f.unit or "—")
        previous = f.unit
        table.add_row(unit, level, f.code, str(f.location), escape(f.message))
    err.print(table)


@contextmanager
def _progress():
    """A progress bar over files on a terminal; nothing when output is piped."""
    if not err.is_terminal:
        yield None
        return
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("Đang đọc biểu chấm điểm", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _summary(built: api.Built) -> None:
    decimals = built.checked.assessment.scoring.decimals
    for result in built.results:
        top = result.rows[0] if result.rows else None
        lead = f", đứng đầu: {top.unit} ({format_number(top.total, decimals)})" if top else ""
        console.print(f"  {result.group.name}: {len(result.rows)} đơn vị{lead}")
        if result.missing:
            console.print(f"  [yellow]chưa nộp, không xếp hạng:[/] {', '.join(result.missing)}")
    for path in built.written:
        console.print(f"  [green]đã ghi[/] {path}")


def _run_build(assessment: Path, inputs: list[Path] | None, out: Path | None, **options) -> bool:
    with _progress() as progress:
        built = api.build(assessment, inputs, out, progress=progress, **options)
    print_findings(built.checked.findings.items, f"Kiểm tra: {assessment}")
    if not built.ok:
        err.print(
            f"[bold red]Không tạo văn bản:[/] {len(built.blocking)} lỗi cần sửa trước "
            "(xem bảng trên)."
        )
        return False
    console.print(f"[bold]{assessment}[/]")
    _summary(built)
    return True


@app.command()
def build(
    assessment: Path = typer.Argument(
        ..., help="Assessment folder (with assessment.toml) or the .toml."
    ),
    inputs: list[Path] | None = typer.Argument(
        None, help="Workbooks or folders of workbooks [default: ASSESSMENT/submissions]."
    ),
    out: Path | None = typer.Option(None, "--out", help="Output folder [default: out/<folder>]."),
    allow_missing: bool = typer.Option(
        False, "--allow-missing", help="Render without the units that sent nothing."
    ),
    strict: bool = typer.Option(False, "--strict", help="Warnings block the build too."),
    template: Path | None = typer.Option(None, "--template", help="Another decision template."),
    pdf: bool = typer.Option(
        False, "--pdf", help="Also write quyet-dinh.pdf (needs LibreOffice installed)."
    ),
) -> None:
    """Check the submissions and write the decision, annex, CSV and JSON.

    Example: reportgen build samples/quang-nam-2019 --out out/qn --pdf
    """
    from reportgen.render.pdf import PdfError

    try:
        ok = _run_build(
            assessment,
            inputs,
            out,
            allow_missing=allow_missing,
            strict=strict,
            template=template,
            pdf=pdf,
        )
    except ConfigError as exc:
        raise _config_error(exc) from None
    except PdfError as exc:
        err.print(f"[bold red]Không tạo được PDF, chưa ghi tệp nào:[/] {exc}")
        raise typer.Exit(EXIT_PDF) from None
    raise typer.Exit(0 if ok else EXIT_FINDINGS)


@app.command()
def validate(
    assessment: Path = typer.Argument(
        ..., help="Assessment folder (with assessment.toml) or the .toml."
    ),
    inputs: list[Path] | None = typer.Argument(
        None, help="Workbooks or folders of workbooks [default: ASSESSMENT/submissions]."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Where bao-cao-kiem-tra.xlsx goes [default: out/<folder>]."
    ),
    strict: bool = typer.Option(False, "--strict", help="Warnings count as errors."),
) -> None:
    """Check the submissions only: print every finding and write bao-cao-kiem-tra.xlsx.

    Exit 0 when nothing blocks, 3 when errors do (with --strict, warnings too).

    Example: reportgen validate samples/quang-nam-2019 nop-muon/
    """
    try:
        with _progress() as progress:
            checked = api.check(assessment, inputs, progress)
    except ConfigError as exc:
        raise _config_error(exc) from None
    print_findings(checked.findings.items, f"Kiểm tra: {assessment}")
    path = api.write_findings_report(checked, out or api.default_out(assessment))
    blocking = checked.findings.blocking(strict)
    errors, warnings = len(checked.findings.errors), len(checked.findings.warnings)
    console.print(
        f"{len(checked.submissions)} biểu hợp lệ, {errors} lỗi, {warnings} cảnh báo; "
        f"báo cáo: {path}"
    )
    raise typer.Exit(EXIT_FINDINGS if blocking else 0)


@app.command()
def forms(
    assessment: Path = typer.Argument(
        ..., help="Assessment folder (with assessment.toml) or the .toml."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Folder for the forms [default: out/<folder>/bieu-mau]."
    ),
) -> None:
    """Write one blank score-sheet workbook per registered unit.

    Example: reportgen forms samples/quang-nam-2019 --out bieu-mau-2019
    """
    from reportgen import config
    from reportgen.forms import write_forms

    try:
        loaded = config.load(assessment)
    except ConfigError as exc:
        raise _config_error(exc) from None
    target = out or api.default_out(assessment) / "bieu-mau"
    paths = write_forms(loaded, target)
    console.print(f"Đã ghi {len(paths)} biểu mẫu vào {target}")


@app.command()
def init(
    folder: Path = typer.Argument(..., help="The new assessment folder to create."),
    source: Path = typer.Option(
        ..., "--from", help="Last year's assessment folder (or its assessment.toml)."
    ),
    year: int | None = typer.Option(
        None, "--year", help="The year of the new assessment [default: the source's + 1]."
    ),
) -> None:
    """Start a new year's assessment from last year's: carry over the issuer, criteria,
    grades, groups and units; move the year in the texts; leave the decision number and
    date, the Tờ trình and the signer as <<CẦN ĐIỀN>> blanks (build refuses them).

    Example: reportgen init quang-nam-2020 --from samples/quang-nam-2019 --year 2020
    """
    from reportgen.newyear import InitError
    from reportgen.newyear import init as start

    try:
        new = start(source, folder, year)
    except ConfigError as exc:
        raise _config_error(exc) from None
    except InitError as exc:
        err.print(f"[bold red]Không tạo được:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    console.print(
        f"Đã tạo {escape(str(folder / 'assessment.toml'))} cho năm {new.year} "
        f"(từ năm {new.source_year}); đã đổi năm trong: {', '.join(new.moved) or 'không có'}."
    )
    console.print("[bold]Các bước tiếp theo:[/]")
    for n, step in enumerate(new.next_steps(), 1):
        console.print(f"  {n}. {escape(step)}", soft_wrap=True)


@app.command()
def report(
    samples: Path = typer.Argument(Path("samples"), help="Folder of assessment folders."),
    out: Path = typer.Option(Path("out"), "--out", help="Each assessment goes to OUT/<folder>."),
) -> None:
    """Build every assessment folder under SAMPLES.

    Example: reportgen report samples --out out
    """
    folders = api.assessments_under(samples)
    if not folders:
        err.print(f"[red]Không có thư mục đánh giá nào (assessment.toml) trong {samples}[/]")
        raise typer.Exit(EXIT_USAGE)
    ok = True
    for folder in folders:
        try:
            ok = _run_build(folder, None, out / folder.name) and ok
        except ConfigError as exc:
            _config_error(exc)
            ok = False
    raise typer.Exit(0 if ok else EXIT_FINDINGS)


@app.command()
def audit(
    assessment: Path = typer.Argument(
        ..., help="Assessment folder (with assessment.toml) or the .toml."
    ),
    published: Path = typer.Argument(
        ..., help="The published annex: .docx, .xlsx/.xls/.ods, or tab-separated text."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Recompute a published annex and list where it disagrees with itself and the config.

    Example: reportgen audit samples/quang-nam-2019 samples/quang-nam-2019/tong-hop.xlsx
    """
    from reportgen.audit import audit as run_audit

    try:
        result = run_audit(assessment, published)
    except ConfigError as exc:
        raise _config_error(exc) from None
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        for table in result.tables:
            group = f" (khối {table.group.name})" if table.group else ""
            line = f"  {table.location}{group}: {len(table.rows)} đơn vị"
            console.print(escape(line), soft_wrap=True)
        _print_audit(result.findings.items, f"Kiểm tra phụ lục: {published}")
        if result.ok:
            console.print("[green]Phụ lục khớp với cách tính và cấu hình.[/]")
    raise typer.Exit(0 if result.ok else EXIT_FINDINGS)


def _print_audit(findings: list[Finding], title: str) -> None:
    if not findings:
        return
    table = Table(title=title, show_lines=False)
    for column in ("Mã", "Vị trí", "Nội dung"):
        table.add_column(column, overflow="fold")
    for f in findings:
        table.add_row(f.code, escape(str(f.location)), escape(f.message))
    console.print(table)


template_app = typer.Typer(
    no_args_is_help=True, help="Decision templates (.docx with Jinja tags) that clerks edit."
)
app.add_typer(template_app, name="template")


@template_app.command("check")
def template_check(
    file: Path | None = typer.Argument(
        None, help="The template to check [default: the bundled templates/quyet-dinh.docx]."
    ),
) -> None:
    """List the names a template uses against what reportgen provides; find tags Word
    split across runs and {%p %} tags beside a section break. Exit 2 when it cannot be used.

    Example: reportgen template check templates/quyet-dinh.docx
    """
    from reportgen import templatecheck
    from reportgen.render.docx import default_template

    report = templatecheck.check(file or default_template())
    table = Table(title=f"Mẫu: {report.path}")
    table.add_column("Tên trong mẫu")
    table.add_column("reportgen cung cấp")
    for name in report.used:
        table.add_row(name, "[green]có[/]" if report.status(name) else "[red]không[/]")
    if report.used:
        console.print(table)
    for problem in report.problems:
        level = "[red]lỗi[/]" if problem.severity == "error" else "[yellow]cảnh báo[/]"
        err.print(f"{level} {problem.code}: {problem}")
    if not report.ok:
        err.print(f"[bold red]Mẫu chưa dùng được:[/] {len(report.errors)} lỗi.")
        raise typer.Exit(EXIT_USAGE)
    console.print("[green]Mẫu dùng được.[/]")


def main() -> None:
    try:
        app()
    except OSError as exc:  # an output folder that cannot be written, a full disk ...
        where = f" {exc.filename}" if exc.filename else ""
        err.print(f"[bold red]Không ghi/đọc được tệp{escape(where)}:[/] {exc.strerror or exc}")
        sys.exit(EXIT_USAGE)
