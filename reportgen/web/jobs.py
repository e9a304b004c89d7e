"""Long work off the request: one background thread per job, its progress readable by the
page while it runs. One job at a time per assessment: a second is refused, not queued."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Job:
    kind: str  # "check" or "build"
    phase: str = "Đang bắt đầu"
    done: int = 0
    total: int = 0
    result: object = None
    error: str | None = None  # a message for the clerk when the job failed
    note: str | None = None  # something the clerk should know although the job succeeded
    signature: object = None  # what the job's inputs were (a check's files)
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def running(self) -> bool:
        return not self.finished.is_set()

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "phase": self.phase,
            "done": self.done,
            "total": self.total,
            "running": self.running,
            "error": self.error,
        }


class Busy(Exception):
    """Another job of this assessment is still running."""

    def __init__(self, job: Job):
        self.job = job
        super().__init__(job.kind)


class Jobs:
    """The latest job of each assessment (by name), and the lock that keeps one at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[tuple[str, str], Job] = {}
        self._running: dict[str, Job] = {}

    def latest(self, name: str, kind: str) -> Job | None:
        return self._latest.get((name, kind))

    def running(self, name: str) -> Job | None:
        return self._running.get(name)

    def start(self, name: str, kind: str, work: Callable[[Job], object]) -> Job:
        """Run `work(job)` in a thread; its return value becomes `job.result`. Raises `Busy`.
        `work` reports failure by raising `JobFailed` (its message is shown)."""
        with self._lock:
            current = self._running.get(name)
            if current is not None:
                raise Busy(current)
            job = Job(kind)
            self._running[name] = job
            self._latest[(name, kind)] = job
        threading.Thread(target=self._run, args=(name, job, work), daemon=True).start()
        return job

    def _run(self, name: str, job: Job, work: Callable[[Job], object]) -> None:
        try:
            job.result = work(job)
        except JobFailed as exc:
            job.error = str(exc)
        except Exception:  # noqa: BLE001 - a page must say something, never show a traceback
            import logging

            logging.getLogger("reportgen.web").exception("job %s of %s failed", job.kind, name)
            job.error = "Có lỗi ngoài dự kiến khi xử lý; chi tiết đã ghi ở cửa sổ chạy reportgen."
        finally:
            with self._lock:
                self._running.pop(name, None)
            job.finished.set()


class JobFailed(Exception):
    """A job's work could not be done; the message is for the clerk."""
