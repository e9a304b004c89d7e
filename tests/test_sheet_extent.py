"""A workbook whose cells reach far (one cell at XFD1048576 beside the form) is refused with
SHEET_TOO_LARGE naming the sheet and its extent — before the reader builds a dense grid of
2^34 cells and the process aborts. Each hostile file is built here from a real form; each
run happens in a child process under an address-space and CPU limit, so a reader that
allocates the grid fails the test instead of the machine."""

from __future__ import annotations

import io
import json
import re
import resource
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from reportgen import config
from reportgen.render import forms
from tests.conftest import ROOT, SAMPLE
from tests.web_helpers import NAME, workspace

SY = "Sở Y tế"
SHEET = forms.SHEET
ERROR_CELLS = ROOT / "tests" / "data" / "error-cells"
MEMORY = 2 << 30  # the child may map 2 GiB: the grids asked for here need 3 GiB to 550 GiB
CPU_SECONDS = 120


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_limited(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, preexec_fn=_limits, cwd=ROOT
    )


def read_limited(path: Path) -> list[dict]:
    """`workbook.read_sheets` of `path` in a limited child: its findings as dicts."""
    code = (
        "import json, sys; from pathlib import Path;"
        " from reportgen.read.workbook import read_sheets;"
        "s, f = read_sheets(Path(sys.argv[1]), 'x');"
        "print(json.dumps([dict(code=x.code, sheet=x.location.sheet, cell=x.location.cell,"
        " message=x.message) for x in f]))"
    )
    done = run_limited("-c", code, str(path))
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    return json.loads(done.stdout)


def form_xlsx() -> bytes:
    assessment = config.load(SAMPLE)
    return forms.form_bytes(assessment, SY)


def with_sheet_xml(data: bytes, edit) -> bytes:
    """The .xlsx `data` with its first worksheet's XML passed through `edit`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            part = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                part = edit(part)
            target.writestr(name, part)
    return out.getvalue()


def far_cell(cell: bytes):
    """An edit that puts `cell` (a `<row>` element) at the end of `sheetData`."""
    return lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>")


FAR_XLSX = {
    "one cell at XFD1048576": b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    "one cell at XFD6000": b'<row r="6000"><c r="XFD6000" t="inlineStr"><is><t>x</t></is></c>'
    b"</row>",
    "cells without r": b'<row r="6000">' + b"<c/>" * 16383 + b"<c><v>1</v></c></row>",
    "rows without r": b"<row/>" * 6000 + b'<row><c r="XFC1"/><c><v>1</v></c></row>',
    "r given twice": b'<row r="6000"><c r="A6000" r="XFD6000"><v>1</v></c></row>',
    "namespace prefix": b'<row r="6000"><x:c xmlns:x="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main" r="XFD6000"><x:v>1</x:v></x:c></row>',
    "quote and '>' in attributes": b"<row r='6000'><c a='/>' r='XFD6000'><v>1</v></c></row>",
    "a formula with no value": b'<row r="6000"><c r="XFD6000"><f>1+1</f></c></row>',
}


@pytest.mark.parametrize("edit", FAR_XLSX.values(), ids=FAR_XLSX.keys())
def test_a_form_with_a_far_cell_is_refused_with_its_sheet_and_extent(tmp_path, edit):
    path = tmp_path / f"{SY}.xlsx"
    path.write_bytes(with_sheet_xml(form_xlsx(), far_cell(edit)))
    assert path.stat().st_size < 120_000
    out = str(tmp_path / "out")  # never into the checkout
    done = run_limited("-m", "reportgen", "validate", str(SAMPLE), str(path), "--out", out)
    assert done.returncode == 3, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stdout + done.stderr
    assert "SHEET_TOO_LARGE" in done.stdout
    line = next(x for x in done.stdout.splitlines() if "SHEET_TOO_LARGE" in x)
    assert f"Sheet '{SHEET}'" in line
    assert re.search(r"A1:XFD[0-9]{4,7} ", line), line


def test_a_lying_dimension_and_empty_far_cells_are_read_as_the_form_they_are(tmp_path):
    """`<dimension>` says nothing about where cells are; `<c/>` and styled empty cells are
    no data (the reader skips them): such a form is read and judged as usual."""

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        return far_cell(b'<row r="1048576"><c r="XFD1048576" s="1"/></row>')(xml)

    path = tmp_path / f"{SY}.xlsx"
    path.write_bytes(with_sheet_xml(form_xlsx(), edit))
    assert b"A1:XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert read_limited(path) == []


def test_an_empty_sheet_before_a_far_cell_hides_nothing(tmp_path):
    """A sheet with no cells has no extent; measuring goes on past it, so the far cell on the
    sheet after it is still refused before the reader builds that sheet's grid."""
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    far = book.create_sheet(SHEET)
    far["A1"], far["XFD1048576"] = 1, 1
    path = tmp_path / f"{SY}.xlsx"
    book.save(path)
    found = [(f["code"], f["sheet"], f["cell"]) for f in read_limited(path)]
    assert found == [("SHEET_TOO_LARGE", SHEET, "XFD1048576")]


