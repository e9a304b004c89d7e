"""Run a function in a child process under a CPU-time and a memory limit.

For work whose cost the input decides and nothing can bound cheaply beforehand: a decision
template is a small program (loops, macros, string filters) that a clerk may download from
anywhere. The child is forked where the system can (the arguments are inherited, only the
result crosses a pipe) and limited with `setrlimit`: `RLIMIT_CPU` (the kernel stops it) and
`RLIMIT_AS` (an allocation past it fails, Python raises MemoryError). Where there is no
fork (Windows) a fresh interpreter runs it and only the wall-clock limit holds. The parent
waits at most `WALL_FACTOR` × the CPU limit (a child may sleep or wait) and kills it then."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
WALL_FACTOR = 3  # a loaded machine gives the child a third of a CPU
WALL_EXTRA = 10  # seconds: a fresh interpreter (no fork) imports reportgen first


class Exhausted(Exception):
    """The child went past a limit: `what` is "time" or "memory"."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def run(fn: Callable[..., T], *args: object, seconds: int, memory: int) -> T:
    """`fn(*args)` in a child limited to `seconds` of CPU and `memory` bytes more than this
    process maps now. Its exceptions are raised here (MemoryError and RecursionError as
    themselves); a child stopped by a limit raises `Exhausted`."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(send, fn, args, seconds, _mapped() + memory), daemon=True
    )
    child.start()
    send.close()
    try:
        if not receive.poll(seconds * WALL_FACTOR + WALL_EXTRA):
            raise Exhausted("time")
        try:
            kind, value = receive.recv()
        except EOFError:  # killed without a word: SIGXCPU past the CPU limit, or SIGKILL
            raise Exhausted("memory" if _out_of_memory(child) else "time") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if kind == "ok":
        return value
    if kind == "memory":
        raise Exhausted("memory")
    raise value


def _child(send, fn, args, seconds: int, memory: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the parent's wall clock is the limit
        resource = None
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        if sys.platform.startswith("linux"):  # other systems do not enforce RLIMIT_AS
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        result = ("ok", fn(*args))
    except MemoryError:
        result = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        result = ("error", exc if _travels(exc) else RuntimeError(str(exc)))
    try:
        send.send(result)
    except MemoryError:
        send.send(("memory", None))
    send.close()


def _travels(exc: BaseException) -> bool:
    """Whether `exc` survives the pipe (pickled and unpickled as itself)."""
    import pickle

    try:
        return type(pickle.loads(pickle.dumps(exc))) is type(exc)
    except Exception:
        return False


def _mapped() -> int:
    """Bytes of address space this process maps now (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def _out_of_memory(child) -> bool:
    """Whether a child that died without sending was stopped for memory: it aborted
    (SIGABRT from a native allocation that failed) rather than being stopped for CPU."""
    child.join(1)
    return child.exitcode is not None and child.exitcode == -6
