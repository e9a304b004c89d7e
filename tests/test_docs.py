"""The documentation keeps up with the code."""

from reportgen.findings import CATALOG
from tests.conftest import ROOT


def test_every_finding_code_is_documented():
    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    missing = [code for code in CATALOG if f"`{code}`" not in text]
    assert not missing
