"""File names made from unit names — a unit's form, its statement, its notice: NFC, no
character Windows or macOS refuses, no reserved device name, bounded in bytes."""

from __future__ import annotations

import re
import unicodedata

_RESERVED = {  # Windows' device names
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
FILENAME_BYTES = 200  # 255 less room for the staging name around it (`outputs`)


def form_filename(unit: str) -> str:
    """A file name for the unit's form, safe on Windows and macOS (NFC, no reserved chars)
    and at most `FILENAME_BYTES` in UTF-8: a name cut to fit ends in 8 hex digits of the
    unit's whole name, so two long names with one beginning keep two files (names that
    differ only in punctuation are one unit to the config already)."""
    name = unicodedata.normalize("NFC", unit)
    safe = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "-", name).strip(" .")
    if safe.upper() in _RESERVED or not safe:
        safe = f"_{safe}"
    if len(safe.encode("utf-8")) + 5 > FILENAME_BYTES:
        import hashlib

        tag = "~" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        room = FILENAME_BYTES - len(tag) - 5
        safe = safe.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .") + tag
    return f"{safe}.xlsx"
