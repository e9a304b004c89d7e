"""The package shows the pipeline (issue 18): every module is drawn in docs/architecture.md
under its package, and none is over ~400 lines unless it says at its top why it is one file."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

PACKAGE = ROOT / "reportgen"
MAX_LINES = 420  # "~400": a few lines of slack, not a second limit
REASON = "One file because"


def _modules() -> list[str]:
    """Every module of the package as `package/name.py` (`api/…`, `core/…`; top level bare)."""
    return sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))


def _drawn() -> set[str]:
    """The modules docs/architecture.md names in its tables, as `package/name.py`."""
    drawn, package = set(), ""
    for line in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"### `([a-z_]+)/`", line):
            package = heading[1] + "/"
        elif row := re.match(r"\| `([a-z_]+\.py)` \|", line):
            drawn.add(package + row[1])
    return drawn


def _has_code(name: str) -> bool:
    """False for a package's `__init__.py` that is only its docstring."""
    body = ast.parse((PACKAGE / name).read_text(encoding="utf-8")).body
    return not (name.endswith("__init__.py") and len(body) <= 1)


def test_every_module_is_drawn_in_the_architecture_and_every_drawn_module_exists():
    modules = {m for m in _modules() if "/" in m and _has_code(m)}  # the top level: the table
    drawn = _drawn()
    assert sorted(modules - drawn) == [], "modules missing from docs/architecture.md"
    assert sorted(drawn - modules) == [], "docs/architecture.md names modules that do not exist"


def test_no_module_is_over_400_lines_without_saying_why():
    long = {}
    for name in _modules():
        text = (PACKAGE / name).read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_LINES and REASON not in (ast.get_docstring(ast.parse(text)) or ""):
            long[name] = lines
    assert long == {}, f"over {MAX_LINES} lines with no '{REASON} …' in the docstring"
