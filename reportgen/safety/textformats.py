"""What a file that is no container (neither zip nor OLE2) is, from its first bytes: blank, a
PDF, an HTML page, an Excel 2003 XML Spreadsheet, CSV or plain text — never a spreadsheet we
read, so always refused with words saying what it is."""

from __future__ import annotations

import codecs
import io

from reportgen.safety.verdict import FileKind, Sniff, not_spreadsheet

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WHITESPACE = b" \t\r\n\f\v"


def blank(head: bytes, f: io.BufferedReader) -> bool:
    """Whether a file holds only whitespace (after a byte order mark): `head` is its start,
    `f` the file positioned after it (read on only when the head is blank)."""
    return _is_blank(head) and _rest_is_blank(f, head)


def _is_blank(data: bytes) -> bool:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            if encoding != "utf-8":
                data = data.replace(b"\x00", b"")
            break
    return not data.strip(_WHITESPACE)


def _rest_is_blank(f: io.BufferedReader, head: bytes) -> bool:
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    while chunk := f.read(1024 * 1024):
        if utf16:
            chunk = chunk.replace(b"\x00", b"")
        if chunk.strip(_WHITESPACE):
            return False
    return True


def _decode_text(head: bytes) -> str | None:
    """Decode the head of a file if it looks like text, else None (binary)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            return decoder.decode(head[len(bom) :], final=False)
    if b"\x00" in head:
        return None
    try:
        # final=False: the head may end in the middle of a multi-byte character.
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        # Legacy 8-bit Vietnamese encodings (TCVN3, VNI, cp1258): only ASCII matters below.
        text = head.decode("latin-1")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > max(2, len(text) // 100):
        return None
    return text


_HTML_STARTS = ("<html", "<!doctype html", "<table", "<head", "<body", "<meta")


def sniff_text(name: str, head: bytes) -> Sniff:
    """The refusal of the file `name` whose first bytes are `head`, saying what it is."""
    stripped = head.lstrip(_WHITESPACE)
    if stripped.startswith(b"%PDF-"):
        return not_spreadsheet(name, FileKind.PDF)
    text = _decode_text(head)
    if text is None:
        return not_spreadsheet(name, FileKind.UNKNOWN)
    start = _skip_prolog(text.lower())
    if start.startswith(_HTML_STARTS):
        return not_spreadsheet(name, FileKind.HTML)
    if start.startswith("<workbook") and "urn:schemas-microsoft-com:office:spreadsheet" in start:
        # Excel 2003 "XML Spreadsheet", another common portal export; no parser of ours reads it.
        return not_spreadsheet(name, FileKind.TEXT, "bảng tính dạng XML Spreadsheet 2003")
    if _looks_delimited(text):
        return not_spreadsheet(name, FileKind.CSV)
    return not_spreadsheet(name, FileKind.TEXT)


def _skip_prolog(text: str) -> str:
    """Drop leading whitespace, an XML declaration, processing instructions and comments."""
    text = text.lstrip()
    for _ in range(20):
        if text.startswith("<?"):
            closing = "?>"
        elif text.startswith("<!--"):
            closing = "-->"
        else:
            return text
        end = text.find(closing)
        if end < 0:
            return text
        text = text[end + len(closing) :].lstrip()
    return text


def _looks_delimited(text: str) -> bool:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) > 1:
        lines = lines[:-1]  # the head may cut the last line short
    if not lines:
        return False
    return any(
        sum(1 for line in lines if delimiter in line) >= max(1, (len(lines) * 4) // 5)
        for delimiter in (",", ";", "\t")
    )
