"""Scores that come from elsewhere: a criterion with `source = "survey"` is scored from the
table the config names (`sources.survey = "khao-sat.xlsx"`), one row per unit, not by the
unit. This module reads those tables; `validate` matches their rows to units."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen.config import Assessment, CriteriaSet
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location
from reportgen.read.ingest import entries_from_sheets
from reportgen.read.layout import Layout
from reportgen.read.raw import RawEntry
from reportgen.read.workbook import read_sheets
from reportgen.safety.xmlsafe import enable_defusedxml


@dataclass
class SourceTable:
    """One source's rows as read: each a `RawEntry` whose scores are the sourced leaves."""

    name: str  # the source's name in the config ("survey")
    file: str  # as the config names it, for findings
    entries: list[RawEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def location(self) -> Location:
        """The table's first sheet read, or the file."""
        if self.entries:
            return Location(self.file, self.entries[0].name.location.sheet)
        return Location(self.file)


def sourced_sets(assessment: Assessment, name: str) -> list[CriteriaSet]:
    """For each criteria set with leaves from source `name`, a set of just those leaves (as
    top-level criteria), for reading the source's table by their labels."""
    out = []
    for s in assessment.sets:
        leaves = [
            c.model_copy(update={"source": "", "may_not_apply": False, "rule": None})
            for c in s.leaves
            if c.source == name
        ]
        if leaves:
            out.append(CriteriaSet(key=s.key, criteria=leaves))
    return out


def read_sources(assessment: Assessment, folder: Path) -> list[SourceTable]:
    """Every table named in `sources` (a path relative to `folder`, the assessment's)."""
    enable_defusedxml()
    tables = []
    for name, file in assessment.sources.items():
        if not file:
            continue  # optional and not run: its criteria do not apply
        table = SourceTable(name, file)
        tables.append(table)
        sets = sourced_sets(assessment, name)
        if not sets:
            continue
        path = folder / file
        if not path.is_file():
            table.findings.append(finding("INPUT_NOT_FOUND", Location(file)))
            continue
        sheets, problems = read_sheets(path, file)
        table.findings += problems
        layout = Layout(assessment, sets)
        table.entries = list(entries_from_sheets(sheets, file, layout))
        if sheets and not table.entries:
            table.findings.append(
                finding("LAYOUT_NOT_FOUND", Location(file), criteria=layout.labels())
            )
    return tables
