from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tongtui.supervision.signals import trajectory as tr
from tongtui.supervision.signals.trajectory import build_trajectory

from .helpers import D, ms, weekday_axis


def test_without_milestones_the_plan_is_linear_from_start_to_due():
    t = build_trajectory(D(2026, 1, 1), D(2026, 1, 11))
    assert t is not None
    assert t.planned_at(D(2026, 1, 6)) == 50
    assert t.planned_at(D(2026, 1, 11)) == 100
    assert tr.NO_MILESTONES in t.notes


def test_nothing_to_plan_by_gives_none():
    assert build_trajectory(D(2026, 1, 1), None) is None


def test_it_interpolates_between_milestones_and_is_flat_after_the_last():
    t = build_trajectory(D(2026, 1, 1), None, [ms(D(2026, 1, 11), 20), ms(D(2026, 1, 21), 60)])
    assert t is not None
    assert t.planned_at(D(2025, 12, 1)) == 0
    assert t.planned_at(D(2026, 1, 6)) == 10
    assert t.planned_at(D(2026, 1, 16)) == 40
    assert t.planned_at(D(2026, 12, 31)) == 60
    assert tr.ENDS_BELOW_100 in t.notes


def test_the_due_date_after_the_last_milestone_is_the_100_percent_point():
    t = build_trajectory(D(2026, 1, 1), D(2026, 1, 31), [ms(D(2026, 1, 11), 20)])
    assert t is not None
    assert t.dates[-1] == D(2026, 1, 31) and t.final == 100
    assert t.planned_at(D(2026, 1, 21)) == 60


def test_milestones_all_in_the_past_leave_the_plan_at_its_final_value():
    t = build_trajectory(D(2025, 1, 1), None, [ms(D(2025, 3, 1), 50), ms(D(2025, 6, 1), 100)])
    assert t is not None
    assert t.planned_at(D(2026, 5, 1)) == 100
    assert t.finish == D(2025, 6, 1)


def test_unsorted_milestones_are_sorted():
    t = build_trajectory(D(2026, 1, 1), None, [ms(D(2026, 6, 1), 100), ms(D(2026, 3, 1), 40)])
    assert t is not None
    assert t.dates == (D(2026, 1, 1), D(2026, 3, 1), D(2026, 6, 1))
    assert tr.UNSORTED in t.notes


def test_milestones_on_one_date_keep_the_highest_planned_progress():
    t = build_trajectory(D(2026, 1, 1), None, [ms(D(2026, 3, 1), 30), ms(D(2026, 3, 1), 50)])
    assert t is not None
    assert t.ys == (0.0, 50.0)
    assert tr.DUPLICATE_DATES in t.notes


def test_planned_progress_that_goes_down_is_replaced_by_its_running_maximum():
    t = build_trajectory(
        D(2026, 1, 1), None, [ms(D(2026, 3, 1), 60), ms(D(2026, 6, 1), 40), ms(D(2026, 9, 1), 100)]
    )
    assert t is not None
    assert t.ys == (0.0, 60.0, 60.0, 100.0)
    assert tr.NOT_MONOTONE in t.notes


def test_planned_progress_outside_0_to_100_is_clamped():
    t = build_trajectory(D(2026, 1, 1), None, [ms(D(2026, 3, 1), -5), ms(D(2026, 6, 1), 120)])
    assert t is not None
    assert t.ys == (0.0, 0.0, 100.0)
    assert tr.OUT_OF_RANGE in t.notes


def test_a_milestone_without_planned_progress_is_skipped():
    t = build_trajectory(D(2026, 1, 1), D(2026, 12, 31), [ms(D(2026, 3, 1), None)])
    assert t is not None
    assert t.ys == (0.0, 100.0)
    assert tr.NO_PLANNED_PROGRESS in t.notes


