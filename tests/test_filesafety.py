"""Tests for the file sniffing of reportgen.safety (sniff, zipcheck, cfb, textformats, xmlsafe);
every fixture is built here, in tmp_path."""

from __future__ import annotations

import io
import os
import random
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.safety import sniff as sniffing
from reportgen.safety import zipcheck
from reportgen.safety.sniff import sniff
from reportgen.safety.verdict import (
    FILE_CORRUPT,
    FILE_EMPTY,
    FILE_ENCRYPTED,
    FILE_NOT_SPREADSHEET,
    FILE_TOO_LARGE,
    FILE_ZIP_BOMB,
    FileKind,
    Sniff,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024


# --- builders ---------------------------------------------------------------------------------
def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Cơ quan", "Điểm"])
    ws.append([1, "Sở Thông tin và Truyền thông", 87.5])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rezip(source: bytes, edit) -> bytes:
    """Copy a zip, letting edit(name, data) return new data, or None to drop the entry."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def cfb_bytes(stream_names: list[str]) -> bytes:
    """A minimal version-3 Compound File: 512-byte sectors, one FAT sector, one directory
    sector holding the root entry and empty streams named stream_names (at most 3)."""
    assert len(stream_names) <= 3
    free, end_of_chain, fat_sect, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = struct.pack(
        "<8s16sHHHHH6sLLLLLLLLL",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,  # minor version
        3,  # major version
        0xFFFE,  # byte order
        9,  # sector shift: 512-byte sectors
        6,  # mini sector shift
        b"\0" * 6,
        0,  # directory sectors (always 0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,  # transaction signature
        4096,  # mini stream cutoff
        end_of_chain,  # first mini FAT sector
        0,  # mini FAT sectors
        end_of_chain,  # first DIFAT sector
        0,  # DIFAT sectors
    )
    header += struct.pack("<109L", 0, *([free] * 108))  # FAT lives in sector 0
    assert len(header) == 512
    fat = struct.pack("<128L", fat_sect, end_of_chain, *([free] * 126))

    def entry(name: str, kind: int, child: int, right: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return struct.pack(
            "<64sHBBLLL16sLQQLQ",
            raw,
            len(raw),
            kind,
            1,  # black
            no_stream,  # left sibling
            right,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            end_of_chain,  # start sector: empty stream
            0,  # size
        )

    entries = [entry("Root Entry", 5, 1 if stream_names else no_stream, no_stream)]
    for i, name in enumerate(stream_names, start=1):
        entries.append(entry(name, 2, no_stream, i + 1 if i < len(stream_names) else no_stream))
    directory = b"".join(entries).ljust(512, b"\0")
    return header + fat + directory


def assert_refused(result: Sniff, code: str, kind: FileKind | None = None) -> None:
    assert result.refusal is not None, result
    assert result.refusal.code == code, result
    assert result.refusal.message  # a clerk must always get a sentence
    if kind is not None:
        assert result.kind == kind, result


# --- spreadsheets that may be parsed ----------------------------------------------------------
def test_real_xlsx_is_accepted_whatever_its_name(tmp_path: Path) -> None:
    data = xlsx_bytes()
    assert sniff(write(tmp_path / "diem.xlsx", data)) == Sniff(FileKind.XLSX, None)
    assert sniff(write(tmp_path / "diem.xls", data)) == Sniff(FileKind.XLSX, None)


def test_xlsm_is_recognised(tmp_path: Path) -> None:
    def make_macro_enabled(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        return data

    data = rezip(xlsx_bytes(), make_macro_enabled)
    data = rezip(data, lambda name, d: d)  # still valid after a second copy
    with zipfile.ZipFile(io.BytesIO(data), "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really VBA")
    assert sniff(write(tmp_path / "macro.xlsm", data)) == Sniff(FileKind.XLSM, None)


def test_vba_project_alone_makes_xlsm(tmp_path: Path) -> None:
    buffer = io.BytesIO(xlsx_bytes())
    with zipfile.ZipFile(buffer, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"vba")
    assert sniff(write(tmp_path / "a.xlsx", buffer.getvalue())).kind == FileKind.XLSM


def test_hand_made_ods_is_recognised(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # stored, first
        zf.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", "<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    assert sniff(write(tmp_path / "diem.ods", out.getvalue())) == Sniff(FileKind.ODS, None)


def test_xls_cfb_with_workbook_stream_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "diem.xls", cfb_bytes(["Workbook", "\x05SummaryInformation"]))
    assert sniff(path) == Sniff(FileKind.XLS, None)


# --- files that are not spreadsheets ----------------------------------------------------------
@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        b"\xef\xbb\xbf  \r\n<!DOCTYPE html>\n<html lang='vi'>",
        b"<TABLE border=1><TR><TD>STT</TD></TR></TABLE>",
        b'<?xml version="1.0"?>\n<!-- exported -->\n<html xmlns="http://www.w3.org/1999/xhtml">',
        "\ufeff<html><td>Điểm</td></html>".encode("utf-16-le"),
    ],
)
def test_html_renamed_to_xls_is_refused(tmp_path: Path, content: bytes) -> None:
    result = sniff(write(tmp_path / "x.xls", content))
    assert_refused(result, FILE_NOT_SPREADSHEET, FileKind.HTML)
    assert "Tệp 'x.xls' thực chất là trang HTML" in result.refusal.message
    assert "không phải bảng tính Excel" in result.refusal.message


@pytest.mark.parametrize(
    "content",
    [
        "STT,Cơ quan,Điểm\n1,Sở Y tế,80\n2,Sở Tài chính,75\n".encode(),
        b"\xef\xbb\xbfSTT;Co quan;Diem\r\n1;So Y te;80\r\n",
        "STT\tCơ quan\tĐiểm\n1\tSở Y tế\t80\n".encode("utf-16"),  # Excel "Unicode Text"
        b"STT,C\xac quan\n1,S\xdf N\xa9i v\xf9\n",  # legacy 8-bit (TCVN3-like), not UTF-8
    ],
)
def test_csv_renamed_to_xlsx_is_refused(tmp_path: Path, content: bytes) -> None:
    result = sniff(write(tmp_path / "diem.xlsx", content))
    assert_refused(result, FILE_NOT_SPREADSHEET, FileKind.CSV)
    assert "CSV" in result.refusal.message and "'diem.xlsx'" in result.refusal.message


def test_plain_text_is_refused(tmp_path: Path) -> None:
    result = sniff(write(tmp_path / "ghichu.xls", "Xin gửi bảng điểm sau.\n".encode()))
    assert_refused(result, FILE_NOT_SPREADSHEET, FileKind.TEXT)


def test_excel_2003_xml_spreadsheet_gets_its_own_message(tmp_path: Path) -> None:
    content = (
        b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
    )
    result = sniff(write(tmp_path / "x.xls", content))
    assert_refused(result, FILE_NOT_SPREADSHEET, FileKind.TEXT)
    assert "XML Spreadsheet 2003" in result.refusal.message


def test_pdf_is_refused(tmp_path: Path) -> None:
    content = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
    result = sniff(write(tmp_path / "diem.xlsx", content))
    assert_refused(result, FILE_NOT_SPREADSHEET, FileKind.PDF)
    assert "PDF" in result.refusal.message


def test_docx_like_zip_is_refused(tmp_path: Path) -> None:
    content_types = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    data = zip_bytes({"[Content_Types].xml": content_types, "word/document.xml": b"<w:document/>"})
    result = sniff(write(tmp_path / "diem.xlsx", data))
    assert_refused(result, FILE_NOT_SPREADSHEET, FileKind.DOCX)
    assert "Word" in result.refusal.message


def test_other_zip_is_refused(tmp_path: Path) -> None:
    data = zip_bytes({"diem.xlsx": b"not inspected", "readme.txt": b"hello"})
    result = sniff(write(tmp_path / "nop.xls", data))
    assert_refused(result, FILE_NOT_SPREADSHEET, FileKind.ZIP)
    assert "ZIP" in result.refusal.message


def test_word_97_document_is_refused(tmp_path: Path) -> None:
    result = sniff(write(tmp_path / "x.xls", cfb_bytes(["WordDocument", "1Table"])))
    assert_refused(result, FILE_NOT_SPREADSHEET, FileKind.UNKNOWN)
    assert "Word" in result.refusal.message


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    data = random.Random(20240101).randbytes(4096)
    assert_refused(sniff(write(tmp_path / "x.xlsx", data)), FILE_NOT_SPREADSHEET, FileKind.UNKNOWN)


# --- empty, too large, corrupt, encrypted -----------------------------------------------------
@pytest.mark.parametrize(
    "content", [b"", b"   \r\n\t  \n", b"\xef\xbb\xbf \n", " \n".encode("utf-16")]
)
def test_empty_or_blank_file_is_refused(tmp_path: Path, content: bytes) -> None:
    assert_refused(sniff(write(tmp_path / "x.xlsx", content)), FILE_EMPTY, FileKind.EMPTY)


def test_blank_file_larger_than_the_head_is_still_empty(tmp_path: Path) -> None:
    assert_refused(sniff(write(tmp_path / "x.xls", b" " * 200_000)), FILE_EMPTY)
    assert_refused(sniff(write(tmp_path / "y.xls", b" " * 200_000 + b"x")), FILE_NOT_SPREADSHEET)


def test_file_over_max_bytes_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "big.xlsx", xlsx_bytes())
    monkeypatch.setattr(sniffing, "MAX_FILE_BYTES", 1000)
    result = sniff(path)
    assert_refused(result, FILE_TOO_LARGE)
    assert "quá lớn" in result.refusal.message


def test_truncated_xlsx_is_corrupt(tmp_path: Path) -> None:
    data = xlsx_bytes()
    assert_refused(sniff(write(tmp_path / "x.xlsx", data[: len(data) // 2])), FILE_CORRUPT)


def test_xlsx_without_content_types_is_corrupt(tmp_path: Path) -> None:
    data = rezip(xlsx_bytes(), lambda name, d: None if name == "[Content_Types].xml" else d)
    result = sniff(write(tmp_path / "x.xlsx", data))
    assert_refused(result, FILE_CORRUPT, FileKind.XLSX)
    assert "[Content_Types].xml" in result.refusal.message


def test_xlsx_without_workbook_part_is_corrupt(tmp_path: Path) -> None:
    data = rezip(xlsx_bytes(), lambda name, d: None if name == "xl/workbook.xml" else d)
    assert_refused(sniff(write(tmp_path / "x.xlsx", data)), FILE_CORRUPT, FileKind.XLSX)


def test_bad_cfb_header_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(cfb_bytes(["Workbook"]))
    data[0x1C:0x1E] = b"\x00\x00"  # byte order mark destroyed
    assert_refused(sniff(write(tmp_path / "x.xls", bytes(data))), FILE_CORRUPT)
    short = cfb_bytes(["Workbook"])[:300]
    assert_refused(sniff(write(tmp_path / "y.xls", short)), FILE_CORRUPT)


def test_cfb_directory_pointing_outside_the_file_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(cfb_bytes(["Workbook"]))
    data[0x30:0x34] = struct.pack("<L", 5000)  # first directory sector
    assert_refused(sniff(write(tmp_path / "x.xls", bytes(data))), FILE_CORRUPT)


def test_cfb_directory_loop_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(cfb_bytes(["Workbook"]))
    data[512 + 4 : 512 + 8] = struct.pack("<L", 1)  # FAT: directory sector 1 -> itself
    assert_refused(sniff(write(tmp_path / "x.xls", bytes(data))), FILE_CORRUPT)


def test_password_protected_ooxml_is_refused(tmp_path: Path) -> None:
    data = cfb_bytes(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"])
    result = sniff(write(tmp_path / "diem.xlsx", data))
    assert_refused(result, FILE_ENCRYPTED, FileKind.ENCRYPTED)
    assert "mật khẩu" in result.refusal.message


def test_zip_with_encrypted_entries_is_refused(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({"xl/workbook.xml": b"<workbook/>"}))
    # set the "encrypted" flag bit in the central directory record
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 8] |= 0x01
    assert_refused(sniff(write(tmp_path / "x.xlsx", bytes(data))), FILE_ENCRYPTED)


# --- zip bombs --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def zeros_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real bomb: one entry of 300 MiB of zeros, deflated by streaming (~300 KiB on disk)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    chunk = b"\0" * MIB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(300):
                entry.write(chunk)
    return path


def test_zip_bomb_is_refused(zeros_bomb: Path) -> None:
    assert zeros_bomb.stat().st_size < 2 * MIB
    assert_refused(sniff(zeros_bomb), FILE_ZIP_BOMB, FileKind.ZIP)


def test_high_ratio_entry_is_refused(tmp_path: Path) -> None:
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": b"\0" * 5 * MIB})
    result = sniff(write(tmp_path / "x.xlsx", data))
    assert_refused(result, FILE_ZIP_BOMB)
    assert "tỉ lệ nén" in result.refusal.message


def test_forged_huge_declared_size_is_refused(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({"xl/workbook.xml": b"<workbook/>"}))
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = struct.pack("<L", 0xFFFFFFF0)  # uncompressed size: ~4 GiB
    assert_refused(sniff(write(tmp_path / "x.xlsx", bytes(data))), FILE_ZIP_BOMB)


def test_too_many_entries_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(zipcheck.MAX_ZIP_ENTRIES + 1):
            zf.writestr(f"xl/media/{i}.bin", b"")
    result = sniff(path)
    assert_refused(result, FILE_ZIP_BOMB)
    assert str(zipcheck.MAX_ZIP_ENTRIES) in result.refusal.message


def test_too_many_entries_behind_a_lying_end_record_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zipcheck, "MAX_ZIP_ENTRIES", 10)
    data = bytearray(zip_bytes({f"{i}.xml": b"" for i in range(11)}))
    eocd = data.rfind(b"PK\x05\x06")
    data[eocd + 8 : eocd + 12] = struct.pack("<HH", 1, 1)  # claims a single entry
    assert_refused(sniff(write(tmp_path / "x.xlsx", bytes(data))), FILE_ZIP_BOMB)


def test_overlapping_entries_are_refused(tmp_path: Path) -> None:
    """Two central-directory records sharing one local entry: the overlap zip-bomb trick."""
    data = bytearray(zip_bytes({"xl/a.xml": b"<a/>" * 100}))
    cd = data.rfind(b"PK\x01\x02")
    eocd = data.rfind(b"PK\x05\x06")
    record = bytes(data[cd:eocd])
    twin = record.replace(b"xl/a.xml", b"xl/b.xml")
    cd_size = 2 * len(record)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 2, 2, cd_size, cd, 0)
    forged = bytes(data[:cd]) + record + twin + end
    assert_refused(sniff(write(tmp_path / "x.xlsx", forged)), FILE_ZIP_BOMB)


def test_entry_running_past_the_end_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({"xl/a.xml": b"<a/>" * 100}, zipfile.ZIP_STORED))
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 20 : cd + 28] = struct.pack("<LL", 10_000, 10_000)  # sizes beyond the file
    assert_refused(sniff(write(tmp_path / "x.xlsx", bytes(data))), FILE_CORRUPT)


SPREADSHEETS = {FileKind.XLSX, FileKind.XLSM, FileKind.XLS, FileKind.ODS}


# --- never raises -----------------------------------------------------------------------------
_SAMPLE_XLSX = xlsx_bytes()
_PREFIXES = [
    b"",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"%PDF-",
    b"<html",
    b"\xff\xfe",
]


def assert_accepted_or_refused(result: Sniff) -> None:
    """Only a spreadsheet is accepted; anything else is refused with a coded message."""
    if result.refusal is None:
        assert result.kind in SPREADSHEETS, result
    else:
        assert result.refusal.code.startswith("FILE_") and result.refusal.message, result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(_PREFIXES), body=st.binary(max_size=2048))
def test_sniff_never_raises_on_random_bytes(
    tmp_path_factory: pytest.TempPathFactory, prefix: bytes, body: bytes
) -> None:
    path = tmp_path_factory.getbasetemp() / "random.xlsx"
    path.write_bytes(prefix + body)
    assert_accepted_or_refused(sniff(path))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, len(_SAMPLE_XLSX) - 1), st.integers(0, 255))))
def test_sniff_never_raises_on_damaged_xlsx(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[int, int]]
) -> None:
    data = bytearray(_SAMPLE_XLSX)
    for position, value in edits:
        data[position] = value
    path = tmp_path_factory.getbasetemp() / "damaged.xlsx"
    path.write_bytes(bytes(data))
    assert_accepted_or_refused(sniff(path))


@settings(max_examples=200, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, 1535), st.integers(0, 255)), max_size=8))
def test_sniff_never_raises_on_damaged_cfb(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[int, int]]
) -> None:
    data = bytearray(cfb_bytes(["EncryptionInfo", "EncryptedPackage"]))
    for position, value in edits:
        data[position] = value
    path = tmp_path_factory.getbasetemp() / "damaged.xls"
    path.write_bytes(bytes(data))
    assert_accepted_or_refused(sniff(path))


# --- XML bombs after enable_defusedxml() ------------------------------------------------------
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n<lolz>&lol9;</lolz>\n"
)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_openpyxl_refuses_billion_laughs_in_a_workbook(tmp_path: Path, part: str) -> None:
    """openpyxl guards itself once defusedxml is installed: worksheets go through defusedxml's
    iterparse; workbook.xml goes through lxml (resolve_entities=False) when lxml is installed,
    else through defusedxml's fromstring."""
    from defusedxml import EntitiesForbidden

    assert openpyxl.DEFUSEDXML is True
    refused: tuple[type[Exception], ...] = (EntitiesForbidden,)
    if openpyxl.LXML and part == "xl/workbook.xml":
        from lxml.etree import XMLSyntaxError

        refused = (XMLSyntaxError,)
    data = rezip(xlsx_bytes(), lambda name, d: BILLION_LAUGHS if name == part else d)
    path = write(tmp_path / "lol.xlsx", data)
    assert sniff(path).kind == FileKind.XLSX  # sniff looks at the zip only, not at the XML
    with pytest.raises(Exception) as caught:
        openpyxl.load_workbook(path)
    # openpyxl re-raises ValueErrors (EntitiesForbidden is one) as "Unable to read workbook".
    chain = [caught.value, caught.value.__cause__]
    assert any(isinstance(error, refused) for error in chain), chain


def _run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A fresh interpreter: defuse_stdlib() patches the stdlib process-wide, so keep it out of
    # the test process.
    environ = {**os.environ, **env}
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=60
    )


def test_enable_defusedxml_makes_stdlib_etree_refuse_billion_laughs() -> None:
    code = f"""
import xml.etree.ElementTree as ET
import xml.dom.minidom
from defusedxml import EntitiesForbidden
from reportgen.safety.xmlsafe import enable_defusedxml
BOMB = {BILLION_LAUGHS!r}
enable_defusedxml()
for parse in (ET.fromstring, xml.dom.minidom.parseString):
    try:
        parse(BOMB)
    except EntitiesForbidden:
        pass
    else:
        raise SystemExit("not refused by " + parse.__module__)
print("refused")
"""
    result = _run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "refused"


def test_enable_defusedxml_fails_when_openpyxl_opted_out() -> None:
    code = (
        "import openpyxl\nfrom reportgen.safety.xmlsafe import enable_defusedxml\n"
        "enable_defusedxml()"
    )
    result = _run_python(code, OPENPYXL_DEFUSEDXML="False")
    assert result.returncode != 0
    assert "RuntimeError" in result.stderr and "OPENPYXL_DEFUSEDXML" in result.stderr
