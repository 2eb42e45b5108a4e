"""The early warning of milestones that will slip: each rule on a plain year-long task."""

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from tongtui.supervision.signals.facts import TaskFacts
from tongtui.supervision.signals.lights import Light, LightRules, evaluate_light
from tongtui.supervision.signals.trajectory import build_trajectory
from tongtui.supervision.signals.warning import (
    DEFAULT_WARNING_RULES,
    UnitRecord,
    claims,
    milestone_risks,
    needed_progress,
    plain_slip,
    risk_words,
    unit_records,
)

from .helpers import D, ms, rep, weekday_axis

# 2026-01-01 to 2026-12-31, milestones at 25 % per quarter; judged on 16 June, two weeks before the second.
QUARTERS = (
    ms(D(2026, 3, 31), 25, title="完成立项", milestone_id=1),
    ms(D(2026, 6, 30), 50, title="开工建设", milestone_id=2),
    ms(D(2026, 9, 30), 75, title="主体完工", milestone_id=3),
    ms(D(2026, 12, 31), 100, title="竣工验收", milestone_id=4),
)
AS_OF = D(2026, 6, 16)
MONTH_ENDS = [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31)]


def task(progress=(8, 17, 25, 34, 42), texts=(), **kw) -> TaskFacts:
    """Monthly reports filed on the 3rd of the next month; `texts` for the last ones."""
    reports = []
    for i, (end, p) in enumerate(zip(MONTH_ENDS, progress, strict=False)):
        text = texts[i - (len(progress) - len(texts))] if i >= len(progress) - len(texts) else ""
        filed = D(end.year, end.month + 1, 3)
        reports.append(rep(end, p, submitted=filed, text=text, report_id=i + 1, task_id=1, unit_id=7))
    base = TaskFacts(
        task_id=1,
        status="in_progress",
        start=D(2026, 1, 1),
        due=D(2026, 12, 31),
        milestones=QUARTERS,
        reports=tuple(reports),
        default_start=D(2026, 1, 1),
        unit_id=7,
    )
    return replace(base, **kw)


def risk(facts, as_of=AS_OF, **kw):
    (r,) = milestone_risks(facts, as_of, **kw)
    return r


def test_a_task_on_plan_is_expected_on_time():
    r = risk(task())
    assert r.milestone.title == "开工建设"
    assert r.expected_slip <= 0 and not r.at_risk()
    assert r.expected >= r.needed == 50.0


def test_a_task_behind_its_plan_is_expected_late_by_the_pace_it_shows():
    r = risk(task(progress=(6, 12, 18, 24, 30)))  # 6 points a month where the plan asks 8.3
    assert r.at_risk()
    assert 40 < r.expected_slip < 90
    assert r.expected < 50 and r.progress == 30 and r.status_date == D(2026, 5, 31)


def test_an_honest_catch_up_counts_where_the_plain_rule_sees_only_the_slow_start():
    catching_up = task(progress=(3, 6, 10, 24, 40))  # slow, then 14-16 points a month
    r = risk(catching_up)
    assert not r.at_risk()
    assert r.recent_pace is not None and r.recent_pace > 1.2
    assert plain_slip(catching_up, QUARTERS[1], AS_OF) > 5  # at its pace since January, a week late


def test_a_recent_stall_counts_where_the_plain_rule_sees_only_the_good_start():
    stalling = task(progress=(12, 24, 36, 40, 43))  # ahead, then 3-4 points a month
    r = risk(stalling)
    assert r.at_risk()
    assert plain_slip(stalling, QUARTERS[1], AS_OF) <= 0


def test_words_saying_the_work_is_held_up_slow_the_expected_pace():
    quiet = risk(task())
    held_up = risk(task(texts=["受征地拆迁影响,土方开挖进度滞后。"]))
    trouble_ahead = risk(task(texts=["目前施工许可证尚未取得。"]))
    assert held_up.words == ("受征地拆迁影响", "滞后")
    assert trouble_ahead.words == ("尚未",)
    assert quiet.pace > trouble_ahead.pace > held_up.pace
    assert held_up.at_risk() and not quiet.at_risk()


def test_only_the_latest_report_speaks():
    r = risk(task(texts=["受征地拆迁影响,进度滞后。", "征迁问题已解决,全面复工。"]))
    assert r.words == ()


def test_risk_words_and_the_look_alikes_that_deny_a_risk():
    assert risk_words("受连续降雨影响,管网铺设进度滞后。目前用地手续尚未办结,协调难度大。") == (
        ("受连续降雨影响", "滞后"),
        ("尚未", "难度大"),
    )
    harmless = "施工未受降雨影响,尚未发现质量问题,无进度滞后情况。针对前期进度偏慢的情况,增派人员20名。"
    assert risk_words(harmless) == ((), ())