def test_a_missing_start_becomes_the_plan_years_first_day():
    t = build_trajectory(None, D(2026, 12, 31), [ms(D(2026, 6, 30), 50)], default_start=D(2026, 1, 1))
    assert t is not None
    assert t.start == D(2026, 1, 1)
    assert tr.MISSING_START in t.notes


def test_a_missing_start_without_a_plan_year_starts_at_the_first_milestone():
    t = build_trajectory(None, None, [ms(D(2026, 3, 1), 30), ms(D(2026, 6, 1), 100)])
    assert t is not None
    assert t.start == D(2026, 3, 1)
    assert t.planned_at(D(2026, 3, 1)) == 30


def test_a_start_after_the_first_milestone_moves_back_to_the_plan_years_first_day():
    t = build_trajectory(D(2026, 5, 1), None, [ms(D(2026, 3, 1), 30)], default_start=D(2026, 1, 1))
    assert t is not None
    assert t.start == D(2026, 1, 1)
    assert tr.START_AFTER_FIRST_POINT in t.notes


def test_a_start_after_the_first_milestone_without_plan_year_moves_to_that_milestone():
    t = build_trajectory(D(2026, 5, 1), None, [ms(D(2026, 3, 1), 30), ms(D(2026, 9, 1), 100)])
    assert t is not None
    assert t.start == D(2026, 3, 1)


def test_due_on_the_start_day_is_a_step_to_100():
    t = build_trajectory(D(2026, 3, 1), D(2026, 3, 1))
    assert t is not None
    assert t.planned_at(D(2026, 2, 28)) == 0
    assert t.planned_at(D(2026, 3, 1)) == 100
    assert t.duration == 0


def test_on_a_working_day_axis_the_plan_does_not_advance_over_a_weekend():
    axis = weekday_axis()
    t = build_trajectory(D(2026, 1, 2), D(2026, 1, 16), axis=axis)  # Fri to Fri: 10 working days
    assert t is not None
    assert t.planned_at(D(2026, 1, 3)) == t.planned_at(D(2026, 1, 4)) == 0
    assert t.planned_at(D(2026, 1, 9)) == 50
    assert t.duration == 10


def test_earned_x_inverts_the_plan():
    t = build_trajectory(D(2026, 1, 1), None, [ms(D(2026, 1, 11), 20), ms(D(2026, 1, 21), 60)])
    assert t is not None
    assert t.earned_x(40) - t.xs[0] == 15
    assert t.earned_x(0) == t.xs[0]
    assert t.earned_x(90) == t.finish_x  # beyond what the plan ever asks: capped at its finish


dates = st.dates(date(2025, 1, 1), date(2027, 12, 31))
milestones = st.lists(
    st.builds(ms, dates, st.one_of(st.none(), st.floats(-50, 150, allow_nan=False))), max_size=8
)


@given(st.one_of(st.none(), dates), st.one_of(st.none(), dates), milestones, dates)
def test_the_plan_never_decreases_and_stays_within_0_and_100(start, due, mss, probe):
    t = build_trajectory(start, due, mss, default_start=D(2025, 1, 1))
    if t is None:
        return
    assert all(a <= b for a, b in zip(t.ys, t.ys[1:], strict=False))
    assert all(a <= b for a, b in zip(t.dates, t.dates[1:], strict=False))
    values = [t.planned_at(probe + timedelta(days=i)) for i in (-1, 0, 1, 30)]
    assert all(0 <= v <= 100 for v in values)
    assert all(a <= b for a, b in zip(values, values[1:], strict=False))


@given(st.one_of(st.none(), dates), st.one_of(st.none(), dates), milestones, st.floats(0, 100))
def test_earned_schedule_never_lies_beyond_the_plans_finish(start, due, mss, progress):
    t = build_trajectory(start, due, mss, default_start=D(2025, 1, 1))
    if t is None:
        return
    x = t.earned_x(progress)
    assert t.xs[0] <= x <= t.finish_x
    if progress <= t.final:
        assert t.planned_at_x(x) >= progress - 1e-6
