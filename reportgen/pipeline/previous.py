"""Last year's results for the year-over-year comparison: named by `--previous` or the
config's `previous`, read from a `ket-qua.json` or checked and ranked again from an
assessment folder, then compared with this year's (`judge.yoy`)."""

from __future__ import annotations

from pathlib import Path

from reportgen import config
from reportgen.judge import yoy
from reportgen.judge.rank import GroupResult, rank_all
from reportgen.pipeline.check import check


def needs_previous(
    assessment: config.Assessment, assessment_path: Path, previous: Path | None
) -> None:
    """Raise `PreviousError` when the annex asks for year-over-year columns and no previous
    year is named (`validate` never asks: it renders nothing)."""
    asked = assessment.annex.year_over_year
    if not asked or previous is not None or assessment.previous:
        return
    listed = ", ".join(f"'{c.value}'" for c in asked)
    raise yoy.PreviousError(
        config.resolve_path(Path(assessment_path)),
        [
            f"annex.columns: cột {listed} cần kết quả năm trước, nhưng chưa có kết quả năm "
            "trước nào được chỉ ra. Ghi vào assessment.toml (ngay dưới dòng year) "
            'previous = "../<thư mục đợt năm trước>" hoặc previous = "<đường dẫn tới '
            'ket-qua.json năm trước>", hoặc chạy build --previous <đường dẫn đó>; '
            "không muốn so sánh thì bỏ " + listed + " khỏi annex.columns."
        ],
    )


def compare(
    results: list[GroupResult],
    assessment: config.Assessment,
    assessment_path: Path,
    previous: Path | None,
) -> yoy.Comparison | None:
    """This year's results against last year's: `previous`, else the config's `previous`
    (relative to the assessment file), else None."""
    if previous is None and assessment.previous:
        previous = config.resolve_path(Path(assessment_path)).parent / assessment.previous
    if previous is None:
        return None
    return yoy.compare(results, assessment, _past(Path(previous)))


def _past(path: Path) -> yoy.Past:
    """Last year's results: its `ket-qua.json`, or its assessment folder checked and ranked
    again here (the pipeline runs once more; `yoy` never calls back into it)."""
    if not yoy.is_assessment(path):
        return yoy.load_previous(path)
    checked = check(path)
    errors = checked.findings.errors
    if errors:
        lines = [f"đợt đánh giá năm trước có {len(errors)} lỗi, chưa xếp hạng được:"]
        lines += [f"{f.location}: {f.message}" for f in errors[:5]]
        raise yoy.PreviousError(config.resolve_path(path), lines)
    results = rank_all(checked.submissions, checked.assessment)
    return yoy.past_of(results, checked.assessment, str(path))
