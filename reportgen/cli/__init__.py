"""Command line: a thin typer shell over `reportgen.api` — parse, call, print, exit.

Exit codes: 0 done; 2 usage, configuration or template error; 3 findings block the result;
4 the PDF could not be made (nothing written)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import typer

from reportgen import __version__, api
from reportgen.cli import console as terminal
from reportgen.cli.console import err, print_findings, say, shown
from reportgen.cli.helptext import App

EXIT_USAGE, EXIT_FINDINGS = 2, 3
EXIT_PDF = 4
EXIT_PARTIAL = 5  # audit: nothing wrong in what it compared, but not everything was compared

app = App(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Xếp hạng mức độ ứng dụng CNTT từ biểu chấm điểm Excel và soạn dự thảo Quyết định.\n\n"
    "Người dùng văn phòng: gõ reportgen serve để làm việc trên trình duyệt.",
)
# Shared parameter texts (the command's own help says what it does with them).
ASSESSMENT_HELP = "Thư mục đợt đánh giá (có assessment.toml) hoặc chính tệp .toml."
INPUTS_HELP = "Các tệp biểu chấm điểm hoặc thư mục chứa chúng."
DEFAULT_INPUTS = "ĐỢT/submissions"
DEFAULT_OUT = "out/<tên thư mục đợt>"


def _version(value: bool) -> None:
    if value:
        say(f"reportgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Hiện số phiên bản rồi thoát."
    ),
) -> None:
    """reportgen: nhận biểu chấm điểm, ra dự thảo Quyết định của tỉnh."""


def _config_error(exc: api.ConfigError) -> typer.Exit:
    say(f"Lỗi cấu hình {shown(exc.path)}:", "bold red", err)
    for problem in exc.problems:
        say(f"  - {shown(problem)}", console=err)
    return typer.Exit(EXIT_USAGE)


def _json(document: dict) -> None:
    """One JSON document on stdout (numbers written digit for digit, as in ket-qua.json)."""
    typer.echo(api.dumps(document))


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
        _json(built.as_dict())
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


@app.command()
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
        raise _config_error(exc) from None
    except api.PdfError as exc:
        say(f"Không tạo được PDF, chưa ghi tệp nào: {shown(exc)}", "bold red", err)
        raise typer.Exit(EXIT_PDF) from None
    raise typer.Exit(0 if ok else EXIT_FINDINGS)


@app.command()
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
        raise _config_error(exc) from None
    target = out or api.default_out(assessment)
    blocking = checked.findings.blocking(strict)
    if as_json:
        api.write_findings_report(checked, target)
        _json(checked.as_dict(strict))
        raise typer.Exit(EXIT_FINDINGS if blocking else 0)
    path = Path(target) / api.FINDINGS_REPORT
    print_findings(checked.findings.items, f"Kiểm tra: {assessment}", _report_hint(path))
    api.write_findings_report(checked, target)
    say(f"{checked.summary()}; báo cáo: {shown(path)}")
    raise typer.Exit(EXIT_FINDINGS if blocking else 0)


@app.command()
def forms(
    assessment: Path = typer.Argument(..., metavar="ĐỢT", help=ASSESSMENT_HELP),
    out: Path | None = typer.Option(
        None,
        "--out",
        metavar="THƯ_MỤC",
        help="Nơi ghi các biểu mẫu.",
        show_default=DEFAULT_OUT + "/bieu-mau",
    ),
) -> None:
    """Ghi cho mỗi đơn vị trong danh sách một biểu chấm điểm trống để gửi đi.

    Ví dụ: reportgen forms samples/quang-nam-2019 --out bieu-mau-2019
    """
    try:
        loaded = api.load(assessment)
    except api.ConfigError as exc:
        raise _config_error(exc) from None
    target = out or api.default_out(assessment) / "bieu-mau"
    paths = api.write_forms(loaded, target)
    say(f"Đã ghi {len(paths)} biểu mẫu vào {shown(target)}")


@app.command()
def notices(
    assessment: Path = typer.Argument(..., metavar="ĐỢT", help=ASSESSMENT_HELP),
    inputs: list[Path] | None = typer.Argument(
        None, metavar="BIỂU", help=INPUTS_HELP, show_default=DEFAULT_INPUTS
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        metavar="THƯ_MỤC",
        help="Nơi ghi thông báo, phiếu giải trình và tệp nén.",
        show_default=DEFAULT_OUT + "/thong-bao",
    ),
    template: Path | None = typer.Option(
        None,
        "--template",
        metavar="TỆP_MẪU",
        help="Mẫu thông báo khác (.docx).",
        show_default="templates/thong-bao.docx đi kèm",
    ),
) -> None:
    """Ghi thông báo kết quả thẩm định sơ bộ (Word) và phiếu giải trình (Excel) cho mỗi đơn
    vị có điểm bị điều chỉnh hoặc thiếu minh chứng, và một tệp nén tất cả.

    Ví dụ: reportgen notices samples/da-nang-2025
    """
    try:
        done = api.notices(assessment, inputs, out, template)
    except api.ConfigError as exc:
        raise _config_error(exc) from None
    for notice in done.notices:
        say(f"  {shown(notice.unit)}: {len(notice.rows)} tiêu chí điều chỉnh")
    if done.unchanged:
        say(f"Không có thông báo ({len(done.unchanged)} đơn vị không có điều chỉnh):")
        say("  " + shown(", ".join(done.unchanged)))
    folder = done.written[0].parent if done.written else out
    say(f"Đã ghi {len(done.notices)} thông báo và phiếu giải trình vào {shown(folder)}", "green")


@app.command()
def init(
    folder: Path = typer.Argument(..., metavar="THƯ_MỤC", help="Thư mục đợt mới cần tạo."),
    source: Path | None = typer.Option(
        None,
        "--from",
        metavar="ĐỢT_CŨ",
        help="Thư mục đợt đánh giá năm trước (hoặc tệp assessment.toml của nó).",
    ),
    methodology: str | None = typer.Option(
        None,
        "--methodology",
        metavar="BỘ_CHỈ_SỐ",
        help="Bắt đầu từ một bộ chỉ số có sẵn (dti-2022-tinh, par-index-2024, da-nang-2025).",
    ),
    year: int | None = typer.Option(
        None,
        "--year",
        metavar="NĂM",
        help="Năm của đợt mới.",
        show_default="năm của đợt cũ + 1; với --methodology: năm nay",
    ),
) -> None:
    """Tạo đợt đánh giá năm mới từ đợt năm trước: giữ cơ quan ban hành, tiêu chí, xếp loại,
    khối và đơn vị; đổi năm trong các đoạn văn; để trống (<<CẦN ĐIỀN>>) số và ngày Quyết
    định, Tờ trình và người ký (build sẽ từ chối cho đến khi điền). Với --methodology: tạo
    đợt mới từ bộ chỉ số có sẵn (ghi tên, phiên bản và nguồn vào assessment.toml), phần
    riêng của tỉnh để trống.

    Ví dụ: reportgen init quang-nam-2020 --from samples/quang-nam-2019 --year 2020
    Ví dụ: reportgen init cchc-2025 --methodology par-index-2024 --year 2025
    """
    if (source is None) == (methodology is None):
        say("Cần đúng một trong --from ĐỢT_CŨ và --methodology BỘ_CHỈ_SỐ.", "bold red", err)
        raise typer.Exit(EXIT_USAGE)
    try:
        if methodology is not None:
            new = api.from_methodology(methodology, folder, year)
        else:
            new = api.new_year(source, folder, year)
    except api.ConfigError as exc:
        raise _config_error(exc) from None
    except api.InitError as exc:
        say(f"Không tạo được: {shown(exc)}", "bold red", err)
        raise typer.Exit(EXIT_USAGE) from None
    if methodology is not None:
        made = shown(folder / "assessment.toml")
        say(f"Đã tạo {made} cho năm {new.year} theo bộ chỉ số {shown(methodology)}.")
    else:
        moved = shown(", ".join(new.moved) or "không có")
        say(
            f"Đã tạo {shown(folder / 'assessment.toml')} cho năm {new.year} "
            f"(từ năm {new.source_year}); đã đổi năm trong: {moved}."
        )
    say("Các bước tiếp theo:", "bold")
    for n, step in enumerate(new.next_steps(), 1):
        say(f"  {n}. {shown(step)}")


@app.command()
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
            _config_error(exc)
            ok = False
    raise typer.Exit(0 if ok else EXIT_FINDINGS)


@app.command()
def audit(
    assessment: Path = typer.Argument(..., metavar="ĐỢT", help=ASSESSMENT_HELP),
    published: Path = typer.Argument(
        ...,
        metavar="PHỤ_LỤC",
        help="Phụ lục đã ban hành: .docx, .xlsx/.xls/.ods hoặc văn bản phân cách bằng tab.",
    ),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON."),
    draft: Path | None = typer.Option(
        None,
        "--draft-correction",
        metavar="TỆP",
        help="Có lỗi nội dung thì ghi dự thảo quyết định sửa đổi phụ lục (Nghị định "
        "30/2020/NĐ-CP, Điều 18) vào TỆP .docx (hoặc thư mục: du-thao-sua-doi.docx).",
    ),
) -> None:
    """Tính lại một phụ lục đã ban hành, chỉ ra chỗ tự mâu thuẫn hoặc lệch với cấu hình.

    Mã thoát: 0 khớp (đã đối chiếu hết); 3 có lỗi; 5 không thấy sai nhưng còn cột chưa
    đối chiếu được (xem [audit] columns trong docs/formats.md).

    Ví dụ: reportgen audit samples/quang-nam-2019 samples/quang-nam-2019/tong-hop.xlsx
    --draft-correction out/sua-doi.docx
    """
    try:
        result = api.audit(assessment, published)
    except api.ConfigError as exc:
        raise _config_error(exc) from None
    if as_json:
        _json(result.as_dict())
    else:
        for table in result.tables:
            group = f" (khối {table.group.name})" if table.group else ""
            say(shown(f"  {table.location}{group}: {len(table.rows)} đơn vị"))
        print_findings(result.findings.items, f"Kiểm tra phụ lục: {published}", " (--json)")
        if result.tables:
            say(shown(f"  {result.summary()}"))
        colour = "green" if result.ok and result.complete else "yellow" if result.ok else "red"
        say(shown(result.verdict()), colour)
    if draft is not None:
        _draft_correction(result, draft, as_json)
    if not result.ok:
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(0 if result.complete else EXIT_PARTIAL)


def _draft_correction(result, target: Path, quiet: bool) -> None:
    """Write the correction draft an audit calls for, or say why there is none."""
    try:
        path = api.draft_correction(result, target)
    except api.NothingToCorrect:
        if not quiet:
            say("Không có lỗi nội dung nào cần sửa: không tạo dự thảo sửa đổi.")
        return
    except api.ConfigError as exc:
        raise _config_error(exc) from None
    except OSError as exc:
        say(f"Không ghi được dự thảo: {shown(exc)}", "bold red", err)
        raise typer.Exit(EXIT_USAGE) from None
    if not quiet:
        say(shown(f"Đã ghi dự thảo quyết định sửa đổi phụ lục: {path}"), "green")


@app.command()
def serve(
    workspace: Path = typer.Argument(
        Path("."),
        metavar="THƯ_MỤC",
        help="Thư mục làm việc chứa các thư mục đợt đánh giá.",
        show_default="thư mục đang đứng",
    ),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        metavar="ĐỊA_CHỈ",
        help="Địa chỉ lắng nghe. Khác 127.0.0.1 thì cần mã truy cập (in ra khi chạy).",
    ),
    port: int = typer.Option(8765, "--port", metavar="CỔNG", help="Cổng của trang."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Không tự mở trình duyệt."),
    public_url: str = typer.Option(
        "",
        "--public-url",
        metavar="URL",
        help="Địa chỉ HTTPS mà máy chủ proxy của tỉnh phục vụ (để các đơn vị tự nộp); "
        "trang cán bộ khi đó cần mã truy cập.",
    ),
    trusted_proxy: str = typer.Option(
        "",
        "--trusted-proxy",
        metavar="ĐỊA_CHỈ",
        help="Địa chỉ IP của máy chủ proxy: chỉ tin các tiêu đề X-Forwarded-* từ địa chỉ này.",
    ),
) -> None:
    """Mở bàn làm việc trên trình duyệt: tạo đợt mới, tải biểu mẫu, nhận biểu, xem tình
    trạng, tạo và tải văn bản; mở cho đơn vị tự nộp qua đường dẫn riêng.

    Ví dụ: reportgen serve D:\\xep-hang-cntt --port 8765
    """
    from reportgen.web.server import ServeError
    from reportgen.web.server import serve as run

    try:
        run(
            workspace,
            host,
            port,
            not no_browser,
            lambda line: say(shown(line)),
            public_url=public_url or None,
            trusted_proxy=trusted_proxy or None,
        )
    except ServeError as exc:
        say(f"Không chạy được trang: {shown(exc)}", "bold red", err)
        raise typer.Exit(EXIT_USAGE) from None


template_app = App(
    no_args_is_help=True, help="Mẫu Quyết định (.docx có thẻ Jinja) mà văn thư sửa trong Word."
)
app.add_typer(template_app, name="template")


@template_app.command("check")
def template_check(
    file: Path | None = typer.Argument(
        None,
        metavar="TỆP_MẪU",
        help="Mẫu cần kiểm tra.",
        show_default="templates/quyet-dinh.docx đi kèm",
    ),
    notice: bool = typer.Option(
        False,
        "--thong-bao",
        help="Mẫu thông báo kết quả thẩm định sơ bộ (tệp tên thong-bao*.docx được nhận ra tự "
        "động).",
    ),
) -> None:
    """Đối chiếu các tên mẫu dùng với những gì reportgen cung cấp; tìm thẻ bị Word tách
    thành nhiều đoạn và thẻ {%p %} cạnh dấu ngắt section. Mã thoát 2 khi mẫu chưa dùng được.

    Ví dụ: reportgen template check templates/quyet-dinh.docx
    """
    from rich.table import Table
    from rich.text import Text

    report = api.template_check(file, notice=notice)
    table = Table(title=Text(shown(f"Mẫu: {report.path}")))
    table.add_column("Tên trong mẫu")
    table.add_column("reportgen cung cấp")
    for name in report.used:
        provided = report.status(name)
        table.add_row(
            Text(shown(name)), Text("có" if provided else "không", "green" if provided else "red")
        )
    if report.used:
        terminal.out.print(table)
    for problem in report.findings:
        level = "lỗi" if problem.severity == "error" else "cảnh báo"
        say(f"{level} {problem.code}: {shown(problem)}", console=err)
    if not report.ok:
        say(report.summary(), "bold red", err)
        raise typer.Exit(EXIT_USAGE)
    say(report.summary(), "green")


def main() -> None:
    try:
        app()
    except OSError as exc:  # an output folder that cannot be written, a full disk ...
        where = f" {exc.filename}" if exc.filename else ""
        say(f"Không ghi/đọc được tệp{shown(where)}: {shown(exc.strerror or exc)}", "bold red", err)
        sys.exit(EXIT_USAGE)
