from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reportgen.config import Grade, TieBreak
from reportgen.judge.rank import order, rank_all, shared_ranks
from reportgen.judge.score import Submission, grade_for, total_of

BANDS = [
    Grade(name="Tốt", min=Decimal(80)),
    Grade(name="Khá", min=Decimal(65)),
    Grade(name="Trung bình", min=Decimal(50)),
    Grade(name="Yếu", min=Decimal(0)),
]


def test_grade_at_band_edges():
    assert grade_for(Decimal("80"), BANDS) == "Tốt"
    assert grade_for(Decimal("79.99"), BANDS) == "Khá"
    assert grade_for(Decimal("65"), BANDS) == "Khá"
    assert grade_for(Decimal("49.99"), BANDS) == "Yếu"
    assert grade_for(Decimal("0"), BANDS) == "Yếu"


def test_sums_are_exact():
    assert total_of([Decimal("0.1"), Decimal("0.2")]) == Decimal("0.3")
    assert total_of([Decimal("0.1")] * 10) == Decimal("1")


def test_shared_ranks_skip_after_a_tie():
    totals = [Decimal(x) for x in ("90", "89.5", "89.5", "88")]
    assert shared_ranks(totals) == [1, 2, 2, 4]
    assert shared_ranks([Decimal(1)] * 3) == [1, 1, 1]
    assert shared_ranks([]) == []


def test_tie_break_alphabetical_and_input_order():
    subs = [
        Submission("Huyện Hiệp Đức", {"a": Decimal(79)}, 0),
        Submission("Huyện Đại Lộc", {"a": Decimal(79)}, 1),
        Submission("Huyện Duy Xuyên", {"a": Decimal(79)}, 2),
        Submission("Huyện Tam Kỳ", {"a": Decimal(80)}, 3),
    ]
    alpha = [s.unit for s in order(subs, TieBreak.ALPHABETICAL)]
    assert alpha == ["Huyện Tam Kỳ", "Huyện Duy Xuyên", "Huyện Đại Lộc", "Huyện Hiệp Đức"]
    given_order = [s.unit for s in order(subs, TieBreak.INPUT_ORDER)]
    assert given_order == ["Huyện Tam Kỳ", "Huyện Hiệp Đức", "Huyện Đại Lộc", "Huyện Duy Xuyên"]


half_points = st.integers(min_value=0, max_value=20).map(lambda n: Decimal(n) / 2)


@given(st.data())
def test_shuffling_the_input_does_not_change_the_result(assessment, data):
    units = [u.name for g in assessment.groups for u in g.units]
    scores = data.draw(
        st.lists(
            st.tuples(*[half_points] * len(assessment.criteria)),
            min_size=len(units),
            max_size=len(units),
        )
    )
    subs = [
        Submission(u, {c.key: v for c, v in zip(assessment.criteria, s)}, i)
        for i, (u, s) in enumerate(zip(units, scores))
    ]
    shuffled = data.draw(st.permutations(subs))
    shuffled = [Submission(s.unit, s.scores, i) for i, s in enumerate(shuffled)]
    assert rank_all(subs, assessment) == rank_all(shuffled, assessment)
    for result in rank_all(subs, assessment):
        totals = [r.total for r in result.rows]
        assert totals == sorted(totals, reverse=True)
    # Totals themselves are checked against hand-computed and published values:
    # test_sums_are_exact, test_rank_all_totals_by_hand, tests/test_promises.py.


def test_rank_all_totals_by_hand(assessment):
    keys = [c.key for c in assessment.criteria]  # five criteria in 2019
    subs = [
        Submission("Sở Y tế", dict(zip(keys, map(Decimal, ("9.5", "30.25", "31", "7", "8")))), 0),
        Submission("Sở Nội vụ", dict(zip(keys, map(Decimal, ("10", "33", "28.5", "8", "6")))), 1),
        Submission("Ban Dân tộc", dict(zip(keys, map(Decimal, ("8", "30", "33.5", "6", "8")))), 2),
    ]
    first = rank_all(subs, assessment)[0]
    # 9,5+30,25+31+7+8 = 85,75; 10+33+28,5+8+6 = 85,5; 8+30+33,5+6+8 = 85,5
    assert [(r.unit, r.total) for r in first.rows] == [
        ("Sở Y tế", Decimal("85.75")),
        ("Ban Dân tộc", Decimal("85.5")),  # ties: Vietnamese alphabetical order
        ("Sở Nội vụ", Decimal("85.5")),
    ]


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=2))
def test_grade_never_falls_as_total_rises(totals):
    ladder = [b.name for b in BANDS][::-1]  # Yếu < Trung bình < Khá < Tốt
    levels = [ladder.index(grade_for(t, BANDS)) for t in sorted(totals)]
    assert levels == sorted(levels)
