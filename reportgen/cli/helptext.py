"""Vietnamese for typer's own words: help screens (titles, defaults, usage line, the --help
option) and usage errors. `App` is a `typer.Typer` whose commands all speak Vietnamese."""

from __future__ import annotations

import importlib.abc
import importlib.util
import inspect
import re
import sys
from types import ModuleType

import typer
from typer.core import TyperCommand, TyperGroup

HELP_OPTION = "Hiện hướng dẫn này rồi thoát."
_RICH_HELP = "typer.rich_utils"  # typer imports it only for a help screen or a usage error
_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "Đối số",
    "OPTIONS_PANEL_TITLE": "Tùy chọn",
    "COMMANDS_PANEL_TITLE": "Lệnh",
    "ERRORS_PANEL_TITLE": "Lỗi",
    "DEFAULT_STRING": "[mặc định: {}]",
    "REQUIRED_LONG_STRING": "[bắt buộc]",
    "ABORTED_TEXT": "Đã dừng.",
}


def _translate(rich_utils: ModuleType) -> None:
    for name, text in _WORDS.items():
        setattr(rich_utils, name, text)
    rich_utils.rich_format_error = _format_error


class _TranslateOnImport(importlib.abc.MetaPathFinder):
    """Makes typer's rich help Vietnamese when typer first imports it, so a command that
    shows no help and makes no usage error never loads it (markdown, tracebacks: a fifth of
    the CLI's start-up)."""

    def find_spec(self, name, path=None, target=None):
        if name != _RICH_HELP:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            load(module)
            _translate(module)

        spec.loader.exec_module = exec_module
        return spec


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
        register = super().command(*args, **kwargs)

        def decorator(function):
            if function.__doc__:
                function.__doc__ = flowed(function.__doc__)
            return register(function)

        return decorator


def flowed(doc: str) -> str:
    """A docstring's paragraphs each on one line, so the help screen wraps them at the
    terminal's width instead of keeping the source's line breaks mid-sentence."""
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


# Usage errors: click's English message → Vietnamese, by the message's shape.
_ERRORS = [
    (r"No such option:? '?([^'\s.]+)", "không có tùy chọn {0}"),
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


# click's guesses for a mistyped command or option, in the shapes it words them.
_GUESSES = [
    r"Did you mean '([^']+)'\?",
    r"Did you mean one of: (.+?)\?",
    r"\(Possible options: (.+)\)",
]


def usage_error(message: str) -> str:
    """One usage error in Vietnamese, with click's guess at what was meant ("có phải ý bạn
    là 'build'?") when it has one."""
    text = "lệnh gõ chưa đúng"
    for pattern, vietnamese in _ERRORS:
        found = re.match(pattern, message)
        if found:
            text = vietnamese.format(*found.groups())
            break
    guess = _guess(message)
    return f"{text}; có phải ý bạn là {guess}?" if guess else text


def _guess(message: str) -> str | None:
    for pattern in _GUESSES:
        found = re.search(pattern, message)
        if found:
            names = [n.strip(" '") for n in found.group(1).split(",")]
            if len(names) == 1:
                return names[0]
            return "một trong: " + ", ".join(names)
    return None


def _format_error(exc) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.panel import Panel

    if type(exc).__name__ == "NoArgsIsHelpError":
        return
    console = Console(stderr=True)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        console.print(escape(ctx.get_usage()))
        console.print(f"Gõ '{escape(ctx.command_path)} --help' để xem cách dùng.", style="dim")
    console.print(Panel(escape(usage_error(exc.format_message())), title="Lỗi", border_style="red"))


# last: _translate needs _format_error
if _RICH_HELP in sys.modules:
    _translate(sys.modules[_RICH_HELP])
else:
    sys.meta_path.insert(0, _TranslateOnImport())
