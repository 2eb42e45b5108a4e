from hypothesis import given
from hypothesis import strategies as st

from tongtui.supervision.signals.forecast import (
    BEYOND_PLAN,
    CAPPED,
    CLAMPED_TO_STATUS_DATE,
    ForecastState,
    earned_schedule,
    forecast_sentence,
    latest_progress,
    verdict,
)
from tongtui.supervision.signals.trajectory import build_trajectory

from .helpers import D, ms, rep, weekday_axis

# 2026-01-01 to 2026-04-11 is 100 calendar days
LINEAR = build_trajectory(D(2026, 1, 1), D(2026, 4, 11))


def test_on_plan_it_finishes_on_time():
    f = earned_schedule(LINEAR, 50, D(2026, 2, 20))
    assert f.state == ForecastState.FORECAST
    assert f.es == 50 and f.at == 50 and f.spi == 1
    assert f.finish == D(2026, 4, 11) and f.slip == 0
    assert forecast_sentence(f, "zh-hans") == "按当前进度,预计按期完成"
    assert forecast_sentence(f, "en") == "at the current pace this finishes on time"


def test_at_half_the_pace_it_takes_twice_as_long():
    f = earned_schedule(LINEAR, 25, D(2026, 2, 20))
    assert f.spi == 0.5
    assert f.finish == D(2026, 7, 20)  # start + 200 days
    assert f.slip == 100
    assert verdict(f) == "late"
    assert forecast_sentence(f, "zh") == "按当前进度,预计比计划晚约100天完成"
    assert forecast_sentence(f, "en") == "at the current pace this finishes about 100 days late"


def test_ahead_of_plan_spi_exceeds_one_and_it_finishes_early():
    f = earned_schedule(LINEAR, 80, D(2026, 2, 20))
    assert f.spi is not None and f.spi > 1
    assert f.slip is not None and f.slip < 0
    assert forecast_sentence(f, "en") == "at the current pace this finishes about 37 days early"


def test_in_working_days_the_sentence_counts_working_days():
    axis = weekday_axis()
    t = build_trajectory(D(2026, 1, 2), D(2026, 3, 13), axis=axis)  # 50 working days
    assert t is not None and t.duration == 50
    f = earned_schedule(t, 40, D(2026, 2, 13))  # 30 working days elapsed, 20 earned
    assert f.at == 30 and f.es == 20
    assert f.slip == 25
    assert f.finish is not None and f.finish.weekday() < 5
    assert forecast_sentence(f, "zh-hans") == "按当前进度,预计比计划晚约25个工作日完成"
    assert forecast_sentence(f, "en") == "at the current pace this finishes about 25 working days late"


def test_one_day_is_singular_in_english():
    f = earned_schedule(LINEAR, 49.5, D(2026, 2, 20))
    assert f.slip == 1
    assert forecast_sentence(f, "en") == "at the current pace this finishes about 1 day late"


def test_a_small_slip_counts_as_on_time_within_the_tolerance():
    f = earned_schedule(LINEAR, 48, D(2026, 2, 20))
    assert verdict(f) == "late"
    assert verdict(f, on_time_days=5) == "on_time"


def test_zero_elapsed_time_cannot_forecast_yet():
    f = earned_schedule(LINEAR, 10, D(2026, 1, 1))
    assert f.state == ForecastState.TOO_EARLY and f.finish is None
    assert forecast_sentence(f, "en") == "just started: cannot forecast yet"


def test_a_status_date_before_the_start_cannot_forecast_either():
    assert earned_schedule(LINEAR, 10, D(2025, 12, 1)).state == ForecastState.TOO_EARLY


def test_zero_progress_is_not_started_and_has_no_forecast():
    f = earned_schedule(LINEAR, 0, D(2026, 3, 1))
    assert f.state == ForecastState.NOT_STARTED and f.finish is None and f.slip is None
    assert earned_schedule(LINEAR, None, D(2026, 3, 1)).state == ForecastState.NOT_STARTED
    assert forecast_sentence(f, "zh") == "尚未报告进展,暂无法预测完成时间"


def test_full_progress_is_finished_and_compared_with_the_due_date():
    f = earned_schedule(LINEAR, 100, D(2026, 4, 30), finished_on=D(2026, 4, 21))
    assert f.state == ForecastState.FINISHED
    assert f.finish == D(2026, 4, 21) and f.slip == 10
    assert forecast_sentence(f, "en") == "finished 10 days late"
    early = earned_schedule(LINEAR, 100, D(2026, 3, 1))
    assert forecast_sentence(early, "zh") == "已完成,比计划提前41天"


