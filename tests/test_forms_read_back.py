"""R4 of issue 19: every form reportgen writes can be read back, whatever the shape of the
criteria tree — one criterion, a chain, a wide or deep tree (a property over generated trees):
the form is written, filled as a unit would fill it, and read to the same scores."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen import api, config
from reportgen.render import forms
from reportgen.render.filenames import form_filename
from tests.conftest import SAMPLE

UNIT = "Sở Y tế"


def trees(depth: int = 1):
    """A criteria tree as nested lists: a node is the list of its items, [] a leaf."""
    node = (
        st.just([]) if depth >= 4 else st.one_of(st.just([]), st.deferred(lambda: trees(depth + 1)))
    )
    return st.lists(node, min_size=1, max_size=3)


def toml(tree: list, prefix: str = "criteria", path: str = "c") -> str:
    out = []
    for i, items in enumerate(tree, start=1):
        key = f"{path}_{i}"
        out.append(f'[[{prefix}]]\nkey = "{key}"\nlabel = "Tiêu chí {key.replace("_", " ")}"\n')
        out.append(toml(items, prefix + ".items", key) if items else "max = 100\n")
    return "\n".join(out)


def round_trip(folder: Path, tree: list) -> None:
    """Write the tree's config and Sở Y tế's filled form into `folder`, check it, and assert
    the form reads back to its scores with no error."""
    folder.mkdir()
    text = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    start, end = text.index("[[criteria]]"), text.index("# ASSUMED grade bands")
    (folder / "assessment.toml").write_text(text[:start] + toml(tree) + "\n" + text[end:])
    assessment = config.load(folder)
    leaves = assessment.set_of(UNIT).leaves
    scores = {c.key: Decimal(i % 10) + Decimal("0.5") for i, c in enumerate(leaves)}
    (folder / "submissions").mkdir()
    form = forms.form_bytes(assessment, UNIT, scores)
    (folder / "submissions" / form_filename(UNIT)).write_bytes(form)
    checked = api.check(folder)
    errors = [f for f in checked.findings if f.severity == "error" and f.code != "UNIT_MISSING"]
    assert not errors, [str(f) for f in errors]
    (submission,) = checked.submissions
    assert submission.unit == UNIT
    assert {k: submission.scores[k] for k in scores} == scores


def test_one_criterion_and_a_chain_of_three_are_read(tmp_path):
    round_trip(tmp_path / "one", [[]])
    round_trip(tmp_path / "chain", [[[[]]]])  # 1 > 1.1 > 1.1.1


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=trees())
def test_every_generated_tree_reads_back(tmp_path_factory, tree):
    round_trip(tmp_path_factory.mktemp("tree") / "dot", tree)
