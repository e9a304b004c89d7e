"""The evidence register: each form's cited evidence per scored leaf (EVIDENCE_OUT_OF_PERIOD
for a reference dated outside the assessed period), its order, and EVIDENCE_MISSING where
evidence is required and neither given nor explained."""

from __future__ import annotations

from decimal import Decimal

from reportgen.config import Assessment, CriteriaSet
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.numbers import format_number
from reportgen.core.text import clean
from reportgen.core.vnformat import short_date
from reportgen.read import evidence
from reportgen.read.raw import RawEntry


def cited(
    entry: RawEntry,
    unit: str,
    scores: dict[str, Decimal],
    criteria: CriteriaSet,
    assessment: Assessment,
    out: list[Finding],
) -> list[evidence.Cited]:
    """The evidence of every scored leaf of a form; a reference dated outside the assessed
    period is EVIDENCE_OUT_OF_PERIOD (a warning naming the date as written)."""
    start, end = assessment.period
    cells = entry.evidence or {}
    cited = []
    for key in scores:
        node = criteria.by_key[key]
        if node.items:
            continue
        raw = cells.get(key)  # none: the form has no evidence column
        refs = tuple(evidence.references(raw.value)) if raw is not None else ()
        explanation = clean(entry.explanations[key].value) if key in entry.explanations else ""
        for ref in refs:
            if ref.date is not None and not start <= ref.date <= end:
                out.append(
                    finding(
                        "EVIDENCE_OUT_OF_PERIOD",
                        raw.location,
                        unit,
                        criterion=node.label,
                        date=ref.written_date,
                        start=short_date(start),
                        end=short_date(end),
                    )
                )
        location = (raw or entry.scores[key]).location
        cited.append(
            evidence.Cited(unit, key, node.label, scores[key], refs, explanation, location)
        )
    return cited


def register_order(assessment: Assessment):
    """The evidence register's order: indicator by indicator (sets in config order, leaves in
    tree order), the units of each in config order — one indicator across units together."""
    sets = {s.key: i for i, s in enumerate(assessment.sets)}
    leaves = {(s.key, c.key): i for s in assessment.sets for i, c in enumerate(s.leaves)}
    units = {u.name: i for i, u in enumerate(u for g in assessment.groups for u in g.units)}

    def key(c: evidence.Cited) -> tuple[int, int, int]:
        criteria = assessment.set_of(c.unit).key
        return sets[criteria], leaves[(criteria, c.key)], units[c.unit]

    return key


def missing_evidence(
    register: list[evidence.Cited],
    decided: set[tuple[str, str]],
    assessment: Assessment,
    unproven: list[evidence.Cited],
) -> list[Finding]:
    """EVIDENCE_MISSING for every cited leaf scored above zero (and above its minimum) with
    neither evidence nor an explanation, unless the Sở has scored it (`decided`); each such
    leaf is kept in `unproven`."""
    out = []
    for c in register:
        node = assessment.set_of(c.unit).by_key[c.key]
        if c.given or c.score <= max(node.min, 0) or (c.unit, c.key) in decided:
            continue
        decimals = assessment.scoring.decimals
        unproven.append(c)
        out.append(
            finding(
                "EVIDENCE_MISSING",
                c.location,
                c.unit,
                criterion=c.label,
                value=format_number(c.score, decimals),
            )
        )
    return out
