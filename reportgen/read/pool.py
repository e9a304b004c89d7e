"""Reading many files at once: a reader applied to each file, in file order, serially or,
from `POOL_MIN_FILES` files on, in a process pool (one worker per usable CPU). What is sent
to a worker (`_read_in_worker`, the reader) is importable at module level."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from reportgen.core.findings import Finding
from reportgen.read.layout import Layout
from reportgen.read.raw import RawEntry

POOL_MIN_FILES = 200  # below this, starting worker processes costs more than it saves
Reader = Callable[[Path, str, Layout], tuple[list[RawEntry], list[Finding]]]


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def read_files(
    files: list[tuple[Path, str]], read: Reader, layout: Layout, pool_min_files: int
) -> Iterator[tuple[list[RawEntry], list[Finding]]]:
    """`read` of each file, in file order, each as soon as it is read (so progress moves
    while files are read): serially, or in a process pool when many."""
    workers = min(_cpus(), 61)  # 61: the most Windows allows
    if len(files) < max(pool_min_files, 2) or workers < 2:
        yield from (read(path, shown, layout) for path, shown in files)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(files) // (workers * 8)))  # many chunks: a moving bar
    try:
        pool = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(read, layout))
    except (OSError, NotImplementedError):  # no process semaphores here: one by one
        yield from (read(path, shown, layout) for path, shown in files)
        return
    with pool:
        yield from pool.map(_read_in_worker, files, chunksize=chunk)  # lazy, in order


_worker: tuple[Reader, Layout] | None = None  # set once in each pool worker


def _start_worker(read: Reader, layout: Layout) -> None:
    global _worker
    _worker = (read, layout)


def _read_in_worker(file: tuple[Path, str]) -> tuple[list[RawEntry], list[Finding]]:
    assert _worker is not None
    read, layout = _worker
    return read(file[0], file[1], layout)
