"""The decision template: tags in one run each, no {%p %} beside a section break, names
checked against what reportgen provides; `reportgen template check` and `--template`."""

from __future__ import annotations

import zipfile

import docx
import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.pipeline import build as api
from reportgen.render import templatecheck, templatekinds
from reportgen.render.docx import context, default_template
from tests.conftest import SAMPLE

runner = CliRunner()
TEMPLATE = default_template()


def test_bundled_template_is_clean():
    report = templatecheck.check(TEMPLATE)
    assert report.problems == []
    assert set(report.used) <= set(templatekinds.provided_names())
    assert "annex_tables" in report.used


def test_tags_in_one_run_and_no_p_tag_beside_a_section_break():
    """Read the template XML directly, independent of templatecheck's own walk."""
    from lxml import etree

    W = templatecheck.W
    with zipfile.ZipFile(TEMPLATE) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    tags = 0
    for p in root.iter(f"{W}p"):
        full = "".join(t.text or "" for t in p.iter(f"{W}t"))
        for run in p.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            tags += len(templatecheck.TAG.findall(text))
        assert len(templatecheck.TAG.findall(full)) == sum(
            len(templatecheck.TAG.findall("".join(t.text or "" for t in r.iter(f"{W}t"))))
            for r in p.iter(f"{W}r")
        ), full
        if p.find(f"{W}pPr/{W}sectPr") is not None:
            assert "{%p" not in full
    assert tags >= 20


def test_provided_names_match_the_context(assessment):
    values = context(assessment)
    for top, attrs in templatekinds.PROVIDED.items():
        if top == "annex_tables":
            continue
        assert top in values
        if attrs is not None:
            assert set(values[top]) == set(attrs), top
    assert set(values) | {"annex_tables"} == set(templatekinds.PROVIDED)


def edited(tmp_path, change):
    """A copy of the bundled template with document.xml changed by `change(xml) -> xml`."""
    target = tmp_path / "mau.docx"
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    return target


def test_check_command_on_a_valid_template():
    result = runner.invoke(app, ["template", "check"])
    assert result.exit_code == 0, result.output
    assert "decision.summary" in result.output and "Mẫu dùng được" in result.output
    result = runner.invoke(app, ["template", "check", "--help"])
    assert "Ví dụ:" in result.output


def test_unknown_name_is_named_with_the_closest_valid_one(tmp_path):
    path = edited(tmp_path, lambda x: x.replace("decision.summary", "decision.summry"))
    result = runner.invoke(app, ["template", "check", str(path)])
    assert result.exit_code == 2
    assert "'decision.summry'" in result.output and "'decision.summary'" in result.output
    path = edited(tmp_path, lambda x: x.replace("{{ place_date }}", "{{ ngay_ban_hanh }}"))
    (problem,) = templatecheck.check(path).errors
    assert problem.code == "TEMPLATE_UNKNOWN_NAME" and "ngay_ban_hanh" in problem.message


def test_tag_split_across_runs_names_the_paragraph(tmp_path):
    document = docx.Document(str(TEMPLATE))
    para = next(
        p
        for t in document.tables
        for c in t._cells
        for p in c.paragraphs
        if p.text == "Số: {{ number }}"
    )
    para.runs[0].text = "Số: {{ num"
    para.add_run("ber }}").bold = True  # as Word does after a formatting change mid-tag
    path = tmp_path / "split.docx"
    document.save(str(path))
    (problem,) = templatecheck.check(path).errors
    assert problem.code == "TEMPLATE_SPLIT_TAG"
    assert "đoạn 6 «Số: {{ number }}»: thẻ" in problem.message
    assert problem.location.file == str(path)  # the template, as every TEMPLATE_* finding
    result = runner.invoke(app, ["template", "check", str(path)])
    assert result.exit_code == 2 and "TEMPLATE_SPLIT_TAG" in result.output


def test_p_tag_beside_a_section_break(tmp_path):
    def move(xml: str) -> str:
        # put a {%p %} pair into the paragraph that carries the first section break
        start = xml.index("<w:sectPr")
        para = xml.rindex("<w:p>", 0, start) if "<w:p>" in xml[:start] else None
        assert para is not None
        run = "<w:r><w:t>{%p if true %}{%p endif %}</w:t></w:r>"
        end = xml.index("</w:p>", start)
        return xml[:end] + run + xml[end:]

    path = edited(tmp_path, move)
    codes = {p.code for p in templatecheck.check(path).errors}
    assert "TEMPLATE_TAG_AT_SECTION_BREAK" in codes


def test_unclosed_tag_and_unreadable_file(tmp_path):
    path = edited(tmp_path, lambda x: x.replace("{{ number }}", "{{ number }", 1))
    assert {p.code for p in templatecheck.check(path).errors} == {"TEMPLATE_BROKEN_TAG"}
    junk = tmp_path / "junk.docx"
    junk.write_text("not a zip", encoding="utf-8")
    assert [p.code for p in templatecheck.check(junk).errors] == ["TEMPLATE_UNREADABLE"]


def test_build_with_another_template(tmp_path):
    other = edited(tmp_path, lambda x: x.replace("QUYẾT ĐỊNH:", "QUYẾT ĐỊNH (DỰ THẢO):"))
    result = runner.invoke(
        app, ["build", str(SAMPLE), "--template", str(other), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output
    text = [p.text for p in docx.Document(str(tmp_path / "o" / "quyet-dinh.docx")).paragraphs]
    assert "QUYẾT ĐỊNH (DỰ THẢO):" in text


def test_build_with_a_broken_template_exits_2_and_writes_nothing(tmp_path):
    path = edited(tmp_path, lambda x: x.replace("signer.name", "signer.ten"))
    with pytest.raises(templatecheck.TemplateError):
        api.build(SAMPLE, out=tmp_path / "a", template=path)
    result = runner.invoke(
        app, ["build", str(SAMPLE), "--template", str(path), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "signer.ten" in result.output
    assert "signer.name" in result.output
    assert not (tmp_path / "o").exists() and not (tmp_path / "a").exists()
