"""Scores from source tables (a criterion's `source`): each unit's row found by its name,
its scores read into the unit's submission (SOURCE_SCORE_MISSING when the row or a score is
not there)."""

from __future__ import annotations

from dataclasses import replace

from reportgen.config import Assessment
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.text import clean
from reportgen.judge.cell_scores import blank, cell_score
from reportgen.judge.registry import UnitRegistry
from reportgen.judge.score import Submission
from reportgen.read.raw import RawEntry
from reportgen.read.sources import SourceTable


def add_sources(
    tables: list[SourceTable],
    registry: UnitRegistry,
    assessment: Assessment,
    by_unit: dict[str, Submission],
    out: list[Finding],
) -> None:
    """Add to each submission the scores of its criteria with a `source`, from the row of
    the source's table naming the unit; a source with no table (optional, not run) does not
    apply. A unit without its row (or score) loses its submission: SOURCE_SCORE_MISSING."""
    rows: dict[str, dict[str, RawEntry]] = {}  # source → unit → its row
    for table in tables:
        out.extend(table.findings)
        mine = rows.setdefault(table.name, {})
        for entry in table.entries:
            written = clean(entry.name.value)
            match = registry.match(written)
            if match.unit is None:
                hint = f" Có phải '{match.suggestion}'?" if match.suggestion else ""
                where = f"Bảng điểm {table.file}"
                out.append(
                    finding(
                        "VERIFY_UNIT_UNKNOWN",
                        entry.name.location,
                        name=written,
                        hint=hint,
                        list=where,
                    )
                )
            elif match.unit in mine:
                other = mine[match.unit].name.location
                out.append(finding("UNIT_DUPLICATE", entry.name.location, match.unit, other=other))
            else:
                mine[match.unit] = entry
    by_name = {t.name: t for t in tables}
    for unit, submission in list(by_unit.items()):
        criteria = assessment.set_of(unit)
        sourced = [c for c in criteria.leaves if c.source]
        if not sourced:
            continue
        top_of = {n.key: top.key for top in criteria.criteria for _, n in top.walk()}
        skipped = set(submission.not_applicable)
        covered = criteria.skipped(skipped)
        scores, ok, told = dict(submission.scores), True, set()
        for c in sourced:
            table = by_name.get(c.source)
            if c.key in covered or top_of[c.key] in scores:
                continue  # does not apply, or a table gave its area's score already
            if table is None:
                skipped.add(c.key)
                continue
            row = rows.get(c.source, {}).get(unit)
            raw = row.scores.get(c.key) if row else None
            if raw is None or blank(raw):
                where = raw.location if raw else table.location
                if (c.source, row is None) not in told:
                    what = f"điểm tiêu chí '{c.label}'" if row else "dòng"
                    out.append(
                        finding("SOURCE_SCORE_MISSING", where, unit, what=what, source=table.file)
                    )
                told.add((c.source, row is None))
                ok = False
                continue
            value = cell_score(raw, c, False, unit, assessment, out)
            if value is None:
                ok = False
            else:
                scores[c.key] = value
        if not ok:
            del by_unit[unit]
            continue
        own = submission.self_scores
        added = {k: v for k, v in scores.items() if k not in submission.scores}
        by_unit[unit] = replace(
            submission,
            scores=scores,
            self_scores={**own, **added} if own else None,
            not_applicable=frozenset(skipped),
        )
