"""The verdict on a file: what it really is (`FileKind`) and, when it must not be parsed, why
(`Refusal`: a catalogued code with its parameters), with the clerk's words for each kind.

Every part of the sniffing (`sniff`, `textformats`, `zipcheck`, `cfb`) states its verdict
through the constructors here, so a refusal of one kind reads the same wherever it is found."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from reportgen.core.catalogue import message


class FileKind(str, Enum):
    """What a file really is, judged from its content."""

    XLSX = "xlsx"
    XLSM = "xlsm"
    XLS = "xls"
    ODS = "ods"
    HTML = "html"
    CSV = "csv"
    TEXT = "text"
    PDF = "pdf"
    DOCX = "docx"
    ZIP = "zip"
    ENCRYPTED = "encrypted"
    PNG = "png"
    JPEG = "jpeg"
    EMPTY = "empty"
    UNKNOWN = "unknown"


FILE_EMPTY = "FILE_EMPTY"
FILE_TOO_LARGE = "FILE_TOO_LARGE"
FILE_NOT_SPREADSHEET = "FILE_NOT_SPREADSHEET"
FILE_ENCRYPTED = "FILE_ENCRYPTED"
FILE_CORRUPT = "FILE_CORRUPT"
FILE_ZIP_BOMB = "FILE_ZIP_BOMB"
FILE_NOT_EVIDENCE = "FILE_NOT_EVIDENCE"
FILE_EVIDENCE_TOO_LARGE = "FILE_EVIDENCE_TOO_LARGE"


@dataclass(frozen=True)
class Refusal:
    """Why a file must not be parsed: a catalogued ``code`` and the ``params`` its words are
    filled with (the file's ``name`` and what was found); ``message`` is for a clerk."""

    code: str
    params: dict[str, object]

    @property
    def message(self) -> str:
        return message(self.code, **self.params)

    def naming(self, shown: str) -> str:
        """The message with the file named as `shown` (the name it was sent under)."""
        return message(self.code, **{**self.params, "name": shown})


@dataclass(frozen=True)
class Sniff:
    """Result of :func:`reportgen.safety.sniff.sniff`; ``refusal`` is None only for XLSX,
    XLSM, XLS and ODS."""

    kind: FileKind
    refusal: Refusal | None


def refused(kind: FileKind, code: str, name: str, **params: object) -> Sniff:
    """A file `name` of `kind` refused with `code`, its message filled with `params`."""
    return Sniff(kind, Refusal(code, {"name": name, **params}))


# --- Messages ---------------------------------------------------------------------------------
# What a file of each kind is, in a clerk's words, and the case of FILE_NOT_SPREADSHEET saying
# what to do with it (the catalogue holds those words).
_WHAT: dict[FileKind, tuple[str, str]] = {
    FileKind.HTML: ("trang HTML (trang web)", "resave"),
    FileKind.CSV: ("tệp văn bản CSV (các giá trị phân tách bằng dấu phẩy/chấm phẩy)", "resave"),
    FileKind.TEXT: ("tệp văn bản thuần", "resend"),
    FileKind.PDF: ("tài liệu PDF", "original"),
    FileKind.DOCX: ("tài liệu Word (.docx)", "resend"),
    FileKind.ZIP: ("tệp nén ZIP", "unzip"),
    FileKind.UNKNOWN: ("tệp không rõ định dạng", "resend"),
}


def describe(kind: FileKind) -> str:
    """What a file of `kind` is, in a clerk's words ("tài liệu Word (.docx)")."""
    if kind in _WHAT:
        return _WHAT[kind][0]
    return {FileKind.EMPTY: "tệp rỗng", FileKind.ENCRYPTED: "tệp có mật khẩu"}.get(
        kind, "bảng tính Excel"
    )


def not_spreadsheet(name: str, kind: FileKind, what: str | None = None) -> Sniff:
    """FILE_NOT_SPREADSHEET: `name` is a `kind` (described as `what`, default the kind's words)."""
    default_what, case = _WHAT[kind]
    return refused(kind, FILE_NOT_SPREADSHEET, name, case=case, what=what or default_what)


def corrupt(name: str, case: str, kind: FileKind = FileKind.UNKNOWN, **params: object) -> Sniff:
    """FILE_CORRUPT: `name` is damaged, as the catalogue's `case` says it."""
    return refused(kind, FILE_CORRUPT, name, case=case, **params)


def bomb(name: str, case: str, **params: object) -> Sniff:
    """FILE_ZIP_BOMB: `name` would expand beyond the limits, as the catalogue's `case` says
    it, filled with `params` (the counts, sizes and limit)."""
    return refused(FileKind.ZIP, FILE_ZIP_BOMB, name, case=case, **params)


def encrypted(name: str) -> Sniff:
    """FILE_ENCRYPTED: `name` has a password."""
    return refused(FileKind.ENCRYPTED, FILE_ENCRYPTED, name)


def empty(name: str) -> Sniff:
    """FILE_EMPTY: `name` holds nothing (or only whitespace)."""
    return refused(FileKind.EMPTY, FILE_EMPTY, name)


def megabytes(size: int) -> str:
    """`size` bytes as MiB with one decimal, as the size messages show it."""
    return f"{size / (1024 * 1024):.1f}"
