"""The commands that prepare the work and open the desk: `init` (a new year's assessment, or
one from a methodology pack), `forms` (the blank score sheets to send), `template check` (a
decision or notice template against what reportgen provides) and `serve` (the browser desk)."""

from __future__ import annotations

from pathlib import Path

import typer

from reportgen import api
from reportgen.cli import console as terminal
from reportgen.cli.console import err, say, shown
from reportgen.cli.conventions import ASSESSMENT_HELP, DEFAULT_OUT, EXIT_USAGE, config_error
from reportgen.cli.helptext import App


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
        raise config_error(exc) from None
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
        raise config_error(exc) from None
    target = out or api.default_out(assessment) / "bieu-mau"
    paths = api.write_forms(loaded, target)
    say(f"Đã ghi {len(paths)} biểu mẫu vào {shown(target)}")


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
