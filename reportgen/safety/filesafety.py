"""Decide what an uploaded file really is, and whether it is safe to parse, before any parser runs.

Agencies send "Excel" files that are often something else: an HTML page or a CSV renamed to
.xls by a web portal, a PDF, a Word document, a password-protected workbook, a truncated
download, or (rarely, but it must not hang the tool) a zip bomb. :func:`sniff` looks only at
magic bytes and container metadata (zip central directory, OLE2/CFB directory), never at the
extension, never decompresses data to judge it, and returns a :class:`Sniff` whose
``refusal`` carries a stable code and a Vietnamese message for the clerk.
"""

from __future__ import annotations

import codecs
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from reportgen.core.catalogue import message

# --- Limits -----------------------------------------------------------------------------------
# A score sheet is tens or hundreds of kilobytes; 50 MiB is already absurd for one.
MAX_FILE_BYTES = 50 * 1024 * 1024
# A real workbook has tens of zip entries; thousands mean a crafted or wrong archive.
MAX_ZIP_ENTRIES = 10_000
# Bytes a parser may have to inflate in total; real score sheets unpack to a few MiB.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# Worksheet XML deflates ~5-30x; ~1000x is what zeros give, i.e. a bomb.
MAX_COMPRESSION_RATIO = 100
# Small entries cannot do harm whatever their ratio, so only judge entries above this size.
RATIO_MIN_ENTRY_BYTES = 1024 * 1024
# Central directory bytes we read into memory; 10 000 real entries need under 1 MiB of it.
MAX_CENTRAL_DIRECTORY_BYTES = MAX_ZIP_ENTRIES * 512
# Entries read from an OLE2/CFB directory; a real .xls has a few dozen.
MAX_CFB_DIRECTORY_ENTRIES = 100_000

_HEAD_BYTES = 64 * 1024  # what we look at to recognise text formats


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


def _refused(kind: FileKind, code: str, name: str, **params: object) -> Sniff:
    return Sniff(kind, Refusal(code, {"name": name, **params}))


@dataclass(frozen=True)
class Sniff:
    """Result of :func:`sniff`; ``refusal`` is None only for XLSX, XLSM, XLS and ODS."""

    kind: FileKind
    refusal: Refusal | None


# --- Messages ---------------------------------------------------------------------------------
_RESAVE = "hãy mở tệp gốc bằng Excel, lưu lại (Save As) dạng Excel Workbook (.xlsx) rồi gửi lại."
_WHAT: dict[FileKind, tuple[str, str]] = {
    FileKind.HTML: ("trang HTML (trang web)", _RESAVE),
    FileKind.CSV: ("tệp văn bản CSV (các giá trị phân tách bằng dấu phẩy/chấm phẩy)", _RESAVE),
    FileKind.TEXT: ("tệp văn bản thuần", "hãy gửi lại đúng tệp bảng tính Excel."),
    FileKind.PDF: ("tài liệu PDF", "hãy xin lại tệp Excel gốc rồi gửi lại."),
    FileKind.DOCX: ("tài liệu Word (.docx)", "hãy gửi lại đúng tệp bảng tính Excel."),
    FileKind.ZIP: ("tệp nén ZIP", "hãy giải nén và gửi riêng tệp bảng tính Excel."),
    FileKind.UNKNOWN: ("tệp không rõ định dạng", "hãy gửi lại đúng tệp bảng tính Excel."),
}


def describe(kind: FileKind) -> str:
    """What a file of `kind` is, in a clerk's words ("tài liệu Word (.docx)")."""
    if kind in _WHAT:
        return _WHAT[kind][0]
    return {FileKind.EMPTY: "tệp rỗng", FileKind.ENCRYPTED: "tệp có mật khẩu"}.get(
        kind, "bảng tính Excel"
    )


def _not_spreadsheet(name: str, kind: FileKind, what: str | None = None) -> Sniff:
    default_what, todo = _WHAT[kind]
    return _refused(kind, FILE_NOT_SPREADSHEET, name, what=what or default_what, todo=todo)


def _corrupt(name: str, detail: str, kind: FileKind = FileKind.UNKNOWN) -> Sniff:
    return _refused(kind, FILE_CORRUPT, name, detail=detail)


def _bomb(name: str, detail: str) -> Sniff:
    return _refused(FileKind.ZIP, FILE_ZIP_BOMB, name, detail=detail)


def _encrypted(name: str) -> Sniff:
    return _refused(FileKind.ENCRYPTED, FILE_ENCRYPTED, name)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


