"""`reportgen` run in another process whose clock reads years later, for the determinism
tests: a stamp taken from the clock (a zip entry's date, a document's "modified") differs
there, where two builds in one process and one second would share it.

In the child, `time.time`, `time.time_ns`, `time.localtime`, `time.gmtime` and the
`now`/`utcnow`/`today` of `datetime.datetime` and `datetime.date` (swapped for subclasses
once everything is imported, so type checks made at import keep the real classes) all read
the moved clock. Run as `python -m tests.moved_clock OFFSET reportgen-arguments...`, or
`... OFFSET --call module:function` to write what the function returns (bytes) to stdout."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFSET = 7 * 365 * 86400 + 5 * 3600 + 17  # seconds: a different year, hour and second


def run_later(*args: str, offset: int = OFFSET, text: bool = True) -> subprocess.CompletedProcess:
    """The reportgen CLI with `args`, in a child process `offset` seconds in the future."""
    env = {**os.environ, "PYTHONHASHSEED": "7"}  # another order of every set, too
    command = [sys.executable, "-m", "tests.moved_clock", str(offset), *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=text)


def call_later(target: str, offset: int = OFFSET) -> bytes:
    """What `target` ("module:function", no arguments) returns, called in a child process
    `offset` seconds in the future."""
    done = run_later("--call", target, offset=offset, text=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout


def move(offset: float) -> None:
    """Every clock of this process `offset` seconds on."""
    import datetime
    import time

    real_time, real_ns, real_local, real_gm = time.time, time.time_ns, time.localtime, time.gmtime
    time.time = lambda: real_time() + offset
    time.time_ns = lambda: real_ns() + int(offset * 1_000_000_000)
    time.localtime = lambda secs=None: real_local(time.time() if secs is None else secs)
    time.gmtime = lambda secs=None: real_gm(time.time() if secs is None else secs)

    class MovedDateTime(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime.fromtimestamp(time.time(), tz)

        @classmethod
        def utcnow(cls):
            return cls.now(datetime.timezone.utc).replace(tzinfo=None)

        @classmethod
        def today(cls):
            return cls.now()

    class MovedDate(datetime.date):
        @classmethod
        def today(cls):
            return datetime.date.fromtimestamp(time.time())

    datetime.datetime, datetime.date = MovedDateTime, MovedDate


def main() -> None:
    offset, args = float(sys.argv[1]), sys.argv[2:]
    # everything a build imports, before the classes are swapped
    import openpyxl.writer.excel  # noqa: F401

    import reportgen.cli as cli
    import reportgen.render.docx  # noqa: F401
    import reportgen.render.xlsx  # noqa: F401

    if args[0] == "--call":
        module, function = args[1].split(":")
        make = getattr(importlib.import_module(module), function)
        move(offset)
        sys.stdout.buffer.write(make())
        return
    move(offset)
    sys.argv = ["reportgen", *args]
    cli.main()


if __name__ == "__main__":
    main()
