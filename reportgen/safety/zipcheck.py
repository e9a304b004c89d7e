"""Whether a zip container (.xlsx, .xlsm, .ods, .docx) is safe to open, and what it holds.

Judged from the central directory alone, nothing decompressed: entry counts and sizes against
the limits below (a zip bomb), encrypted or untrustworthy entries, entries overlapping or
running past the end; then the declared content types (or the ODF `mimetype`) say whether it is
a workbook, a Word document or some other archive."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from reportgen.safety.verdict import FileKind, Sniff, bomb, corrupt, encrypted, not_spreadsheet

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


def sniff_zip(name: str, f: io.BufferedReader, size: int) -> Sniff:
    """The verdict on the zip file `name` open as `f` (`size` bytes): an .xlsx, .xlsm or .ods,
    or refused (a bomb, damaged, encrypted, or another kind of archive)."""
    directory = _central_directory(f, size)
    if directory is None:
        return corrupt(name, "zip_no_directory")
    declared, cd_start, cd_size = directory
    if declared > MAX_ZIP_ENTRIES:
        return bomb(name, "entries", entries=declared, limit=MAX_ZIP_ENTRIES)
    if cd_size > MAX_CENTRAL_DIRECTORY_BYTES:
        return bomb(name, "directory")
    # The declared count may lie; zipfile would build one object per record actually present,
    # so count the records first (cheap) and stop as soon as there are too many.
    counted = _count_records(f, cd_start, cd_size, MAX_ZIP_ENTRIES + 1)
    if counted is None:
        return corrupt(name, "zip_bad_directory")
    if counted > MAX_ZIP_ENTRIES:
        return bomb(name, "more_entries", limit=MAX_ZIP_ENTRIES)
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            problem = _zip_problem(name, zf.infolist(), size)
            if problem is not None:
                return problem
            return _classify_zip(name, zf)
    except _ZIP_ERRORS:
        return corrupt(name, "zip_unreadable")


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
        return bomb(name, "entries", entries=len(infos), limit=MAX_ZIP_ENTRIES)
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        size = f"{total / (1024 * 1024):.0f}"
        return bomb(name, "size", size=size, limit=MAX_UNCOMPRESSED_BYTES >> 20)
    for info in infos:
        if info.flag_bits & 0x1:
            return encrypted(name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return corrupt(name, "zip_compression", FileKind.ZIP)
        if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
            return corrupt(name, "zip_stored_size", FileKind.ZIP)
        if info.file_size > RATIO_MIN_ENTRY_BYTES and (
            info.compress_size == 0 or info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
        ):
            return bomb(name, "ratio", entry=info.filename, limit=MAX_COMPRESSION_RATIO)
    # Entries must lie one after another inside the file: overlapping entries are how a small
    # archive declares far more data than it holds; running past the end means it is truncated.
    end_of_previous = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset < end_of_previous:
            return bomb(name, "overlap")
        end_of_previous = info.header_offset + _LOCAL_HEADER_BYTES + info.compress_size
        if end_of_previous > size:
            return corrupt(name, "zip_truncated", FileKind.ZIP)
    return None


def _classify_zip(name: str, zf: zipfile.ZipFile) -> Sniff:
    names = {n.lower(): n for n in zf.namelist()}
    if "mimetype" in names:
        info = zf.getinfo(names["mimetype"])
        mimetype = zf.read(info).strip() if info.file_size <= 256 else b""
        if mimetype == _ODS_MIMETYPE:
            if "content.xml" not in names:
                return corrupt(name, "zip_no_content", FileKind.ODS)
            return Sniff(FileKind.ODS, None)
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            return not_spreadsheet(name, FileKind.ZIP, "tài liệu OpenDocument không phải bảng tính")
    if "[content_types].xml" not in names:
        if "xl/workbook.xml" in names:
            return corrupt(name, "zip_no_content_types", FileKind.XLSX)
        if "word/document.xml" in names:
            return not_spreadsheet(name, FileKind.DOCX)
        return not_spreadsheet(name, FileKind.ZIP)
    info = zf.getinfo(names["[content_types].xml"])
    if info.file_size > _MAX_CONTENT_TYPES_BYTES:
        return corrupt(name, "zip_content_types_too_large", FileKind.ZIP)
    overrides = _content_type_overrides(zf.read(info))
    if overrides is None:
        return corrupt(name, "zip_content_types_broken", FileKind.ZIP)
    for part, content_type in overrides:
        if content_type in _CT_SPREADSHEET or content_type in _CT_MACRO:
            macro = content_type in _CT_MACRO or any(n.endswith("vbaproject.bin") for n in names)
            kind = FileKind.XLSM if macro else FileKind.XLSX
            if part not in names:
                return corrupt(name, "zip_no_workbook", kind)
            return Sniff(kind, None)
        if content_type == _CT_WORD:
            return not_spreadsheet(name, FileKind.DOCX)
    if "xl/workbook.xml" in names:  # no workbook override declared: the name still tells
        return corrupt(name, "zip_workbook_undeclared", FileKind.XLSX)
    if "word/document.xml" in names:
        return not_spreadsheet(name, FileKind.DOCX)
    return not_spreadsheet(name, FileKind.ZIP, "tệp nén ZIP hoặc tài liệu Office khác")


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
