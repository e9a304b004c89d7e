"""Scores computed from a unit's figures (a criterion's `rule`): the rule leaves a form asks
figures for, each figure read and checked, each result kept as a `Computation` and put in
place of the score the unit wrote (SCORE_RULE_MISMATCH when they differ)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reportgen.config import Assessment, CriteriaSet, Criterion, RatioRule
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location
from reportgen.core.numbers import NotANumber, parse, shown
from reportgen.core.text import clean
from reportgen.judge import rules
from reportgen.judge.cell_scores import blank
from reportgen.read.raw import RawEntry, RawValue


@dataclass(frozen=True)
class Computation:
    """A score worked out from the unit's figures (a criterion's `rule`)."""

    unit: str
    key: str
    label: str
    working: str  # "20 × 45 ÷ 50 = 18"
    score: Decimal | None  # None: 0 ÷ 0 made the criterion not apply
    location: Location  # the first figure's cell


def own_answer(c: Criterion, raw: RawValue) -> bool:
    """A yes/no leaf whose own score cell holds the answer (Có/Không), not a number."""
    return (
        c.figure_keys == [c.key]
        and rules.answer(raw.value) is not None
        and not isinstance(raw.value, (int, float))
    )


def rule_leaves(entry: RawEntry, criteria: CriteriaSet, skipped: set[str]) -> list[str]:
    """The rule leaves the form asks figures for (a row of each figure, or — for a yes/no
    leaf reading its own cell — an answer there); the others keep the score as written."""
    out = []
    for c in criteria.leaves:
        if c.rule is None or c.key in skipped:
            continue
        keys = c.figure_keys
        if keys == [c.key]:
            raw = entry.scores.get(c.key)
            if raw is not None and own_answer(c, raw):
                out.append(c.key)
        elif any(k in entry.figures for k in keys):
            out.append(c.key)
    return out


def rule_results(
    entry: RawEntry,
    unit: str,
    criteria: CriteriaSet,
    asked: list[str],
    assessment: Assessment,
    out: list[Finding],
    computations: list[Computation],
) -> dict[str, rules.Computed] | None:
    """The rule leaves' results from the unit's figures (each kept as a `Computation`), or
    None when a figure is missing or wrong (each reported where it was written)."""
    values: dict[str, Decimal | bool] = {}
    bad = False
    for key in dict.fromkeys(k for leaf in asked for k in criteria.by_key[leaf].figure_keys):
        raw = entry.scores[key] if key in criteria.by_key else entry.figures.get(key)
        figure = criteria.figure_by_key.get(key)
        label = figure.label if figure else criteria.by_key[key].label
        value = _figure(raw, label, figure is None or figure.yes_no, unit, out)
        if value is None:
            bad = True
        else:
            values[key] = value
    computed = {}
    for leaf in asked:
        c = criteria.by_key[leaf]
        if any(k not in values for k in c.figure_keys):
            continue
        if isinstance(c.rule, RatioRule):
            a, b = (values[k] for k in c.rule.inputs)
            if a > b:
                label_a, label_b = (criteria.figure_by_key[k].label for k in c.rule.inputs)
                raw = entry.figures[c.rule.inputs[0]]
                out.append(
                    finding(
                        "FIGURE_ABOVE_TOTAL",
                        raw.location,
                        unit,
                        figure=label_a,
                        value=shown(a),
                        total=label_b,
                        total_value=shown(b),
                        criterion=c.label,
                    )
                )
                bad = True
                continue
        computed[leaf] = rules.compute(c, values, assessment.scoring.decimals)
        first = c.figure_keys[0]
        cell = entry.scores[first] if first in criteria.by_key else entry.figures[first]
        computations.append(
            Computation(
                unit, leaf, c.label, computed[leaf].working, computed[leaf].score, cell.location
            )
        )
    return None if bad else computed


def _figure(
    raw: RawValue | None, label: str, yes_no: bool, unit: str, out: list[Finding]
) -> Decimal | bool | None:
    """One figure: a number ≥ 0, or an answer Có/Không; None when wrong (reported)."""
    if raw is None or blank(raw):
        if raw is not None:
            out.append(finding("FIGURE_MISSING", raw.location, unit, figure=label))
        return None
    if yes_no:
        yes = rules.answer(raw.value)
        if yes is None:
            why = "cần ghi Có hoặc Không"
            out.append(
                finding(
                    "FIGURE_INVALID",
                    raw.location,
                    unit,
                    figure=label,
                    value=clean(raw.value),
                    why=why,
                )
            )
        return yes
    why = ""
    try:
        value = parse(raw.value)
    except NotANumber:
        value, why = None, "không phải là số"
    if value is not None and value < 0:
        why = "là số âm"
    if why or raw.error:
        shown_value = raw.error or clean(raw.value)
        out.append(
            finding(
                "FIGURE_INVALID",
                raw.location,
                unit,
                figure=label,
                value=shown_value,
                why=why or "là lỗi của bảng tính",
            )
        )
        return None
    return value


def rule_score(
    entry: RawEntry,
    unit: str,
    c: Criterion,
    scores: dict[str, Decimal],
    computed: rules.Computed,
    skipped: set[str],
    out: list[Finding],
) -> None:
    """The computed score replaces what the unit wrote (SCORE_RULE_MISMATCH when they
    differ); a ratio of 0 ÷ 0 that does not apply takes the leaf out."""
    stated = scores.pop(c.key, None)
    if computed.score is None:
        skipped.add(c.key)
        return
    scores[c.key] = computed.score
    if stated is not None and stated != computed.score:
        out.append(
            finding(
                "SCORE_RULE_MISMATCH",
                entry.scores[c.key].location,
                unit,
                criterion=c.label,
                stated=shown(stated),
                computed=shown(computed.score),
                working=computed.working,
            )
        )