def test_no_plan_cannot_forecast():
    f = earned_schedule(None, 40, D(2026, 3, 1))
    assert f.state == ForecastState.NO_PLAN
    assert forecast_sentence(f, "en") == "no milestones and no due date: cannot forecast"


def test_past_the_due_date_the_pace_keeps_falling():
    at_due = earned_schedule(LINEAR, 60, D(2026, 4, 11))
    later = earned_schedule(LINEAR, 60, D(2026, 5, 11))
    assert at_due.spi is not None and later.spi is not None
    assert later.spi < at_due.spi
    assert later.slip is not None and at_due.slip is not None and later.slip > at_due.slip


def test_with_milestones_all_in_the_past_it_still_forecasts():
    t = build_trajectory(D(2025, 1, 1), None, [ms(D(2025, 3, 1), 50), ms(D(2025, 6, 1), 100)])
    f = earned_schedule(t, 50, D(2026, 1, 1))
    assert f.state == ForecastState.FORECAST
    assert f.finish is not None and f.finish > D(2026, 1, 1)
    assert f.target == D(2025, 6, 1)


def test_a_forecast_never_falls_before_the_evaluation_date():
    f = earned_schedule(LINEAR, 99, D(2026, 4, 10), as_of=D(2026, 6, 1))
    assert f.finish == D(2026, 6, 1)
    assert CLAMPED_TO_STATUS_DATE in f.notes


def test_a_step_at_the_start_gives_no_pace():
    t = build_trajectory(D(2026, 1, 1), None, [ms(D(2026, 1, 1), 30), ms(D(2026, 4, 11), 100)])
    f = earned_schedule(t, 20, D(2026, 2, 1))
    assert f.state == ForecastState.NO_PACE
    assert forecast_sentence(f, "en") == "cannot forecast yet"


def test_progress_beyond_a_plan_that_stops_short_is_noted():
    t = build_trajectory(D(2026, 1, 1), None, [ms(D(2026, 4, 11), 60)])
    f = earned_schedule(t, 80, D(2026, 5, 1))
    assert BEYOND_PLAN in f.notes


def test_the_latest_reading_uses_only_reports_known_on_the_date():
    reports = [rep(D(2026, 1, 31), 10), rep(D(2026, 2, 28), 30), rep(D(2026, 3, 31), 50)]
    r = latest_progress(reports, D(2026, 3, 15))
    assert r.progress == 30 and r.on == D(2026, 2, 28)
    assert latest_progress(reports, D(2026, 1, 1)).progress is None


def test_progress_going_backwards_is_read_as_reported_and_noticed():
    reports = [rep(D(2026, 1, 31), 40), rep(D(2026, 2, 28), 30)]
    r = latest_progress(reports, D(2026, 4, 1))
    assert r.progress == 30 and r.previous == 40 and r.went_backwards
    f = earned_schedule(LINEAR, r.progress, r.on or D(2026, 4, 1))
    assert f.es == 30


def test_a_correction_for_the_same_period_wins_and_is_not_a_step_back():
    reports = [rep(D(2026, 1, 31), 40), rep(D(2026, 1, 31), 35, submitted=D(2026, 2, 10))]
    r = latest_progress(reports, D(2026, 4, 1))
    assert r.progress == 35 and not r.went_backwards


def test_the_first_full_report_dates_the_finish():
    reports = [rep(D(2026, 1, 31), 60), rep(D(2026, 2, 28), 100), rep(D(2026, 3, 31), 100)]
    assert latest_progress(reports, D(2026, 4, 10)).first_full_on == D(2026, 2, 28)


@given(st.floats(0.5, 99.5), st.integers(1, 300))
def test_the_forecast_never_finishes_before_the_status_date(progress, elapsed):
    status = D(2026, 1, 1).fromordinal(D(2026, 1, 1).toordinal() + elapsed)
    f = earned_schedule(LINEAR, progress, status)
    assert f.finish is not None and f.finish >= status
    assert f.es is not None and f.es <= f.planned_duration


def test_a_pace_near_zero_is_capped_instead_of_forecasting_decades_ahead():
    axis = weekday_axis()
    t = build_trajectory(D(2026, 1, 1), D(2026, 12, 31), axis=axis)
    f = earned_schedule(t, 0.01, D(2026, 12, 1))
    assert CAPPED in f.notes
    assert f.finish is not None and f.finish.year < 2040
