"""The annex tables as plain rows of display text, shared by the .docx and .xlsx writers."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config import AnnexNumbering, Assessment
from reportgen.numbers import format_number
from reportgen.rank import GroupResult

NUMBER_HEADING = {AnnexNumbering.STT: "STT", AnnexNumbering.RANK: "Xếp hạng"}


@dataclass(frozen=True)
class AnnexTable:
    heading: str  # the section heading above the table
    columns: list[str]  # STT | name | criteria... | Tổng | Xếp loại
    rows: list[list[str]]


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
        rows = [
            [
                str(row.stt if numbering is AnnexNumbering.STT else row.rank),
                row.unit,
                *(format_number(row.scores[c.key], decimals) for c in assessment.criteria),
                format_number(row.total, decimals),
                row.grade,
            ]
            for row in result.rows
        ]
        tables.append(AnnexTable(result.group.heading, columns, rows))
    return tables
