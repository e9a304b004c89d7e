"""Vietnamese for typer's own words: help screens (titles, defaults, usage line, the --help
option) and usage errors. `App` is a `typer.Typer` whose commands all speak Vietnamese."""

from __future__ import annotations

import re

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from typer import rich_utils
from typer.core import TyperCommand, TyperGroup

rich_utils.ARGUMENTS_PANEL_TITLE = "Đối số"
rich_utils.OPTIONS_PANEL_TITLE = "Tùy chọn"
rich_utils.COMMANDS_PANEL_TITLE = "Lệnh"
rich_utils.ERRORS_PANEL_TITLE = "Lỗi"
rich_utils.DEFAULT_STRING = "[mặc định: {}]"
rich_utils.REQUIRED_LONG_STRING = "[bắt buộc]"
rich_utils.ABORTED_TEXT = "Đã dừng."
HELP_OPTION = "Hiện hướng dẫn này rồi thoát."


class _Vietnamese:
    """Usage line, --help text and flag metavars in Vietnamese (flags show no `<bool>`)."""

    def get_usage(self, ctx) -> str:
        usage = super().get_usage(ctx)  # type: ignore[misc]
        usage = usage.replace("Usage:", "Cách dùng:", 1).replace("[OPTIONS]", "[TÙY CHỌN]")
        return usage.replace("COMMAND [ARGS]...", "LỆNH [ĐỐI SỐ]...")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION
            option.metavar = ""
        return option

    def get_params(self, ctx):
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
            elif param.param_type_name == "argument":  # its metavar says it: no `<path>`
                param.display_type_rich = _no_type
        return params


def _no_type(ctx) -> None:
    return None


class Command(_Vietnamese, TyperCommand):
    pass


class Group(_Vietnamese, TyperGroup):
    pass


class App(typer.Typer):
    """A Typer app whose commands and sub-apps all use the Vietnamese classes."""

    def __init__(self, **kwargs):
        super().__init__(cls=Group, rich_markup_mode="rich", **kwargs)

    def command(self, *args, **kwargs):
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)


# Usage errors: click's English message → Vietnamese, by the message's shape.
_ERRORS = [
    (r"No such option: (\S+)", "không có tùy chọn {0}"),
    (r"No such command '(.+)'\.", "không có lệnh '{0}'"),
    (r"Missing command\.", "thiếu tên lệnh"),
    (r"Missing argument '(.+)'\.", "thiếu đối số {0}"),
    (r"Missing option '(.+)'\.", "thiếu tùy chọn {0}"),
    (r"Option '(.+)' requires an argument\.", "tùy chọn {0} cần một giá trị"),
    (r"Option '(.+)' does not take a value\.", "tùy chọn {0} không nhận giá trị"),
    (r"Got unexpected extra arguments? \((.+)\)", "thừa đối số: {0}"),
    (r"Invalid value for '(.+?)': '(.+)' is not a valid integer", "{0} phải là số nguyên ('{1}')"),
    (r"Invalid value for '(.+?)': (?:'(.+)' )?", "giá trị của {0} không hợp lệ"),
]


def usage_error(message: str) -> str:
    """One usage error in Vietnamese."""
    for pattern, vietnamese in _ERRORS:
        found = re.match(pattern, message)
        if found:
            return vietnamese.format(*found.groups())
    return "lệnh gõ chưa đúng"


def _format_error(exc) -> None:
    if type(exc).__name__ == "NoArgsIsHelpError":
        return
    console = Console(stderr=True)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        console.print(escape(ctx.get_usage()))
        console.print(f"Gõ '{escape(ctx.command_path)} --help' để xem cách dùng.", style="dim")
    console.print(Panel(escape(usage_error(exc.format_message())), title="Lỗi", border_style="red"))


rich_utils.rich_format_error = _format_error
