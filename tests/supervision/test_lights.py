from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from tongtui.supervision.signals.facts import CycleFact, EscalationFact, TaskFacts
from tongtui.supervision.signals.lights import Light, LightRules, count_missed_cycles, evaluate_light

from .helpers import D, ms, rep, weekday_axis

# A year-long task: 2026-01-01 to 2026-12-31, milestones at 25 % per quarter.
QUARTERS = (
    ms(D(2026, 3, 31), 25, title="完成立项"),
    ms(D(2026, 6, 30), 50, title="开工建设"),
    ms(D(2026, 9, 30), 75, title="主体完工"),
    ms(D(2026, 12, 31), 100, title="竣工验收"),
)


def task(**kw) -> TaskFacts:
    base = TaskFacts(
        task_id=1,
        status="in_progress",
        start=D(2026, 1, 1),
        due=D(2026, 12, 31),
        milestones=QUARTERS,
        default_start=D(2026, 1, 1),
    )
    return replace(base, **kw)


def codes(result):
    return [r.code for r in result.reasons]


def test_a_task_on_plan_is_green_and_says_why():
    facts = task(reports=(rep(D(2026, 3, 31), 25), rep(D(2026, 4, 30), 34)))
    result = evaluate_light(facts, D(2026, 5, 5))
    assert result.light == Light.GREEN
    assert codes(result) == ["on_track"]
    assert result.texts("en") == ["on track (planned 33.2% by now, the unit reports 34%)"]
    assert result.texts("zh")[0].startswith("按序时推进")


def test_well_ahead_of_plan_is_green_ahead():
    facts = task(reports=(rep(D(2026, 4, 30), 60),))
    result = evaluate_light(facts, D(2026, 5, 5))
    assert result.light == Light.GREEN and codes(result) == ["ahead"]


def test_a_closed_task_is_blue():
    result = evaluate_light(task(status="closed", closed_on=D(2026, 10, 1)), D(2026, 11, 1))
    assert result.light == Light.BLUE and codes(result) == ["closed"]


def test_a_task_closed_after_the_evaluation_date_is_judged_as_it_stood():
    facts = task(status="closed", closed_on=D(2026, 10, 1), reports=(rep(D(2026, 3, 31), 25),))
    assert evaluate_light(facts, D(2026, 4, 10)).light == Light.GREEN


def test_draft_suspended_and_cancelled_tasks_are_grey():
    assert evaluate_light(task(status="draft"), D(2026, 5, 1)).reasons[0].code == "not_assigned"
    assert evaluate_light(task(status="suspended"), D(2026, 5, 1)).light == Light.GREY
    assert evaluate_light(task(status="cancelled"), D(2026, 5, 1)).light == Light.GREY


def test_a_task_whose_start_has_not_come_is_grey():
    result = evaluate_light(task(start=D(2026, 7, 1)), D(2026, 5, 1))
    assert result.light == Light.GREY
    assert result.texts("en") == ["not started yet (planned start 2026-07-01)"]


def test_an_overdue_milestone_not_done_is_red():
    facts = task(reports=(rep(D(2026, 3, 31), 20),))
    result = evaluate_light(facts, D(2026, 4, 3))
    assert result.light == Light.RED
    assert result.reasons[0].code == "milestone_overdue"
    assert result.reasons[0].figures["days"] == 3
    assert "“完成立项”(2026-03-31到期)已逾期3天" in result.reasons[0].text("zh")


def test_a_milestone_marked_done_is_not_overdue():
    done = (replace(QUARTERS[0], done_on=D(2026, 3, 30)),) + QUARTERS[1:]
    facts = task(milestones=done, reports=(rep(D(2026, 3, 31), 20),))
    assert "milestone_overdue" not in codes(evaluate_light(facts, D(2026, 4, 3)))


def test_a_milestone_done_only_after_the_evaluation_date_was_still_overdue_then():
    done = (replace(QUARTERS[0], done_on=D(2026, 4, 20)),) + QUARTERS[1:]
    facts = task(milestones=done, reports=(rep(D(2026, 3, 31), 20),))
    assert "milestone_overdue" in codes(evaluate_light(facts, D(2026, 4, 3)))


def test_progress_at_the_milestones_planned_value_meets_it_unless_the_rules_say_otherwise():
    facts = task(reports=(rep(D(2026, 3, 31), 25),))
    assert evaluate_light(facts, D(2026, 4, 3)).light == Light.GREEN
    strict = LightRules(milestone_met_by_progress=False)
    assert evaluate_light(facts, D(2026, 4, 3), strict).light == Light.RED


