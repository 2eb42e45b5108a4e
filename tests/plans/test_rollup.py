from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from tongtui.plans.rollup import weighted_progress


def test_it_weighs_children():
    assert weighted_progress([(D(3), D(100)), (D(1), D(20))]) == D("80.00")


def test_nothing_to_weigh_gives_none():
    assert weighted_progress([]) is None


def test_all_zero_weights_count_equally():
    assert weighted_progress([(D(0), D(10)), (D(0), D(30))]) == D("20.00")


@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 100)), min_size=1, max_size=20))
def test_result_lies_between_the_children(pairs):
    result = weighted_progress([(D(w), D(p)) for w, p in pairs])
    weighted = [p for w, p in pairs if w] or [p for _, p in pairs]
    assert min(weighted) - D("0.01") <= result <= max(weighted) + D("0.01")
