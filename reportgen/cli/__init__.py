"""Command line: a thin typer shell over `reportgen.api` — parse, call, print, exit.

`app` holds the commands, registered here from the modules of their jobs: `runs` (validate,
build, report), `review` (notices, audit) and `setup` (init, forms, template check, serve).

Exit codes (`conventions`): 0 done; 2 usage, configuration or template error; 3 findings
block the result; 4 the PDF could not be made (nothing written); 5 an audit found nothing
wrong but could not compare everything."""

from __future__ import annotations

import sys

import typer

from reportgen import __version__
from reportgen.cli import review, runs, setup
from reportgen.cli.console import err, say, shown
from reportgen.cli.conventions import EXIT_FINDINGS, EXIT_PARTIAL, EXIT_PDF, EXIT_USAGE
from reportgen.cli.helptext import App

__all__ = ["app", "main", "EXIT_USAGE", "EXIT_FINDINGS", "EXIT_PDF", "EXIT_PARTIAL"]

app = App(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Xếp hạng mức độ ứng dụng CNTT từ biểu chấm điểm Excel và soạn dự thảo Quyết định.\n\n"
    "Người dùng văn phòng: gõ reportgen serve để làm việc trên trình duyệt.",
)
for command in (
    runs.build,
    runs.validate,
    setup.forms,
    review.notices,
    setup.init,
    runs.report,
    review.audit,
    setup.serve,
):
    app.command()(command)
app.add_typer(setup.template_app, name="template")


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


def main() -> None:
    try:
        app()
    except OSError as exc:  # an output folder that cannot be written, a full disk ...
        where = f" {exc.filename}" if exc.filename else ""
        say(f"Không ghi/đọc được tệp{shown(where)}: {shown(exc.strerror or exc)}", "bold red", err)
        sys.exit(EXIT_USAGE)
