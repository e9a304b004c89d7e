"""Verified scores: the Sở's score replaces the unit's own and each change is kept as an
`Adjustment` (with the unit's answer to the notice and the council's conclusion, when there
are); the rows of the verification list applied, or reported when they cannot be."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from reportgen.config import Assessment, CriteriaSet, Criterion
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location
from reportgen.core.text import clean, closest, label_key
from reportgen.judge.cell_scores import cell_score
from reportgen.judge.registry import UnitRegistry
from reportgen.judge.score import Submission
from reportgen.read.raw import RawVerification


@dataclass(frozen=True)
class Answer:
    """A unit's answer to a preliminary notice, on one indicator."""

    agrees: bool  # Thống nhất; else Giải trình
    explanation: str
    evidence: str  # "Minh chứng bổ sung"
    location: Location  # the opinion cell


@dataclass(frozen=True)
class Conclusion:
    """The council's conclusion on an explanation."""

    accepted: bool  # Chấp nhận; else Giữ nguyên
    score: Decimal  # the final score: accepted (default the self-score) or kept
    location: Location


@dataclass(frozen=True)
class Adjustment:
    """A verified score that replaced a self-assessed one, and its history: the unit's
    answer to the notice and the council's conclusion, when there are."""

    unit: str
    key: str
    label: str
    self_score: Decimal | None  # None: the unit marked the criterion not applicable
    verified: Decimal  # the (preliminary) verified score
    reason: str
    location: Location  # the verified score's cell
    answer: Answer | None = None
    conclusion: Conclusion | None = None

    @property
    def open(self) -> bool:
        """Explained by the unit, not yet concluded on by the council."""
        return self.answer is not None and not self.answer.agrees and self.conclusion is None

    @property
    def final(self) -> Decimal:
        """The score published: the conclusion's, else the verified one."""
        return self.conclusion.score if self.conclusion else self.verified


def adjusted(
    submission: Submission,
    criteria: CriteriaSet,
    key: str,
    value: Decimal,
    reason: str,
    location: Location,
    out: list[Adjustment],
) -> Submission:
    """The submission with the verified `value` for `key`; a change is kept in `out`. A
    criterion the unit marked not applicable and the council scored counts 0 in the unit's
    own total (its self-score in the change: None)."""
    own = dict(submission.self_scores or submission.scores)
    before = submission.scores.get(key)
    if value != before:
        label = next(c.label for _, c in criteria.nodes if c.key == key)
        out.append(Adjustment(submission.unit, key, label, own.get(key), value, reason, location))
    own.setdefault(key, Decimal(0))
    return replace(submission, scores={**submission.scores, key: value}, self_scores=own)


def verify(
    raw: RawVerification,
    registry: UnitRegistry,
    assessment: Assessment,
    by_unit: dict[str, Submission],
    concluded: dict[tuple[str, str], RawVerification],
    out: list[Finding],
    adjustments: list[Adjustment],
    decided: set[tuple[str, str]],
) -> None:
    """Apply one row of the Sở's verification list (its change kept in `adjustments`, its
    indicator in `decided`, its conclusion in `concluded`), or say in `out` why it cannot."""
    written = clean(raw.unit.value)
    match = registry.match(written)
    if match.unit is None or match.unit not in by_unit:
        hint = f" Có phải '{match.suggestion}'?" if match.unit is None and match.suggestion else ""
        where = "Danh sách thẩm định"
        out.append(
            finding("VERIFY_UNIT_UNKNOWN", raw.unit.location, name=written, hint=hint, list=where)
        )
        return
    unit = match.unit
    submission = by_unit[unit]
    criteria = assessment.set_of(unit)
    item = clean(raw.item.value)
    node = scored_node(criteria, submission, item)
    if node is None:
        group = assessment.group_of(unit).name
        labels = [c.label for _, c in criteria.nodes if c.key in submission.scores]
        hint = _closest(item, labels)
        hint = f" Có phải '{hint}'?" if hint else ""
        out.append(
            finding(
                "VERIFY_ITEM_UNKNOWN", raw.item.location, unit, item=item, group=group, hint=hint
            )
        )
        return
    value = cell_score(raw.score, node, False, unit, assessment, out)
    if value is not None:
        decided.add((unit, node.key))
        if raw.conclusion is not None and clean(raw.conclusion.value):
            concluded[(unit, node.key)] = raw
        by_unit[unit] = adjusted(
            submission,
            criteria,
            node.key,
            value,
            clean(raw.reason.value),
            raw.score.location,
            adjustments,
        )


def scored_node(criteria: CriteriaSet, submission: Submission, item: str) -> Criterion | None:
    """The node of `criteria` that `item` names (key, label or alias) among the scores the
    unit sent."""
    return next(
        (
            c
            for _, c in criteria.nodes
            if c.key in submission.scores
            and (c.key == item or label_key(item) in {label_key(t) for t in (c.label, *c.aliases)})
        ),
        None,
    )


def _closest(written: str, labels: list[str]) -> str | None:
    """The label a misspelt indicator most likely means, if any."""
    return closest(written, labels, label_key)
