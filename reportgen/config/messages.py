"""Vietnamese lines for what is wrong in an assessment file: TOML syntax and every kind of
pydantic validation error. A clerk never sees tomllib's or pydantic's English."""

from __future__ import annotations

import re
import typing

from pydantic_core import core_schema

PYDANTIC_KINDS = frozenset(typing.get_args(core_schema.ErrorType))

# One message per pydantic error kind a config value can hit; `{...}` fields come from the
# error's context. Kinds not listed fall back by family (see `_fallback`).
# A date: TOML's own, or as a clerk types it in Notepad (config.parse reads both).
DATE_HINT = 'ngày phải viết dạng 2020-01-07 (hoặc "07/01/2020": ngày trước, trong dấu nháy)'

MESSAGES = {
    "missing": "thiếu khóa bắt buộc",
    "extra_forbidden": "khóa không được hỗ trợ (viết sai tên?)",
    "int_type": "phải là một số nguyên",
    "int_parsing": "phải là một số nguyên",
    "int_parsing_size": "số nguyên quá lớn",
    "int_from_float": "phải là một số nguyên, không có phần lẻ",
    "float_type": "phải là một số",
    "float_parsing": "phải là một số",
    "decimal_type": "phải là một số (ví dụ 36 hoặc 0.5)",
    "decimal_parsing": "phải là một số (ví dụ 36 hoặc 0.5)",
    "decimal_max_digits": "có quá nhiều chữ số (tối đa {max_digits})",
    "decimal_max_places": "có quá nhiều chữ số sau dấu thập phân (tối đa {decimal_places})",
    "decimal_whole_digits": "có quá nhiều chữ số phần nguyên (tối đa {whole_digits})",
    "finite_number": "phải là một số hữu hạn",
    "multiple_of": "phải là bội số của {multiple_of}",
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải từ {ge} trở lên",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "phải từ {le} trở xuống",
    "string_type": "phải là chữ, đặt trong dấu nháy kép",
    "string_unicode": "phải là chữ Unicode hợp lệ",
    "string_too_short": "phải có ít nhất {min_length} ký tự",
    "string_too_long": "chỉ được tối đa {max_length} ký tự",
    "string_pattern_mismatch": "chỉ gồm chữ thường không dấu, chữ số, '_' hoặc '-'",
    "string_not_ascii": "chỉ được dùng chữ không dấu",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "date_type": DATE_HINT,
    "date_parsing": DATE_HINT,
    "date_from_datetime_parsing": DATE_HINT,
    "date_from_datetime_inexact": "chỉ ghi ngày (2020-01-07), không ghi giờ",
    "date_past": "phải là một ngày đã qua",
    "date_future": "phải là một ngày sắp tới",
    "datetime_type": "ngày giờ phải viết dạng 2020-01-07T08:00:00",
    "datetime_parsing": "ngày giờ phải viết dạng 2020-01-07T08:00:00",
    "datetime_from_date_parsing": "ngày giờ phải viết dạng 2020-01-07T08:00:00",
    "time_type": "giờ phải viết dạng 08:00:00",
    "time_parsing": "giờ phải viết dạng 08:00:00",
    "list_type": "phải là một danh sách [..., ...]",
    "tuple_type": "phải là một danh sách [..., ...]",
    "set_type": "phải là một danh sách [..., ...]",
    "iterable_type": "phải là một danh sách [..., ...]",
    "too_short": "phải có ít nhất {min_length} mục",
    "too_long": "chỉ được tối đa {max_length} mục",
    "dict_type": "phải là một bảng khóa = giá trị",
    "model_type": "phải là một bảng khóa = giá trị",
    "model_attributes_type": "phải là một bảng khóa = giá trị",
    "mapping_type": "phải là một bảng khóa = giá trị",
    "enum": "phải là một trong: {expected}",
    "literal_error": "phải là một trong: {expected}",
    "none_required": "không được ghi giá trị",
    "frozen_field": "không được thay đổi",
    "frozen_instance": "không được thay đổi",
    "union_tag_invalid": "loại '{tag}' không có; dùng một trong: {expected_tags}",
    "union_tag_not_found": "thiếu khóa '{discriminator}' cho biết loại",
    "url_parsing": "phải là một địa chỉ web hợp lệ",
    "url_type": "phải là một địa chỉ web",
}


