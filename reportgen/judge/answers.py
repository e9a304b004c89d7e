"""The units' answers to the preliminary notices, and the council's conclusions on them.

A returned answer workbook (`raw.RawAnswer` rows) attaches to the adjustment of its unit
and indicator: "Thống nhất" settles it at the verified score; "Giải trình" leaves it open
until the council concludes — "Giữ nguyên" keeps the verified score, "Chấp nhận" takes the
accepted score (by default the self-score) — on the same workbook or on the verification
list. An answer row for an indicator whose evidence was missing brings its preliminary score
with it (the notice's 0). Open explanations are `EXPLANATION_OPEN`; an answer dated or
received after `verification.deadline` is `EXPLANATION_LATE`."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from reportgen.config import Assessment, Criterion
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.text import clean, fold
from reportgen.core.vnformat import short_date
from reportgen.judge.cell_scores import cell_score
from reportgen.judge.registry import UnitRegistry
from reportgen.judge.score import Submission
from reportgen.judge.validate import Settle, Validated
from reportgen.judge.verified import Adjustment, Answer, Conclusion, adjusted, scored_node
from reportgen.read.answer_sheet import CONCLUSIONS, OPINIONS
from reportgen.read.evidence import date_of
from reportgen.read.raw import RawAnswer, RawValue, RawVerification


def settler(answers: list[RawAnswer]) -> Settle:
    """What `validate` calls (its `settle`) to apply `answers`."""
    return partial(apply_answers, answers)


def apply_answers(
    answers: list[RawAnswer],
    registry: UnitRegistry,
    assessment: Assessment,
    by_unit: dict[str, Submission],
    result: Validated,
    concluded: dict[tuple[str, str], RawVerification],
) -> None:
    """Attach every answer row to its adjustment, then the verification list's conclusions
    to explanations the workbook left open; put each concluded score into the submission."""
    late: set[str] = set()  # files already judged late
    for raw in answers:
        _apply(raw, registry, assessment, by_unit, result)
        unit = registry.match(clean(raw.unit.value)).unit
        _late(raw, unit, assessment, late, result.findings)
    for i, a in enumerate(result.adjustments):
        listed = concluded.get((a.unit, a.key))
        if a.open and listed is not None:
            node = assessment.set_of(a.unit).by_key[a.key]
            c = _conclusion(listed.conclusion, listed.accepted, node, a, assessment, result)
            result.adjustments[i] = replace(a, conclusion=c)
    for a in result.adjustments:
        if a.conclusion is not None:
            s = by_unit[a.unit]
            by_unit[a.unit] = replace(s, scores={**s.scores, a.key: a.final})
        elif a.open:
            result.findings.append(
                finding("EXPLANATION_OPEN", a.answer.location, a.unit, criterion=a.label)
            )


def _invalid(raw: RawValue, case: str, unit: str | None = None, **params: object) -> Finding:
    """ANSWER_INVALID at the cell `raw`, said as its `case`."""
    return finding("ANSWER_INVALID", raw.location, unit, case=case, **params)


def _apply(
    raw: RawAnswer,
    registry: UnitRegistry,
    assessment: Assessment,
    by_unit: dict[str, Submission],
    result: Validated,
) -> None:
    out = result.findings
    written = clean(raw.unit.value)
    unit = registry.match(written).unit
    if unit is None or unit not in by_unit:
        out.append(_invalid(raw.unit, "unit", written=written))
        return
    item = clean(raw.item.value)
    node = scored_node(assessment.set_of(unit), by_unit[unit], item)
    if node is None or node.items:
        out.append(_invalid(raw.item, "item", unit, written=item))
        return
    opinion = _choice(raw.opinion.value, OPINIONS)
    if opinion == "":
        return  # not answered: the preliminary score stands
    if opinion is None:
        choices = " hoặc ".join(f"'{t}'" for t in OPINIONS.values())
        said = clean(raw.opinion.value)
        out.append(_invalid(raw.opinion, "opinion", unit, written=said, choices=choices))
        return
    index = _adjustment(result.adjustments, unit, node.key)
    if index is None:  # evidence found missing: the notice's preliminary score comes back
        score = cell_score(raw.preliminary, node, False, unit, assessment, out)
        if score is None:
            return
        by_unit[unit] = adjusted(
            by_unit[unit],
            assessment.set_of(unit),
            node.key,
            score,
            clean(raw.reason.value),
            raw.preliminary.location,
            result.adjustments,
        )
        index = _adjustment(result.adjustments, unit, node.key)
        if index is None:
            return  # the preliminary score is the self-score: nothing to answer
    a = result.adjustments[index]
    if a.answer is not None:
        other = str(a.answer.location)
        out.append(_invalid(raw.opinion, "answered", unit, criterion=a.label, other=other))
        return
    result.decided.add((unit, node.key))
    answer = Answer(
        opinion == "agree",
        clean(raw.explanation.value),
        clean(raw.evidence.value),
        raw.opinion.location,
    )
    a = replace(a, answer=answer)
    if not answer.agrees and raw.conclusion is not None and clean(raw.conclusion.value):
        a = replace(
            a, conclusion=_conclusion(raw.conclusion, raw.accepted, node, a, assessment, result)
        )
    result.adjustments[index] = a


def _adjustment(adjustments: list[Adjustment], unit: str, key: str) -> int | None:
    return next((i for i, a in enumerate(adjustments) if (a.unit, a.key) == (unit, key)), None)


def _choice(value: object, choices: dict[str, str]) -> str | None:
    """The key of the choice a cell names ("" when empty; None when it names none)."""
    text = fold(value)
    if not text:
        return ""
    return next((k for k, shown in choices.items() if text.startswith(fold(shown))), None)


def _conclusion(
    cell: RawValue,
    accepted: RawValue | None,
    node: Criterion,
    a: Adjustment,
    assessment: Assessment,
    result: Validated,
) -> Conclusion | None:
    """The council's conclusion a cell writes, or None (reported) when it names none."""
    kind = _choice(cell.value, CONCLUSIONS)
    if not kind:
        choices = " hoặc ".join(f"'{t}'" for t in CONCLUSIONS.values())
        result.findings.append(
            _invalid(cell, "conclusion", a.unit, written=clean(cell.value), choices=choices)
        )
        return None
    if kind == "keep":
        return Conclusion(False, a.verified, cell.location)
    score = a.verified if a.self_score is None else a.self_score  # "not applicable": no own
    if accepted is not None and clean(accepted.value):
        score = cell_score(accepted, node, False, a.unit, assessment, result.findings)
        if score is None:
            return None
    return Conclusion(True, score, cell.location)


def _late(
    raw: RawAnswer, unit: str | None, assessment: Assessment, judged: set[str], out: list[Finding]
) -> None:
    """EXPLANATION_LATE, once per answer file, when its stated or received date is after the
    deadline."""
    deadline = assessment.verification.deadline
    file = raw.unit.location.file
    if deadline is None or file in judged:
        return
    judged.add(file)
    for cell, what in ((raw.answered, "ghi ngày trả lời"), (raw.received, "được nhận ngày")):
        day = date_of(cell.value) if cell is not None else None
        if day is not None and day > deadline:
            out.append(
                finding(
                    "EXPLANATION_LATE",
                    cell.location,
                    unit,
                    what=what,
                    date=short_date(day),
                    deadline=short_date(deadline),
                )
            )
            return
