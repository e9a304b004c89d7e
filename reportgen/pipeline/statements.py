"""The verification record's per-unit outputs: each assessed unit's statement of its scores
(`phieu-diem/<unit>.xlsx`) and all of them in one workbook, made when there is a record."""

from __future__ import annotations

from pathlib import Path

from reportgen.core import outputs
from reportgen.judge.rank import GroupResult
from reportgen.pipeline.check import Checked


def has_record(checked: Checked) -> bool:
    """Whether there is a verification record (evidence asked for, or scores verified): then
    the results carry it (ket-qua.json schema 3) and each unit gets its statement."""
    from reportgen.config import EvidencePolicy

    return bool(checked.adjustments) or (
        checked.assessment.scoring.evidence is not EvidencePolicy.OFF
    )


def statement_files(results: list[GroupResult], checked: Checked) -> dict[str, bytes]:
    """`phieu-diem/<unit>.xlsx` of every assessed unit by file name, and `phieu-diem.xlsx`."""
    from reportgen.render import statements as st
    from reportgen.render.filenames import form_filename

    assessment = checked.assessment
    items = st.statements(results, checked.evidence, checked.adjustments)
    files = {form_filename(s.unit): st.unit_bytes(assessment, s) for s in items}
    files[st.ALL] = st.all_bytes(assessment, items)
    return files


def write_statements(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """The statements as one set in their own folder (the units no longer assessed removed);
    with none, a folder of an earlier build is emptied of its statements."""
    if not files and not folder.is_dir():
        return []
    stale = (
        [p.name for p in folder.glob("*.xlsx") if p.name not in files] if folder.is_dir() else []
    )
    return outputs.write(folder, files, remove=stale)
