"""One matching key per kind (unit names, criterion labels), the same in config, ingest,
registry and audit: a config whose entries collide under matching is refused at load."""

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.config import Assessment
from reportgen.core.text import label_key, name_key
from reportgen.judge.registry import UnitRegistry
from reportgen.read.layout import Layout
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


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        st.one_of(
            st.characters(min_codepoint=0x20, max_codepoint=0x24F),  # Latin to Extended-B
            st.characters(min_codepoint=0x300, max_codepoint=0x36F),  # combining marks
            st.characters(min_codepoint=0x1E00, max_codepoint=0x1EFF),  # Vietnamese letters
            st.sampled_from("Ξένο中文٣ ·-_"),
        ),
        max_size=30,
    )
)
def test_fold_fast_path_reads_like_the_general_rule(text):
    """`fold` turns Vietnamese letters into ASCII with one table lookup per character; it
    must give exactly what the general rule (NFD, drop combining marks, \\w) gives."""
    from reportgen.core.text import _fold, _fold_slowly, clean

    assert _fold(text) == _fold_slowly(clean(text).casefold())


def test_hints_stop_after_the_limit_and_say_so(tmp_path, monkeypatch):
    """Past FUZZY_LIMIT unknown names, the rest are still UNIT_UNKNOWN, without a close-name
    hint, and one warning says how many were not compared."""
    from reportgen.judge import registry
    from reportgen.pipeline.check import check
    from tests.builders import table

    monkeypatch.setattr(registry, "FUZZY_LIMIT", 2)
    rows = [[i, f"Sở Ytế {i}", 5, 30, 30, 5, 5, 75, ""] for i in range(1, 6)]
    checked = check(SAMPLE, [table(tmp_path, rows)])
    unknown = [f for f in checked.findings if f.code == "UNIT_UNKNOWN"]
    assert len(unknown) == 5
    assert [("Có phải" in f.message) for f in unknown] == [True, True, False, False, False]
    codes = [f.code for f in checked.findings]
    assert codes.index("UNIT_HINTS_LIMITED") < codes.index("UNIT_UNKNOWN")  # on the first screen
    (limited,) = [f for f in checked.findings if f.code == "UNIT_HINTS_LIMITED"]
    assert limited.message.startswith("5 tên đơn vị không có trong danh sách đăng ký: chỉ 2 tên")
    assert "3 tên còn lại không có gợi ý" in limited.message
    assert limited.severity.value == "warning"
