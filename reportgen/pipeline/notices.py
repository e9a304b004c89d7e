"""The verification round's preliminary notices written: each unit's letter and answer
workbook, and a zip of all, as one output set."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportgen import config
from reportgen.core import outputs
from reportgen.pipeline.check import check
from reportgen.pipeline.names import NOTICE_PATTERNS, default_out, notice_files


def write_notices(
    assessment_path: Path,
    inputs: Sequence[Path] | None = None,
    out: Path | None = None,
    template: Path | None = None,
):
    """Check the submissions and write every preliminary notice (`notices.prepare`): its
    letter, its answer workbook, and a zip of all, into `out` (default
    `out/<assessment folder>/thong-bao`), as one set; files an earlier run wrote for units
    that no longer need a notice are removed, nothing else. Raises `ConfigError` (also
    `TemplateError`) and `OutputBusy` or another `OSError`."""
    from reportgen.core import atomic
    from reportgen.judge import notices
    from reportgen.render.answer_xlsx import answer_bytes
    from reportgen.render.notice_docx import render_notices

    checked = check(assessment_path, inputs)
    assessment = checked.assessment
    folder = config.resolve_path(Path(assessment_path)).parent.resolve().name
    target = Path(out) if out else default_out(assessment_path) / notices.FOLDER
    made = notices.prepare(checked)
    files: dict[str, bytes] = {}
    letters = render_notices(assessment, made.notices, template)
    for notice, letter in zip(made.notices, letters):
        letter_name, answer_name = notice_files(notice)
        files[letter_name] = letter
        files[answer_name] = answer_bytes(assessment, notice)
    made.zip_name = notices.zip_name(assessment, folder)
    files[made.zip_name] = atomic.zip_bytes(list(files.items()))
    stale = []
    if target.is_dir():  # only what an earlier run wrote: the folder may hold other files
        stale = [
            p.name
            for pattern in NOTICE_PATTERNS
            for p in target.glob(pattern)
            if p.name not in files
        ]
    made.written = outputs.write(target, files, remove=stale)
    return made