# --- Entry point ------------------------------------------------------------------------------
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path) -> Sniff:
    """Classify ``path`` by content and say whether it may be parsed.

    Never raises for any file content; raises ``OSError`` only if the file cannot be read.
    """
    path = Path(path)
    name = path.name
    size = path.stat().st_size
    if size == 0:
        return _empty(name)
    if size > MAX_FILE_BYTES:
        limit = f"{MAX_FILE_BYTES / (1024 * 1024):.0f}"
        return _refused(FileKind.UNKNOWN, FILE_TOO_LARGE, name, size=_megabytes(size), limit=limit)
    with path.open("rb") as f:
        head = f.read(_HEAD_BYTES)
        if head.startswith(_ZIP_MAGICS):
            return _sniff_zip(name, f, size)
        if head.startswith(_CFB_MAGIC):
            return _sniff_cfb(name, f, size)
        if _is_blank(head) and _rest_is_blank(f, head):
            return _empty(name)
    return _sniff_head(name, head)


# --- Evidence (minh chứng) ---------------------------------------------------------------------
# What a unit may attach to a criterion on its own page: scans and photos of documents, and the
# documents themselves. A scanned decision of a few pages is a few MB; 20 MiB leaves room.
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_KINDS = (
    FileKind.PDF,
    FileKind.PNG,
    FileKind.JPEG,
    FileKind.DOCX,
    FileKind.XLSX,
    FileKind.XLSM,
    FileKind.XLS,
    FileKind.ODS,
)
_IMAGE_MAGICS = ((b"\x89PNG\r\n\x1a\n", FileKind.PNG), (b"\xff\xd8\xff", FileKind.JPEG))


