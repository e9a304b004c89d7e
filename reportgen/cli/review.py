"""The commands of the verification round and after it: `notices` (the preliminary notices
and answer workbooks for the units whose scores were changed) and `audit` (a published annex
recomputed, and the correction its errors call for drafted)."""

from __future__ import annotations

from pathlib import Path

import typer

from reportgen import api
from reportgen.cli.console import err, print_findings, say, shown
from reportgen.cli.conventions import (
    ASSESSMENT_HELP,
    DEFAULT_INPUTS,
    DEFAULT_OUT,
    EXIT_FINDINGS,
    EXIT_PARTIAL,
    EXIT_USAGE,
    INPUTS_HELP,
    config_error,
    print_json,
)


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
        raise config_error(exc) from None
    for notice in done.notices:
        say(f"  {shown(notice.unit)}: {len(notice.rows)} tiêu chí điều chỉnh")
    if done.unchanged:
        say(f"Không có thông báo ({len(done.unchanged)} đơn vị không có điều chỉnh):")
        say("  " + shown(", ".join(done.unchanged)))
    folder = done.written[0].parent if done.written else out
    say(f"Đã ghi {len(done.notices)} thông báo và phiếu giải trình vào {shown(folder)}", "green")


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
        raise config_error(exc) from None
    if as_json:
        print_json(result.as_dict())
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
        raise config_error(exc) from None
    except OSError as exc:
        say(f"Không ghi được dự thảo: {shown(exc)}", "bold red", err)
        raise typer.Exit(EXIT_USAGE) from None
    if not quiet:
        say(shown(f"Đã ghi dự thảo quyết định sửa đổi phụ lục: {path}"), "green")
