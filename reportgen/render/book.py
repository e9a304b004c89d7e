"""Every workbook reportgen writes is made here, with XlsxWriter: in memory (or row by row
for a long report), dated by the assessment (same input, same bytes), with named cell
styles a clerk can change in one place (Excel's Cell Styles), no string ever read as a
formula or a link. Cells are written through `safe.write`, the one neutralising path."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.packager import Packager
from xlsxwriter.styles import Styles, XFormatType

from reportgen.render import safe

A4, A3 = 9, 8  # Excel's paper size codes
_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


class Book:
    """An .xlsx being written. `styles`: the named cell styles (name → XlsxWriter format
    properties); `constant_memory`: rows go to disk as written, each sheet's rows in order
    (a 100 000-row report holds no object per cell)."""

    def __init__(
        self,
        when: dt.datetime,
        styles: Mapping[str, dict] | None = None,
        constant_memory: bool = False,
    ):
        self._buffer = io.BytesIO()
        memory = {"constant_memory": True} if constant_memory else {"in_memory": True}
        self.workbook = _Workbook(self._buffer, _OPTIONS | memory)
        self.workbook.set_properties({"author": "reportgen", "created": when})
        self._formats: dict[tuple, Format] = {}
        self._taken: set[str] = {"history"}  # Excel reserves "History"
        for name, properties in (styles or {}).items():  # every style listed, used or not
            base = _Styled(name, len(self.workbook.named) + 1, properties, self.workbook)
            base._get_xf_index()
            self.workbook.named.append(base)

    def sheet(self, text: str):
        """A new sheet named after `text`: a valid, unique sheet name (31 characters, none of
        []:*?/\\, no apostrophe at either end); a longer name is cut at a word, and one
        taken already gets " (2)", " (3)" …"""
        base = "".join("-" if ch in "[]:*?/\\" else ch for ch in text).strip("'") or "Khoi"
        title, n = _at_word(base, 31), 2
        while title.lower() in self._taken:
            suffix = f" ({n})"
            title, n = _at_word(base, 31 - len(suffix)) + suffix, n + 1
        self._taken.add(title.lower())
        return self.workbook.add_worksheet(title)

    def style(self, name: str, num_format: str | None = None) -> Format:
        """A cell format in the named style `name`, with `num_format` on top."""
        key = (name, num_format)
        if key not in self._formats:
            base = next(f for f in self.workbook.named if f.style_name == name)
            properties = base.properties | ({"num_format": num_format} if num_format else {})
            self._formats[key] = _Styled(name, base.xf_id, properties, self.workbook)
        return self._formats[key]

    def format(self, **properties) -> Format:
        """A cell format of its own (no named style), one per set of properties."""
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]

    def bytes(self) -> bytes:
        self.workbook.close()
        return self._buffer.getvalue()


def _at_word(text: str, limit: int) -> str:
    """`text` cut to `limit` characters at the end of a word ("Chi tiết - Cơ quan Trung
    ương", not "… Trung ương t"); a first word longer than that is cut where it must."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return cut[:limit].rstrip(" -,.'") or text[:limit]


def merged(ws, row: int, first: int, last: int, value: object, fmt: Format) -> None:
    """`value` in row `row` across columns `first`..`last` (0-based) as one merged cell."""
    if last > first:
        ws.merge_range(row, first, row, last, "", fmt)
    safe.write(ws, row, first, value, fmt)


def lines_in(text: str, width: float) -> int:
    """About how many lines `text` wraps to in a column `width` characters wide (spreadsheet
    programs do not grow a row for wrapped text on opening: writers set the height)."""
    return -(-len(text) // int(width * 1.2)) or 1


def print_a4(ws, landscape: bool = True, title_row: int | None = None) -> None:
    """Print `ws` on A4, one page wide (as long as it needs); `title_row` (0-based) is
    repeated at the top of every page."""
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    if title_row is not None:
        ws.repeat_rows(title_row)


class _Styled(Format):
    """A format in a named style: its `xf_id` points at the style, and it is never merged
    with a look-alike format of another style (or of none)."""

    def __init__(self, name: str, xf_id: int, properties: dict, workbook):
        super().__init__(
            workbook.default_format_properties | properties,
            workbook.xf_format_indices,
            workbook.dxf_format_indices,
        )
        self.style_name, self.properties, self.xf_id = name, properties, xf_id
        workbook.formats.append(self)

    def _get_format_key(self):
        return super()._get_format_key() + ":" + self.style_name


class _Workbook(xlsxwriter.Workbook):
    def __init__(self, filename, options):
        super().__init__(filename, options)
        self.named: list[_Styled] = []  # the named styles' own formats, in order

    def _get_packager(self):  # XlsxWriter's hook for another packager
        return _Packager()


class _Packager(Packager):
    def _write_styles_file(self) -> None:
        book = self.workbook
        styles = _NamedStyles(book.named)
        styles._set_style_properties(
            [
                book.xf_formats,
                book.palette,
                book.font_count,
                book.num_formats,
                book.border_count,
                book.fill_count,
                book.custom_colors,
                book.dxf_formats,
                book.has_comments,
            ]
        )
        styles._set_xml_writer(self._filename("xl/styles.xml"))
        styles._assemble_xml_file()


class _NamedStyles(Styles):
    """styles.xml with the named styles in `cellStyleXfs` and `cellStyles` (XlsxWriter
    writes only "Normal")."""

    def __init__(self, named: list[_Styled]):
        super().__init__()
        self.named = named

    def _write_cell_style_xfs(self) -> None:
        self._xml_start_tag("cellStyleXfs", [("count", 1 + len(self.named))])
        self._write_xf(self.xf_formats[0], XFormatType.STYLE)
        for base in self.named:
            self._write_xf(base, XFormatType.STYLE)
        self._xml_end_tag("cellStyleXfs")

    def _write_cell_styles(self) -> None:
        self._xml_start_tag("cellStyles", [("count", 1 + len(self.named))])
        self._write_cell_style()
        for base in self.named:
            self._xml_empty_tag("cellStyle", [("name", base.style_name), ("xfId", base.xf_id)])
        self._xml_end_tag("cellStyles")


def print_wide(ws, a3: bool, title_row: int, last_fixed_column: int) -> None:
    """Print a sheet too wide for one A4 page (a group's every criterion) readably: landscape
    A3 one page wide (`a3`), or A4 landscape at full size over several pages side by side,
    the header row and the columns up to `last_fixed_column` (STT, the unit's name)
    repeated on each, rather than shrunk to one A4 width and unreadable."""
    ws.set_landscape()
    ws.repeat_rows(title_row)
    if a3:
        ws.set_paper(A3)
        ws.fit_to_pages(1, 0)
        return
    ws.set_paper(A4)
    ws.set_print_scale(DETAIL_SCALE)
    ws.repeat_columns(0, last_fixed_column)
    ws.print_across()  # a page's rows across every column before the next rows


DETAIL_SCALE = 75  # %: 12 pt prints as 9 pt, still read easily; half the pages of 100 %
