"""Reading many files in a process pool gives exactly what reading them one by one gives."""

from __future__ import annotations

import shutil

from reportgen import ingest as ingest_module
from reportgen.ingest import ingest
from tests.conftest import SAMPLE


def test_pool_gives_the_same_entries_and_findings_in_the_same_order(
    assessment, tmp_path, monkeypatch
):
    folder = tmp_path / "in"
    shutil.copytree(SAMPLE / "submissions", folder)
    (folder / "hỏng.xlsx").write_bytes(b"not a workbook")  # a file-level finding, mid-list
    shutil.copy(SAMPLE / "tong-hop.xlsx", folder / "zz-tong-hop.xlsx")  # many entries in one
    monkeypatch.setattr(ingest_module, "_cpus", lambda: 2)  # a pool even on one CPU

    serial = ingest([folder], assessment, pool_min_files=10_000)
    pooled = ingest([folder], assessment, pool_min_files=2)

    assert len(serial.entries) == 2 * 38
    assert len(serial.findings) == 1  # the unreadable file
    assert pooled.entries == serial.entries
    assert [e.order for e in pooled.entries] == list(range(len(serial.entries)))
    assert pooled.findings == serial.findings


def test_few_files_are_read_without_a_pool(assessment, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool for a few files")

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", no_pool)
    assert len(ingest([SAMPLE / "submissions"], assessment).entries) == 38
