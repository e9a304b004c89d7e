"""Printing for the command line: findings and summaries on stdout, for a terminal or a pipe.

On a terminal, findings are a table (at most a screenful; the rest are counted). When stdout
is not a terminal (redirected, piped, a CI log) each finding is one line that is never
wrapped: `file!sheet!cell: level CODE: unit: message`, so `grep` finds it. Text that came
from workbooks, the config or paths never reaches the terminal raw: control characters and
escape sequences are shown escaped (`shown`), and nothing is read as rich markup."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from reportgen.api import Finding, Severity

PIPED_LIMIT = 100  # findings printed when stdout is not a terminal (all are in the report)
SCREEN_RESERVE = 8  # terminal lines kept for the title, header, summary and prompt
LEVEL = {Severity.ERROR: "lỗi", Severity.WARNING: "cảnh báo"}
_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow"}
# C0/C1 controls (ESC starts terminal escape sequences), DEL, and bidirectional overrides
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

out = Console(highlight=False, emoji=False)
err = Console(stderr=True, highlight=False, emoji=False)


def shown(value: object) -> str:
    """Text safe to print: control characters as `\\x01`, ESC as `\\x1b` (so `ESC ]0;…` sets
    no window title and `ESC [2J` clears no screen)."""
    return _UNSAFE.sub(_escape, str(value))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def say(text: str, style: str | None = None, console: Console | None = None) -> None:
    """Print one line of our own words around `shown` values, never parsed as markup."""
    console = console or out
    if console.is_terminal:
        console.print(Text(text, style=style or ""), soft_wrap=True)
    else:
        console.file.write(text + "\n")
        console.file.flush()


def line(f: Finding) -> str:
    """A finding as one line: `file!sheet!cell: lỗi CODE: unit: message`."""
    unit = f"{shown(f.unit)}: " if f.unit else ""
    return f"{shown(f.location.ref)}: {LEVEL[f.severity]} {f.code}: {unit}{shown(f.message)}"


def limit(console: Console) -> int:
    """How many findings fit: a screenful on a terminal, `PIPED_LIMIT` otherwise."""
    if not console.is_terminal:
        return PIPED_LIMIT
    height = console.size.height or shutil.get_terminal_size().lines
    return max(10, height - SCREEN_RESERVE)


def print_findings(findings: Sequence[Finding], title: str, more: str = "") -> None:
    """Errors first, then warnings; at most `limit()` of them, then a count of the rest
    (`more` says where all of them are)."""
    if not findings:
        return
    ordered = sorted(findings, key=lambda f: f.severity is not Severity.ERROR)
    cap = limit(out)
    shown_now, rest = ordered[:cap], ordered[cap:]
    if out.is_terminal:
        _table(shown_now, title)
    else:
        say(shown(title))
        for f in shown_now:
            say(line(f))
    if rest:
        errors = sum(f.severity is Severity.ERROR for f in rest)
        say(
            f"… và {len(rest)} phát hiện khác ({errors} lỗi, {len(rest) - errors} cảnh báo){more}.",
            "bold",
        )


def _table(findings: Sequence[Finding], title: str) -> None:
    from rich.table import Table  # 12 ms: only when findings are shown as a table

    table = Table(title=Text(shown(title)), show_lines=False)
    for column in ("Vị trí", "Mức", "Mã", "Đơn vị", "Nội dung"):
        table.add_column(column, overflow="fold")
    for f in findings:
        table.add_row(
            Text(shown(f.location.ref)),
            Text(LEVEL[f.severity], style=_STYLE[f.severity]),
            Text(f.code),
            Text(shown(f.unit or "—")),
            Text(shown(f.message)),
        )
    out.print(table)
