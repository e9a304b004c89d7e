"""The web page's ranking chart (`web.chart.ranking_svg`), read back as SVG by an XML parser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from reportgen.judge.rank import GroupResult, Row
from reportgen.web.chart import BAR, ranking_svg

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = 'A & B <script>alert("x")</script>'


def result(assessment, totals: list[tuple[str, str, str]], **set_changes) -> GroupResult:
    """A group's result with rows (unit, total, grade) in the order given."""
    criteria = assessment.criteria_set(assessment.groups[0]).model_copy(update=set_changes)
    group = assessment.groups[0].model_copy(update={"name": HOSTILE})
    rows = [
        Row(i + 1, i + 1, unit, {}, Decimal(total), grade)
        for i, (unit, total, grade) in enumerate(totals)
    ]
    return GroupResult(group, rows, [], criteria)


def bars(svg: ET.Element) -> list[tuple[str, float, str]]:
    """(tooltip, width, fill) of each bar, top to bottom (the legend's squares have no title)."""
    return [
        (r.find(f"{SVG}title").text, float(r.get("width")), r.get("fill"))
        for r in svg.iter(f"{SVG}rect")
        if r.find(f"{SVG}title") is not None
    ]


def texts(svg: ET.Element) -> list[str]:
    return [t.text for t in svg.iter(f"{SVG}text")]


ROWS = [("Sở Một", "90.5", "Tốt"), ("Sở Hai", "81", "Tốt"), ("Sở Ba", "45", "Yếu")]


def test_one_bar_per_unit_in_rank_order_as_long_as_its_share_of_the_maximum(assessment):
    svg = ET.fromstring(ranking_svg(result(assessment, ROWS), assessment))
    drawn = bars(svg)
    assert [tip.split(":")[0] for tip, _, _ in drawn] == ["Sở Một", "Sở Hai", "Sở Ba"]
    # The sample's maximum is 100 points: a bar is total % of the bar area.
    for (_, total, _), (_, width, _) in zip(ROWS, drawn):
        assert width == pytest.approx(float(total) / 100 * BAR, abs=0.05)
    labels = texts(svg)
    assert {"1. Sở Một", "2. Sở Hai", "3. Sở Ba"} <= set(labels)
    assert {"90,5", "81", "45"} <= set(labels)  # totals written the Vietnamese way
    assert drawn[0][0] == "Sở Một: 90,5 (Tốt)"


def test_a_total_above_the_maximum_keeps_every_bar_inside_the_chart(assessment):
    rows = [("Sở Thưởng", "110", "Tốt"), ("Sở Nửa", "55", "Trung bình")]
    drawn = bars(ET.fromstring(ranking_svg(result(assessment, rows), assessment)))
    assert drawn[0][1] == pytest.approx(BAR) and drawn[1][1] == pytest.approx(BAR / 2)


def test_each_grade_has_its_own_colour_and_the_legend_says_which(assessment):
    rows = [*ROWS, ("Sở Bốn", "70", "Khá"), ("Sở Năm", "60", "Trung bình")]
    svg = ET.fromstring(ranking_svg(result(assessment, rows), assessment))
    fill = {tip.split(":")[0]: colour for tip, _, colour in bars(svg)}
    assert fill["Sở Một"] == fill["Sở Hai"]
    assert len({fill[u] for u in ("Sở Một", "Sở Bốn", "Sở Năm", "Sở Ba")}) == 4
    rects = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is None]
    legend_texts = [t.text for t in svg.iter(f"{SVG}text")][-len(rects) :]
    legend = dict(zip(legend_texts, (r.get("fill") for r in rects)))
    assert legend == {
        "Tốt": fill["Sở Một"],
        "Khá": fill["Sở Bốn"],
        "Trung bình": fill["Sở Năm"],
        "Yếu": fill["Sở Ba"],
    }


def test_names_are_text_never_markup(assessment):
    """Group, unit and grade names with markup characters come back from the parser as the
    same text: the SVG is well-formed and nothing in it is an element of theirs."""
    criteria = assessment.criteria_set(assessment.groups[0])
    grades = [g.model_copy(update={"name": HOSTILE}) for g in criteria.grades[:1]]
    grades += criteria.grades[1:]
    svg_text = ranking_svg(
        result(assessment, [(HOSTILE, "90", HOSTILE)], grades=grades), assessment
    )
    svg = ET.fromstring(svg_text)
    assert svg.find(f"{SVG}title").text.startswith(HOSTILE + ":")
    assert f"1. {HOSTILE}" in texts(svg) and HOSTILE in texts(svg)  # the label and the legend
    assert bars(svg)[0][0] == f"{HOSTILE}: 90 ({HOSTILE})"
    assert not [e for e in svg.iter() if e.tag.endswith("script")]
