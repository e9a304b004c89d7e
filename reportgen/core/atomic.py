"""Writing outputs safely and repeatably: temp file in the target folder, then rename;
zip containers (.docx, .xlsx) rewritten with fixed timestamps so equal inputs give equal bytes."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically: readers see the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = write_temp(path.parent, f".{path.name}.", data, suffix=".tmp")
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_temp(folder: Path, prefix: str, data: bytes, suffix: str = "") -> Path:
    """`data` in a new file of `folder`, flushed to disk, with the permissions a plain new
    file gets; removed again if writing fails."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    tmp = Path(name)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def stable_zip(data: bytes, replaced: dict[str, bytes] | None = None) -> bytes:
    """The same zip with every entry's timestamp and attributes fixed (and the entries named
    in `replaced` holding those bytes instead)."""
    replaced = replaced or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            content = replaced.get(info.filename)
            dst.writestr(entry, src.read(info.filename) if content is None else content)
    return out.getvalue()


def workbook_bytes(workbook, when: dt.datetime) -> bytes:
    """An openpyxl workbook as repeatable .xlsx bytes: document dates set to `when`
    (openpyxl's own save stamps the clock), zip entries with fixed timestamps. For the
    scripts and tests that make input workbooks (openpyxl is a dev dependency; reportgen's
    own outputs are written by `render.book`)."""
    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.creator = "reportgen"
    workbook.properties.created = workbook.properties.modified = when
    buffer = io.BytesIO()
    with _StableZip(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return buffer.getvalue()


def zip_bytes(parts: Iterable[tuple[str, str | bytes | Iterable[str]]]) -> bytes:
    """A zip of `parts` (name, content), in the order given, with `stable_zip`'s fixed
    timestamps and attributes: the same parts give the same bytes. A content that is an
    iterable of strings is streamed into its entry (a sheet of 100 000 rows is never one
    string)."""
    buffer = io.BytesIO()
    with _StableZip(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts:
            if isinstance(content, (str, bytes)):
                archive.writestr(name, content)
                continue
            with archive.open(_entry(name), "w") as entry:
                for chunk in content:
                    entry.write(chunk.encode("utf-8", "replace"))  # a file name's stray bytes
    return buffer.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16
    return entry


class _StableZip(zipfile.ZipFile):
    """A zip whose entries get `stable_zip`'s fixed timestamp and attributes as they are
    written: the same bytes, without inflating and deflating the archive a second time (a
    100 000-row sheet is tens of MB of XML)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        super().writestr(_entry(name), data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        entry = _entry(arcname or os.path.basename(filename))
        entry.file_size = os.path.getsize(filename)
        with open(filename, "rb") as source, self.open(entry, "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)
