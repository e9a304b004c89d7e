"""The check: load the config, read every submission and judge it (config → ingest →
validate), without ranking or writing anything but, when asked, the findings report."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import config
from reportgen.core import outputs
from reportgen.core.findings import Findings, Severity, UnitStatus, counts_by_unit
from reportgen.core.location import Location
from reportgen.judge.answers import settler
from reportgen.judge.figures import Computation
from reportgen.judge.score import Submission
from reportgen.judge.validate import validate
from reportgen.judge.verified import Adjustment
from reportgen.pipeline.names import FINDINGS_REPORT, default_inputs
from reportgen.read.ingest import ingest
from reportgen.read.sources import read_sources

if TYPE_CHECKING:
    from reportgen.read.evidence import Cited

Progress = Callable[[int, int], None]


@dataclass
class Checked:
    """What a check found: the assessment, each valid submission, every finding, the units
    that sent nothing, and what the verification record holds (adjustments, computed scores,
    the evidence register). A result of the api's one family (`ok`, `findings`, `summary()`,
    `outputs`)."""

    assessment: config.Assessment
    submissions: list[Submission]
    findings: Findings
    missing: list[str]  # registered units with no submission
    misnamed: dict[str, Location] = field(default_factory=dict)  # unit → form with its name
    # typed differently
    adjustments: list[Adjustment] = field(default_factory=list)  # verified scores that differ
    computations: list[Computation] = field(default_factory=list)  # scores from figures
    evidence: list[Cited] = field(default_factory=list)  # the evidence register (forms only)
    unproven: list[Cited] = field(default_factory=list)  # rows found EVIDENCE_MISSING
    outputs: list[Path] = field(default_factory=list)  # the findings report, once written

    @property
    def ok(self) -> bool:
        """Nothing blocks (warnings do not)."""
        return not self.findings.blocking()

    def summary(self) -> str:
        """ "37 biểu hợp lệ, 1 lỗi, 2 cảnh báo"."""
        errors, warnings = len(self.findings.errors), len(self.findings.warnings)
        return f"{len(self.submissions)} biểu hợp lệ, {errors} lỗi, {warnings} cảnh báo"

    @property
    def sent_any(self) -> set[str]:
        """Units with a valid submission."""
        return {s.unit for s in self.submissions}

    def statuses(self) -> dict[str, UnitStatus]:
        """Every registered unit's status, in config order."""
        errors = {f.unit for f in self.findings.errors if f.unit}
        out = {}
        for group in self.assessment.groups:
            for unit in group.units:
                if unit.not_assessed and unit.name not in self.sent_any:
                    out[unit.name] = UnitStatus.NOT_ASSESSED
                elif unit.name in self.misnamed:
                    out[unit.name] = UnitStatus.NAME_DIFFERS
                elif unit.name in self.missing:
                    out[unit.name] = UnitStatus.MISSING
                else:
                    out[unit.name] = UnitStatus.NEEDS_FIX if unit.name in errors else UnitStatus.OK
        return out

    def units(self) -> list[UnitLine]:
        """Every registered unit, in config order, with its status and its findings counted
        (the one count the JSON, the web page and the findings report show)."""
        statuses = self.statuses()
        counts = counts_by_unit(self.findings)
        return [
            UnitLine(
                group,
                unit.name,
                statuses[unit.name],
                counts[(unit.name, Severity.ERROR)],
                counts[(unit.name, Severity.WARNING)],
            )
            for group in self.assessment.groups
            for unit in group.units
        ]

    def as_dict(self, strict: bool = False) -> dict[str, object]:
        """The JSON document of `validate --json` (docs/formats.md)."""
        units = [
            {
                "group": line.group.key,
                "unit": line.unit,
                "status": line.status.value,
                "status_text": line.status.text,
                "errors": line.errors,
                "warnings": line.warnings,
            }
            for line in self.units()
        ]
        return {
            "ok": not self.findings.blocking(strict),
            "findings": [f.as_dict() for f in self.findings],
            "units": units,
            "outputs": [str(p) for p in self.outputs],
        }


@dataclass(frozen=True)
class UnitLine:
    """One registered unit as a check sees it."""

    group: config.Group
    unit: str
    status: UnitStatus
    errors: int
    warnings: int


def check(
    assessment_path: Path, inputs: Sequence[Path] | None = None, progress: Progress | None = None
) -> Checked:
    """Load the config, read and judge every submission. Raises `ConfigError` only."""
    with _few_collections():
        assessment = config.load(Path(assessment_path))
        paths = [Path(p) for p in inputs] if inputs else default_inputs(assessment_path)
        ingested = ingest(paths, assessment, progress)
        where = _where(paths)
        folder = config.resolve_path(Path(assessment_path)).parent
        tables = read_sources(assessment, folder)
        validated = validate(
            ingested.entries,
            assessment,
            where,
            ingested.verifications,
            tables,
            settler(ingested.answers) if ingested.answers else None,
        )
    findings = Findings()
    findings.extend(ingested.findings)
    findings.extend(validated.findings)
    return Checked(
        assessment,
        validated.submissions,
        findings,
        validated.missing,
        validated.misnamed,
        validated.adjustments,
        validated.computations,
        validated.evidence,
        validated.unproven,
    )


def _where(paths: Sequence[Path]) -> str:
    """Where a unit's missing submission was looked for, as findings name it: the folders
    given, or "các tệp đã chỉ ra" when only files were (a missing unit is not missing from
    one of them)."""
    folders = [p.name or str(p) for p in paths if p.is_dir() or not p.suffix]
    return ", ".join(folders) or "các tệp đã chỉ ra"


@contextmanager
def _few_collections() -> Iterator[None]:
    """The cyclic garbage collector paused while submissions are read: reading makes a few
    objects per cell and almost no cycles, and every full collection walks all of them (a
    100 000-row sheet: 5 of 8 seconds of ingest were collections)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def findings_report(checked: Checked) -> bytes:
    """`bao-cao-kiem-tra.xlsx`: every finding, a summary per unit, the changed scores and
    (with `scoring.evidence` on) the evidence register."""
    from reportgen.config import EvidencePolicy
    from reportgen.render.findings_report import render_findings

    cited = checked.assessment.scoring.evidence is not EvidencePolicy.OFF
    return render_findings(
        checked.assessment,
        checked.findings.items,
        checked.statuses(),
        checked.adjustments,
        checked.computations,
        checked.evidence if cited else None,
    )


def write_findings_report(checked: Checked, out: Path) -> Path:
    """Write the findings report into `out`."""
    path = Path(out) / FINDINGS_REPORT
    content = findings_report(checked)
    outputs.write(path.parent, {path.name: content})
    checked.outputs = [path]
    return path
