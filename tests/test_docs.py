"""The documentation keeps up with the code."""

from reportgen.core.catalogue import CATALOG
from tests.conftest import ROOT


def test_every_finding_code_is_documented():
    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    missing = [code for code in CATALOG if f"`{code}`" not in text]
    assert not missing


def test_the_clerks_guide_shows_what_exists():
    """docs/huong-dan.md: its pictures exist, its finding codes and statuses are the code's."""
    import re

    from reportgen.core.findings import UnitStatus

    text = (ROOT / "docs" / "huong-dan.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert pictures and all((ROOT / "docs" / p).is_file() for p in pictures), pictures
    codes = set(re.findall(r"`([A-Z]+_[A-Z_]+)`", text))
    template_codes = (ROOT / "reportgen" / "render" / "templatecheck.py").read_text(
        encoding="utf-8"
    )
    unknown = {c for c in codes if c not in CATALOG and f'"{c}"' not in template_codes}
    assert codes and not unknown, unknown
    for status in UnitStatus:
        assert f"**{status.text}**" in text, status.text


def test_the_template_guide_has_one_source():
    """The Word-template guide lives in huong-dan.md; templates.md only points there."""
    guide = (ROOT / "docs" / "huong-dan.md").read_text(encoding="utf-8")
    stub = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    assert "Không bao giờ sửa" in guide and "huong-dan.md#6-" in stub
    assert "{%p endfor %}" not in stub and "annex.reference" not in stub


def test_no_merge_conflict_markers_are_left():
    """A merge resolved in haste can leave `<<<<<<<` lines that no other test reads (docs)."""
    import re

    marker = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)
    texts = [
        p
        for folder in ("docs", "reportgen", "tests", "samples", "scripts")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in {".md", ".py", ".toml", ".json", ".html", ".css", ".js", ".txt"}
    ]
    texts += [ROOT / "README.md", ROOT / "pyproject.toml", ROOT / "Makefile"]
    left = [str(p) for p in texts if marker.search(p.read_text(encoding="utf-8"))]
    assert not left, left
