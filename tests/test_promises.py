"""Documented promises checked against hand-computed or published values (issue 9, item 9).

Expected values here come from the published 2019 decision (annex-2019.tsv, transcribed from
the seed) or are written out by hand, never from reportgen's own code.
"""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.pipeline import build as api
from tests.conftest import SAMPLE

runner = CliRunner()

# Shared ranks of the 2019 totals, worked out by hand from the published annex: equal totals
# share a rank and the next rank skips (95, 95 → 6, 6, then 8).
RANKS_SO_NGANH = [1, 2, 3, 4, 5, 6, 6, 8, 8, 10, 11, 12, 13, 13, 15, 15, 17, 17, 19, 20]
RANKS_HUYEN = [1, 2, 3, 4, 5, 5, 7, 8, 9, 10, 10, 12, 12, 12, 15, 15, 17, 18]


def _published() -> list[dict[str, str]]:
    with (SAMPLE / "annex-2019.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _number(value: object) -> Decimal:
    """A cell read back, as text ("35,5") or as a number (35.5)."""
    return Decimal(str(value).replace(",", "."))


def _copy_sample(tmp_path: Path, edit: tuple[str, str] | None = None) -> Path:
    folder = tmp_path / "quang-nam-2019"
    shutil.copytree(SAMPLE, folder)
    if edit:
        toml = folder / "assessment.toml"
        text = toml.read_text(encoding="utf-8")
        assert edit[0] in text
        toml.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    return folder


NAME_HEADINGS = ("Tên đơn vị", "Huyện, Thành phố")  # the groups' name_column


def _annex_rows(path: Path) -> dict[str, list[tuple]]:
    """Group sheet name → the data rows under its header row (chart sheets left out)."""
    book = openpyxl.load_workbook(path)
    tables = {}
    for sheet in book:
        rows = list(sheet.iter_rows(values_only=True))
        heads = [i for i, r in enumerate(rows) if len(r) > 1 and r[1] in NAME_HEADINGS]
        if not heads:  # a chart sheet
            continue
        header = heads[0]
        body = []
        for row in rows[header + 1 :]:
            if row[0] is None or row[1] is None:
                break
            body.append(row)
        tables[sheet.title] = body
    return tables


def test_phu_luc_holds_the_published_annex(tmp_path):
    """Every cell of both annex tables in phu-luc.xlsx, read back, equals the 2019 decision."""
    assert api.build(SAMPLE, out=tmp_path).ok
    tables = _annex_rows(tmp_path / "phu-luc.xlsx")
    assert list(tables) == ["Sở, Ban, ngành", "UBND huyện, thị xã, thành phố"]
    published = _published()
    keys = ["ha_tang", "noi_bo", "nguoi_dan", "nhan_luc", "moi_truong", "total"]
    for sheet, group in zip(tables, ["so-nganh", "huyen"]):
        rows = tables[sheet]
        want = {r["unit"]: r for r in published if r["group"] == group}
        assert [int(row[0]) for row in rows] == list(range(1, len(want) + 1))  # the 2019 STT
        assert sorted(row[1] for row in rows) == sorted(want)
        for row in rows:
            expected = want[row[1]]
            assert [_number(v) for v in row[2:8]] == [_number(expected[k]) for k in keys], row
            assert row[8] == expected["grade"]
        totals = [_number(row[7]) for row in rows]
        assert totals == sorted(totals, reverse=True)
    # The decision printed Sở Y tế (89,5) above Thanh tra tỉnh (90); reportgen orders by total.
    names = [row[1] for row in tables["Sở, Ban, ngành"]]
    assert names.index("Thanh tra tỉnh") < names.index("Sở Y tế")


def test_totals_equal_the_published_totals(tmp_path):
    """ket-qua.csv totals are the decision's, written as exact decimals."""
    assert api.build(SAMPLE, out=tmp_path).ok
    text = (tmp_path / "ket-qua.csv").read_text(encoding="utf-8-sig")
    built = {r["unit"]: Decimal(r["total"]) for r in csv.DictReader(text.splitlines())}
    assert built == {r["unit"]: _number(r["total"]) for r in _published()}
    assert built["Sở Lao động - Thương binh và Xã hội"] == Decimal("94.5")  # 10+33+33,5+8+10


def test_numbering_rank_gives_shared_ranks_in_the_decision_and_the_annex(tmp_path):
    folder = _copy_sample(tmp_path, ('numbering = "stt"', 'numbering = "rank"'))
    out = tmp_path / "out"
    assert api.build(folder, out=out).ok
    tables = _annex_rows(out / "phu-luc.xlsx")
    columns = [[int(r[0]) for r in rows] for rows in tables.values()]
    assert columns == [RANKS_SO_NGANH, RANKS_HUYEN]
    document = docx.Document(str(out / "quyet-dinh.docx"))
    annex = [t for t in document.tables if len(t.rows) > 10]
    assert len(annex) == 2
    for table, ranks in zip(annex, [RANKS_SO_NGANH, RANKS_HUYEN]):
        firsts = [row.cells[0].text.strip() for row in table.rows]
        numbers = [int(x) for x in firsts if x.isdigit()]
        assert numbers == ranks


def test_submissions_are_read_recursively_and_lock_files_skipped(tmp_path):
    folder = _copy_sample(tmp_path)
    submissions = folder / "submissions"
    nested = submissions / "dot-1" / "huyen"
    nested.mkdir(parents=True)
    for path in submissions.glob("Huyện*.xlsx"):
        path.rename(nested / path.name)
    (nested / "~$Huyện Đại Lộc.xlsx").write_bytes(b"\x00owner lock file, not a workbook")
    built = api.build(folder, out=tmp_path / "out")
    assert built.ok, [f.code for f in built.checked.findings]
    assert not any("~$" in str(f.location) for f in built.checked.findings)
    text = (tmp_path / "out" / "ket-qua.csv").read_text(encoding="utf-8-sig")
    units = {r["unit"] for r in csv.DictReader(text.splitlines())}
    assert "Huyện Đại Lộc" in units and len(units) == 38


def test_build_strict_blocks_on_a_warning_and_writes_nothing(tmp_path):
    folder = _copy_sample(tmp_path)
    form = folder / "submissions" / "Sở Y tế.xlsx"
    shutil.copy(form, folder / "submissions" / "Sở Y tế (1).xlsx")  # a resend: FILE_RESENT
    out = tmp_path / "out"
    lenient = runner.invoke(app, ["build", str(folder), "--out", str(out)])
    assert lenient.exit_code == 0 and (out / "quyet-dinh.docx").exists()
    strict_out = tmp_path / "strict"
    strict = runner.invoke(app, ["build", str(folder), "--strict", "--out", str(strict_out)])
    assert strict.exit_code == 3, strict.output
    assert "FILE_RESENT" in strict.output
    assert not (strict_out / "quyet-dinh.docx").exists()
    assert not (strict_out / "phu-luc.xlsx").exists()


def test_report_builds_every_sample_folder(tmp_path):
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copytree(SAMPLE, samples / "qn-a")
    shutil.copytree(SAMPLE, samples / "qn-b")
    (samples / "not-an-assessment").mkdir()
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", str(samples), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["qn-a", "qn-b"]
    for name in ("qn-a", "qn-b"):
        for output in ("quyet-dinh.docx", "phu-luc.xlsx", "ket-qua.csv", "ket-qua.json"):
            assert (out / name / output).stat().st_size > 0
    same = [(out / name / "ket-qua.csv").read_bytes() for name in ("qn-a", "qn-b")]
    assert same[0] == same[1]


def test_report_on_a_folder_without_assessments_is_refused(tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists()
