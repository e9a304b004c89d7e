"""Whatever bytes arrive, validate and build end in findings — never an exception."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.core.catalogue import CATALOG
from reportgen.pipeline import build as api
from reportgen.pipeline.check import check
from reportgen.pipeline.names import FINDINGS_REPORT, OUTPUTS
from reportgen.render import forms
from tests import builders
from tests.conftest import SAMPLE

# FUZZ_EXAMPLES=2000 make test for a longer hunt; CI runs the default.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


CHARTS = ["bieu-do-so-nganh.png", "bieu-do-huyen.png"]  # one per group of the sample
OUTPUT_SET = sorted([*OUTPUTS, FINDINGS_REPORT, *CHARTS])


def run_both(folder, content: bytes, name: str = "Sở Y tế.xlsx") -> api.Built:
    """check and build end in findings or outputs, never an exception: a blocked build
    names why (catalogued findings with a file) and writes nothing; any other writes the
    whole set."""
    work = Path(tempfile.mkdtemp(dir=folder))  # hypothesis reuses the test's tmp_path
    path = work / name
    path.write_bytes(content)
    checked = check(SAMPLE, [path])
    assert all(f.code in CATALOG for f in checked.findings)
    out = work / "out"
    built = api.build(SAMPLE, [path], out=out, allow_missing=True)
    if built.ok:
        assert sorted(p.name for p in out.iterdir()) == OUTPUT_SET
    else:
        assert all(f.code in CATALOG and f.location.file for f in built.blocking)
        assert not out.exists()
    return built


@FUZZ
@given(
    content=st.binary(max_size=4096), name=st.sampled_from(["a.xlsx", "a.xls", "a.ods", "a.xlsm"])
)
def test_random_bytes(tmp_path, content, name):
    run_both(tmp_path, content, name)


def good_form(assessment) -> bytes:
    """A filled form, the same bytes every time (hypothesis replays draws against it)."""
    return forms.form_bytes(assessment, "Sở Y tế", builders.published_scores()["Sở Y tế"])


@FUZZ
@given(data=st.data())
def test_real_workbook_with_bytes_flipped(tmp_path, assessment, data):
    content = bytearray(good_form(assessment))
    flips = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(content) - 1), st.integers(0, 255)),
            min_size=1,
            max_size=20,
        )
    )
    for position, value in flips:
        content[position] = value
    run_both(tmp_path, bytes(content))


@FUZZ
@given(data=st.data())
def test_real_workbook_with_entries_removed_or_mangled(tmp_path, assessment, data):
    source = zipfile.ZipFile(io.BytesIO(good_form(assessment)))
    names = source.namelist()
    dropped = data.draw(st.sets(st.sampled_from(names), max_size=len(names)))
    mangled = data.draw(st.sets(st.sampled_from(names), max_size=3))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            if name in dropped:
                continue
            content = source.read(name)
            if name in mangled:
                cut = data.draw(st.integers(0, len(content)))
                content = content[:cut] + data.draw(st.binary(max_size=64))
            target.writestr(name, content)
    run_both(tmp_path, out.getvalue())


# --- cell values and sheet names -----------------------------------------------------------

SCORE_CELLS = ["D8", "D9", "D10", "D11", "D12"]
HOSTILE = [
    "[/]", "x[/]y", "[bold red]boom", "\x1b]0;title\x07", "\x1b[2J", "a\x01b", "\x00", "\x7f",
    "٣٤", "３４", "๓๔", "3٤", "-0", "-0,0", "1e16", "9" * 40, "#DIV/0!", "#REF!", "#N/A",
    "=1+1", "35,5", " 36 ", "1.234,5", "‮12", "0x1F", "NaN", "inf",
]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
)
NUMBER = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e16, 1e-308, -0.0, 5e-324, 1.7976931348623157e308, 35.5, 0.125]),
)
SHEET_NAME = st.one_of(
    st.sampled_from(["x[/]y", "[bold]", "Ph_x0001_iếu", "\x1b[2J", "a&<b>\"'"]),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=31),
)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
runner = CliRunner()


def excel_text(text: str) -> str:
    """Text as Excel stores it: control characters as `_x0001_` (XML cannot hold them)."""
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def mutated(assessment, cell: str, value: object, sheet: str | None) -> bytes:
    """The good form with `cell` set to `value` and the sheet renamed to `sheet` (written
    into workbook.xml directly: Excel forbids [ ] in sheet names, other writers do not)."""
    book = openpyxl.load_workbook(io.BytesIO(good_form(assessment)))
    book[forms.SHEET][cell] = excel_text(value) if isinstance(value, str) else value
    buffer = io.BytesIO()
    book.save(buffer)
    if sheet is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                escaped = excel_text(sheet).replace("&", "&amp;").replace("<", "&lt;")
                escaped = escaped.replace('"', "&quot;")
                old = f'name="{forms.SHEET}"'.encode()
                data = data.replace(old, f'name="{escaped}"'.encode())
            target.writestr(info, data)
    return out.getvalue()


@settings(FUZZ, max_examples=int(os.environ.get("FUZZ_EXAMPLES", 30)))
@given(
    cell=st.sampled_from([*SCORE_CELLS, "B3", "D13"]),
    value=st.one_of(TEXT, NUMBER),
    sheet=st.one_of(st.none(), SHEET_NAME),
)
def test_hostile_cell_values_and_sheet_names(tmp_path, assessment, cell, value, sheet):
    """A finding naming the cell, or a clean build — never a traceback, and no control
    character in any output."""
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    path = work / "Sở Y tế.xlsx"
    path.write_bytes(mutated(assessment, cell, value, sheet))
    out = work / "out"
    result = runner.invoke(
        app, ["build", str(SAMPLE), str(path), "--allow-missing", "--out", str(out)]
    )
    assert result.exit_code in (0, 3), (result.exit_code, result.exception, result.output)
    assert "Traceback" not in result.output
    checked = check(SAMPLE, [path])
    found = [f for f in checked.findings if f.code != "UNIT_MISSING"]
    if result.exit_code == 3:
        assert found and all(f.code in CATALOG for f in found)
        if cell in SCORE_CELLS:
            assert any(f.location.cell == cell for f in found), found
        if cell == "B3":
            assert any(f.location.cell == "B3" or f.location.cell is None for f in found), found
    else:
        assert sorted(p.name for p in out.iterdir()) == OUTPUT_SET
        csv_text = (out / "ket-qua.csv").read_text(encoding="utf-8-sig")
        assert not re.search(r"(^|,)-0(,|$)", csv_text, re.M)
        json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    report = work / "report"
    result = runner.invoke(app, ["validate", str(SAMPLE), str(path), "--out", str(report)])
    assert result.exit_code == 3 and "Traceback" not in result.output  # 37 units missing
    book = openpyxl.load_workbook(report / "bao-cao-kiem-tra.xlsx")
    for row in book["Phát hiện"].iter_rows(min_row=2, values_only=True):
        assert not any(isinstance(v, str) and _XML_ILLEGAL.search(v) for v in row), row