def test_a_unit_reporting_in_round_tens_is_read_half_a_step_further():
    steps = task(progress=(0, 10, 20, 30, 40))
    r = risk(steps)
    assert r.stepped
    assert risk(steps, record=UnitRecord(figures=20, round_figures=6)).stepped is False  # the unit is not
    assert r.expected_slip < risk(task(progress=(1, 11, 21, 31, 40))).expected_slip


def test_a_unit_whose_claims_did_not_hold_is_taken_back_by_the_days_they_hid():
    record = UnitRecord(claims=2, overstated=1, hidden_days=40.0)
    plain = risk(task())
    doubted = risk(task(), record=record)
    assert (
        35 < doubted.discount_days <= 40
    )  # half its claims failed: counted in full (the task is a little ahead)
    assert doubted.at_risk() and not plain.at_risk()
    once_in_ten = risk(task(), record=UnitRecord(claims=10, overstated=1, hidden_days=40.0))
    assert 7 < once_in_ten.discount_days <= 8  # one in ten: a fifth of it


def test_a_task_clearly_ahead_is_not_doubted_for_its_units_record():
    ahead = task(progress=(12, 24, 36, 48, 60))
    r = risk(ahead, record=UnitRecord(claims=2, overstated=2, hidden_days=80.0))
    assert r.discount_days == 0 and not r.at_risk()


def test_an_earlier_milestone_claimed_and_still_not_verified_holds_the_task_back():
    # 25 % was reported for March, yet "完成立项" is not verified 2.5 months on, while the task's milestones are
    # verified (a later one, added here for the test, is done)
    verified = ms(D(2026, 2, 15), 10, done_on=D(2026, 2, 14), milestone_id=9)
    facts = task(milestones=(verified, *QUARTERS))
    r = risk(facts)
    assert r.unverified is not None and r.unverified.title == "完成立项"
    assert r.at_risk()
    assert not risk(task()).at_risk()  # where no milestone is ever verified, "not verified" says nothing


def test_claims_held_failed_and_not_yet_judged():
    q1 = QUARTERS[0]
    held = task(milestones=(replace(q1, done_on=D(2026, 3, 28)),))
    late = task(milestones=(replace(q1, done_on=D(2026, 5, 12)),))
    assert [(c.overstated, c.hidden_days) for c in claims(held, AS_OF)] == [(False, 0)]
    assert [(c.overstated, c.hidden_days) for c in claims(late, AS_OF)] == [(True, 42)]
    unclaimed = task(progress=(8, 16, 22, 30, 40), milestones=(replace(q1, done_on=D(2026, 5, 12)),))
    assert claims(unclaimed, AS_OF) == []  # March said 22 %: no claim, an honest delay
    assert claims(late, D(2026, 4, 5)) == []  # filed on 3 April, not verified yet: too early to say


def test_a_units_record_adds_up_its_tasks():
    q1 = QUARTERS[0]
    tasks = [
        task(task_id=1, milestones=(replace(q1, done_on=D(2026, 5, 12)),)),
        task(task_id=2, milestones=(replace(q1, done_on=D(2026, 3, 20)),)),
        task(
            task_id=3,
            unit_id=8,
            progress=(0, 10, 20, 30, 40),
            milestones=(replace(q1, done_on=D(2026, 4, 2)),),
        ),
    ]
    records = unit_records(tasks, AS_OF)
    assert records[7] == UnitRecord(claims=2, overstated=1, hidden_days=42.0, figures=10, round_figures=0)
    assert records[8].claims == 0 and records[8].stepped(DEFAULT_WARNING_RULES)


def test_a_task_assigned_mid_year_is_measured_from_its_assignment():
    milestones = (ms(D(2026, 8, 31), 40, milestone_id=1), ms(D(2026, 12, 31), 100, milestone_id=2))
    reports = (
        rep(D(2026, 6, 30), 14, submitted=D(2026, 7, 3)),
        rep(D(2026, 7, 31), 27, submitted=D(2026, 8, 3)),
    )
    facts = TaskFacts(
        task_id=5, status="in_progress", start=None, due=D(2026, 12, 31), milestones=milestones,
        reports=reports, default_start=D(2026, 6, 1),
    )  # fmt: skip
    r = risk(facts, D(2026, 8, 17))
    assert not r.at_risk()  # 27 % two months after assignment, 40 % due after three: on plan
    from_january = replace(facts, default_start=D(2026, 1, 1))
    assert risk(from_january, D(2026, 8, 17)).at_risk()  # measured from 1 January it would look far behind


def test_a_milestone_without_planned_progress_needs_where_the_plan_stands_on_its_date():
    no_number = ms(D(2026, 6, 30), None, title="取得施工许可", milestone_id=2)
    milestones = (QUARTERS[0], no_number, *QUARTERS[2:])
    plan = build_trajectory(D(2026, 1, 1), D(2026, 12, 31), milestones)
    assert needed_progress(no_number, plan) == plan.planned_at(D(2026, 6, 30))
    r = risk(task(milestones=milestones))
    assert r.milestone.title == "取得施工许可" and 40 < r.needed < 60


