"""The import contracts of pyproject.toml (issue 18), run as a test so that CI checks them as
`make lint` does: front ends see only `reportgen.api`, the stages import downwards, no
circle."""

from __future__ import annotations

from importlinter import configuration
from importlinter.application.use_cases import lint_imports

from tests.conftest import ROOT


def test_the_import_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    configuration.configure()
    assert lint_imports(str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True)
