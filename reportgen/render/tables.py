"""The annex tables as plain rows of display text, shared by the .docx and .xlsx writers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reportgen.config import AnnexNumbering, Assessment
from reportgen.numbers import format_number
from reportgen.rank import GroupResult

NUMBER_HEADING = {AnnexNumbering.STT: "STT", AnnexNumbering.RANK: "Xếp hạng"}


@dataclass(frozen=True)
class AnnexTable:
    heading: str  # the section heading above the table
    columns: list[str]  # STT | name | criteria... | Tổng | Xếp loại
    rows: list[list[str]]  # display text, as the decision prints it
    values: list[list[int | Decimal | str]]  # the same cells, numbers as numbers (the workbook)


def shown(value: Decimal, decimals: int) -> Decimal:
    """A score as printed: rounded half-up to `decimals`, no trailing zeros (`35.5`, `36`)."""
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    places = len(f"{rounded:f}".partition(".")[2].rstrip("0"))
    return rounded.quantize(Decimal(1).scaleb(-places))


def annex_tables(results: list[GroupResult], assessment: Assessment) -> list[AnnexTable]:
    decimals = assessment.scoring.decimals
    numbering = assessment.annex.numbering
    tables = []
    for result in results:
        columns = [
            NUMBER_HEADING[numbering],
            result.group.name_column,
            *(c.label for c in assessment.criteria),
            "Tổng",
            "Xếp loại",
        ]
        values = [
            [
                row.stt if numbering is AnnexNumbering.STT else row.rank,
                row.unit,
                *(shown(row.scores[c.key], decimals) for c in assessment.criteria),
                shown(row.total, decimals),
                row.grade,
            ]
            for row in result.rows
        ]
        rows = [
            [format_number(v, decimals) if isinstance(v, Decimal) else str(v) for v in line]
            for line in values
        ]
        tables.append(AnnexTable(result.group.heading, columns, rows, values))
    return tables
