"""One matching key per kind (unit names, criterion labels), the same in config, ingest,
registry and audit: a config whose entries collide under matching is refused at load."""

from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.config import Assessment
from reportgen.ingest import Layout
from reportgen.registry import UnitRegistry
from reportgen.text import label_key, name_key
from tests.conftest import SAMPLE

runner = CliRunner()


def _folder(tmp_path, old: str, new: str):
    text = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "assessment.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_alias_equal_to_another_units_name_is_refused(tmp_path):
    folder = _folder(tmp_path, 'aliases = ["Sở GTVT"]', 'aliases = ["Sở GTVT", "Sở công thương"]')
    result = runner.invoke(app, ["validate", str(folder), str(SAMPLE / "submissions")])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "tên khác 'Sở công thương' của đơn vị 'Sở Giao thông vận tải'" in text
    assert "đơn vị 'Sở Công Thương' (khối so-nganh)" in text
    assert "Traceback" not in result.output


def test_labels_that_differ_only_in_a_bracketed_note_are_refused(tmp_path):
    folder = _folder(
        tmp_path,
        'label = "Nguồn nhân lực CNTT"',
        'label = "Hạ tầng kỹ thuật CNTT và An toàn thông tin (phần 2)"',
    )
    result = runner.invoke(app, ["build", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "nhãn 'Hạ tầng kỹ thuật CNTT và An toàn thông tin' của tiêu chí ha_tang" in text
    assert "(phần 2)' của tiêu chí nhan_luc" in text
    assert not (tmp_path / "o").exists()


def test_an_alias_of_its_own_unit_is_no_collision(tmp_path):
    from reportgen import config

    folder = _folder(
        tmp_path, 'aliases = ["Sở GTVT"]', 'aliases = ["Sở GTVT", "SỞ GIAO THÔNG VẬN TẢI"]'
    )
    assert config.load(folder).groups[0].units[0].aliases[-1] == "SỞ GIAO THÔNG VẬN TẢI"


def test_config_and_readers_use_the_same_keys(assessment: Assessment):
    """Every label the config accepts is recognised by ingest (and audit, which uses the same
    Layout) under the config's own key, and every name or alias by the registry."""
    layout = Layout(assessment)
    for c in assessment.criteria:
        for text in (c.label, *c.aliases, f"1. {c.label} (10 điểm)"):
            assert layout.criterion(text) == c.key
    registry = UnitRegistry(assessment)
    for g in assessment.groups:
        for u in g.units:
            for text in (u.name, *u.aliases, f"  {u.name.upper()} "):
                assert registry.match(text).unit == u.name
    assert label_key("Tổng điểm (phần 1)") == label_key("tong diem")
    assert name_key("UBND huyện Nam Giang") == name_key("Huyện Nam Giang")