def test_within_the_grace_days_an_overdue_milestone_is_yellow():
    facts = task(reports=(rep(D(2026, 3, 31), 20),))
    result = evaluate_light(facts, D(2026, 4, 3), LightRules(milestone_overdue_red_days=5))
    assert result.light == Light.YELLOW
    assert result.reasons[0].code == "milestone_overdue_grace"


def test_grace_days_count_working_days_on_a_working_day_axis():
    facts = task(reports=(rep(D(2026, 3, 31), 20),))
    rules = LightRules(milestone_overdue_red_days=3)
    # 2026-03-31 is a Tuesday; Sunday 2026-04-05 is 3 working days later, Monday the 6th is 4
    assert evaluate_light(facts, D(2026, 4, 5), rules, axis=weekday_axis()).light == Light.YELLOW
    assert evaluate_light(facts, D(2026, 4, 6), rules, axis=weekday_axis()).light == Light.RED


# Only the behind-plan bands: no milestone-soon or forecast reasons.
BANDS_ONLY = LightRules(milestone_soon_days=-1, forecast_min_elapsed_share=2)


def linear_task(progress: float) -> TaskFacts:
    return task(milestones=(), reports=(rep(D(2026, 7, 2), progress),))  # plan asks 50 % on 2026-07-02


def test_behind_plan_by_10_to_30_points_inclusive_is_yellow_beyond_30_red():
    for progress, light in [(40.01, Light.GREEN), (40, Light.YELLOW), (20, Light.YELLOW), (19.99, Light.RED)]:
        assert evaluate_light(linear_task(progress), D(2026, 7, 2), BANDS_ONLY).light == light, progress
    red = evaluate_light(linear_task(10), D(2026, 7, 2), BANDS_ONLY)
    assert red.reasons[0].code == "behind_plan"
    assert red.reasons[0].text("zh") == "低于序时进度40个百分点(序时50%,单位报送10%)"


def test_exactly_30_points_behind_is_red_when_the_upper_bound_is_inclusive():
    rules = replace(BANDS_ONLY, red_inclusive=True)
    assert evaluate_light(linear_task(20), D(2026, 7, 2), rules).light == Light.RED
    rules = replace(BANDS_ONLY, yellow_inclusive=False)
    assert evaluate_light(linear_task(40), D(2026, 7, 2), rules).light == Light.GREEN


def test_the_ratio_mode_compares_with_a_share_of_the_planned_progress():
    rules = replace(LightRules.sanya(), milestone_soon_days=-1, forecast_min_elapsed_share=2)
    assert evaluate_light(linear_task(50), D(2026, 7, 2), rules).light == Light.GREEN
    yellow = evaluate_light(linear_task(30), D(2026, 7, 2), rules)  # 40 % short of 50
    assert yellow.light == Light.YELLOW
    assert (
        yellow.reasons[0].text("en")
        == "40% short of the planned progress (planned 50% by now, the unit reports 30%)"
    )
    assert (
        evaluate_light(linear_task(25), D(2026, 7, 2), rules).light == Light.YELLOW
    )  # 50 % short: inclusive
    assert evaluate_light(linear_task(20), D(2026, 7, 2), rules).light == Light.RED


def test_the_elapsed_time_basis_uses_the_share_of_time_gone():
    milestones = (ms(D(2026, 11, 30), 10), ms(D(2026, 12, 31), 100))  # a back-loaded plan
    facts = task(milestones=milestones, reports=(rep(D(2026, 7, 2), 19),))
    by_plan = evaluate_light(facts, D(2026, 7, 2))
    by_time = evaluate_light(facts, D(2026, 7, 2), LightRules(planned_basis="elapsed_time"))
    assert by_plan.light == Light.GREEN
    assert by_time.light == Light.RED and by_time.planned == 50.0


def test_a_forecast_slip_beyond_the_tolerance_is_red():
    rules = replace(BANDS_ONLY, forecast_min_elapsed_share=0.5)
    result = evaluate_light(linear_task(35), D(2026, 7, 2), rules)  # SPI 0.7: about 156 days late
    assert result.light == Light.RED
    assert result.reasons[0].code == "forecast_slip"
    assert result.reasons[0].text("en") == "at the current pace this finishes about 156 days late"


def test_a_smaller_forecast_slip_is_yellow():
    rules = replace(BANDS_ONLY, forecast_min_elapsed_share=0.5)
    result = evaluate_light(
        linear_task(45), D(2026, 7, 2), rules
    )  # about 40 days late: over 10 % of the year
    assert result.light == Light.YELLOW and result.reasons[0].code == "forecast_slip"
    assert evaluate_light(linear_task(48), D(2026, 7, 2), rules).light == Light.GREEN


