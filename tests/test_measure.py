"""Which measure a group is shown by — its total or its index — has one owner,
`GroupResult.measure` (issue 18): the annex workbook's native chart, the PNG, the web page's
chart and the CLI agree. A set that declares an index but ranks by total is shown by total
everywhere (the PNG used to say "Chỉ số" over indices while the web page drew totals)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from typer.testing import CliRunner

from reportgen import api
from reportgen.cli import app
from reportgen.render import charts
from reportgen.web.chart import ranking_svg
from tests.conftest import SAMPLE

SVG = "{http://www.w3.org/2000/svg}"


def assessment_ranked_by(tmp_path, rank_by: str):
    """The 2019 sample with an index of 4 decimals declared, ranked by `rank_by`."""
    text = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    declared = f'year = 2019\nrank_by = "{rank_by}"\nindex = {{ method = "total", decimals = 4 }}'
    tmp_path.mkdir()
    (tmp_path / "assessment.toml").write_text(
        text.replace("year = 2019", declared, 1), encoding="utf-8"
    )
    return tmp_path


@pytest.mark.parametrize(
    ("rank_by", "label", "top_value"),
    [("total", "Tổng điểm", "99,5"), ("index", "Chỉ số", "0,9950")],
)
def test_every_chart_and_the_cli_show_the_measure_the_group_is_ranked_by(
    tmp_path, rank_by, label, top_value
):
    folder = assessment_ranked_by(tmp_path / "dot", rank_by)
    inputs = [str(SAMPLE / "submissions")]
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(folder), *inputs, "--out", str(out)])
    assert result.exit_code == 0, result.output
    # The CLI: the leader of the first group with its measure.
    lead = re.search(r"đứng đầu: [^(]+\(([^)]+)\)", result.output).group(1)
    assert lead == (top_value if rank_by == "total" else f"chỉ số {top_value}")
    # The annex workbook's native chart: title and value axis.
    with zipfile.ZipFile(out / "phu-luc.xlsx") as book:
        words = re.findall(r"<a:t>([^<]*)</a:t>", book.read("xl/charts/chart1.xml").decode())
    assert words[:2] == [f"Sở, Ban, ngành: {label.lower()} năm 2019", label]
    # The PNG's series and the web page's SVG, from the results the build carries.
    built = api.build(folder, inputs, tmp_path / "again")
    series = charts.group_series(built.results, 2019, None)[0]
    first = built.results[0]
    assert series.measure == label
    expected = [r.total if rank_by == "total" else r.index for r in first.rows]
    assert series.values == expected
    svg = ET.fromstring(ranking_svg(first, built.checked.assessment))
    assert svg.find(f"{SVG}title").text.endswith(f"{label.lower()} theo thứ hạng")
    tips = [r.find(f"{SVG}title").text for r in svg.iter(f"{SVG}rect") if len(r)]
    assert tips[0].split(": ")[1].split(" (")[0] == top_value