_QUOTED_NOT_TEXT = {"int_type", "float_type", "decimal_type", "bool_type"}


def _fallback(kind: str) -> str:
    if kind.endswith("_type"):
        return "kiểu giá trị không đúng"
    if kind.endswith("_parsing"):
        return "không đọc được giá trị"
    return "giá trị không hợp lệ"


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(str(text).split())
    return text if len(text) <= 60 else text[:57] + "..."


def describe(err: dict) -> str:
    """One pydantic error as `key: lời nhắn (đang ghi: ...)`; our own kinds
    (`PydanticCustomError`) carry their Vietnamese message already."""
    key = ".".join(str(p) for p in err["loc"]) or "(gốc)"
    kind = err["type"]
    if kind not in PYDANTIC_KINDS:
        return err["msg"]
    context = {k: str(v).replace(" or ", " hoặc ") for k, v in (err.get("ctx") or {}).items()}
    if kind in ("value_error", "assertion_error") and "error" in context:
        return f"{key}: {context['error']}" if err["loc"] else context["error"]
    try:
        message = MESSAGES[kind].format(**context)
    except (KeyError, IndexError):
        message = _fallback(kind)
    value = err.get("input")
    if kind in _QUOTED_NOT_TEXT and isinstance(value, str):  # year = "2019", landscape = "yes"
        message += f' (đang ghi: "{_shown(value)}" — số và true/false viết không có dấu nháy)'
    elif kind not in ("missing", "extra_forbidden") and isinstance(value, (str, int, float)):
        message += f" (đang ghi: {_shown(value)})"
    return f"{key}: {message}"


# tomllib's messages, most specific first; `{0}` is the part the message quotes.
_TOML = [
    (r"Cannot declare (.+) twice", "khai báo {0} hai lần"),
    (r"Cannot (?:overwrite|mutate|redefine)", "một khóa được ghi hai lần"),
    (r"Duplicate inline table key (.+)", "khóa {0} ghi hai lần"),
    (r"Expected '=' after a key", "thiếu dấu '=' sau tên khóa"),
    (r"Expected '\]' at the end of a table", "thiếu dấu ']' đóng tên bảng"),
    (r"Expected '\]\]' at the end of an array", "thiếu dấu ']]' đóng tên bảng"),
    (r"Expected newline or end of document", "sau một giá trị phải xuống dòng"),
    (r"Expected (.+)", "thiếu {0}"),
    (r"Invalid date or datetime", DATE_HINT),
    (r"Invalid value", "giá trị sai: chữ phải đặt trong dấu nháy kép, số viết bằng dấu chấm"),
    (r"Invalid statement", "dòng không phải dạng khóa = giá trị"),
    (r"Invalid initial character for a key", "tên khóa bắt đầu bằng ký tự không hợp lệ"),
    (r"Unclosed array", "danh sách chưa đóng bằng ']'"),
    (r"Unclosed inline table", "bảng chưa đóng bằng '}}'"),
    (r"Unterminated string", "chuỗi chữ chưa đóng dấu nháy"),
    (r"Unescaped '\\' in a string", "dấu '\\' trong chuỗi phải viết thành '\\\\'"),
    (r"Illegal character '\\n'", "chuỗi chữ chưa đóng dấu nháy trước khi xuống dòng"),
    (r"(?:Illegal|Found invalid) character (.+)", "ký tự không được phép {0}"),
    (r"Invalid hex value|Escaped character", "mã ký tự sau '\\u' không hợp lệ"),
]
_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def toml_syntax(exc: Exception) -> str:
    """A tomllib decode error in Vietnamese, with its line and column."""
    text = str(exc)
    found = _WHERE.search(text)
    if found and found.group(1):
        where = f"dòng {found.group(1)}, cột {found.group(2)}"
    elif found:
        where = "cuối tệp"
    else:
        where = ""
    bare = _WHERE.sub("", text).strip()
    message = "viết sai cú pháp"
    for pattern, vietnamese in _TOML:
        match = re.match(pattern, bare)
        if match:
            message = vietnamese.format(*match.groups())
            break
    return f"cú pháp TOML sai{' ở ' + where if where else ''}: {message}"
