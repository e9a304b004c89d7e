"""Whatever bytes arrive, validate and build end in findings — never an exception."""

from __future__ import annotations

import io
import os
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen import build as api
from reportgen import forms
from reportgen.findings import CATALOG
from tests import builders
from tests.conftest import SAMPLE

# FUZZ_EXAMPLES=2000 make test for a longer hunt; CI runs the default.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def run_both(folder, content: bytes, name: str = "Sở Y tế.xlsx") -> None:
    path = folder / name
    path.write_bytes(content)
    checked = api.check(SAMPLE, [path])
    assert all(f.code in CATALOG for f in checked.findings)
    built = api.build(SAMPLE, [path], out=folder / "out", allow_missing=True)
    assert built.ok or built.blocking


@FUZZ
@given(
    content=st.binary(max_size=4096), name=st.sampled_from(["a.xlsx", "a.xls", "a.ods", "a.xlsm"])
)
def test_random_bytes(tmp_path, content, name):
    run_both(tmp_path, content, name)


def good_form(assessment) -> bytes:
    """A filled form, the same bytes every time (hypothesis replays draws against it)."""
    return forms.form_bytes(assessment, "Sở Y tế", builders.published_scores()["Sở Y tế"])


@FUZZ
@given(data=st.data())
def test_real_workbook_with_bytes_flipped(tmp_path, assessment, data):
    content = bytearray(good_form(assessment))
    flips = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(content) - 1), st.integers(0, 255)),
            min_size=1,
            max_size=20,
        )
    )
    for position, value in flips:
        content[position] = value
    run_both(tmp_path, bytes(content))


@FUZZ
@given(data=st.data())
def test_real_workbook_with_entries_removed_or_mangled(tmp_path, assessment, data):
    source = zipfile.ZipFile(io.BytesIO(good_form(assessment)))
    names = source.namelist()
    dropped = data.draw(st.sets(st.sampled_from(names), max_size=len(names)))
    mangled = data.draw(st.sets(st.sampled_from(names), max_size=3))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            if name in dropped:
                continue
            content = source.read(name)
            if name in mangled:
                cut = data.draw(st.integers(0, len(content)))
                content = content[:cut] + data.draw(st.binary(max_size=64))
            target.writestr(name, content)
    run_both(tmp_path, out.getvalue())
