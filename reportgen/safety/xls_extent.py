"""How far each sheet of an .xls reaches: the BIFF records of each sheet's substream (cells,
and `DIMENSIONS`, which the reader reserves memory for), nested substreams skipped."""

from __future__ import annotations

import struct
from pathlib import Path

from reportgen.safety.extent import Box

_BOF, _EOF, _BOUNDSHEET, _DIMENSIONS, _FORMULA, _MULRK = 0x0809, 0x000A, 0x0085, 0x0200, 6, 0xBD
# Records that place one cell at (row u16, column u16): Number, Label, RString, BoolErr, Rk,
# LabelSst and Formula — the ones the reader keeps (Blank and MulBlank it skips).
_XLS_CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, _FORMULA}


def _xls_records(stream: bytes, pos: int):
    """(type, data) of the BIFF records from `pos` on."""
    end = len(stream)
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, pos)
        yield kind, stream[pos + 4 : pos + 4 + size]
        pos += 4 + size


def _reserved(data: bytes) -> tuple[int, int, int, int]:
    """The box a DIMENSIONS record makes the reader reserve: its rows and columns are counted
    as the reader counts them (unsigned 32-bit, so a last row before the first wraps round)."""
    wide_rows = len(data) == 14
    top, after = struct.unpack_from("<II" if wide_rows else "<HH", data)
    left, right_after = struct.unpack_from("<HH", data, 8 if wide_rows else 4)
    if left > 0xFF or right_after < left:
        left = 0
    if after >= 1 and right_after >= 1:
        bottom, right = after - 1, right_after - 1
    else:
        bottom, right = top, left
    rows = (bottom - top + 1) % (1 << 32)
    columns = (right - left + 1) % (1 << 32)
    return top, left, top + max(rows, 1) - 1, left + max(columns, 1) - 1


def xls_extents(path: Path):
    """Each sheet named by a BOUNDSHEET record, with the box of its cell records and of what
    its DIMENSIONS record declares (the reader reserves memory for that), nested substreams
    (embedded charts) skipped as the reader skips them."""
    import io

    from xlrd.compdoc import CompDoc

    cfb = CompDoc(path.read_bytes(), logfile=io.StringIO())
    stream = cfb.get_named_stream("Workbook") or cfb.get_named_stream("Book")
    if not stream:
        return
    sheets = []
    for kind, data in _xls_records(stream, 0):
        if kind == _BOUNDSHEET and len(data) >= 8:
            length = data[6]
            wide = len(data) > 7 and data[7] & 1
            raw = data[8 : 8 + length * (2 if wide else 1)]
            name = raw.decode("utf-16-le" if wide else "latin-1", "replace")
            sheets.append((struct.unpack_from("<I", data)[0], name))
        elif kind == _EOF:
            break
    for pos, name in sheets:
        box = Box()
        depth = 0
        seen_bof = False
        for kind, data in _xls_records(stream, pos):
            if depth:
                depth += (kind == _BOF) - (kind == _EOF)
                continue
            if kind == _BOF:
                depth, seen_bof = (1, True) if seen_bof else (0, True)
            elif kind == _EOF:
                break
            elif kind in _XLS_CELLS and len(data) >= 4:
                r, c = struct.unpack_from("<HH", data)
                box.add(r, c, r, c)
            elif kind == _MULRK and len(data) >= 6:
                r, first = struct.unpack_from("<HH", data)
                (last,) = struct.unpack_from("<H", data, len(data) - 2)
                box.add(r, first, r, max(first, last))
            elif kind == _DIMENSIONS and len(data) in (10, 14):
                box.add(*_reserved(data))
        yield box.extent(name)
