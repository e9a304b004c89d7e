"""The synthetic PAR Index sample (issue 22): a 100-point set with areas, criteria and
sub-criteria, a survey of 31,5 points from its own table, criteria that do not apply to
some units, scores computed from figures, verified scores. Its totals are recomputed here
from the committed files alone — tomllib, openpyxl and fractions — never through
reportgen's ingest, validate or rank."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import openpyxl
import pytest

from reportgen import api
from reportgen.config.load import tomllib
from tests.conftest import ROOT

SAMPLE = ROOT / "samples" / "par-index-2024"
SURVEY = SAMPLE / "khao-sat-2024.xlsx"
MARKS = {"không áp dụng", "kad"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("par")
    result = api.build(SAMPLE, out=out)
    assert result.ok, [str(f) for f in result.blocking]
    return result, out


def test_it_builds_without_findings(built):
    result, _ = built
    assert [str(f) for f in result.checked.findings] == []
    assert [len(g.rows) for g in result.results] == [20, 18]


def _leaves(nodes):
    for node in nodes:
        if "items" in node:
            yield from _leaves(node["items"])
        else:
            yield node


def _under(node, key, inside=False):
    """The keys of `node`'s tree that are `key` or under it."""
    inside = inside or node["key"] == key
    found = {node["key"]} if inside else set()
    for item in node.get("items", []):
        found |= _under(item, key, inside)
    return found


