"""Reading an assessment file: the folder or file found, the TOML parsed within bounds, its
text checked and the model validated; any problem becomes a `ConfigError` whose lines name
the key and the problem."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import ValidationError

from reportgen.config.assessment import Assessment
from reportgen.config.blanks import BLANK, find_blanks, items_where
from reportgen.config.criteria_set import MAX_TREE_DEPTH
from reportgen.config.messages import describe, toml_syntax
from reportgen.core.text import has_control, visible

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(Exception):
    """The assessment file is missing or wrong; `problems` are lines for a clerk."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))

    def __reduce__(self):  # raised in a child process (`bounded`), raised again here
        return type(self), (self.path, self.problems)


def resolve_path(path: Path) -> Path:
    """An assessment folder means its `assessment.toml`."""
    return path / "assessment.toml" if path.is_dir() else path


def load(path: Path) -> Assessment:
    """Read and validate an assessment file (or folder); raise `ConfigError` if wrong."""
    file = resolve_path(Path(path))
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(file, ["không tìm thấy tệp cấu hình assessment.toml"]) from None
    except UnicodeDecodeError:
        raise ConfigError(file, [not_config_text(file)]) from None
    except OSError as exc:
        raise ConfigError(file, [f"không đọc được tệp: {exc.strerror or exc}"]) from None
    return parse(text, file)


def not_config_text(file: Path) -> str:
    """Why `file`, which is not UTF-8 text, cannot be an assessment file: what it really is
    (a decision .docx, a PDF, a workbook given as ĐỢT) and what to give instead."""
    from reportgen.safety.sniff import sniff
    from reportgen.safety.verdict import describe

    what = describe(sniff(file).kind)
    return (
        f"'{file.name}' là {what}, không phải tệp cấu hình: ĐỢT phải là thư mục đợt đánh giá "
        "(có assessment.toml) hoặc chính tệp assessment.toml (văn bản UTF-8)"
    )


MAX_NESTING = 40  # tables and lists inside each other in the file (a 10-level tree needs ~25)


def parse(text: str, file: Path) -> Assessment:
    """Validate the text of an assessment file; `file` names it in a `ConfigError`. Nesting
    deeper than `MAX_NESTING` is refused before anything walks it (tomllib and pydantic
    recurse)."""
    too_deep = (
        f"assessment.toml lồng bảng và danh sách quá sâu (tối đa {MAX_NESTING} tầng; cây "
        f"tiêu chí tối đa {MAX_TREE_DEPTH} tầng)"
    )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file, [toml_syntax(exc)]) from None
    except RecursionError:
        raise ConfigError(file, [too_deep]) from None
    if _nesting(data) > MAX_NESTING:
        raise ConfigError(file, [too_deep])
    controls = items_where(data, has_control)
    if controls:  # lxml and openpyxl refuse them, a terminal acts on them
        raise ConfigError(file, [_control_line(key, text) for key, text in controls])
    blanks = find_blanks(data)
    decision = data.get("decision")
    if isinstance(decision, dict):
        _typed_from_text(decision)
    try:
        assessment = Assessment.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        lines = [line for err in errors for line in describe(err).splitlines()]
        raise ConfigError(file, lines) from None
    assessment._blanks = tuple(blanks)
    return assessment


def _nesting(data: object) -> int:
    """How deep tables and lists lie inside each other in parsed TOML (walked with a stack,
    stopping past `MAX_NESTING`)."""
    deepest, stack = 0, [(data, 0)]
    while stack and deepest <= MAX_NESTING:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth + 1)
            stack.extend((v, depth + 1) for v in value)
    return deepest


def _typed_from_text(decision: dict) -> None:
    """The decision's number and date as a clerk may write them in Notepad, in place: a blank
    reads as None; `number = "52"` (the quotes of the blank kept) as 52; a date in quotes as
    the day it names (`"07/01/2020"` day first, or `"2020-01-07"`)."""
    from reportgen.core.vnformat import read_date

    number, date = decision.get("number"), decision.get("date")
    if number == BLANK:
        decision["number"] = None
    elif isinstance(number, str) and number.strip().isascii() and number.strip().isdigit():
        decision["number"] = int(number)
    if date == BLANK:
        decision["date"] = None
    elif isinstance(date, str) and read_date(date):
        decision["date"] = read_date(date)


def _control_line(key: str, text: str) -> str:
    shown = ", ".join(dict.fromkeys(visible(ch) for ch in text if has_control(ch)))
    return f"{key}: có ký tự điều khiển không in được ({shown}): hãy xóa ký tự đó"
