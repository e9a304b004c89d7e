"""Each concept has one owner (issue 18): float → Decimal (`numbers.exact`), the close-name
suggestion (`text.closest`), output writing (`outputs.write`: the set, under the lock), a
finding's parameters, the web page's status badges."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from reportgen import api, config
from reportgen.config import newyear
from reportgen.core import outputs
from reportgen.core.catalogue import finding
from reportgen.core.findings import UnitStatus
from reportgen.core.location import Location
from reportgen.core.numbers import exact
from reportgen.core.text import closest, label_key
from reportgen.judge import yoy
from reportgen.render import forms, templatecheck
from tests.conftest import SAMPLE


def test_a_float_becomes_the_decimal_it_was_written_as():
    assert exact(0.1) == Decimal("0.1") and exact(27.5) == Decimal("27.5")
    assert exact(3) == Decimal(3) and exact(Decimal("1.10")) == Decimal("1.10")


def test_config_and_last_years_json_read_floats_through_it(tmp_path):
    text = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    loaded = config.parse(text.replace("max = 10\n", "max = 10.1\n", 1), SAMPLE)
    assert Decimal("10.1") in [c.max for s in loaded.sets for _, c in s.nodes]
    past = tmp_path / "ket-qua.json"
    rows = [{"group": "g", "unit": "A", "rank": 1, "total": 0.1, "index": 0.7}]
    past.write_text(json.dumps({"year": 2019, "results": rows}), encoding="utf-8")
    row = yoy.load_previous(past).rows[0]
    assert (row.total, row.index) == (Decimal("0.1"), Decimal("0.7"))


def test_one_suggestion_rule_for_every_kind_of_name():
    assert closest("Sở Nội vu", ["Sở Nội vụ", "Sở Y tế"]) == "Sở Nội vụ"
    assert closest("issuer.nme", ["issuer.name", "signer.name"]) == "issuer.name"
    assert closest("zzzz", ["Sở Nội vụ", "Sở Y tế"]) is None  # nothing close: no guess
    labels = ["Hạ tầng kỹ thuật", "Ứng dụng CNTT"]
    assert closest("ha tang ky thuat", labels, label_key) == "Hạ tầng kỹ thuật"


def test_a_template_name_close_to_nothing_gets_no_guess():
    unknown = templatecheck._unknown(["qqqqqqq.xxxxxx", "decision.numbr"])
    assert "có phải là" not in unknown[0].message
    assert "có phải là 'decision.number'?" in unknown[1].message


def test_forms_and_a_new_years_file_are_written_under_the_folders_lock(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "LOCK_WAIT_S", 0.2)
    assessment = api.load(SAMPLE)
    with outputs.folder_lock(tmp_path / "forms"):
        with pytest.raises(outputs.OutputBusy):
            forms.write_forms(assessment, tmp_path / "forms")
    assert list((tmp_path / "forms").iterdir()) == []
    with outputs.folder_lock(tmp_path / "new"):
        with pytest.raises(outputs.OutputBusy):
            newyear.write_folder(tmp_path / "new", "year = 2020\n")
    assert not (tmp_path / "new" / "assessment.toml").exists()
    written = forms.write_forms(assessment, tmp_path / "forms")
    assert sorted(p.name for p in written) == sorted(p.name for p in (tmp_path / "forms").iterdir())


def test_a_finding_keeps_the_parameters_its_message_was_made_from():
    found = finding(
        "TOTAL_MISMATCH", Location("b.xlsx", "S", 5, 8), "Sở A", stated="98", computed="99"
    )
    assert found.params == {"stated": "98", "computed": "99"}
    assert "98" in found.message and "99" in found.message


def test_every_unit_status_has_its_badge_on_the_web_page():
    from reportgen.web.assessment_page import STATUS_CLASS

    assert set(STATUS_CLASS) == set(UnitStatus)
