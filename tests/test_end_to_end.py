"""The 2019 Quảng Nam decision rebuilt from Excel submissions (issue 2 acceptance)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import docx
import pytest

from reportgen.config import TieBreak
from reportgen.judge.rank import rank_all
from reportgen.pipeline import build as api
from reportgen.pipeline.check import check
from reportgen.pipeline.names import FINDINGS_REPORT, OUTPUTS
from tests.conftest import ROOT, SAMPLE, SEED, number
from tests.moved_clock import run_later

COLUMNS = ["ha_tang", "noi_bo", "nguoi_dan", "nhan_luc", "moi_truong", "total", "grade"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = api.build(SAMPLE, out=out)
    assert result.ok, [str(f) for f in result.blocking]
    return result, out


def annex_rows(path):
    """Every data row of the annex tables of a decision .docx, table by table."""
    document = docx.Document(str(path))
    tables = [t for t in document.tables if t.rows[0].cells[0].text in ("STT", "Xếp hạng")]
    return [[[c.text for c in row.cells] for row in t.rows[1:]] for t in tables]


def test_transcription_matches_the_seed(published):
    if not SEED.exists():
        pytest.skip("the seed is only beside a checkout of the project")
    seed_rows = [
        line.split("\t")
        for line in SEED.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\d+\t", line)
    ]
    ours = [[r["stt"], r["unit"], *(r[k] for k in COLUMNS)] for r in published]
    assert ours == seed_rows


def test_docx_annex_holds_every_published_row_ordered_by_total(built, published):
    result, out = built
    tables = annex_rows(out / "quyet-dinh.docx")
    assert [len(t) for t in tables] == [20, 18]
    for table, key in zip(tables, ["so-nganh", "huyen"]):
        expected = {r["unit"]: [r[k] for k in COLUMNS] for r in published if r["group"] == key}
        assert {row[1]: row[2:] for row in table} == expected
        assert [row[0] for row in table] == [str(i) for i in range(1, len(table) + 1)]
        totals = [number(row[7]) for row in table]
        assert totals == sorted(totals, reverse=True)
    units = [row[1] for row in tables[0]]
    assert units.index("Thanh tra tỉnh") < units.index("Sở Y tế")


def test_input_order_tie_break_keeps_the_published_order_but_one_swap(assessment, published):
    checked = check(SAMPLE, [SAMPLE / "tong-hop.xlsx"])
    scoring = assessment.scoring.model_copy(update={"tie_break": TieBreak.INPUT_ORDER})
    by_input = assessment.model_copy(update={"scoring": scoring})
    ours = [row.unit for g in rank_all(checked.submissions, by_input) for row in g.rows]
    theirs = [r["unit"] for r in published]
    moved = [i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
    assert [theirs[i] for i in moved] == ["Sở Y tế", "Thanh tra tỉnh"]
    assert [ours[i] for i in moved] == ["Thanh tra tỉnh", "Sở Y tế"]


def test_per_unit_workbooks_and_consolidated_workbook_agree():
    one = check(SAMPLE, [SAMPLE / "submissions"])
    two = check(SAMPLE, [SAMPLE / "tong-hop.xlsx"])
    assert not one.findings.items and not two.findings.items
    assert len(one.submissions) == 38
    key = lambda s: s.unit  # noqa: E731
    assert [(s.unit, s.scores) for s in sorted(one.submissions, key=key)] == [
        (s.unit, s.scores) for s in sorted(two.submissions, key=key)
    ]
    assert rank_all(one.submissions, one.assessment) == rank_all(two.submissions, two.assessment)


def test_same_inputs_give_the_same_bytes_in_another_process_years_later(built, tmp_path):
    _, out = built
    later = run_later("build", str(SAMPLE), "--out", str(tmp_path))
    assert later.returncode == 0, later.stdout + later.stderr
    for name in (*OUTPUTS, FINDINGS_REPORT):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_the_moved_clock_moves_every_clock_a_writer_could_stamp_with():
    """The determinism tests' tool: in its child, every clock reads years on."""
    code = (
        "import datetime as dt, io, time, zipfile; from tests.moved_clock import move, OFFSET;"
        "from openpyxl.packaging.core import DocumentProperties; move(OFFSET);"
        "z = zipfile.ZipFile(io.BytesIO(), 'w'); z.writestr('a', b'');"
        "print(time.localtime().tm_year, time.gmtime().tm_year,"
        " time.time_ns() // 10**9 // 31_557_600 + 1970, dt.datetime.now().year,"
        " dt.datetime.now(dt.timezone.utc).year, dt.datetime.utcnow().year,"
        " dt.date.today().year, z.infolist()[0].date_time[0], DocumentProperties().created.year)"
    )
    child = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert child.returncode == 0, child.stderr
    years = [int(y) for y in child.stdout.split()]
    now = dt.datetime.now().year
    assert len(years) == 9 and all(now + 6 <= y <= now + 8 for y in years), years


def test_decision_text_comes_from_the_config(built):
    _, out = built
    text = "\n".join(p.text for p in docx.Document(str(out / "quyet-dinh.docx")).paragraphs)
    cells = "\n".join(
        c.text
        for t in docx.Document(str(out / "quyet-dinh.docx")).tables
        for row in t.rows
        for c in row.cells
    )
    assert "Số: 52/QĐ-UBND" in cells
    assert "Quảng Nam, ngày 07 tháng 01 năm 2020" in cells
    assert "Trần Văn Tân" in cells
    assert (
        "(Ban hành kèm theo Quyết định số 52/QĐ-UBND ngày 07/01/2020 của UBND tỉnh Quảng Nam)"
        in text
    )
    assert "Điều 3. Chánh Văn phòng UBND tỉnh" in text
    assert "Xét đề nghị của Giám đốc Sở Thông tin và Truyền thông" in text


def test_csv_and_json_hold_one_row_per_unit(built):
    import csv
    import json

    _, out = built
    rows = list(csv.DictReader((out / "ket-qua.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 38
    first = rows[0]
    assert (first["group"], first["stt"], first["unit"], first["total"], first["grade"]) == (
        "so-nganh",
        "1",
        "Sở Giao thông vận tải",
        "99.5",
        "Tốt",
    )
    data = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    assert data["schema"] == 2
    assert [g["key"] for g in data["groups"]] == ["so-nganh", "huyen"]
    assert sum(len(g["results"]) for g in data["groups"]) == 38
    assert data["groups"][0]["results"][0]["scores"]["nguoi_dan"] == 35.5
    ranks = [r["rank"] for r in data["groups"][1]["results"]]
    assert ranks[:14] == [1, 2, 3, 4, 5, 5, 7, 8, 9, 10, 10, 12, 12, 12]


def test_json_validates_against_the_documented_schema(built):
    import json

    import jsonschema

    _, out = built
    schema = json.loads((ROOT / "docs" / "ket-qua.schema.json").read_text(encoding="utf-8"))
    data = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    broken = json.loads(json.dumps(data))
    broken["groups"][0]["results"][0]["total"] = "99,5"  # a number written as text
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_check_leaves_no_cyclic_garbage():
    """`check` pauses the cyclic collector while reading (a big sheet is several seconds of
    collections otherwise), so what it makes must be freed by reference counting: a reference
    cycle per row (a recursive closure did this) would pile up until reading ends."""
    import gc

    check(SAMPLE)  # imports and caches first
    gc.collect()
    gc.disable()
    try:
        check(SAMPLE)
        garbage = gc.collect()
    finally:
        gc.enable()
    assert garbage < 38, f"{garbage} objects in reference cycles after one check of 38 units"
