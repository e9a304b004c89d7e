"""What every command keeps to: the exit codes, the words of the parameters several commands
share, a configuration error reported one way, a JSON document on stdout."""

from __future__ import annotations

import typer

from reportgen import api
from reportgen.cli.console import err, say, shown

EXIT_USAGE, EXIT_FINDINGS = 2, 3
EXIT_PDF = 4
EXIT_PARTIAL = 5  # audit: nothing wrong in what it compared, but not everything was compared

# Shared parameter texts (the command's own help says what it does with them).
ASSESSMENT_HELP = "Thư mục đợt đánh giá (có assessment.toml) hoặc chính tệp .toml."
INPUTS_HELP = "Các tệp biểu chấm điểm hoặc thư mục chứa chúng."
DEFAULT_INPUTS = "ĐỢT/submissions"
DEFAULT_OUT = "out/<tên thư mục đợt>"


def config_error(exc: api.ConfigError) -> typer.Exit:
    """Every problem of an unusable `assessment.toml` on stderr; the exit (2) to raise."""
    say(f"Lỗi cấu hình {shown(exc.path)}:", "bold red", err)
    for problem in exc.problems:
        say(f"  - {shown(problem)}", console=err)
    return typer.Exit(EXIT_USAGE)


def print_json(document: dict) -> None:
    """One JSON document on stdout (numbers written digit for digit, as in ket-qua.json)."""
    typer.echo(api.dumps(document))
