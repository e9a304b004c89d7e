"""The decision opens in Word without an offer to repair it (issue 9, item 6): every part
validates against the Office Open XML schema (openxml-audit), apart from two false positives
of the validator named below; the same holds for a template saved by LibreOffice."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile

import docx
import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from reportgen.pipeline import build as api
from reportgen.render import docx as docx_writer
from reportgen.render import wordml
from tests.conftest import SAMPLE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def is_true_on_off(error) -> bool:
    """False positive 1: `w:val="true"` on an on/off property (w:cantSplit, w:tblHeader).
    ECMA-376 ST_OnOff allows true/false/on/off/1/0 (Part 1 §22.9.2.7, Transitional);
    openxml-audit only accepts on/off there."""
    return "Value 'true' is not in allowed values: ['off', 'on']" in error.description


def is_styles_with_effects(error) -> bool:
    """False positive 2: a heuristic comparing styles.xml with the legacy
    stylesWithEffects.xml part, which flags python-docx's own blank document too (see
    test_the_styles_with_effects_heuristic_flags_a_blank_document); Word 2013 and later
    no longer read that part."""
    return error.part_uri == "/word/stylesWithEffects.xml"


KNOWN_FALSE_POSITIVES = (is_true_on_off, is_styles_with_effects)


def problems(path) -> list[str]:
    """Every error and warning of the validator (both are in `errors`, with their
    severity) that is not a known false positive."""
    result = OpenXmlValidator(max_errors=0).validate(str(path))
    return [
        f"{e.severity.value} {e.part_uri} {e.path} {e.node}: {e.description}"
        for e in result.errors
        if not any(known(e) for known in KNOWN_FALSE_POSITIVES)
    ]


def part(path, name: str):
    return etree.fromstring(zipfile.ZipFile(path).read(name))


@pytest.fixture(scope="module")
def decision(tmp_path_factory):
    out = tmp_path_factory.mktemp("decision")
    assert api.build(SAMPLE, out=out).ok
    return out / "quyet-dinh.docx"


def test_the_2019_decision_validates_but_for_the_named_false_positives(decision):
    assert problems(decision) == []


def test_the_bundled_template_validates_too():
    assert problems(docx_writer.default_template()) == []


def test_the_validator_sees_what_word_repairs(decision, tmp_path):
    """The check can fail: the decision with w:tblW moved after w:jc, as before the fix,
    is reported."""
    with zipfile.ZipFile(decision) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    body = etree.fromstring(entries["word/document.xml"])
    tblpr = body.find(f".//{W}tblPr")
    width = tblpr.find(f"{W}tblW")
    tblpr.remove(width)
    tblpr.append(width)
    entries["word/document.xml"] = etree.tostring(body)
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)
    assert any("tblW" in p for p in problems(broken))


def test_the_styles_with_effects_heuristic_flags_a_blank_document(tmp_path):
    """Why false positive 2 is one: python-docx's blank document is flagged. When
    openxml-audit stops doing so, this fails and the exception can go."""
    blank = tmp_path / "blank.docx"
    docx.Document().save(str(blank))
    result = OpenXmlValidator(max_errors=0).validate(str(blank))
    assert [e for e in result.errors if is_styles_with_effects(e)]


def test_core_properties_name_the_author_and_revision_once(decision):
    core = part(decision, "docProps/core.xml")
    local = [etree.QName(child).localname for child in core]
    assert local.count("lastModifiedBy") == 1
    assert local.count("revision") == 1
    for child in core:  # none in docxcompose's `cp` (custom-properties) namespace
        assert "custom-properties" not in etree.QName(child).namespace
    assert core.find(f"{{{wordml.CORE_NS}}}lastModifiedBy").text == "reportgen"
    assert core.find(f"{{{wordml.CORE_NS}}}revision").text == "1"


def test_word_opens_it_in_current_mode_not_compatibility_mode(decision):
    settings = part(decision, "word/settings.xml")
    modes = [
        s.get(f"{W}val")
        for s in settings.iter(f"{W}compatSetting")
        if s.get(f"{W}name") == "compatibilityMode"
    ]
    assert modes == ["15"]


def test_a_section_break_written_by_libreoffice_is_put_in_order():
    """LibreOffice writes `<w:pPr><w:sectPr/><w:pStyle/>…`; the schema wants sectPr last."""
    ppr = etree.fromstring(
        f'<w:pPr xmlns:w="{W[1:-1]}"><w:sectPr/><w:pStyle w:val="Normal"/><w:rPr/>'
        "<w:jc w:val='left'/></w:pPr>"
    )
    wordml.put_in_order(ppr)
    assert [etree.QName(c).localname for c in ppr] == ["pStyle", "jc", "rPr", "sectPr"]


def soffice_or_skip() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("REPORTGEN_REQUIRE_PDF"):
            pytest.fail("LibreOffice missing although CI requires it")
        pytest.skip("LibreOffice (soffice) not installed")
    return soffice


def test_a_template_saved_by_libreoffice_gives_a_valid_decision(tmp_path):
    """A clerk's edit saved in LibreOffice Writer: the bundled template with one sentence
    changed, opened and saved as .docx by LibreOffice, then used for the 2019 build."""
    soffice = soffice_or_skip()
    edited = docx.Document(str(docx_writer.default_template()))
    closing = next(p for p in edited.paragraphs if "QUYẾT ĐỊNH:" in p.text)
    closing.runs[0].text = "QUYẾT ĐỊNH :"
    source = tmp_path / "edited" / "quyet-dinh.docx"
    source.parent.mkdir()
    buffer = io.BytesIO()
    edited.save(buffer)
    source.write_bytes(buffer.getvalue())
    saved = tmp_path / "saved"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(saved),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    template = saved / "quyet-dinh.docx"
    assert b"LibreOffice" in zipfile.ZipFile(template).read("docProps/app.xml")
    out = tmp_path / "out"
    assert api.build(SAMPLE, out=out, template=template).ok
    decision = out / "quyet-dinh.docx"
    assert "QUYẾT ĐỊNH :" in "\n".join(p.text for p in docx.Document(str(decision)).paragraphs)
    assert problems(decision) == []
