"""A plain .xlsx written as SpreadsheetML text: sheets of rows (text and numbers), a bold
frozen header row, column widths, and a few fixed cell styles. For tables of any length
(the findings report of a 100 000-row sheet): no object per cell, as openpyxl makes even in
write-only mode, so a row costs a few string joins. Same rows, same bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportgen.atomic import zip_bytes
from reportgen.findings import column_letter

NORMAL, BOLD, ERROR_FILL, WRAP = 0, 1, 2, 3  # the cell styles (`Styled`)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CHUNK_ROWS = 2000
_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class Styled:
    """A cell value with one of the styles NORMAL, BOLD, ERROR_FILL (a light red fill) or
    WRAP (wrapped text, top-aligned)."""

    value: str | int | float
    style: int


@dataclass
class Sheet:
    """A sheet: its title, header row (bold, frozen), column widths (characters), rows."""

    title: str
    headers: Sequence[str]
    widths: Sequence[float]
    rows: Iterable[Sequence[object]] = field(default_factory=list)


def workbook(sheets: Sequence[Sheet], when: dt.datetime, creator: str = "reportgen") -> bytes:
    """The .xlsx bytes of `sheets`, document dates set to `when`."""
    parts = [
        ("[Content_Types].xml", _content_types(len(sheets))),
        ("_rels/.rels", _ROOT_RELS),
        ("docProps/app.xml", _APP),
        ("docProps/core.xml", _core(creator, when)),
        ("xl/workbook.xml", _workbook(sheets)),
        ("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets))),
        ("xl/styles.xml", _STYLES),
    ]
    parts += [(f"xl/worksheets/sheet{n}.xml", _sheet_xml(s)) for n, s in enumerate(sheets, 1)]
    return zip_bytes(parts)


def _sheet_xml(sheet: Sheet) -> Iterator[str]:
    """The sheet's XML in chunks of `_CHUNK_ROWS` rows."""
    letters = [column_letter(j) for j in range(max(len(sheet.widths), len(sheet.headers)))]
    cols = "".join(
        f'<col min="{j}" max="{j}" width="{w}" customWidth="1"/>'
        for j, w in enumerate(sheet.widths, start=1)
    )
    yield (
        f'{_HEADER}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
        + _row(1, [Styled(h, BOLD) for h in sheet.headers], letters)
    )
    chunk = []
    for r, row in enumerate(sheet.rows, start=2):
        if len(row) > len(letters):
            letters += [column_letter(j) for j in range(len(letters), len(row))]
        chunk.append(_row(r, row, letters))
        if len(chunk) == _CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "</sheetData></worksheet>"


def _row(r: int, values: Sequence[object], letters: list[str]) -> str:
    cells = []
    for j, value in enumerate(values):
        style = NORMAL
        if isinstance(value, Styled):
            value, style = value.value, value.style
        s = f' s="{style}"' if style else ""
        if value is None or value == "":
            if style:
                cells.append(f'<c r="{letters[j]}{r}"{s}/>')
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            cells.append(f'<c r="{letters[j]}{r}"{s}><v>{value!r}</v></c>')
        else:
            text = escape(str(value))
            space = ' xml:space="preserve"' if text != text.strip() else ""
            cells.append(
                f'<c r="{letters[j]}{r}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'
            )
    return f'<row r="{r}">{"".join(cells)}</row>'


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_HEADER}<Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/'
        'vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        f"{sheets}</Types>"
    )


_ROOT_RELS = (
    f'{_HEADER}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG}/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    f'{_HEADER}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>reportgen</Application></Properties>'
)


def _core(creator: str, when: dt.datetime) -> str:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{_HEADER}<cp:coreProperties "
        f'xmlns:cp="{_PKG}/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:creator>{escape(creator)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _workbook(sheets: Sequence[Sheet]) -> str:
    entries = "".join(
        f'<sheet name="{escape(s.title, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
        for n, s in enumerate(sheets, start=1)
    )
    return (
        f'{_HEADER}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f"<bookViews><workbookView/></bookViews><sheets>{entries}</sheets></workbook>"
    )


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_HEADER}<Relationships xmlns="{_PKG}/relationships">{sheets}'
        f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )


_STYLES = (
    f'{_HEADER}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF8CBAD"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
