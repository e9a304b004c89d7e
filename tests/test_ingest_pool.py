"""Reading many files in a process pool gives exactly what reading them one by one gives."""

from __future__ import annotations

import shutil

import pytest

from reportgen.read import ingest as ingest_module
from reportgen.read import pool
from reportgen.read.ingest import ingest
from tests.conftest import SAMPLE


def test_pool_gives_the_same_entries_and_findings_in_the_same_order(
    assessment, tmp_path, monkeypatch
):
    folder = tmp_path / "in"
    shutil.copytree(SAMPLE / "submissions", folder)
    (folder / "hỏng.xlsx").write_bytes(b"not a workbook")  # a file-level finding, mid-list
    shutil.copy(SAMPLE / "tong-hop.xlsx", folder / "zz-tong-hop.xlsx")  # many entries in one
    monkeypatch.setattr(pool, "_cpus", lambda: 2)  # a pool even on one CPU

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


def test_progress_moves_while_the_pool_reads(assessment, tmp_path, monkeypatch):
    """Progress reaches the caller as files are read, in file order, not all at once at the
    end: the worker given the last file (forked, so it shares the patched reader and the
    event) waits until the parent has reported the first file done. Reported only at the
    end, the wait runs out and the last file is read before any progress."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patched reader reaches the workers only when they are forked")
    folder = tmp_path / "in"
    shutil.copytree(SAMPLE / "submissions", folder)  # 38 different workbooks
    log = tmp_path / "log"
    read = ingest_module.ingest_file
    order: list[str] = []
    monkeypatch.setattr(
        ingest_module, "ingest_file", lambda p, *a: order.append(p.name) or ([], [])
    )
    ingest([folder], assessment, pool_min_files=10_000)
    last = order[-1]  # in the order files are read one by one
    reported = multiprocessing.get_context("fork").Event()

    def waiting_read(path, shown, layout):
        waited = path.name != last or reported.wait(timeout=60)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"read {path.name}{'' if waited else ' (no progress came)'}\n")
        return read(path, shown, layout)

    def progress(done, total):
        with log.open("a", encoding="utf-8") as out:
            out.write(f"progress {done}/{total}\n")
        reported.set()

    monkeypatch.setattr(ingest_module, "ingest_file", waiting_read)
    monkeypatch.setattr(pool, "_cpus", lambda: 2)
    ingest([folder], assessment, progress, pool_min_files=2)
    lines = log.read_text(encoding="utf-8").splitlines()
    reports = [line for line in lines if line.startswith("progress")]
    assert reports == [f"progress {i}/38" for i in range(1, 39)]
    assert lines.index("progress 1/38") < lines.index(f"read {last}")