def test_only_milestones_due_within_the_horizon_and_not_done_are_judged():
    assert milestone_risks(task(), D(2026, 5, 1)) == []  # two months ahead
    done = task(milestones=(QUARTERS[0], replace(QUARTERS[1], done_on=D(2026, 6, 10)), *QUARTERS[2:]))
    assert milestone_risks(done, AS_OF) == []
    assert milestone_risks(task(progress=()), AS_OF) == []  # nothing reported: the missed-reports rule's


def test_the_horizon_counts_working_days_on_a_working_day_axis():
    axis = weekday_axis()
    rules = replace(DEFAULT_WARNING_RULES, horizon_days=10)
    assert milestone_risks(task(), D(2026, 6, 16), rules, axis=axis)  # 10 working days before 30 June
    assert milestone_risks(task(), D(2026, 6, 15), rules, axis=axis) == []  # 11


def test_the_plain_rule_is_earned_schedule_on_the_latest_report():
    assert abs(plain_slip(task(), QUARTERS[1], AS_OF)) <= 2  # on plan (SPI about 1)
    half_pace = plain_slip(task(progress=(4, 8, 12, 17, 21)), QUARTERS[1], AS_OF)
    assert 150 < half_pace < 200  # SPI about 0.5: 181 days to earn what was due in 181


@given(st.floats(0, 100), st.floats(0, 100))
def test_more_progress_never_makes_the_expected_slip_worse(p1, p2):
    low, high = sorted((p1, p2))
    worse = risk(task(progress=(8, 17, 25, 34, low)))
    better = risk(task(progress=(8, 17, 25, 34, high)))
    assert better.expected_slip <= worse.expected_slip


# In the light


def test_a_milestone_at_risk_makes_the_light_yellow_and_says_why_in_both_languages():
    result = evaluate_light(task(texts=["目前施工许可证尚未取得。"]), AS_OF)
    assert result.light == Light.YELLOW
    first, words = result.reasons[0], result.reasons[-1]
    assert first.code == "milestone_at_risk"
    assert first.text("zh").startswith("节点“开工建设”(2026-06-30到期)可能逾期:按近期进度,到期时约")
    assert "likely to slip" in first.text("en")
    assert (words.code, words.light) == ("report_risk_words", None)
    assert words.text("zh") == "2026-05-31的报告提到:尚未"


def test_a_milestone_expected_weeks_late_makes_the_light_red_and_days_late_yellow():
    red = evaluate_light(task(progress=(7, 14, 22, 29, 36)), AS_OF)  # about 30 days late
    assert red.light == Light.RED and red.reasons[0].code == "milestone_at_risk"
    yellow = evaluate_light(task(progress=(8, 16, 24, 32, 39)), AS_OF)  # about 14 days late
    assert yellow.light == Light.YELLOW and yellow.reasons[0].code == "milestone_at_risk"


def test_a_slip_expected_months_away_is_told_as_more_than_two_months():
    result = evaluate_light(task(texts=["受征地拆迁影响,土方开挖进度滞后。"]), AS_OF)
    first = result.reasons[0]
    assert result.light == Light.RED and first.code == "milestone_at_risk_far"
    assert first.figures["days"] == 60
    assert first.text("zh").endswith("预计晚60天以上")


def test_a_risk_word_inside_a_longer_one_is_named_once():
    assert risk_words("受征地拆迁协调难度较大影响,进度滞后。") == (("受征地拆迁协调难度较大影响", "滞后"), ())


def test_the_light_names_a_units_claims_that_did_not_hold():
    result = evaluate_light(task(), AS_OF, record=UnitRecord(claims=2, overstated=1, hidden_days=40.0))
    remark = next(r for r in result.reasons if r.code == "claims_not_held")
    assert remark.text("en") == (
        "1 of the 2 milestones the unit reported as reached were not done when verified, on average 40 days later"
    )


def test_the_light_names_a_milestone_claimed_and_not_verified():
    verified = ms(D(2026, 2, 15), 10, done_on=D(2026, 2, 14), milestone_id=9)
    result = evaluate_light(task(milestones=(verified, *QUARTERS)), AS_OF)
    remark = next(r for r in result.reasons if r.code == "claimed_not_verified")
    assert remark.text("zh") == "节点“完成立项”(2026-03-31到期)已报达到,但至今未核实完成"


def test_without_the_early_warning_the_light_keeps_the_plain_due_soon_rule():
    plain = LightRules(early_warning=False)
    behind = task(progress=(6, 12, 18, 24, 30))
    assert evaluate_light(behind, D(2026, 6, 22), plain).reasons[0].code == "behind_plan"
    assert "milestone_at_risk" not in [r.code for r in evaluate_light(behind, AS_OF, plain).reasons]
