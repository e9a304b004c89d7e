"""Shared by the HTTP and browser tests of `reportgen serve`: a workspace holding a copy of
the 2019 sample, and the 2019 scores written into the forms of any assessment."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from starlette.testclient import TestClient

from reportgen import config
from reportgen.pipeline.check import check
from reportgen.render.filenames import form_filename
from reportgen.render.forms import form_bytes
from tests.conftest import SAMPLE

BASE = "http://127.0.0.1:8765"
NAME = SAMPLE.name


def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copytree(SAMPLE, root / NAME)
    return root


def scores_2019() -> dict[str, dict]:
    return {s.unit: s.scores for s in check(SAMPLE).submissions}


def filled_forms(folder: Path) -> dict[str, bytes]:
    """Each registered unit's form of the assessment at `folder`, filled with its 2019
    scores: what the units send back."""
    assessment = config.load(folder)
    scores = scores_2019()
    return {
        form_filename(u.name): form_bytes(assessment, u.name, scores[u.name])
        for g in assessment.groups
        for u in g.units
    }


class Client(TestClient):
    """A TestClient that posts as the page does: same Origin, the form token."""

    def __init__(self, app):
        super().__init__(app, base_url=BASE, raise_server_exceptions=False)

    def token(self, path: str = "/") -> str:
        return re.search(r'name="csrf" value="([^"]+)"', self.get(path).text).group(1)

    def submit(self, path: str, data: dict | None = None, files=None, **kw):
        data = {"csrf": self.token(), **(data or {})}
        headers = {"origin": BASE, **kw.pop("headers", {})}
        return self.post(path, data=data, files=files, headers=headers, **kw)

    def wait(self, name: str = NAME, timeout: float = 60) -> None:
        """Until no job of `name` runs."""
        end = time.monotonic() + timeout
        while self.get(f"/dot/{name}/tien-do").json()["running"]:
            assert time.monotonic() < end, "job did not finish"
            time.sleep(0.1)


def bad_form(folder: Path, unit: str = "Sở Y tế") -> tuple[str, bytes, str]:
    """`unit`'s form with one criterion one point above its maximum; also the A1 address
    of that cell, found by reading the workbook back (not from reportgen's own layout)."""
    import io

    from openpyxl import load_workbook

    assessment = config.load(folder)
    scores = dict(scores_2019()[unit])
    criterion = max(assessment.criteria, key=lambda c: c.max)
    scores[criterion.key] = criterion.max + 1
    data = form_bytes(assessment, unit, scores)
    sheet = load_workbook(io.BytesIO(data)).active
    (cell,) = [
        c.coordinate for row in sheet.iter_rows() for c in row if c.value == criterion.max + 1
    ]
    return form_filename(unit), data, cell
