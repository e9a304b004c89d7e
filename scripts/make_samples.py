"""Rebuild a sample's input workbooks from its transcribed annex (`annex-*.tsv`).

Writes `submissions/<unit>.xlsx` (reportgen's own score-sheet form, filled in) and
`tong-hop.xlsx` (a consolidated workbook laid out like the published annex: one sheet per
group, a title row, a header row, one row per unit in the published order).

Usage: python scripts/make_samples.py samples/quang-nam-2019
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from reportgen import config
from reportgen.core import atomic
from reportgen.render import forms
from reportgen.render.filenames import form_filename


def read_annex(folder: Path) -> list[dict[str, str]]:
    (tsv,) = folder.glob("annex-*.tsv")
    with tsv.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def consolidated(assessment: config.Assessment, rows: list[dict[str, str]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for group in assessment.groups:
        ws = wb.create_sheet(group.name.replace(",", "")[:31])
        width = len(assessment.criteria) + 4
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws.cell(1, 1, group.heading).font = Font(bold=True)
        headers = [
            "STT",
            group.name_column,
            *(c.label for c in assessment.criteria),
            "Tổng",
            "Xếp loại",
        ]
        for col, text in enumerate(headers, start=1):
            cell = ws.cell(2, col, text)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, horizontal="center")
        members = [r for r in rows if r["group"] == group.key]
        for i, r in enumerate(members, start=3):
            values = [
                int(r["stt"]),
                r["unit"],
                *(number(r[c.key]) for c in assessment.criteria),
                number(r["total"]),
                r["grade"],
            ]
            for col, value in enumerate(values, start=1):
                ws.cell(i, col, value)
    return atomic.workbook_bytes(wb, dt.datetime.combine(assessment.decision.date, dt.time()))


def main(folder: Path) -> None:
    assessment = config.load(folder)
    rows = read_annex(folder)
    for r in rows:
        scores = {c.key: number(r[c.key]) for c in assessment.criteria}
        path = folder / "submissions" / form_filename(r["unit"])
        atomic.write_bytes(path, forms.form_bytes(assessment, r["unit"], scores))
    atomic.write_bytes(folder / "tong-hop.xlsx", consolidated(assessment, rows))
    print(f"{folder}: {len(rows)} score sheets and tong-hop.xlsx")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