def test_early_in_a_task_the_forecast_does_not_colour_the_light():
    rules = replace(BANDS_ONLY, forecast_min_elapsed_share=0.5)
    early = task(milestones=(), reports=(rep(D(2026, 3, 1), 5),))  # SPI about 0.3 after two months
    assert "forecast_slip" not in codes(evaluate_light(early, D(2026, 3, 1), rules))


def test_the_forecast_tolerance_counts_working_days_on_a_working_day_axis():
    rules = replace(BANDS_ONLY, forecast_min_elapsed_share=0.5)
    result = evaluate_light(linear_task(35), D(2026, 7, 2), rules, axis=weekday_axis())
    assert "working days late" in result.reasons[0].text("en")


def test_no_report_for_two_cycles_is_red_and_one_is_yellow():
    cycles = tuple(CycleFact(D(2026, m, 28), D(2026, m + 1, 5)) for m in range(1, 6))
    reports = (rep(D(2026, 1, 28), 8), rep(D(2026, 2, 28), 16))
    one = evaluate_light(task(cycles=cycles, reports=reports), D(2026, 4, 10))
    assert [r.light for r in one.reasons if r.code == "missed_reports"] == [Light.YELLOW]
    two = evaluate_light(task(cycles=cycles, reports=reports), D(2026, 5, 10))
    assert [r.light for r in two.reasons if r.code == "missed_reports"] == [Light.RED]
    assert two.light == Light.RED


def test_missed_cycles_counted_elsewhere_are_taken_as_given():
    result = evaluate_light(task(missed_cycles=3, reports=(rep(D(2026, 4, 30), 34),)), D(2026, 5, 5))
    assert result.light == Light.RED and result.texts("en")[0] == "no report for 3 cycle(s) in a row"


def test_counting_missed_cycles():
    cycles = [CycleFact(D(2026, m, 28), D(2026, m + 1, 5)) for m in range(1, 6)]
    assert (
        count_missed_cycles(cycles, [], D(2026, 3, 5)) == 1
    )  # only January's was due before the 5th of March
    assert count_missed_cycles(cycles, [], D(2026, 3, 6)) == 2
    late_report = rep(D(2026, 2, 28), 10, submitted=D(2026, 3, 20))
    assert count_missed_cycles(cycles, [late_report], D(2026, 3, 10)) == 2  # not known yet
    assert count_missed_cycles(cycles, [late_report], D(2026, 3, 21)) == 0
    off_day = rep(D(2026, 2, 25), 10)  # a report for a period ending on another day still covers the cycle
    assert count_missed_cycles(cycles, [off_day], D(2026, 3, 31)) == 0


def test_a_milestone_due_soon_that_the_pace_shown_cannot_reach_is_at_risk():
    facts = task(reports=(rep(D(2026, 6, 20), 42),))  # 8 points to go in 10 days at about 0.25 a day
    result = evaluate_light(facts, D(2026, 6, 22))
    assert result.light == Light.RED
    assert result.reasons[0].code == "milestone_at_risk"
    assert result.reasons[0].text("en") == (
        "milestone “开工建设” (due 2026-06-30) is likely to slip: at the recent pace it would be at about 44.4% "
        "on its due date where 50% is needed, about 23 days late"
    )


def test_a_milestone_due_soon_on_plan_is_not_a_warning_although_progress_is_below_its_planned_value():
    # The plain rule (yellow whenever progress is below the milestone's planned value) warned of every
    # milestone of a task on plan in the days before it fell due; the early warning asks whether the pace
    # shown reaches it.
    facts = task(reports=(rep(D(2026, 5, 31), 40), rep(D(2026, 6, 20), 48)))
    assert evaluate_light(facts, D(2026, 6, 22)).light == Light.GREEN
    plain = LightRules(early_warning=False)
    result = evaluate_light(facts, D(2026, 6, 22), plain)
    assert result.light == Light.YELLOW and result.reasons[0].code == "milestone_due_soon"
    assert result.reasons[0].text("en") == (
        "milestone “开工建设” is due on 2026-06-30; the unit reports 48%, below its planned 50%"
    )


def test_an_escalated_problem_unanswered_is_yellow():
    facts = task(
        reports=(rep(D(2026, 4, 30), 34),),
        escalations=(
            EscalationFact(D(2026, 4, 20)),
            EscalationFact(D(2026, 4, 1), answered_on=D(2026, 4, 3)),
        ),
    )
    result = evaluate_light(facts, D(2026, 5, 5))
    assert result.light == Light.YELLOW
    assert result.reasons[0].figures["count"] == 1
    fresh = replace(facts, escalations=(EscalationFact(D(2026, 5, 4)),))
    assert evaluate_light(fresh, D(2026, 5, 5)).light == Light.GREEN


