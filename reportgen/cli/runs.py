"""The commands that judge the submissions and write the decision: `validate` (the check
alone, with its findings report), `build` (the decision and every output) and `report` (a
build of every assessment under a folder)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import typer

from reportgen import api
from reportgen.cli.console import err, print_findings, say, shown
from reportgen.cli.conventions import (
    ASSESSMENT_HELP,
    DEFAULT_INPUTS,
    DEFAULT_OUT,
    EXIT_FINDINGS,
    EXIT_PDF,
    EXIT_USAGE,
    INPUTS_HELP,
    config_error,
    print_json,
)


@contextmanager
def _progress():
    """A progress bar over files on a terminal; nothing when output is piped."""
    if not err.is_terminal:
        yield None
        return
    from rich.progress import Progress  # only on a terminal: a fifth of start-up otherwise

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("Đang đọc biểu chấm điểm", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _summary(built: api.Built) -> None:
    decimals = built.checked.assessment.scoring.decimals
    for result in built.results:
        top = result.rows[0] if result.rows else None
        value = ""
        if top is not None:  # the group's measure: the index ("0,9495") or the total
            value = result.format_value(result.value(top), decimals)
            if result.measure == "index":
                value = f"chỉ số {value}"
        lead = f", đứng đầu: {shown(top.unit)} ({value})" if top else ""
        say(f"  {shown(result.group.name)}: {len(result.rows)} đơn vị{lead}")
        if result.left_out:  # the config's not_assessed, and with --allow-missing who sent nothing
            listed = "; ".join(f"{unit} ({why})" for unit, why in result.left_out)
            say(f"    không đánh giá: {shown(listed)}", "yellow")
    if built.year_summary:
        say(f"So với năm {built.year_summary.previous_year or 'trước'}:")
        for line in built.year_summary.lines(decimals):
            say(f"  {shown(line)}")
    for path in built.outputs:
        say(f"  đã ghi {shown(path)}", "green")


def _report_hint(path: Path) -> str:
    return f": tất cả có trong {shown(path)} và khi chạy với --json"


def _run_build(
    assessment: Path, inputs: list[Path] | None, out: Path | None, as_json: bool = False, **options
) -> bool:
    with _progress() as progress:
        built = api.build(assessment, inputs, out, progress=progress, **options)
    if as_json:
        print_json(built.as_dict())
        return built.ok
    target = out or api.default_out(assessment)
    print_findings(
        built.checked.findings.items,
        f"Kiểm tra: {assessment}",
        _report_hint(Path(target) / api.FINDINGS_REPORT),
    )
    if not built.ok:
        say(f"{built.summary()} (xem danh sách trên).", "bold red")
        return False
    say(shown(assessment), "bold")
    _summary(built)
    return True


def build(
    assessment: Path = typer.Argument(..., metavar="ĐỢT", help=ASSESSMENT_HELP),
    inputs: list[Path] | None = typer.Argument(
        None, metavar="BIỂU", help=INPUTS_HELP, show_default=DEFAULT_INPUTS
    ),
    out: Path | None = typer.Option(
        None, "--out", metavar="THƯ_MỤC", help="Thư mục ghi kết quả.", show_default=DEFAULT_OUT
    ),
    allow_missing: bool = typer.Option(
        False, "--allow-missing", help="Vẫn soạn văn bản, bỏ qua các đơn vị chưa nộp."
    ),
    allow_open: bool = typer.Option(
        False,
        "--allow-open",
        help="Vẫn soạn văn bản khi Hội đồng chưa kết luận giải trình: dùng điểm thẩm định sơ "
        "bộ và liệt kê các giải trình đó.",
    ),
    strict: bool = typer.Option(False, "--strict", help="Cảnh báo cũng chặn như lỗi."),
    template: Path | None = typer.Option(
        None,
        "--template",
        metavar="TỆP_MẪU",
        help="Mẫu Quyết định khác (.docx).",
        show_default="mẫu đi kèm reportgen",
    ),
    pdf: bool = typer.Option(False, "--pdf", help="Ghi thêm quyet-dinh.pdf (cần cài LibreOffice)."),
    previous: Path | None = typer.Option(
        None,
        "--previous",
        metavar="NĂM_TRƯỚC",
        help="Kết quả năm trước để so sánh: tệp ket-qua.json hoặc thư mục đánh giá năm trước.",
        show_default="khóa previous trong assessment.toml, nếu có",
    ),
    as_json: bool = typer.Option(
        False, "--json", help="In mọi vấn đề, tình trạng từng đơn vị và các tệp đã ghi dạng JSON."
    ),
) -> None:
    """Kiểm tra biểu đã nộp rồi ghi Quyết định, phụ lục, CSV và JSON.

    Ví dụ: reportgen build samples/quang-nam-2019 --out out/qn --pdf
    """
    try:
        ok = _run_build(
            assessment,
            inputs,
            out,
            as_json,
            allow_missing=allow_missing,
            allow_open=allow_open,
            strict=strict,
            template=template,
            pdf=pdf,
            previous=previous,
        )
    except api.ConfigError as exc:
        raise config_error(exc) from None
    except api.PdfError as exc:
        say(f"Không tạo được PDF, chưa ghi tệp nào: {shown(exc)}", "bold red", err)
        raise typer.Exit(EXIT_PDF) from None
    raise typer.Exit(0 if ok else EXIT_FINDINGS)


def validate(
    assessment: Path = typer.Argument(..., metavar="ĐỢT", help=ASSESSMENT_HELP),
    inputs: list[Path] | None = typer.Argument(
        None, metavar="BIỂU", help=INPUTS_HELP, show_default=DEFAULT_INPUTS
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        metavar="THƯ_MỤC",
        help="Nơi ghi bao-cao-kiem-tra.xlsx.",
        show_default=DEFAULT_OUT,
    ),
    strict: bool = typer.Option(False, "--strict", help="Cảnh báo cũng tính là lỗi."),
    as_json: bool = typer.Option(
        False, "--json", help="In mọi vấn đề và tình trạng từng đơn vị dạng JSON."
    ),
) -> None:
    """Chỉ kiểm tra biểu đã nộp: in mọi vấn đề và ghi bao-cao-kiem-tra.xlsx.

    Mã thoát 0 khi không có gì chặn, 3 khi có lỗi (với --strict, cả cảnh báo).

    Ví dụ: reportgen validate samples/quang-nam-2019 nop-muon/
    """
    try:
        with _progress() as progress:
            checked = api.check(assessment, inputs, progress)
    except api.ConfigError as exc:
        raise config_error(exc) from None
    target = out or api.default_out(assessment)
    blocking = checked.findings.blocking(strict)
    if as_json:
        api.write_findings_report(checked, target)
        print_json(checked.as_dict(strict))
        raise typer.Exit(EXIT_FINDINGS if blocking else 0)
    path = Path(target) / api.FINDINGS_REPORT
    print_findings(checked.findings.items, f"Kiểm tra: {assessment}", _report_hint(path))
    api.write_findings_report(checked, target)
    say(f"{checked.summary()}; báo cáo: {shown(path)}")
    raise typer.Exit(EXIT_FINDINGS if blocking else 0)


def report(
    samples: Path = typer.Argument(
        Path("samples"), metavar="THƯ_MỤC", help="Thư mục chứa các thư mục đợt đánh giá."
    ),
    out: Path = typer.Option(
        Path("out"), "--out", metavar="THƯ_MỤC", help="Mỗi đợt ghi vào THƯ_MỤC/<tên đợt>."
    ),
) -> None:
    """Soạn kết quả cho mọi thư mục đợt đánh giá trong THƯ_MỤC.

    Ví dụ: reportgen report samples --out out
    """
    folders = api.assessments_under(samples)
    if not folders:
        say(f"Không có thư mục đánh giá nào (assessment.toml) trong {shown(samples)}", "red", err)
        raise typer.Exit(EXIT_USAGE)
    ok = True
    for folder in folders:
        try:
            ok = _run_build(folder, None, out / folder.name) and ok
        except api.ConfigError as exc:
            config_error(exc)
            ok = False
    raise typer.Exit(0 if ok else EXIT_FINDINGS)
