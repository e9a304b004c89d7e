"""Every workbook reportgen writes (phu-luc.xlsx with its chart and year-over-year sheets,
bao-cao-kiem-tra.xlsx, the forms) goes through XlsxWriter and `render.safe.write`: no
input text becomes a formula anywhere, the same inputs give the same bytes in another
process (and another time zone), and openpyxl is never imported to write them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from reportgen import config
from reportgen.pipeline import build as api
from reportgen.pipeline.check import check
from reportgen.render.filenames import form_filename
from reportgen.render.forms import write_forms
from tests.conftest import SAMPLE

EVIL = '=HYPERLINK("http://evil.example/","Sở Y tế")'
EVIL_GROUP = '=HYPERLINK("http://evil.example/","Sở, Ban, ngành")'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path]:
    """The 2019 sample with a unit and a group named as formulas (the forms still say the
    plain unit name, an alias), built; and the forms of that config."""
    folder = tmp_path_factory.mktemp("hostile") / "qn"
    shutil.copytree(SAMPLE, folder)
    toml = folder / "assessment.toml"
    text = toml.read_text(encoding="utf-8")
    evil = f"{{ name = '{EVIL}', aliases = [\"Sở Y tế\"] }}"
    text = text.replace('{ name = "Sở Y tế", aliases = ["Sở YT"] }', evil)
    text = text.replace('name = "Sở, Ban, ngành"', f"name = '{EVIL_GROUP}'")
    toml.write_text(text, encoding="utf-8")
    out = folder.parent / "out"
    built = api.build(folder, out=out)
    assert built.ok, [f.code for f in built.blocking]
    forms = folder.parent / "forms"
    forms.mkdir()
    write_forms(config.load(folder), forms)
    return out, forms


def _cells(path: Path):
    for sheet in openpyxl.load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell


def test_no_input_text_becomes_a_formula_in_any_workbook(hostile):
    out, forms = hostile
    workbooks = [out / "phu-luc.xlsx", out / "bao-cao-kiem-tra.xlsx", *sorted(forms.iterdir())]
    assert len(workbooks) == 2 + 38
    for path in workbooks:
        seen = set()
        for title, cell in _cells(path):
            where = (path.name, title, cell.coordinate)
            if cell.data_type == "f":  # only a form's own sums of its score column
                assert path.parent == forms and re.fullmatch(r"=SUM\([D0-9:,]+\)", cell.value)
                continue
            assert not str(cell.value).startswith(("=", "+", "@")), where
            seen.add(cell.value)
        if path.parent == out or path.name == form_filename(EVIL):  # the names, as text
            assert {"'" + EVIL, "'" + EVIL_GROUP} <= seen, path.name
    with zipfile.ZipFile(out / "phu-luc.xlsx") as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if "charts/chart" in n]
    refs = [f for c in charts for f in re.findall(r"<c:f>([^<]*)</c:f>", c)]
    assert charts and refs  # every formula of a chart is a reference to its data
    assert all(re.fullmatch(r"'Biểu đồ'!\$[ABC]\$\d+(:\$[ABC]\$\d+)?", f) for f in refs), refs
    assert any("<a:t>'" + EVIL_GROUP in c for c in charts)  # the title, as text


def test_the_charts_read_back_as_horizontal_bars_rank_one_on_top(tmp_path):
    assert api.build(SAMPLE, out=tmp_path).ok
    book = openpyxl.load_workbook(tmp_path / "phu-luc.xlsx")
    sheet = book["Biểu đồ"]
    charts = sheet._charts
    assert len(charts) == 2  # one per group
    for chart in charts:
        assert chart.type == "bar" and len(chart.series) == 1  # no previous year
        assert chart.x_axis.scaling.orientation == "maxMin"  # categories: rank 1 at the top
    ranked = [row[1] for row in book.worksheets[0].iter_rows(min_row=5, values_only=True)]
    last = 2 + len(ranked)  # a title row, a header row, then the group's units in rank order
    first = charts[0].series[0]
    assert first.cat.strRef.f == f"'Biểu đồ'!$A$3:$A${last}"
    assert first.val.numRef.f == f"'Biểu đồ'!$B$3:$B${last}"
    assert [sheet.cell(r, 1).value for r in range(3, last + 1)] == ranked


_RUN = """
import sys
from pathlib import Path
from reportgen.pipeline import build
from reportgen import config
from reportgen.render import forms
out = Path(sys.argv[1])
assert build.build(Path(sys.argv[2]), out=out / "build").ok
(out / "forms").mkdir()
forms.write_forms(config.load(Path(sys.argv[2])), out / "forms")
print([m for m in sys.modules if m.startswith("openpyxl")])
"""


@pytest.mark.parametrize("sample", ["quang-nam-2019", "da-nang-2025"])
def test_another_process_in_another_time_zone_writes_the_same_bytes(tmp_path, sample):
    """Every output and every form, byte for byte; and the run never imported openpyxl."""
    folder = SAMPLE.parent / sample
    trees = []
    for n, zone in enumerate(["UTC", "Asia/Ho_Chi_Minh"]):
        out = tmp_path / str(n)
        env = dict(os.environ, TZ=zone)
        run = subprocess.run(
            [sys.executable, "-c", _RUN, str(out), str(folder)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert run.stdout.strip().splitlines()[-1] == "[]"  # no openpyxl module imported
        trees.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert trees[0].keys() == trees[1].keys()
    for name in trees[0]:
        assert trees[0][name] == trees[1][name], name


def test_a_forms_run_imports_no_openpyxl(tmp_path):
    code = (
        "import sys\nfrom reportgen.cli import main\nsys.argv = ['reportgen', 'forms', "
        f"{str(SAMPLE)!r}, '--out', {str(tmp_path)!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print([m for m in sys.modules if m.startswith('openpyxl')])"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip().splitlines()[-1] == "[]"
    assert len(list(tmp_path.glob("*.xlsx"))) == 38


def test_ingest_reads_the_forms_as_xlsxwriter_writes_them(tmp_path, assessment):
    """Every unit's form, filled by `form_bytes` (never opened in a spreadsheet program: the
    parents' and the total's sums have no stored result), checks without a finding and gives
    back the scores written into it."""
    from reportgen.core import atomic
    from reportgen.render.forms import form_bytes
    from tests.builders import published_scores

    scores = published_scores()
    for unit, filled in scores.items():
        atomic.write_bytes(tmp_path / form_filename(unit), form_bytes(assessment, unit, filled))
    checked = check(SAMPLE, [tmp_path])
    assert [f.code for f in checked.findings.items] == []
    assert {s.unit: s.scores for s in checked.submissions} == scores
