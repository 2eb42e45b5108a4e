from tongtui.supervision.signals.facts import IndicatorFact
from tongtui.supervision.signals.flags import FlagKind
from tongtui.supervision.signals.indicators import achievement, indicator_flags

from .helpers import D, rep

JOBS = IndicatorFact(target=1000, baseline=0, name="新增就业人数", indicator_id=3, task_id=9, unit_id=10)


def kinds(flags):
    return [f.kind for f in flags]


def test_plausible_values_raise_no_flag():
    ind = IndicatorFact(target=1000, values=((D(2026, 3, 31), 250), (D(2026, 6, 30), 520)))
    reports = [rep(D(2026, 3, 31), 25), rep(D(2026, 6, 30), 50)]
    assert indicator_flags(ind, reports, D(2026, 7, 10)) == []


def test_a_negative_count_is_out_of_bounds():
    ind = IndicatorFact(target=1000, name="新增就业人数", values=((D(2026, 3, 31), -5),))
    flags = indicator_flags(ind)
    assert kinds(flags) == [FlagKind.INDICATOR_OUT_OF_BOUNDS]
    assert flags[0].text("zh") == "指标“新增就业人数”的数值-5超出合理范围(为负数)"


def test_a_value_many_times_the_target_is_out_of_bounds():
    ind = IndicatorFact(target=1000, name="jobs", values=((D(2026, 3, 31), 3500),))
    flags = indicator_flags(ind)
    assert kinds(flags) == [FlagKind.INDICATOR_OUT_OF_BOUNDS]
    assert (
        flags[0].text("en")
        == "indicator “jobs” value 3500 is outside plausible bounds (more than 3 times the target)"
    )


def test_a_cumulative_value_that_falls_beyond_the_tolerance_is_flagged():
    ind = IndicatorFact(
        target=1000, values=((D(2026, 3, 31), 400), (D(2026, 4, 30), 380), (D(2026, 5, 31), 300))
    )
    flags = indicator_flags(ind)
    assert kinds(flags) == [FlagKind.INDICATOR_DECREASED]
    assert flags[0].period == D(2026, 5, 31) and flags[0].figures["previous"] == 380


def test_a_value_that_may_go_down_is_not_flagged_for_falling():
    ind = IndicatorFact(
        target=10, baseline=50, direction="decrease", values=((D(2026, 3, 31), 40), (D(2026, 4, 30), 30))
    )
    assert indicator_flags(ind) == []


def test_a_value_far_below_the_reported_progress_is_inconsistent():
    ind = IndicatorFact(
        target=1000, name="新增就业人数", values=((D(2026, 3, 31), 150), (D(2026, 6, 30), 200)), task_id=9
    )
    reports = [rep(D(2026, 3, 31), 30), rep(D(2026, 6, 30), 90)]
    flags = indicator_flags(ind, reports, D(2026, 7, 10))
    assert kinds(flags) == [FlagKind.INDICATOR_INCONSISTENT]
    assert flags[0].period == D(2026, 6, 30) and flags[0].task_id == 9
    assert flags[0].text("zh") == "指标“新增就业人数”仅完成目标的20%,而报告进度为90%"


def test_only_the_latest_inconsistency_is_flagged():
    ind = IndicatorFact(target=100, values=((D(2026, 3, 31), 10), (D(2026, 6, 30), 12)))
    reports = [rep(D(2026, 3, 31), 80), rep(D(2026, 6, 30), 90)]
    flags = indicator_flags(ind, reports)
    assert len(flags) == 1 and flags[0].period == D(2026, 6, 30)


def test_values_after_the_evaluation_date_are_ignored():
    ind = IndicatorFact(target=1000, values=((D(2026, 3, 31), 300), (D(2026, 8, 31), -1)))
    assert indicator_flags(ind, as_of=D(2026, 6, 1)) == []


def test_achievement_follows_the_direction():
    assert achievement(IndicatorFact(target=200, baseline=100), 150) == 0.5
    assert achievement(IndicatorFact(target=10, baseline=50, direction="decrease"), 30) == 0.5
    assert achievement(IndicatorFact(target=10, direction="decrease"), 30) is None
    assert achievement(IndicatorFact(target=0, baseline=0), 5) is None


def test_flags_carry_the_indicator_and_its_task():
    ind = IndicatorFact(target=1000, indicator_id=3, task_id=9, unit_id=10, values=((D(2026, 3, 31), -5),))
    f = indicator_flags(ind)[0]
    assert (f.task_id, f.unit_id, f.figures["indicator_id"]) == (9, 10, 3)
