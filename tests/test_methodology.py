"""`reportgen init NEW --methodology NAME`: an assessment started from a shipped criteria set."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from reportgen import config
from reportgen.cli import app
from reportgen.config import methodology, newyear
from reportgen.render import forms
from tests.conftest import ROOT

runner = CliRunner()
SAMPLES = ROOT / "samples"


def labels_on_form(assessment: config.Assessment, unit: str) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(forms.form_bytes(assessment, unit)))
    sheet = book[forms.SHEET]
    return {row[1] for row in sheet.iter_rows(values_only=True) if isinstance(row[1], str)}


@pytest.mark.parametrize("name", ["dti-2022-tinh", "da-nang-2025", "par-index-2024"])
def test_init_writes_an_assessment_that_validates_with_the_packs_criteria(tmp_path, name):
    result = runner.invoke(
        app, ["init", str(tmp_path / "new"), "--methodology", name, "--year", "2025"]
    )
    assert result.exit_code == 0, result.output
    loaded = config.load(tmp_path / "new")
    assert loaded.year == 2025
    assert loaded.methodology.name == name
    assert loaded.methodology.version and loaded.methodology.source  # each pack names its source
    assert "title" in loaded.blanks and "signer.name" in loaded.blanks
    for group in loaded.groups:  # one group per set, its units left for the clerk
        unit = group.units[0].name
        on_form = labels_on_form(loaded, unit)
        assert {c.label for _, c in loaded.criteria_set(group).nodes} <= on_form


def test_the_dti_pack_has_the_sourced_main_indices_and_no_more():
    """922/QĐ-BTTTT as the reference gives it: 9 main indices on 1 000 points, smart city
    not scored; the DTI is total ÷ 1 000 (4 decimals)."""
    text = methodology.assessment_text(methodology.packs()["dti-2022-tinh"], 2025)
    (dti,) = config.parse(text, Path("x.toml")).sets
    maxima = {c.label: c.max for c in dti.criteria}
    assert sum(maxima.values()) == 1000
    assert maxima["Hoạt động chính quyền số"] == 200
    assert maxima["Hoạt động kinh tế số"] == maxima["Hoạt động xã hội số"] == 150
    assert len(maxima) == 8 and all(not c.items for c in dti.criteria)
    assert dti.index.decimals == 4 and dti.rank_by.value == "index" and not dti.grades


@pytest.mark.parametrize("name", ["da-nang-2025", "par-index-2024"])
def test_a_samples_pack_is_the_samples_criteria(tmp_path, name):
    """A pack copied from a sample stays the sample's sets (it cannot drift from it)."""
    methodology.start(tmp_path / "new", name, 2025)
    packed = config.load(tmp_path / "new").sets
    sample = config.load(SAMPLES / name).sets
    assert [s.model_dump() for s in packed] == [s.model_dump() for s in sample]


def test_an_unknown_pack_is_refused_naming_those_there_are(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "new"), "--methodology", "dti"])
    assert result.exit_code == 2
    assert "dti-2022-tinh" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "new").exists()


def test_from_and_methodology_are_one_or_the_other(tmp_path):
    both = ["init", str(tmp_path / "n"), "--from", str(SAMPLES / "quang-nam-2019")]
    assert runner.invoke(app, [*both, "--methodology", "dti-2022-tinh"]).exit_code == 2
    assert runner.invoke(app, ["init", str(tmp_path / "n")]).exit_code == 2


def test_next_years_init_keeps_the_methodology(tmp_path):
    methodology.start(tmp_path / "a", "dti-2022-tinh", 2025)
    filled = (tmp_path / "a" / "assessment.toml").read_text(encoding="utf-8")
    filled = (
        filled.replace('"<<CẦN ĐIỀN>>"', '"x"')
        .replace('date = "x"', "date = 2026-01-10")
        .replace('number = "x"', "number = 3")
    )
    (tmp_path / "a" / "assessment.toml").write_text(filled, encoding="utf-8")
    newyear.init(tmp_path / "a", tmp_path / "b")
    assert config.load(tmp_path / "b").methodology == config.load(tmp_path / "a").methodology
