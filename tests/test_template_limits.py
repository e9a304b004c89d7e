"""A template a clerk downloads from anywhere cannot hang or exhaust the machine: what cannot
be bounded cheaply is refused by name before anything compiles, and checking and filling run
in a child process under a CPU-time and a memory limit. Each hostile template is built here;
the CLI runs in a child under RLIMIT_AS and RLIMIT_CPU of its own, so a template that got
through would fail the test, not the machine."""

from __future__ import annotations

import resource
import subprocess
import sys
import zipfile

import pytest

from reportgen import config
from reportgen.render import docx, notice_docx, sandbox, templatecheck
from tests.conftest import ROOT, SAMPLE
from tests.test_template_sandbox import with_tag

MEMORY = 2 << 30
CPU_SECONDS = 120


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def template_check(path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", "template", "check", str(path)],
        capture_output=True,
        text=True,
        preexec_fn=_limits,
        cwd=ROOT,
    )


REFUSED = {
    "center(10^9)": ("{{ decision.summary|center(1000000000) }}", "'center'"),
    "format width": ("{{ '%999999999d'|format(1) }}", "'format'"),
    "indent(10^9)": ("{{ decision.summary|indent(1000000000) }}", "'indent'"),
    "batch(10^9)": ("{{ decision.legal_bases|batch(1000000000)|list }}", "'batch'"),
    "map to center": ("{{ decision.legal_bases|map('center', 1000000000)|join }}", "'center'"),
    "str.center": ("{{ decision.summary.center(1000000000) }}", "'center'"),
    "str.format": ("{{ '{:>999999999}'.format(1) }}", "'format'"),
    "% on a string": ("{{ '%999999999d' % 1 }}", "định dạng chuỗi bằng %"),
    "doubling macro": (
        "{% macro m(n) %}{{ m(n) }}{{ m(n) }}{% endmacro %}{{ m(1) }}",
        "tự gọi lại chính nó",
    ),
    "include": ("{% include 'x.xml' %}", "{% include %}"),
    "extends": ("{% extends 'x.xml' %}", "{% extends %}"),
    "import": ("{% import 'x.xml' as x %}", "{% import %}"),
}


@pytest.mark.parametrize("tag, said", REFUSED.values(), ids=REFUSED.keys())
def test_what_cannot_be_bounded_is_refused_by_name(tmp_path, tag, said):
    done = template_check(with_tag(tmp_path, tag))
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "TEMPLATE_UNSAFE" in output
    assert said in output and "mau.docx" in output


@pytest.fixture
def tight(monkeypatch):
    """Limits a test can reach quickly: 2 s of CPU, 64 MB."""
    monkeypatch.setattr(sandbox, "CPU_SECONDS", 2)
    monkeypatch.setattr(sandbox, "MEMORY_BYTES", 64 << 20)


def test_nested_loops_run_out_of_cpu_time_in_the_child(tmp_path, tight):
    loops = (
        "{% for a in decision.legal_bases * 25000 %}{% for b in decision.legal_bases * 25000 %}"
        "{% endfor %}{% endfor %}"
    )
    (problem,) = templatecheck.check(with_tag(tmp_path, loops)).errors
    assert problem.code == "TEMPLATE_TOO_COSTLY" and "quá 2 giây" in problem.message


def test_a_string_doubled_forty_times_runs_out_of_memory_in_the_child(tmp_path, tight):
    doubling = "{% set s = decision.summary %}" + "{% set s = s ~ s %}" * 40 + "{{ s|length }}"
    (problem,) = templatecheck.check(with_tag(tmp_path, doubling)).errors
    assert problem.code == "TEMPLATE_TOO_COSTLY" and "quá 64 MB bộ nhớ" in problem.message


def test_macros_calling_each_other_are_too_deep_not_a_traceback(tmp_path):
    tag = (
        "{% macro a(n) %}{{ b(n) }}{% endmacro %}{% macro b(n) %}{{ a(n) }}{% endmacro %}{{ a(1) }}"
    )
    done = template_check(with_tag(tmp_path, tag))
    assert done.returncode == 2 and "Traceback" not in done.stdout + done.stderr
    assert "TEMPLATE_TOO_COSTLY" in done.stderr and "lồng nhau quá sâu" in done.stderr


def test_filling_in_build_is_bounded_too(tmp_path, tight, monkeypatch):
    """A template that got past the check (here: the check skipped) is still filled under
    the limits: the build stops with a TemplateError naming the limit."""
    loops = (
        "{% for a in decision.articles * 10000 %}{% for b in decision.recipients * 10000 %}"
        "{% endfor %}{% endfor %}"
    )
    path = with_tag(tmp_path, loops)
    monkeypatch.setattr(templatecheck, "ensure_valid", lambda path: None)
    with pytest.raises(templatecheck.TemplateError) as refused:
        docx.render_decision(config.load(SAMPLE), [], path)
    assert "TEMPLATE_TOO_COSTLY" not in str(refused.value)  # the message, not the code
    assert "mau.docx' cần quá 2 giây" in str(refused.value)  # the limit `tight` set


def _spin(*args: object) -> None:
    while True:
        pass


def test_a_notice_run_names_the_limit_it_ran_under(monkeypatch):
    """Notices get `CPU_SECONDS` for each hundred letters: a fill of 101 that never ends
    stops at twice the limit, and the message says so."""
    monkeypatch.setattr(sandbox, "CPU_SECONDS", 1)
    monkeypatch.setattr(templatecheck, "ensure_valid", lambda path, kind: None)
    monkeypatch.setattr(notice_docx, "_render_all", _spin)  # the child is forked from here
    with pytest.raises(templatecheck.TemplateError) as refused:
        notice_docx.render_notices(config.load(SAMPLE), [None] * 101)
    assert f"cần quá {2 * sandbox.CPU_SECONDS} giây" in str(refused.value)


def test_the_bundled_template_passes_and_fills_within_the_limits(tmp_path):
    assert templatecheck.check(docx.default_template()).ok
    data = docx.render_decision(config.load(SAMPLE), [])
    assert zipfile.ZipFile(__import__("io").BytesIO(data)).read("word/document.xml")


BROKEN_XML = {
    "malformed": b"<w:document><w:body><w:p></w:body>",
    "entity bomb": (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)
        )
        + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
        b'main"><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>'
    ),
}


@pytest.mark.parametrize("xml", BROKEN_XML.values(), ids=BROKEN_XML.keys())
def test_a_broken_document_xml_is_unreadable_not_a_traceback(tmp_path, xml):
    path = tmp_path / "mau.docx"
    with zipfile.ZipFile(docx.default_template()) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = xml if info.filename == "word/document.xml" else src.read(info.filename)
            dst.writestr(info.filename, data)
    done = template_check(path)
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stdout + done.stderr
    assert "TEMPLATE_UNREADABLE" in done.stderr