def _half_up(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _form(path):
    """label → (own cell, verified cell) of a filled form, read with openpyxl."""
    sheet = openpyxl.load_workbook(path, data_only=True).active
    rows = {}
    for row in sheet.iter_rows(values_only=True):
        if len(row) > 4 and isinstance(row[1], str):
            rows[row[1]] = (row[3], row[4])
    return rows


def _rule(leaf, rows, figures):
    """A rule leaf's score from the form's figure rows (None: does not apply), or the
    score as written when the form has no figure rows for it."""
    rule = leaf["rule"]
    if rule["kind"] == "yes_no":
        return Fraction(str(rule["yes"])) if rows[leaf["label"]][0] == "Có" else Fraction(0)
    names = rule.get("inputs") or [rule["input"]]
    if not all(figures[n] in rows for n in names):
        return None if _marked(rows[leaf["label"]][0]) else Fraction(str(rows[leaf["label"]][0]))
    values = [Fraction(str(rows[figures[n]][0])) for n in names]
    if rule["kind"] == "steps":
        return next((Fraction(str(p)) for t, p in rule["steps"] if values[0] >= t), Fraction(0))
    a, b = values
    if b == 0:
        return {"max": Fraction(str(leaf["max"])), "zero": Fraction(0)}.get(rule["zero"])
    return Fraction(_half_up(min(1, a / b) * Fraction(str(leaf["max"]))))


def _marked(value) -> bool:
    return isinstance(value, str) and value.strip().lower() in MARKS


def recomputed() -> dict[str, tuple[Decimal, Decimal]]:
    """unit → (total, scored sum) worked out from the committed config, forms and survey."""
    config = tomllib.loads((SAMPLE / "assessment.toml").read_text(encoding="utf-8"))
    (criteria_set,) = config["criteria_sets"]
    tops = criteria_set["criteria"]
    figures = {f["key"]: f["label"] for f in criteria_set["figures"]}
    leaves = list(_leaves(tops))
    survey_book = openpyxl.load_workbook(SURVEY, data_only=True).active
    survey_rows = list(survey_book.iter_rows(values_only=True))
    header = next(r for r in survey_rows if "Tên đơn vị" in r)
    survey = {r[1]: dict(zip(header, r)) for r in survey_rows[survey_rows.index(header) + 1 :]}
    out = {}
    for group in config["groups"]:
        for unit in group["units"]:
            name = unit if isinstance(unit, str) else unit["name"]
            skipped = set()
            for key in [] if isinstance(unit, str) else unit.get("not_applicable", []):
                skipped |= set().union(*(_under(top, key) for top in tops))
            rows = _form(SAMPLE / "submissions" / f"{name}.xlsx")
            scored = Fraction(0)
            for leaf in leaves:
                if leaf["key"] in skipped:
                    continue
                if leaf.get("source") == "survey":
                    score = Fraction(str(survey[name][leaf["label"]]))
                elif "rule" in leaf:
                    score = _rule(leaf, rows, figures)
                elif _marked(rows[leaf["label"]][0]):
                    score = None
                else:
                    own, verified = rows[leaf["label"]]
                    score = Fraction(str(verified if verified is not None else own))
                if score is None:
                    skipped.add(leaf["key"])
                else:
                    scored += score
            unit_max = sum(Fraction(str(leaf["max"])) for leaf in leaves) - sum(
                Fraction(str(leaf["max"])) for leaf in leaves if leaf["key"] in skipped
            )
            out[name] = (_half_up(scored * 100 / unit_max), _half_up(scored))
    return out


def test_totals_recomputed_independently(built):
    _, out = built
    document = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    expected = recomputed()
    got = {r["unit"]: r for g in document["groups"] for r in g["results"]}
    assert set(got) == set(expected)
    for unit, (total, scored) in expected.items():
        assert Decimal(str(got[unit]["total"])) == total, unit
        if "scored" in got[unit]:
            assert Decimal(str(got[unit]["scored"])) == scored, unit
    for group in document["groups"]:  # ranked by total, highest first, shared ranks
        totals = [Decimal(str(r["total"])) for r in group["results"]]
        assert totals == sorted(totals, reverse=True)
        ranks = [r["rank"] for r in group["results"]]
        assert ranks == [1 + sum(t > total for t in totals) for total in totals]


def test_the_annex_workbook_lists_the_scores_worked_out_from_figures(built):
    _, out = built
    sheet = openpyxl.load_workbook(out / "phu-luc.xlsx")["Điểm tính theo số liệu"]
    rows = [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
    label = "Tham mưu ban hành văn bản quy phạm pháp luật theo kế hoạch"
    (thanh_tra,) = [r for r in rows if r[1] == "Thanh tra tỉnh" and r[2] == label]
    assert thanh_tra[3:] == ("0 ÷ 0: mẫu số bằng 0 → không áp dụng", "Không áp dụng")
    assert len(rows) == 38 * 8 - 2  # 8 rule criteria a unit; Ban Dân tộc skips 2


def test_what_does_not_apply_is_explained_under_the_table(built):
    result, out = built
    document = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    skipping = {
        r["unit"]: r["not_applicable"]
        for g in document["groups"]
        for r in g["results"]
        if "not_applicable" in r
    }
    assert "thu_tuc" in skipping["Ban Dân tộc"]  # the config says so
    assert skipping["Sở Ngoại vụ"] == ["tc_tu_chu"]  # "Không áp dụng" on its form
    assert skipping["Thanh tra tỉnh"] == ["vb_tham_muu"]  # 0 ÷ 0 documents to draft
    from reportgen.render.tables import annex_tables

    notes = " ".join(annex_tables(result.results, result.checked.assessment)[0].notes)
    for unit in skipping:
        assert f"{unit}: '" in notes


def test_the_inputs_are_what_the_committed_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_par_index_2024", ROOT / "scripts" / "make_par_index_2024.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for run in ("one", "two"):
        (tmp_path / run).mkdir()
        shutil.copy(SAMPLE / "assessment.toml", tmp_path / run)
        script.main(tmp_path / run)
    committed = sorted(p.name for p in (SAMPLE / "submissions").iterdir())
    assert sorted(p.name for p in (tmp_path / "one" / "submissions").iterdir()) == committed
    for name in [*(f"submissions/{n}" for n in committed), SURVEY.name]:
        one, two = (tmp_path / run / name for run in ("one", "two"))
        assert one.read_bytes() == two.read_bytes(), name
        assert _cells(one) == _cells(SAMPLE / name), name


def _cells(path):
    book = openpyxl.load_workbook(path)
    return [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book]


def test_a_form_saved_by_a_spreadsheet_program_agrees_with_reportgen(tmp_path):
    """The forms' formulas (rule scores, parents, total) as LibreOffice calculates them are
    what reportgen computes: re-saved forms give no SCORE_RULE_MISMATCH, SUBTOTAL_MISMATCH or
    TOTAL_MISMATCH and the same totals (Sở Ngoại vụ writes "Không áp dụng"; Thanh tra tỉnh's
    0 ÷ 0 shows it by formula)."""
    from reportgen.render import pdf

    soffice = pdf.find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    folder = tmp_path / "par"
    shutil.copytree(SAMPLE, folder)
    units = ["Sở Ngoại vụ", "Thanh tra tỉnh", "Huyện Quế Sơn"]
    for unit in units:
        (folder / "submissions" / f"{unit}.xlsx").rename(tmp_path / f"{unit}.xlsx")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [str(soffice), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(folder / "submissions"), *(str(tmp_path / f"{u}.xlsx") for u in units)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    resaved = openpyxl.load_workbook(folder / "submissions" / "Thanh tra tỉnh.xlsx", data_only=True)
    cells = [row[3] for row in resaved.active.iter_rows(values_only=True) if len(row) > 3]
    assert "Không áp dụng" in cells  # vb_tham_muu: 0 ÷ 0, by formula
    again = api.build(folder, out=tmp_path / "out")
    assert [str(f) for f in again.checked.findings] == []
    document = json.loads((tmp_path / "out" / "ket-qua.json").read_text(encoding="utf-8"))
    totals = {r["unit"]: Decimal(str(r["total"])) for g in document["groups"] for r in g["results"]}
    assert totals == {unit: total for unit, (total, _) in recomputed().items()}


def test_audit_reads_its_own_annex_back(built, tmp_path):
    """The annex audited against the config: "KAD" columns and totals rescaled for criteria
    a top-level column hides agree; a total typed wrong in a rescaled row is still caught."""
    _, out = built
    for published in ("phu-luc.xlsx", "quyet-dinh.docx"):
        report = api.audit(SAMPLE, out / published)
        assert [str(f) for f in report.findings] == [], published
    book = openpyxl.load_workbook(out / "phu-luc.xlsx")
    sheet = book["Sở, Ban, ngành"]
    row = next(r for r in sheet.iter_rows() if r[1].value == "Sở Ngoại vụ")
    *_, total = (c for c in row if c.value == float(recomputed()["Sở Ngoại vụ"][0]))
    total.value += 1  # the total column (the self-assessed total before it is the same)
    book.save(tmp_path / "sai.xlsx")
    codes = [f.code for f in api.audit(SAMPLE, tmp_path / "sai.xlsx").findings]
    assert "AUDIT_TOTAL_WRONG" in codes
