"""A decision template is data, not code: Jinja's sandbox, only the context's names, and a
path that is not a regular file refused before it is opened."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import jinja2
import pytest
from docxtpl import DocxTemplate
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.render import sandbox, templatecheck
from reportgen.render.docx import context, default_template
from tests.conftest import SAMPLE

runner = CliRunner()


def with_tag(tmp_path: Path, tag: str) -> Path:
    """The bundled template with `{{ number }}` replaced by `tag`."""
    target = tmp_path / "mau.docx"
    with zipfile.ZipFile(default_template()) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert "{{ number }}" in text
                data = text.replace("{{ number }}", tag, 1).encode("utf-8")
            dst.writestr(info, data)
    return target


def payload(marker: Path) -> str:
    return f"{{{{ lipsum.__globals__['os'].system('touch {marker}') }}}}"


def test_check_refuses_the_way_out_to_python(tmp_path):
    marker = tmp_path / "pwned"
    result = runner.invoke(app, ["template", "check", str(with_tag(tmp_path, payload(marker)))])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "TEMPLATE_UNSAFE" in result.output and "'__globals__'" in result.output
    assert "TEMPLATE_UNKNOWN_NAME" in result.output and "'lipsum.__globals__'" in result.output
    assert "Mẫu chưa dùng được" in result.output
    assert not marker.exists()


@pytest.mark.parametrize(
    ("tag", "code", "words"),
    [
        ("{{ ''.__class__.__mro__ }}", "TEMPLATE_UNSAFE", "'__class__'"),
        ("{{ decision['__class__'] }}", "TEMPLATE_UNSAFE", "'__class__'"),
        ("{{ number|attr('__class__') }}", "TEMPLATE_UNSAFE", "'attr'"),
        ("{% for x in range(10) %}{% endfor %}", "TEMPLATE_UNKNOWN_NAME", "'range'"),
        ("{{ cycler }}", "TEMPLATE_UNKNOWN_NAME", "'cycler'"),
        ("{{ numbr }}", "TEMPLATE_UNKNOWN_NAME", "có phải là 'number'"),
    ],
)
def test_check_allows_only_the_documented_context(tmp_path, tag, code, words):
    problems = templatecheck.check(with_tag(tmp_path, tag)).errors
    assert any(p.code == code and words in p.message for p in problems), problems


def test_the_sandbox_holds_even_without_the_check(tmp_path, assessment):
    marker = tmp_path / "pwned"
    tpl = DocxTemplate(str(with_tag(tmp_path, payload(marker))))
    with pytest.raises(jinja2.TemplateError):
        tpl.render(context(assessment), jinja_env=sandbox.environment())
    tpl = DocxTemplate(str(with_tag(tmp_path, "{{ number.__class__.__mro__ }}")))
    with pytest.raises(jinja2.exceptions.SecurityError):
        tpl.render(context(assessment), jinja_env=sandbox.environment())
    assert not marker.exists()


def test_build_with_a_hostile_template_runs_nothing_and_writes_nothing(tmp_path):
    marker = tmp_path / "pwned"
    path = with_tag(tmp_path, payload(marker))
    out = tmp_path / "o"
    result = runner.invoke(app, ["build", str(SAMPLE), "--template", str(path), "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "__globals__" in result.output
    assert not marker.exists() and not out.exists()


def test_a_product_too_large_is_an_error_in_check_and_build(tmp_path):
    path = with_tag(tmp_path, "{{ number * 100000000 }}")
    (problem,) = templatecheck.check(path).errors  # the trial fill tells
    assert problem.code == "TEMPLATE_UNSAFE" and "phép nhân tạo giá trị quá lớn" in str(problem)
    out = tmp_path / "o"
    result = runner.invoke(app, ["build", str(SAMPLE), "--template", str(path), "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "phép nhân tạo giá trị quá lớn" in result.output and not out.exists()


def special_files(tmp_path: Path) -> list[tuple[Path, str]]:
    fifo = tmp_path / "mau-fifo.docx"
    os.mkfifo(fifo)
    huge = tmp_path / "mau-lon.docx"
    with huge.open("wb") as handle:
        handle.truncate(templatecheck.MAX_TEMPLATE_BYTES + 1)  # sparse: costs no disk
    limit = templatecheck.MAX_TEMPLATE_BYTES / (1024 * 1024)
    assert limit == int(limit)  # a whole number of MB: the message shows it so
    # a byte over the limit: its size is shown rounded up, never equal to the limit
    too_large = f"mẫu quá lớn ({int(limit) + 1} MB, tối đa {int(limit)} MB)"
    return [
        (Path("/dev/zero"), "không phải là tệp .docx thông thường"),
        (fifo, "không phải là tệp .docx thông thường"),
        (tmp_path, "không phải là tệp .docx thông thường"),
        (huge, too_large),
        (tmp_path / "khong-co.docx", "không tìm thấy tệp mẫu"),
    ]


def test_a_template_of_exactly_the_limit_is_not_refused_for_its_size(tmp_path):
    exact = tmp_path / "mau-vua.docx"
    with exact.open("wb") as handle:
        handle.truncate(templatecheck.MAX_TEMPLATE_BYTES)
    result = runner.invoke(app, ["template", "check", str(exact)])
    assert result.exit_code == 2 and "TEMPLATE_UNREADABLE" in result.output  # zeros, no zip
    assert "quá lớn" not in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_path_that_is_not_a_regular_file_is_refused_at_once(tmp_path):
    for path, words in special_files(tmp_path):
        result = runner.invoke(app, ["template", "check", str(path)])
        assert result.exit_code == 2 and "TEMPLATE_UNREADABLE" in result.output, path
        assert words in " ".join(result.output.split()), result.output
        out = tmp_path / "o"
        result = runner.invoke(
            app, ["build", str(SAMPLE), "--template", str(path), "--out", str(out)]
        )
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert words in " ".join(result.output.split()) and not out.exists()