def xls_with(edit) -> bytes:
    """The error-cells .xls form with one BIFF record rewritten in place (same length)."""
    data = bytearray((ERROR_CELLS / "form.xls").read_bytes())
    edit(data)
    return bytes(data)


def _far_rk(data: bytearray) -> None:
    at = data.rfind(b"\x7e\x02\x0a\x00")  # an RK record: row u16, column u16, ...
    struct.pack_into("<HH", data, at + 4, 65535, 255)


def _lying_dimensions(data: bytearray) -> None:
    at = data.find(b"\x00\x02\x0e\x00")  # DIMENSIONS: first row, last row + 1 (u32), columns
    struct.pack_into("<IIHH", data, at + 4, 0, 1_000_000, 0, 0xFFFF)


def _ods_with(block: bytes) -> bytes:
    source = zipfile.ZipFile(ERROR_CELLS / "form.ods")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            part = source.read(name)
            if name == "content.xml":
                part = part.replace(b"</table:table>", block + b"</table:table>", 1)
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(name, part, compress_type=method)
    return out.getvalue()


_FULL = b'<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
OTHER_FORMATS = {
    "xls cell at IV65536": ("xls", lambda: xls_with(_far_rk), "IV65536"),
    "xls DIMENSIONS of 1 000 000 × 65 535": ("xls", lambda: xls_with(_lying_dimensions), None),
    "ods cell repeated 9 000 × 10 000": (
        "ods",
        lambda: _ods_with(
            b'<table:table-row table:number-rows-repeated="9000">'
            + _FULL.replace(
                b"<table:table-cell", b'<table:table-cell table:number-columns-repeated="10000"'
            )
            + b"</table:table-cell></table:table-row>"
        ),
        None,
    ),
    "ods cell at XFD after empty repeats": (
        "ods",
        lambda: _ods_with(
            b'<table:table-row table:number-rows-repeated="6000">'
            b'<table:table-cell table:number-columns-repeated="16383"/>'
            + _FULL
            + b"</table:table-cell></table:table-row>"
        ),
        None,
    ),
}


@pytest.mark.parametrize("suffix, make, last", OTHER_FORMATS.values(), ids=OTHER_FORMATS.keys())
def test_xls_and_ods_are_measured_from_their_records_and_repeats(tmp_path, suffix, make, last):
    path = tmp_path / f"{SY}.{suffix}"
    path.write_bytes(make())
    (found,) = read_limited(path)
    assert found["code"] == "SHEET_TOO_LARGE" and found["sheet"] == "Phiếu chấm điểm"
    if last:
        assert found["cell"] == last and f":{last} " in found["message"]


def test_the_real_forms_of_all_formats_are_still_read(tmp_path):
    path = tmp_path / f"{SY}.xlsx"
    path.write_bytes(form_xlsx())
    for source in (path, ERROR_CELLS / "form.xls", ERROR_CELLS / "form.ods"):
        assert read_limited(source) == []


# --- the server -------------------------------------------------------------------------------


def test_the_server_refuses_the_upload_and_survives_a_kept_one_on_every_view(tmp_path):
    """Uploaded, the file is refused with the finding's words; kept under submissions/ (as
    one sent before this check), every view of the assessment shows the finding and the
    server keeps answering. The server runs in a limited child process."""
    root = workspace(tmp_path)
    hostile = with_sheet_xml(form_xlsx(), far_cell(FAR_XLSX["one cell at XFD1048576"]))
    script = f"""
from reportgen.web.app import create_app
from tests.web_helpers import Client, NAME
client = Client(create_app({str(root)!r}))
part = ("{SY}.xlsx", {hostile!r}, "application/octet-stream")
page = client.submit(f"/dot/{{NAME}}/nop", files=[("tep", part)])
print("UPLOAD", page.status_code, "A1:XFD1048576" in page.text)
import pathlib
pathlib.Path({str(root / NAME / "submissions" / (SY + ".xlsx"))!r}).write_bytes({hostile!r})
for view in range(3):
    client.get(f"/dot/{{NAME}}")
    client.wait()
    page = client.get(f"/dot/{{NAME}}")
    print("VIEW", page.status_code, "SHEET_TOO_LARGE" in page.text)
"""
    done = run_limited("-c", script)
    assert done.returncode == 0, (done.returncode, done.stderr[-3000:])
    lines = done.stdout.splitlines()
    assert "UPLOAD 200 True" in lines, done.stdout
    assert lines.count("VIEW 200 True") == 3, done.stdout
    assert "Traceback" not in done.stderr