def sniff_evidence(path: Path) -> Sniff:
    """Classify an evidence file by content: a PDF, a PNG or JPEG picture, a Word document or a
    workbook is accepted (``refusal`` None); anything else, an empty, oversized, encrypted,
    damaged or bomb-like file is refused with a message for the unit."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_EVIDENCE_BYTES:
        limit = MAX_EVIDENCE_BYTES // (1024 * 1024)
        return _refused(
            FileKind.UNKNOWN, FILE_EVIDENCE_TOO_LARGE, path.name, size=_megabytes(size), limit=limit
        )
    with path.open("rb") as f:
        head = f.read(16)
    for magic, kind in _IMAGE_MAGICS:
        if head.startswith(magic):
            return Sniff(kind, None)
    judged = sniff(path)
    if judged.kind in EVIDENCE_KINDS and (
        judged.refusal is None or judged.refusal.code == FILE_NOT_SPREADSHEET
    ):
        return Sniff(judged.kind, None)
    if judged.refusal is not None and judged.refusal.code != FILE_NOT_SPREADSHEET:
        return judged
    return _refused(judged.kind, FILE_NOT_EVIDENCE, path.name)


def _empty(name: str) -> Sniff:
    return _refused(FileKind.EMPTY, FILE_EMPTY, name)


# --- Text formats -----------------------------------------------------------------------------
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WHITESPACE = b" \t\r\n\f\v"


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


def _sniff_head(name: str, head: bytes) -> Sniff:
    stripped = head.lstrip(_WHITESPACE)
    if stripped.startswith(b"%PDF-"):
        return _not_spreadsheet(name, FileKind.PDF)
    text = _decode_text(head)
    if text is None:
        return _not_spreadsheet(name, FileKind.UNKNOWN)
    start = _skip_prolog(text.lower())
    if start.startswith(_HTML_STARTS):
        return _not_spreadsheet(name, FileKind.HTML)
    if start.startswith("<workbook") and "urn:schemas-microsoft-com:office:spreadsheet" in start:
        # Excel 2003 "XML Spreadsheet", another common portal export; no parser of ours reads it.
        return _not_spreadsheet(name, FileKind.TEXT, "bảng tính dạng XML Spreadsheet 2003")
    if _looks_delimited(text):
        return _not_spreadsheet(name, FileKind.CSV)
    return _not_spreadsheet(name, FileKind.TEXT)


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


# --- Zip containers (xlsx, xlsm, ods, docx) ---------------------------------------------------
_CT_SPREADSHEET = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
)
_CT_MACRO = (
    "application/vnd.ms-excel.sheet.macroenabled.main+xml",
    "application/vnd.ms-excel.template.macroenabled.main+xml",
)
_CT_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # [Content_Types].xml is a few KiB
_LOCAL_HEADER_BYTES = 30  # fixed part of a zip local file header
# Any error zipfile or struct can raise on a malformed archive.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    EOFError,
    OSError,
    ValueError,  # includes UnicodeDecodeError for bad UTF-8 entry names
    struct.error,
    OverflowError,
    IndexError,
    zlib.error,
)


def _sniff_zip(name: str, f: io.BufferedReader, size: int) -> Sniff:
    directory = _central_directory(f, size)
    if directory is None:
        return _corrupt(name, "tệp nén bị cắt cụt hoặc mục lục hỏng")
    declared, cd_start, cd_size = directory
    if declared > MAX_ZIP_ENTRIES:
        return _bomb(name, f"{declared} mục nén, tối đa {MAX_ZIP_ENTRIES}")
    if cd_size > MAX_CENTRAL_DIRECTORY_BYTES:
        return _bomb(name, "mục lục tệp nén quá lớn")
    # The declared count may lie; zipfile would build one object per record actually present,
    # so count the records first (cheap) and stop as soon as there are too many.
    counted = _count_records(f, cd_start, cd_size, MAX_ZIP_ENTRIES + 1)
    if counted is None:
        return _corrupt(name, "mục lục tệp nén hỏng")
    if counted > MAX_ZIP_ENTRIES:
        return _bomb(name, f"hơn {MAX_ZIP_ENTRIES} mục nén")
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            problem = _zip_problem(name, zf.infolist(), size)
            if problem is not None:
                return problem
            return _classify_zip(name, zf)
    except _ZIP_ERRORS:
        return _corrupt(name, "không đọc được tệp nén")


def _central_directory(f: io.BufferedReader, size: int) -> tuple[int, int, int] | None:
    """(declared entry count, start, size) of the central directory, located the way zipfile
    does (backwards from the end record), or None if there is no usable end record."""
    tail_len = min(size, 22 + 0xFFFF + 76)  # end record + longest comment + zip64 records
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < 22:
        return None
    _, _, _, _, entries, cd_size, _, _ = struct.unpack_from("<4s4H2LH", tail, pos)
    end_record = size - tail_len + pos
    if pos >= 20 and tail.startswith(b"PK\x06\x07", pos - 20):  # zip64 locator
        if pos < 76 or not tail.startswith(b"PK\x06\x06", pos - 76):
            return None
        record = struct.unpack_from("<4sQ2H2L4Q", tail, pos - 76)
        entries, cd_size = record[7], record[8]
        end_record -= 76
    cd_start = end_record - cd_size
    if cd_start < 0:
        return None
    return entries, cd_start, cd_size


def _count_records(f: io.BufferedReader, start: int, cd_size: int, limit: int) -> int | None:
    """Number of central directory records (at most ``limit``), or None if malformed."""
    f.seek(start)
    data = f.read(cd_size)
    count = pos = 0
    while pos < len(data) and count < limit:
        if pos + 46 > len(data) or not data.startswith(b"PK\x01\x02", pos):
            return None
        name_len, extra_len, comment_len = struct.unpack_from("<3H", data, pos + 28)
        pos += 46 + name_len + extra_len + comment_len
        count += 1
    return count


def _zip_problem(name: str, infos: list[zipfile.ZipInfo], size: int) -> Sniff | None:
    """Judge bombs and untrustworthy entries from central directory sizes only."""
    if len(infos) > MAX_ZIP_ENTRIES:
        return _bomb(name, f"{len(infos)} mục nén, tối đa {MAX_ZIP_ENTRIES}")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        mib = total / (1024 * 1024)
        return _bomb(name, f"giải nén ra {mib:.0f} MB, tối đa {MAX_UNCOMPRESSED_BYTES >> 20} MB")
    for info in infos:
        if info.flag_bits & 0x1:
            return _encrypted(name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return _corrupt(name, "kiểu nén không hỗ trợ", FileKind.ZIP)
        if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
            return _corrupt(name, "kích thước khai báo sai", FileKind.ZIP)
        if info.file_size > RATIO_MIN_ENTRY_BYTES and (
            info.compress_size == 0 or info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
        ):
            return _bomb(name, f"tỉ lệ nén của '{info.filename}' vượt {MAX_COMPRESSION_RATIO} lần")
    # Entries must lie one after another inside the file: overlapping entries are how a small
    # archive declares far more data than it holds; running past the end means it is truncated.
    end_of_previous = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset < end_of_previous:
            return _bomb(name, "các mục nén chồng lên nhau")
        end_of_previous = info.header_offset + _LOCAL_HEADER_BYTES + info.compress_size
        if end_of_previous > size:
            return _corrupt(name, "tệp nén bị cắt cụt", FileKind.ZIP)
    return None


def _classify_zip(name: str, zf: zipfile.ZipFile) -> Sniff:
    names = {n.lower(): n for n in zf.namelist()}
    if "mimetype" in names:
        info = zf.getinfo(names["mimetype"])
        mimetype = zf.read(info).strip() if info.file_size <= 256 else b""
        if mimetype == _ODS_MIMETYPE:
            if "content.xml" not in names:
                return _corrupt(name, "thiếu phần content.xml", FileKind.ODS)
            return Sniff(FileKind.ODS, None)
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            return _not_spreadsheet(
                name, FileKind.ZIP, "tài liệu OpenDocument không phải bảng tính"
            )
    if "[content_types].xml" not in names:
        if "xl/workbook.xml" in names:
            return _corrupt(name, "thiếu [Content_Types].xml", FileKind.XLSX)
        if "word/document.xml" in names:
            return _not_spreadsheet(name, FileKind.DOCX)
        return _not_spreadsheet(name, FileKind.ZIP)
    info = zf.getinfo(names["[content_types].xml"])
    if info.file_size > _MAX_CONTENT_TYPES_BYTES:
        return _corrupt(name, "[Content_Types].xml bất thường", FileKind.ZIP)
    overrides = _content_type_overrides(zf.read(info))
    if overrides is None:
        return _corrupt(name, "[Content_Types].xml hỏng", FileKind.ZIP)
    for part, content_type in overrides:
        if content_type in _CT_SPREADSHEET or content_type in _CT_MACRO:
            macro = content_type in _CT_MACRO or any(n.endswith("vbaproject.bin") for n in names)
            kind = FileKind.XLSM if macro else FileKind.XLSX
            if part not in names:
                return _corrupt(name, "thiếu phần workbook", kind)
            return Sniff(kind, None)
        if content_type == _CT_WORD:
            return _not_spreadsheet(name, FileKind.DOCX)
    if "xl/workbook.xml" in names:  # no workbook override declared: the name still tells
        return _corrupt(name, "[Content_Types].xml không khai báo workbook", FileKind.XLSX)
    if "word/document.xml" in names:
        return _not_spreadsheet(name, FileKind.DOCX)
    return _not_spreadsheet(name, FileKind.ZIP, "tệp nén ZIP hoặc tài liệu Office khác")


def _content_type_overrides(xml: bytes) -> list[tuple[str, str]] | None:
    """(lower-case part name without leading '/', lower-case content type) pairs, or None."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(xml, forbid_dtd=True)
    except (DefusedXmlException, ParseError, ValueError):
        return None
    pairs = []
    for element in root:
        if element.tag.rsplit("}", 1)[-1] == "Override":
            part = element.get("PartName", "").lstrip("/").lower()
            pairs.append((part, element.get("ContentType", "").strip().lower()))
    return pairs


