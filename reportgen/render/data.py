"""Machine-readable results: one row per unit as CSV (UTF-8 with BOM, for Excel) and JSON."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from reportgen.config import Assessment
from reportgen.numbers import plain
from reportgen.rank import GroupResult
from reportgen.render.safe import cell_text


def records(results: list[GroupResult], assessment: Assessment) -> list[dict[str, object]]:
    """group, stt, rank, unit, each criterion, total, grade — numbers as exact Decimals."""
    out = []
    for result in results:
        for row in result.rows:
            out.append(
                {
                    "group": result.group.key,
                    "stt": row.stt,
                    "rank": row.rank,
                    "unit": row.unit,
                    **{c.key: row.scores[c.key] for c in assessment.criteria},
                    "total": row.total,
                    "grade": row.grade,
                }
            )
    return out


def render_csv(rows: list[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if rows:
        writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow(
            [plain(v) if isinstance(v, Decimal) else cell_text(str(v)) for v in row.values()]
        )
    return buffer.getvalue().encode("utf-8-sig")


def render_json(rows: list[dict[str, object]], assessment: Assessment) -> bytes:
    document = {
        "year": assessment.year,
        "criteria": [
            {"key": c.key, "label": c.label, "max": _number(c.max)} for c in assessment.criteria
        ],
        "results": [
            {k: _number(v) if isinstance(v, Decimal) else v for k, v in row.items()} for row in rows
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _number(value: Decimal) -> int | float:
    """A JSON number that reads back as exactly `value` (scores have a few decimals)."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) != value:
        raise ValueError(f"{value} cannot be written exactly as a JSON number")
    return as_float
