"""Judging raw entries: each form's unit, criteria set and scores checked (its own cells,
scores computed from its figures, stated totals), scores from source tables added, verified
scores applied, the evidence register kept, registered units with no submission reported.
Every problem becomes a finding; the result is a `Validated`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from reportgen.config import Assessment, CriteriaSet, EvidencePolicy
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location
from reportgen.core.text import clean
from reportgen.judge.cell_scores import blank, scores_of
from reportgen.judge.evidence_check import cited, missing_evidence, register_order
from reportgen.judge.figures import Computation, own_answer, rule_leaves, rule_results, rule_score
from reportgen.judge.form_check import check_form, check_stated
from reportgen.judge.registry import Match, UnitRegistry
from reportgen.judge.score import Submission
from reportgen.judge.sourced import add_sources
from reportgen.judge.unit_names import name_unknowns, resolve
from reportgen.judge.verified import Adjustment, adjusted, verify
from reportgen.read import evidence
from reportgen.read.raw import RawEntry, RawValue, RawVerification
from reportgen.read.sources import SourceTable


@dataclass
class Validated:
    """What `validate` made of the entries: the submissions, the findings and what to show
    beside them."""

    submissions: list[Submission] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # registered units with no submission
    adjustments: list[Adjustment] = field(default_factory=list)
    computations: list[Computation] = field(default_factory=list)
    misnamed: dict[str, Location] = field(default_factory=dict)  # unit → its form, name typed
    # differently (a confident suggestion): the form arrived, its name cell must be corrected
    evidence: list[evidence.Cited] = field(default_factory=list)  # the register (forms only)
    decided: set[tuple[str, str]] = field(default_factory=set)  # (unit, key) the Sở scored
    unproven: list[evidence.Cited] = field(default_factory=list)  # EVIDENCE_MISSING rows


# Applies the units' answers to the adjustments, before missing evidence is judged:
# (registry, assessment, submissions by unit, the result so far, the verification list's
# conclusions by (unit, key)) — `answers.settler` makes one; validate does not import it.
Settle = Callable[
    [
        UnitRegistry,
        Assessment,
        dict[str, Submission],
        Validated,
        dict[tuple[str, str], RawVerification],
    ],
    None,
]


def validate(
    entries: list[RawEntry],
    assessment: Assessment,
    where: str,
    verifications: list[RawVerification] = (),
    sources: list[SourceTable] = (),
    settle: Settle | None = None,
) -> Validated:
    """Check every entry, add the scores of `sources` tables and apply verifications;
    `where` names the inputs in findings about units with no file. Units `not_assessed` are
    neither expected nor missing."""
    registry = UnitRegistry(assessment)
    result = Validated()
    seen: dict[str, RawValue] = {}  # unit → its name cell (a Location only when needed)
    by_unit: dict[str, Submission] = {}
    unknown: list[tuple[int, RawValue, str, Match]] = []  # (finding index, cell, written, match)
    set_of = {u.name: assessment.criteria_set(g) for g in assessment.groups for u in g.units}
    configured_not_applicable = {
        u.name: u.not_applicable for g in assessment.groups for u in g.units
    }
    for entry in entries:
        unit = resolve(entry.name, registry, result.findings, unknown)
        if unit is None:
            continue
        if unit in seen:
            result.findings.append(
                finding("UNIT_DUPLICATE", entry.name.location, unit, other=seen[unit].location)
            )
            continue
        seen[unit] = entry.name
        criteria = set_of[unit]
        if entry.criteria_set != criteria.key:
            found = next(s for s in assessment.sets if s.key == entry.criteria_set)
            group = assessment.group_of(unit).name
            labels = ", ".join(c.label for c in found.criteria)
            result.findings.append(
                finding("FORM_WRONG_SET", entry.name.location, unit, found=labels, group=group)
            )
            continue
        check_form(entry, unit, criteria, assessment.year, result.findings)
        exempt = criteria.skipped(configured_not_applicable[unit])  # the config says so
        own = _own_scores(entry, unit, criteria, exempt, assessment, result)
        if own is None:
            continue
        scores, skipped = own
        if assessment.scoring.evidence is not EvidencePolicy.OFF and entry.evidence is not None:
            result.evidence += cited(entry, unit, scores, criteria, assessment, result.findings)
        verified = scores_of(entry.verified, entry, unit, criteria, assessment, result.findings)
        verified = {k: v for k, v in (verified or {}).items() if k not in exempt}  # config wins
        skipped -= set(verified)  # the council scored what the unit marked not applicable
        submission = Submission(unit, scores, entry.order, not_applicable=frozenset(skipped))
        for key, value in verified.items():
            reason = clean(entry.reasons[key].value) if key in entry.reasons else ""
            submission = adjusted(
                submission,
                criteria,
                key,
                value,
                reason,
                entry.verified[key].location,
                result.adjustments,
            )
            result.decided.add((unit, key))
        by_unit[unit] = submission
    add_sources(sources, registry, assessment, by_unit, result.findings)
    for unit, submission in by_unit.items():  # what does not apply, with all it covers
        expanded = set_of[unit].skipped(submission.not_applicable)
        by_unit[unit] = replace(submission, not_applicable=expanded)
    concluded: dict[tuple[str, str], RawVerification] = {}  # a list's conclusion column
    for raw in verifications:
        verify(
            raw,
            registry,
            assessment,
            by_unit,
            concluded,
            result.findings,
            result.adjustments,
            result.decided,
        )
    if settle is not None:  # the units' answers to the notices (answers.settler)
        settle(registry, assessment, by_unit, result, concluded)
    result.evidence.sort(key=register_order(assessment))
    if assessment.scoring.evidence is EvidencePolicy.REQUIRED:
        result.findings += missing_evidence(
            result.evidence, result.decided, assessment, result.unproven
        )
    result.submissions = list(by_unit.values())
    name_unknowns(unknown, seen, assessment, result.misnamed, result.findings)
    if registry.unsuggested:  # before the unknown names: on the first screen, not after them
        limited = finding(
            "UNIT_HINTS_LIMITED",
            Location(where),
            count=len(unknown),
            limit=registry.fuzzy_limit,
            rest=registry.unsuggested,
        )
        result.findings.insert(unknown[0][0], limited)
    for group in assessment.groups:
        for u in group.units:
            if u.name not in seen and u.name not in result.misnamed and not u.not_assessed:
                result.missing.append(u.name)
                result.findings.append(
                    finding("UNIT_MISSING", Location(where), u.name, group=group.name)
                )
    return result


def _own_scores(
    entry: RawEntry,
    unit: str,
    criteria: CriteriaSet,
    exempt: frozenset[str],
    assessment: Assessment,
    result: Validated,
) -> tuple[dict[str, Decimal], set[str]] | None:
    """The unit's own scores and what does not apply to it (`exempt` by the config, marked
    "Không áp dụng", a ratio of 0 ÷ 0): cells read as numbers, rule leaves computed from the
    figures (the score written there compared), stated totals checked; None when any of it
    is wrong (reported)."""
    skipped = set(exempt)
    asked = rule_leaves(entry, criteria, skipped)
    raws = {
        k: raw
        for k, raw in entry.scores.items()
        if not (k in asked and (blank(raw) or own_answer(criteria.by_key[k], raw)))
    }
    scores = scores_of(raws, entry, unit, criteria, assessment, result.findings, skipped)
    computed = rule_results(
        entry, unit, criteria, asked, assessment, result.findings, result.computations
    )
    if scores is None or computed is None:
        return None
    for key, value in ((k, v) for k, v in computed.items() if k not in skipped):
        rule_score(entry, unit, criteria.by_key[key], scores, value, skipped, result.findings)
    check_stated(entry, unit, scores, criteria, assessment, result.findings, skipped)
    return scores, skipped
