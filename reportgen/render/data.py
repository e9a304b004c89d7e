"""Machine-readable results: `ket-qua.csv` (one flat row per unit, UTF-8 with BOM, for Excel)
and `ket-qua.json` (groups with their criteria trees, results and units not assessed —
schema 2; schema 3 adds the verification record: the evidence register and each result's
adjustments, and is written only when there is one; docs/formats.md). Numbers are exact:
Decimals are written digit for digit."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

import orjson

from reportgen.config import Assessment, Criterion, EvidencePolicy
from reportgen.core.numbers import plain
from reportgen.judge.rank import GroupResult
from reportgen.judge.verified import Adjustment
from reportgen.read.evidence import Cited
from reportgen.render.safe import cell_text

SCHEMA = 2  # without a verification record: what every schema-2 reader reads
RECORD_SCHEMA = 3  # with the evidence register or adjustments


def records(results: list[GroupResult], assessment: Assessment) -> list[dict[str, object]]:
    """group, stt, rank, unit, every criterion key of every set, [self_total], total,
    [index], [grade] — numbers as exact Decimals, None where a cell does not apply."""
    keys = list(dict.fromkeys(c.key for s in assessment.sets for _, c in s.nodes))
    has_self = any(r.self_scores for g in results for r in g.rows)
    has_index = any(s.index for s in assessment.sets)
    has_grade = any(s.grades for s in assessment.sets)
    out = []
    for result in results:
        for row in result.rows:
            record: dict[str, object] = {
                "group": result.group.key,
                "stt": row.stt,
                "rank": row.rank,
                "unit": row.unit,
                **{key: row.scores.get(key) for key in keys},
            }
            if has_self:
                record["self_total"] = row.self_total
            record["total"] = row.total
            if has_index:
                record["index"] = row.index
            if has_grade:
                record["grade"] = row.grade
            out.append(record)
    return out


def render_csv(rows: list[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if rows:
        writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow([_csv_cell(k, v) for k, v in row.items()])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(key: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if key in ("index", "previous_index"):  # an index keeps its digits
            return _digits(value)
        return plain(value)
    return cell_text(str(value))


def document(
    results: list[GroupResult],
    assessment: Assessment,
    evidence: Sequence[Cited] = (),
    adjustments: Sequence[Adjustment] = (),
) -> dict[str, object]:
    """ket-qua.json as Python data (Decimals kept): schema 2, or 3 with the verification
    record — `evidence` (the register, with `scoring.evidence` on) and each result's
    `adjustments`, every stage of each (when any score was verified)."""
    by_unit: dict[str, list[Adjustment]] = {}
    for a in adjustments:
        by_unit.setdefault(a.unit, []).append(a)
    groups = []
    for result in results:
        criteria = result.criteria
        groups.append(
            {
                "key": result.group.key,
                "name": result.group.name,
                "rank_by": criteria.rank_by.value,
                "max": criteria.max_total,
                "criteria": [_criterion(c) for c in criteria.criteria],
                "results": [_result(row, by_unit.get(row.unit)) for row in result.rows],
                "not_assessed": [{"unit": u, "reason": why} for u, why in result.left_out],
            }
        )
    out: dict[str, object] = {"schema": SCHEMA, "year": assessment.year, "groups": groups}
    if adjustments:
        out["schema"] = RECORD_SCHEMA
    if assessment.scoring.evidence is not EvidencePolicy.OFF:
        out["schema"] = RECORD_SCHEMA
        out["evidence"] = [_cited(c, assessment) for c in evidence]
    return out


def _adjustment(a: Adjustment) -> dict[str, object]:
    """One adjustment with every stage: self → verified (reason) → answer → conclusion."""
    answer = conclusion = None
    if a.answer is not None:
        answer = {
            "opinion": "agree" if a.answer.agrees else "explain",
            "explanation": a.answer.explanation,
            "evidence": a.answer.evidence,
        }
    if a.conclusion is not None:
        conclusion = {
            "decision": "accept" if a.conclusion.accepted else "keep",
            "score": a.conclusion.score,
        }
    return {
        "criterion": a.key,
        "label": a.label,
        "self": a.self_score,
        "verified": a.verified,
        "reason": a.reason,
        "answer": answer,
        "conclusion": conclusion,
        "final": a.final,
        "open": a.open,
    }


def _cited(c: Cited, assessment: Assessment) -> dict[str, object]:
    """One row of the evidence register."""
    return {
        "group": assessment.group_of(c.unit).key,
        "unit": c.unit,
        "criterion": c.key,
        "score": c.score,
        "references": [
            {
                "text": r.text,
                "number": r.number or None,
                "date": r.date.isoformat() if r.date else None,
                "url": r.url or None,
            }
            for r in c.references
        ],
        "explanation": c.explanation,
    }


def _criterion(c: Criterion) -> dict[str, object]:
    node: dict[str, object] = {"key": c.key, "label": c.label, "max": c.max}
    if c.weight is not None:
        node["weight"] = c.weight
    if c.min != 0:
        node["min"] = c.min
    if c.bonus:
        node["bonus"] = True
    if c.items:
        node["items"] = [_criterion(item) for item in c.items]
    return node


def _result(row, adjustments: list[Adjustment] | None = None) -> dict[str, object]:
    out: dict[str, object] = {"stt": row.stt, "rank": row.rank, "unit": row.unit}
    out["scores"] = dict(row.scores)
    if row.self_scores:
        out["self_scores"] = dict(row.self_scores)
    out["total"] = row.total
    if row.not_applicable:
        out["not_applicable"] = sorted(row.not_applicable)
        out["max"] = row.unit_max
        if row.scored is not None:
            out["scored"] = row.scored
    if row.index is not None:
        out["index"] = row.index
    if row.grade is not None:
        out["grade"] = row.grade
    if adjustments:
        out["adjustments"] = [_adjustment(a) for a in adjustments]
    return out


def render_json(results: list[GroupResult], assessment: Assessment) -> bytes:
    return (dumps(document(results, assessment)) + "\n").encode("utf-8")


def dumps(value: object) -> str:
    """JSON with two-space indents, where a Decimal is written as its exact digits (never
    through a float): `Decimal('0.8220')` → `0.8220`, `Decimal('99.5')` → `99.5`. orjson
    walks the document in Rust; each Decimal reaches it already written (a `Fragment`)."""
    return orjson.dumps(value, default=_number, option=orjson.OPT_INDENT_2).decode("utf-8")


def _number(value: object) -> orjson.Fragment:
    if not isinstance(value, Decimal):
        raise TypeError(f"{type(value).__name__} is not JSON")
    if not value.is_finite():
        raise ValueError(f"{value} is not a JSON number")
    return orjson.Fragment(_digits(value))


def _digits(value: Decimal) -> str:
    """Every digit the value carries (`0.8220`), never exponent notation, never `-0`."""
    return f"{value.copy_abs() if value.is_zero() else value:f}"
