"""Findings: every problem in the input as data — a stable code, a severity, a location
and a Vietnamese message a clerk can forward to the unit — and the collection the CLI asks
about; plus where a registered unit stands after the check (`UnitStatus`). The codes and
their words are in `catalogue`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from reportgen.core.location import Location


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class UnitStatus(str, Enum):
    """Where a registered unit stands after the check; `text` is what the report shows."""

    OK = "ok"
    NEEDS_FIX = "needs-fix"  # its submission has errors
    NAME_DIFFERS = "name-differs"  # its form arrived with the name typed differently
    MISSING = "missing"
    NOT_ASSESSED = "not-assessed"  # `not_assessed` in the config: expected to send nothing

    @property
    def text(self) -> str:
        return _STATUS_TEXT[self]


_STATUS_TEXT = {
    UnitStatus.OK: "Đạt",
    UnitStatus.NEEDS_FIX: "Cần sửa",
    UnitStatus.NAME_DIFFERS: "Tên ghi khác",
    UnitStatus.MISSING: "Chưa nộp",
    UnitStatus.NOT_ASSESSED: "Không đánh giá",
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    location: Location
    unit: str | None = None
    # what the catalogue's template was filled with (a value, a cell, a name), for callers
    # that word or sort findings their own way; not part of a finding's identity
    params: dict[str, object] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.location.file,
            "sheet": self.location.sheet,
            "cell": self.location.cell,
            "row": self.location.row,
            "unit": self.unit,
        }


def counts_by_unit(findings: Iterable[Finding]) -> Counter[tuple[str | None, Severity]]:
    """How many findings of each severity name each unit — (unit, severity) → count: the one
    per-unit count the JSON, the web page and the findings report show."""
    return Counter((f.unit, f.severity) for f in findings)


@dataclass
class Findings:
    """An ordered collection of findings with the questions the CLI asks of it."""

    items: list[Finding] = field(default_factory=list)

    def add(self, item: Finding) -> None:
        self.items.append(item)

    def extend(self, items: Iterable[Finding]) -> None:
        self.items.extend(items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.severity is Severity.WARNING]

    def blocking(self, strict: bool = False) -> list[Finding]:
        """Findings that stop a build: errors, and warnings too when `strict`."""
        return list(self.items) if strict else self.errors

    def codes(self) -> list[str]:
        return [f.code for f in self.items]
