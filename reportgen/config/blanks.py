"""Text values of parsed TOML by their dotted keys: the `BLANK`s `reportgen init` leaves
for the clerk, or any text a test picks out."""

from __future__ import annotations

from collections.abc import Callable

BLANK = "<<CẦN ĐIỀN>>"  # a value `reportgen init` leaves for the clerk; `build` refuses it


def find_blanks(data: object) -> list[str]:
    """The dotted keys of every text value holding `BLANK` (list items as `key[i]`)."""
    return keys_where(data, lambda text: BLANK in text)


def keys_where(data: object, test: Callable[[str], bool]) -> list[str]:
    """The dotted keys of every text value under `data` (parsed TOML) that passes `test`."""
    return [key for key, _ in items_where(data, test)]


def items_where(data: object, test: Callable[[str], bool], key: str = "") -> list[tuple[str, str]]:
    """(dotted key, text) of every text value under `data` that passes `test`."""
    if isinstance(data, str):
        return [(key, data)] if test(data) else []
    if isinstance(data, dict):
        return [
            h for k, v in data.items() for h in items_where(v, test, f"{key}.{k}" if key else k)
        ]
    if isinstance(data, list):
        return [h for i, v in enumerate(data) for h in items_where(v, test, f"{key}[{i}]")]
    return []
