"""Replacing a folder's outputs as one set, under a lock on the folder.

A build's outputs (decision, annex, CSV, JSON, findings report, PDF) belong together: a
reader must never find the new decision beside the old CSV. `replace_set` stages every file
beside its target, checks every target, then replaces them one by one, keeping a hard link
to each previous file; on any failure (a full disk, a folder where a file should be, an
interrupt) the previous files are put back and every staging file is removed. A journal
file lists the set while it is being replaced, so that a process killed in between (where
no code can run) is rolled back by the next writer to take the lock.

`folder_lock` is an exclusive lock on the output folder (POSIX: `flock` on the folder
itself, leaving nothing in it); a second writer waits for it, up to `wait` seconds, then
gets `OutputBusy`. The web server can hold the same lock around its own writes."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from reportgen.core import atomic

PREFIX = ".reportgen-"  # every staging, backup and journal file starts so
JOURNAL = PREFIX + "dang-thay.json"
LOCK_WAIT_S = 600.0  # a build writes in seconds; a longer wait means a stuck process
_POLL_S = 0.05


class OutputBusy(OSError):
    """Another writer holds the folder's lock for longer than we may wait."""

    def __init__(self, folder: Path):
        super().__init__(
            errno.EBUSY,
            "một lần tạo báo cáo khác đang ghi vào thư mục này; hãy chờ nó xong rồi chạy lại",
            str(folder),
        )


@contextlib.contextmanager
def folder_lock(
    folder: Path, wait: float | None = None, waiting: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (created if missing) for the `with` block; wait up
    to `wait` seconds (default `LOCK_WAIT_S`) for another holder — calling `waiting()` once
    when it must — then raise `OutputBusy`. An interrupted replacement left by a killed
    writer is rolled back once the lock is held."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    handle = _open_lock(folder)
    try:
        deadline = time.monotonic() + (LOCK_WAIT_S if wait is None else wait)
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise OutputBusy(folder)
            if waiting is not None:
                waiting()
                waiting = None
            time.sleep(_POLL_S)
        recover(folder)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _open_lock(folder: Path) -> int:
    if os.name != "nt":
        return os.open(folder, os.O_RDONLY)
    # pragma: no cover — Windows cannot lock a folder: a file named after it, in the temp dir
    key = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:24]
    return os.open(Path(tempfile.gettempdir()) / f"reportgen-{key}.lock", os.O_RDWR | os.O_CREAT)


def _try_lock(handle: int) -> bool:
    if os.name != "nt":
        import fcntl

        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    import msvcrt  # pragma: no cover

    try:  # pragma: no cover
        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
    except OSError:  # pragma: no cover
        return False
    return True  # pragma: no cover


def write(
    folder: Path,
    files: Mapping[str, bytes],
    remove: Sequence[str] = (),
    waiting: Callable[[], None] | None = None,
) -> list[Path]:
    """The one way reportgen writes outputs: `files` (name → bytes) and none of `remove` in
    `folder`, replaced as one set under the folder's lock (`replace_set`, `folder_lock`;
    `waiting()` called once if another writer holds it)."""
    with folder_lock(folder, waiting=waiting):
        return replace_set(folder, files, remove)


def replace_set(folder: Path, files: Mapping[str, bytes], remove: Sequence[str] = ()) -> list[Path]:
    """Make `folder` hold exactly the new `files` (name → bytes) and none of `remove`, all at
    once as far as a failure can tell: on any error every target is as it was before and no
    staging file is left. Call it while holding `folder_lock`. Errors are `OSError`s whose
    `filename` is the output concerned, never a temporary file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names = list(files) + [n for n in remove if n not in files]
    staged: dict[str, Path] = {}
    backups: dict[str, Path] = {}
    touched: list[str] = []  # targets whose replacement has begun
    journal = folder / JOURNAL
    try:
        for name, data in files.items():
            staged[name] = _stage(folder, name, data)
        for name in names:  # every target checked before anything is replaced
            _check_target(folder / name)
        for name in names:
            if (folder / name).is_file():
                backups[name] = _backup(folder, name)
        _write(journal, json.dumps({"names": names, "backups": sorted(backups)}).encode())
        _sync(folder)
        for name in names:
            touched.append(name)
            try:
                if name in staged:
                    os.replace(staged[name], folder / name)
                    del staged[name]
                elif name in backups:
                    os.unlink(folder / name)
            except OSError as exc:
                raise _named(exc, folder / name) from None
        _sync(folder)
    except BaseException:
        _roll_back(folder, touched, backups)
        for path in staged.values():
            _quiet_unlink(path)
        raise
    finally:
        for path in backups.values():
            _quiet_unlink(path)
        _quiet_unlink(journal)
    return [folder / name for name in files]


def recover(folder: Path) -> None:
    """Roll back a replacement interrupted by a killed process, and remove its staging files
    (found by the journal and the `PREFIX`). Call it holding `folder_lock`."""
    folder = Path(folder)
    journal = folder / JOURNAL
    if journal.is_file():
        try:
            state = json.loads(journal.read_text(encoding="utf-8"))
            names, had = list(state["names"]), set(state["backups"])
        except (ValueError, KeyError, TypeError, OSError):
            names, had = [], set()
        backups = {n: p for n in names if n in had and (p := _backup_path(folder, n)).is_file()}
        _roll_back(folder, [n for n in names if Path(n).name == n], backups)
    for leftover in folder.glob(PREFIX + "*"):
        _quiet_unlink(leftover)


def _stage(folder: Path, name: str, data: bytes) -> Path:
    try:
        return atomic.write_temp(folder, f"{PREFIX}moi-{name}.", data)
    except OSError as exc:
        raise _named(exc, folder / name) from None


def _check_target(target: Path) -> None:
    """A target must be a regular file or absent: a folder (or a device) in its place would
    make the replacement fail half-way."""
    if target.is_symlink() or not target.exists() or target.is_file():
        return
    kind = "một thư mục" if target.is_dir() else "không phải tệp thường"
    raise OSError(errno.EISDIR, f"chỗ của tệp kết quả đang là {kind}", str(target))


def _backup_path(folder: Path, name: str) -> Path:
    return folder / f"{PREFIX}cu-{name}"


def _backup(folder: Path, name: str) -> Path:
    """A second name for the current file, so it survives being replaced."""
    backup = _backup_path(folder, name)
    _quiet_unlink(backup)
    try:
        os.link(folder / name, backup)
    except OSError:  # no hard links here (some network shares): a copy
        try:
            _write(backup, (folder / name).read_bytes())
        except OSError as exc:
            raise _named(exc, folder / name) from None
    return backup


def _roll_back(folder: Path, names: list[str], backups: Mapping[str, Path]) -> None:
    """Put the previous files of `names` back; remove those that had no previous version."""
    for name in names:
        target = folder / name
        try:
            if name in backups:
                os.replace(backups[name], target)
            elif target.is_file() and not target.is_symlink():
                target.unlink()
        except OSError:
            pass  # best effort: the other files are still restored


def _named(exc: OSError, target: Path) -> OSError:
    """The same error, naming the output instead of a temporary file."""
    return type(exc)(exc.errno, exc.strerror or str(exc), str(target))


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync(folder: Path) -> None:
    """Make the renames in `folder` durable (POSIX; a no-op elsewhere)."""
    if os.name == "nt":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _quiet_unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        Path(path).unlink()
