"""What an OLE2 / Compound File Binary container is (.xls, an encrypted OOXML, a .doc), from
the names in its directory, read sector by sector with every chain bounded (a loop or a
directory past `MAX_CFB_DIRECTORY_ENTRIES` is a damaged file, never a hang)."""

from __future__ import annotations

import io
import struct

from reportgen.safety.verdict import FileKind, Sniff, corrupt, encrypted, not_spreadsheet

# Entries read from an OLE2/CFB directory; a real .xls has a few dozen.
MAX_CFB_DIRECTORY_ENTRIES = 100_000

_MAXREGSECT = 0xFFFFFFFA


def sniff_cfb(name: str, f: io.BufferedReader, size: int) -> Sniff:
    """The verdict on the CFB file `name` open as `f` (`size` bytes): an .xls, or refused."""
    try:
        streams = _cfb_entry_names(f, size)
    except _CfbError as error:
        return corrupt(name, error.case)
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        return encrypted(name)
    if "workbook" in streams or "book" in streams:
        return Sniff(FileKind.XLS, None)
    if "worddocument" in streams:
        return not_spreadsheet(name, FileKind.UNKNOWN, "tài liệu Word 97-2003 (.doc)")
    return not_spreadsheet(name, FileKind.UNKNOWN, "tệp Office 97-2003 không chứa bảng tính")


class _CfbError(Exception):
    """A damaged directory; `case` is FILE_CORRUPT's case saying how."""

    def __init__(self, case: str) -> None:
        super().__init__(case)
        self.case = case


def _cfb_entry_names(f: io.BufferedReader, size: int) -> set[str]:
    """Lower-cased names of all storages and streams in the CFB directory."""
    f.seek(0)
    header = f.read(512)
    if len(header) < 512:
        raise _CfbError("cfb_short_header")
    byte_order, sector_shift = struct.unpack_from("<HH", header, 0x1C)
    if byte_order != 0xFFFE or sector_shift not in (9, 12):
        raise _CfbError("cfb_bad_header")
    sector_size = 1 << sector_shift
    per_sector = sector_size // 4
    sector_count = -(-size // sector_size) - 1  # sectors after the header, last one may be short
    # 0x30: first directory sector, transaction signature, mini stream cutoff, first mini FAT
    # sector, mini FAT sector count, first DIFAT sector, DIFAT sector count
    first_dir, _, _, _, _, first_difat, difat_count = struct.unpack_from("<7L", header, 0x30)
    fat_sectors = [s for s in struct.unpack_from("<109L", header, 0x4C) if s <= _MAXREGSECT]

    def read_sector(sector: int) -> bytes:
        if sector >= sector_count:
            raise _CfbError("cfb_sector_outside")
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
            raise _CfbError("cfb_fat_missing")
        if index not in fat_cache:
            fat_cache[index] = struct.unpack(f"<{per_sector}L", read_sector(fat_sectors[index]))
        return fat_cache[index][slot]

    names: set[str] = set()
    seen: set[int] = set()
    sector = first_dir
    while sector <= _MAXREGSECT:
        if sector in seen or len(seen) * (sector_size // 128) >= MAX_CFB_DIRECTORY_ENTRIES:
            raise _CfbError("cfb_directory_loop")
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
        raise _CfbError("cfb_no_directory")
    return names