def test_an_answer_given_after_the_evaluation_date_did_not_count_then():
    facts = task(
        reports=(rep(D(2026, 4, 30), 34),), escalations=(EscalationFact(D(2026, 4, 20), D(2026, 5, 20)),)
    )
    assert evaluate_light(facts, D(2026, 5, 5)).light == Light.YELLOW
    assert evaluate_light(facts, D(2026, 5, 21)).light == Light.GREEN


def test_the_worst_reason_wins_and_comes_first():
    facts = task(
        reports=(rep(D(2026, 3, 31), 10),),
        escalations=(EscalationFact(D(2026, 3, 1)),),
    )
    result = evaluate_light(facts, D(2026, 4, 10))
    assert result.light == Light.RED
    levels = [r.light for r in result.reasons]
    assert levels.index(Light.RED) < levels.index(Light.YELLOW)


def test_a_task_past_its_due_date_and_unfinished_is_red():
    facts = task(milestones=(), due=D(2026, 3, 31), reports=(rep(D(2026, 3, 31), 96),))
    result = evaluate_light(facts, D(2026, 4, 15))
    assert result.light == Light.RED
    assert "task_overdue" in codes(result)
    done = task(milestones=(), due=D(2026, 3, 31), reports=(rep(D(2026, 3, 31), 100),))
    assert evaluate_light(done, D(2026, 4, 15)).light == Light.GREEN


def test_with_milestones_all_in_the_past_and_work_unfinished_it_is_red():
    past = (ms(D(2025, 3, 31), 50), ms(D(2025, 6, 30), 100))
    facts = task(start=D(2025, 1, 1), due=D(2025, 6, 30), milestones=past, reports=(rep(D(2026, 3, 31), 70),))
    result = evaluate_light(facts, D(2026, 4, 10))
    assert result.light == Light.RED
    assert {"milestone_overdue", "task_overdue"} <= set(codes(result))


def test_zero_elapsed_time_is_green_and_makes_no_forecast_reason():
    result = evaluate_light(task(), D(2026, 1, 1))
    assert result.light == Light.GREEN
    assert result.forecast is not None and result.forecast.finish is None


def test_progress_going_backwards_is_remarked_without_changing_the_light():
    facts = task(reports=(rep(D(2026, 3, 31), 30), rep(D(2026, 4, 30), 34), rep(D(2026, 5, 31), 33)))
    result = evaluate_light(facts, D(2026, 6, 2))
    assert result.light == Light.GREEN
    assert result.reasons[-1].code == "progress_went_backwards" and result.reasons[-1].light is None
    assert result.reasons[-1].text("zh") == "最近一次报告进度由34%降至33%"


def test_without_milestones_or_due_date_only_the_reports_can_make_it_red():
    facts = task(milestones=(), due=None, reports=(rep(D(2026, 3, 31), 10),))
    assert evaluate_light(facts, D(2026, 5, 1)).light == Light.GREEN
    assert codes(evaluate_light(facts, D(2026, 5, 1))) == ["no_plan_to_compare"]
    red = evaluate_light(replace(facts, missed_cycles=2), D(2026, 5, 1))
    assert red.light == Light.RED and codes(red) == ["missed_reports", "no_plan_to_compare"]


def test_reports_submitted_after_the_evaluation_date_are_ignored():
    facts = task(reports=(rep(D(2026, 3, 31), 26, submitted=D(2026, 4, 20)),))
    assert evaluate_light(facts, D(2026, 4, 10)).light == Light.RED
    assert evaluate_light(facts, D(2026, 4, 21)).light == Light.GREEN


SEVERITY = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


@given(
    st.floats(0, 100),
    st.floats(0, 100),
    st.dates(D(2026, 1, 2), D(2027, 3, 1)),
    st.sampled_from([LightRules(), LightRules.sanya(), LightRules(planned_basis="elapsed_time")]),
)
def test_more_progress_never_makes_the_light_worse(p1, p2, as_of, rules):
    low, high = sorted((p1, p2))
    period = min(as_of, D(2026, 12, 31))
    worse = evaluate_light(task(reports=(rep(period, low),)), as_of, rules)
    better = evaluate_light(task(reports=(rep(period, high),)), as_of, rules)
    assert SEVERITY[better.light] <= SEVERITY[worse.light]
    assert worse.reasons and worse.reasons[0].light == worse.light
