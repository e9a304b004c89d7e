"""The annex tables as plain rows of display text, shared by the .docx and .xlsx writers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from reportgen.config import AnnexNumbering, Assessment
from reportgen.numbers import format_number, places
from reportgen.rank import GroupResult

NUMBER_HEADING = {AnnexNumbering.STT: "STT", AnnexNumbering.RANK: "Xếp hạng"}


@dataclass(frozen=True)
class AnnexTable:
    heading: str  # the section heading above the table
    columns: list[str]  # STT | name | criteria... | Tổng | Xếp loại
    rows: list[list[str]]  # display text, as the decision prints it
    values: list[list[int | Decimal | str]]  # the same cells, numbers as numbers (the workbook)


def as_printed(value: Decimal, decimals: int) -> Decimal:
    """A score as `format_number` prints it: rounded half-up to `decimals`, no trailing zeros
    (`35.5`, `36`)."""
    with localcontext() as context:  # enough digits for any value: never InvalidOperation
        context.prec = max(28, value.adjusted() + decimals + 2)
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        return rounded.quantize(Decimal(1).scaleb(-places(rounded)))


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
                *(as_printed(row.scores[c.key], decimals) for c in assessment.criteria),
                as_printed(row.total, decimals),
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