# --- OLE2 / Compound File Binary (xls, encrypted OOXML) ---------------------------------------
_FREESECT = 0xFFFFFFFF
_MAXREGSECT = 0xFFFFFFFA


def _sniff_cfb(name: str, f: io.BufferedReader, size: int) -> Sniff:
    try:
        streams = _cfb_entry_names(f, size)
    except _CfbError as error:
        return _corrupt(name, f"tệp Excel 97-2003 hỏng: {error}")
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        return _encrypted(name)
    if "workbook" in streams or "book" in streams:
        return Sniff(FileKind.XLS, None)
    if "worddocument" in streams:
        return _not_spreadsheet(name, FileKind.UNKNOWN, "tài liệu Word 97-2003 (.doc)")
    return _not_spreadsheet(name, FileKind.UNKNOWN, "tệp Office 97-2003 không chứa bảng tính")


class _CfbError(Exception):
    pass


def _cfb_entry_names(f: io.BufferedReader, size: int) -> set[str]:
    """Lower-cased names of all storages and streams in the CFB directory."""
    f.seek(0)
    header = f.read(512)
    if len(header) < 512:
        raise _CfbError("thiếu phần đầu")
    byte_order, sector_shift = struct.unpack_from("<HH", header, 0x1C)
    if byte_order != 0xFFFE or sector_shift not in (9, 12):
        raise _CfbError("phần đầu sai")
    sector_size = 1 << sector_shift
    per_sector = sector_size // 4
    sector_count = -(-size // sector_size) - 1  # sectors after the header, last one may be short
    # 0x30: first directory sector, transaction signature, mini stream cutoff, first mini FAT
    # sector, mini FAT sector count, first DIFAT sector, DIFAT sector count
    first_dir, _, _, _, _, first_difat, difat_count = struct.unpack_from("<7L", header, 0x30)
    fat_sectors = [s for s in struct.unpack_from("<109L", header, 0x4C) if s <= _MAXREGSECT]

    def read_sector(sector: int) -> bytes:
        if sector >= sector_count:
            raise _CfbError("số hiệu sector vượt quá tệp")
        f.seek((sector + 1) * sector_size)
        return f.read(sector_size).ljust(sector_size, b"\0")

    sector = first_difat
    for _ in range(min(difat_count, sector_count)):
        if sector > _MAXREGSECT:
            break
        entries = struct.unpack(f"<{per_sector}L", read_sector(sector))
        fat_sectors.extend(s for s in entries[:-1] if s <= _MAXREGSECT)
        sector = entries[-1]

    fat_cache: dict[int, tuple[int, ...]] = {}

    def next_sector(sector: int) -> int:
        index, slot = divmod(sector, per_sector)
        if index >= len(fat_sectors):
            raise _CfbError("bảng FAT thiếu")
        if index not in fat_cache:
            fat_cache[index] = struct.unpack(f"<{per_sector}L", read_sector(fat_sectors[index]))
        return fat_cache[index][slot]

    names: set[str] = set()
    seen: set[int] = set()
    sector = first_dir
    while sector <= _MAXREGSECT:
        if sector in seen or len(seen) * (sector_size // 128) >= MAX_CFB_DIRECTORY_ENTRIES:
            raise _CfbError("thư mục lặp vòng")
        seen.add(sector)
        data = read_sector(sector)
        for offset in range(0, len(data) - 127, 128):
            (name_len,) = struct.unpack_from("<H", data, offset + 0x40)
            object_type = data[offset + 0x42]
            if object_type in (1, 2, 5) and 2 <= name_len <= 64:
                raw = data[offset : offset + name_len - 2]
                names.add(raw.decode("utf-16-le", errors="replace").lower())
        sector = next_sector(sector)
    if not seen:
        raise _CfbError("không có thư mục")
    return names


# --- XML hardening ----------------------------------------------------------------------------
def enable_defusedxml() -> None:
    """Make XML parsing in this process refuse entity bombs and external entities.

    Call once at start-up, before opening workbooks. Checked against the sources of
    defusedxml 0.7.1 and openpyxl 3.1.5:

    * ``defusedxml.defuse_stdlib()`` (marked experimental by defusedxml) replaces the parse
      functions of ``xml.etree.ElementTree``, ``xml.dom.minidom``, ``xml.dom.pulldom``,
      ``xml.sax``, the expat builders and ``xmlrpc``: a DTD that declares an entity then raises
      ``defusedxml.EntitiesForbidden``, an external reference ``ExternalReferenceForbidden``.
      It patches module attributes, so a name bound earlier with
      ``from xml.etree.ElementTree import fromstring`` keeps the unsafe function.
    * openpyxl needs no patch. On import it sets ``openpyxl.DEFUSEDXML`` when defusedxml is
      importable and the environment variable ``OPENPYXL_DEFUSEDXML`` is unset or "True"; its
      ``iterparse`` (worksheets, shared strings) is then defusedxml's. Its ``fromstring``
      (workbook, rels, styles) is defusedxml's too unless lxml is installed (python-docx pulls it
      in) and ``OPENPYXL_LXML`` is not "False": then it is lxml with ``resolve_entities=False``,
      and libxml2's own limits reject a billion-laughs with ``lxml.etree.XMLSyntaxError``.
      openpyxl re-raises these as ``ValueError("Unable to read workbook...")`` from the original.
      This function raises ``RuntimeError`` if openpyxl is already imported with ``DEFUSEDXML``
      off (it does not import openpyxl itself: start-up time).
    * Parsers that do not use Python's XML modules (python-calamine, lxml called directly) are
      affected by neither mechanism.
    """
    import sys
    import warnings

    import defusedxml

    with warnings.catch_warnings():  # defuse_stdlib imports its own deprecated cElementTree
        warnings.simplefilter("ignore", DeprecationWarning)
        defusedxml.defuse_stdlib()
    openpyxl = sys.modules.get("openpyxl")  # decides at its own import; not imported here
    if openpyxl is not None and not getattr(openpyxl, "DEFUSEDXML", False):
        raise RuntimeError(
            "openpyxl is not using defusedxml (is OPENPYXL_DEFUSEDXML set to something other "
            "than 'True'?); refusing to parse untrusted workbooks."
        )
