"""Where the pipeline reads and writes: the output file names, their reading order, the
default input and output folders, the notices' and statements' file names."""

from __future__ import annotations

from pathlib import Path

from reportgen import config

OUTPUTS = ("quyet-dinh.docx", "phu-luc.xlsx", "ket-qua.csv", "ket-qua.json")
DECISION = OUTPUTS[0]  # not written for an assessment of kind "table"
FINDINGS_REPORT = "bao-cao-kiem-tra.xlsx"
PDF = "quyet-dinh.pdf"  # with pdf=True
SUMMARY = "tom-tat.md"  # with a previous year: the year-over-year summary
# The order a person reads them in (the web page's downloads, its zip); charts follow.
READING_ORDER = ("quyet-dinh.docx", PDF, "phu-luc.xlsx", FINDINGS_REPORT, *OUTPUTS[2:], SUMMARY)
ANSWERS_FOLDER = "giai-trinh"  # the returned answer workbooks, beside submissions/
STATEMENTS = "phieu-diem"  # the per-unit statements' folder
NOTICE_PATTERNS = ("Thông báo - *.docx", "Phiếu giải trình - *.xlsx", "thong-bao-*.zip")


def default_inputs(assessment_path: Path) -> list[Path]:
    """`ASSESSMENT/submissions/`, and `ASSESSMENT/giai-trinh/` when there is one."""
    folder = config.resolve_path(Path(assessment_path)).parent
    answers = folder / ANSWERS_FOLDER
    return [folder / "submissions", *([answers] if answers.is_dir() else [])]


def default_out(assessment_path: Path) -> Path:
    """`out/<assessment folder name>`."""
    return Path("out") / config.resolve_path(Path(assessment_path)).parent.resolve().name


def present_outputs(folder: Path) -> list[str]:
    """The outputs present in `folder`, in `READING_ORDER`, then each group's chart."""
    folder = Path(folder)
    charts = sorted(p.name for p in folder.glob("bieu-do-*.png")) if folder.is_dir() else []
    return [n for n in (*READING_ORDER, *charts) if (folder / n).is_file()]


def assessments_under(folder: Path) -> list[Path]:
    """Every assessment folder (holding `assessment.toml`) directly under `folder`."""
    return sorted(p.parent for p in Path(folder).glob("*/assessment.toml"))


def notice_files(notice) -> tuple[str, str]:
    """A notice's letter and answer workbook file names (`notices.Notice`)."""
    from reportgen.render.filenames import form_filename

    stem = form_filename(notice.unit).removesuffix(".xlsx")
    return f"Thông báo - {stem}.docx", f"Phiếu giải trình - {stem}.xlsx"
