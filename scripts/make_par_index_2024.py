"""Generate the SYNTHETIC submissions and survey table of `samples/par-index-2024/` (fixed
seed: the same bytes on every run). Every score and figure is made up; none was published.

What it writes:
- `submissions/<unit>.xlsx`: one filled score-sheet form per department and district
  (reportgen's own form): the criteria the unit scores itself, the figures the rule
  criteria are computed from, "Có"/"Không" for the yes/no criteria, "Không áp dụng" where a
  criterion does not apply (two departments without public service units), and the
  council's "Điểm thẩm định" on three forms;
- `khao-sat-2024.xlsx` (beside `assessment.toml`): the sociological survey's two scores
  per unit (31,5 points), which no unit scores itself.
Ban Dân tộc's procedures area does not apply by the config (`not_applicable`); Thanh tra
tỉnh was given no legal documents to draft (0 ÷ 0: that criterion does not apply).

Usage: python scripts/make_par_index_2024.py
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook

from reportgen import config
from reportgen.core import atomic
from reportgen.render import forms
from reportgen.render.filenames import form_filename

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "par-index-2024"
SURVEY = "khao-sat-2024.xlsx"
SEED = 20241231
STEP = Decimal("0.25")
NOT_APPLICABLE = "Không áp dụng"
NO_PUBLIC_SERVICE_UNITS = {"Sở Ngoại vụ", "Ban Quản lý Khu Kinh tế mở Chu Lai"}
NO_DOCUMENTS_TO_DRAFT = {"Thanh tra tỉnh"}
ON_FORM = {  # the council's verified scores written on the form (leaf key → score, reason)
    "Sở Xây dựng": {"cv_ky_luat": (Decimal("1.5"), "Có công chức bị kỷ luật trong năm")},
    "Sở Y tế": {"tt_phan_anh": (Decimal(2), "Hai phản ánh xử lý quá hạn")},
    "Huyện Quế Sơn": {"bm_bien_che": (Decimal("1.75"), "Vượt biên chế được giao")},
}


def figures(rng: random.Random, unit: str, quality: float) -> dict[str, Decimal]:
    """The figures a unit reports, of some quality (shares near `quality`)."""

    def share(whole: int) -> Decimal:
        part = round(whole * min(1.0, max(0.0, quality + rng.gauss(0, 0.06))))
        return Decimal(part)

    planned = rng.randint(8, 20)
    documents = 0 if unit in NO_DOCUMENTS_TO_DRAFT else rng.randint(1, 6)
    dossiers = rng.randint(300, 6000)
    sent = rng.randint(800, 6000)
    return {
        "nhiem_vu_ke_hoach": Decimal(planned),
        "nhiem_vu_hoan_thanh": share(planned),
        "bao_cao_dung_han": Decimal(rng.choice([2, 3, 4, 4, 4])),
        "van_ban_ke_hoach": Decimal(documents),
        "van_ban_ban_hanh": share(documents),
        "ho_so_tiep_nhan": Decimal(dossiers),
        "ho_so_dung_han": share(dossiers),
        "ho_so_truc_tuyen": (share(dossiers) * Decimal("0.8")).quantize(1),
        "van_ban_di": Decimal(sent),
        "van_ban_dien_tu": share(sent),
    }


def unit_form(
    rng: random.Random, assessment: config.Assessment, unit: config.Unit
) -> tuple[dict[str, object], dict[str, Decimal]]:
    """What the unit writes in its score cells (numbers, Có/Không, "Không áp dụng") and the
    figures it reports."""
    criteria = assessment.set_of(unit.name)
    quality = rng.uniform(0.6, 0.97)
    reported = figures(rng, unit.name, quality)
    skipped = criteria.skipped(unit.not_applicable)
    cells: dict[str, object] = {}
    for leaf in criteria.leaves:
        if leaf.source or leaf.key in skipped:
            continue  # the survey's, or not the unit's this year (the config says)
        if leaf.key == "tc_tu_chu" and unit.name in NO_PUBLIC_SERVICE_UNITS:
            cells[leaf.key] = NOT_APPLICABLE
        elif leaf.rule is not None and leaf.figure_keys == [leaf.key]:
            cells[leaf.key] = "Có" if rng.random() < quality + 0.1 else "Không"
        elif leaf.rule is not None:
            continue  # the form computes it from the figures
        else:
            share = min(1.0, max(0.0, quality + rng.gauss(0, 0.08)))
            points = leaf.max * Decimal(str(round(share, 4)))
            cells[leaf.key] = (points / STEP).quantize(1, ROUND_HALF_UP) * STEP
    return cells, reported


def survey_table(assessment: config.Assessment, rows: list[tuple[str, list[Decimal]]]) -> bytes:
    criteria = assessment.sets[0]
    sourced = [c for c in criteria.leaves if c.source == "survey"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Điều tra xã hội học"
    ws.append(["KẾT QUẢ ĐIỀU TRA XÃ HỘI HỌC NĂM 2024 (DỮ LIỆU MẪU GIẢ LẬP)"])
    ws.append(["STT", "Tên đơn vị", *(c.label for c in sourced)])
    for i, (unit, scores) in enumerate(rows, start=1):
        ws.append([i, unit, *scores])
    return atomic.workbook_bytes(wb, dt.datetime.combine(assessment.stamp, dt.time()))


def main(folder: Path = SAMPLE) -> None:
    """Write the submissions and the survey table into `folder` (the sample by default)."""
    assessment = config.load(folder)
    rng = random.Random(SEED)
    out = folder / "submissions"
    out.mkdir(exist_ok=True)
    for old in out.glob("*.xlsx"):
        old.unlink()
    sourced = [c for c in assessment.sets[0].leaves if c.source == "survey"]
    survey = []
    for group in assessment.groups:
        for unit in group.units:
            cells, reported = unit_form(rng, assessment, unit)
            verified = ON_FORM.get(unit.name)
            data = forms.form_bytes(assessment, unit.name, cells, verified, reported)
            atomic.write_bytes(out / form_filename(unit.name), data)
            share = rng.uniform(0.72, 0.95)
            survey.append(
                (
                    unit.name,
                    [(c.max * Decimal(str(round(share, 4)))).quantize(STEP) for c in sourced],
                )
            )
    atomic.write_bytes(folder / SURVEY, survey_table(assessment, survey))


if __name__ == "__main__":
    main()
