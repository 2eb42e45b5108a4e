"""The agenda of a dispatch meeting, built by pure functions (no database)."""

import datetime
from decimal import Decimal

from tongtui.dispatch.agenda import (
    DecisionFact,
    MilestoneFact,
    ProblemFact,
    ReportFact,
    TaskFact,
    at_risk,
    build_agenda,
    late_units,
    off_track,
    overdue_milestones,
    planned_at,
    pressing_problems,
)
from tongtui.dispatch.lights import LightView

D = datetime.date
START = D(2026, 1, 1)
ROADMAP = (
    MilestoneFact("可研批复", D(2026, 3, 31), Decimal(30)),
    MilestoneFact("开工", D(2026, 6, 30), Decimal(60)),
)


def task(code="1", progress=0, milestones=ROADMAP, start=START, light=None):
    return TaskFact(
        1, code, f"任务{code}", "区发改局", Decimal(progress), start, D(2026, 12, 31), milestones, light=light
    )


def lit(colour, *reasons, severity=(0.0,)):
    return LightView(colour, tuple(reasons), severity=severity)


def test_the_plan_is_zero_before_the_start_and_rises_linearly_to_the_first_milestone():
    assert planned_at(D(2025, 12, 1), START, ROADMAP) == 0
    assert planned_at(START, START, ROADMAP) == 0
    assert planned_at(D(2026, 3, 31), START, ROADMAP) == 30
    assert planned_at(D(2026, 2, 15), START, ROADMAP) == Decimal("15.17")  # 30 × 45/89 days


def test_the_plan_interpolates_between_milestones_and_stays_at_the_last():
    assert planned_at(D(2026, 5, 15), START, ROADMAP) == Decimal("44.84")  # 30 + 30 × 45/91 days
    assert planned_at(D(2026, 11, 1), START, ROADMAP) == 60


def test_without_a_start_nothing_is_planned_before_the_first_milestone():
    assert planned_at(D(2026, 3, 1), None, ROADMAP) == 0
    assert planned_at(D(2026, 3, 31), None, ROADMAP) == 30


def test_a_task_without_milestones_has_no_plan():
    assert planned_at(D(2026, 3, 1), START, ()) is None


def test_off_track_means_a_red_light_and_at_risk_a_yellow_one_whatever_the_progress():
    red = task("1", progress=50, light=lit("red", "1个节点逾期未完成"))
    yellow = task("2", progress=0, light=lit("yellow", "节点可能逾期"))
    green = task("3", progress=0, light=lit("green", "按序时推进"))
    unlit = task("4", progress=0)  # no light computed yet: not on the agenda as a lagging task
    tasks = [red, yellow, green, unlit]
    assert [o.task.code for o in off_track(tasks)] == ["1"]
    assert [o.task.code for o in at_risk(tasks)] == ["2"]
    assert off_track(tasks)[0].reasons == ("1个节点逾期未完成",)


def test_the_most_severe_come_first_then_codes_in_natural_order():
    tasks = [
        task("1.10", light=lit("red", "a", severity=(3.0, 1.0, 5.0, 0.0))),
        task("1.2", light=lit("red", "b", severity=(3.0, 1.0, 5.0, 0.0))),
        task("2", light=lit("red", "c", "d", severity=(3.0, 2.0, 1.0, 0.0))),
    ]
    assert [o.task.code for o in off_track(tasks)] == ["2", "1.2", "1.10"]
    # the books' own numbering sorts as the task list sorts it (plans.codes)
    same = dict(severity=(1.0, 1.0, 1.0, 0.0))
    written = [task(code, light=lit("red", "x", **same)) for code in ("十、", "二、", "（三）", "（一）")]
    assert [o.task.code for o in off_track(written)] == ["（一）", "二、", "（三）", "十、"]


def test_overdue_milestones_are_those_due_before_the_day_and_not_done():
    done = (MilestoneFact("可研批复", D(2026, 3, 31), Decimal(30), done_on=D(2026, 3, 30)), ROADMAP[1])
    day = D(2026, 7, 10)
    found = overdue_milestones([task("1"), task("2", milestones=done)], day)
    assert [(o.task.code, o.milestone.title, o.days_late) for o in found] == [
        ("1", "可研批复", 101),
        ("1", "开工", 10),
        ("2", "开工", 10),
    ]
    assert overdue_milestones([task()], D(2026, 3, 31)) == []


def test_lateness_is_counted_by_the_calendar_given():
    def weekdays(a, b):
        return sum(1 for i in range(1, (b - a).days + 1) if (a + datetime.timedelta(i)).weekday() < 5)

    found = overdue_milestones([task()], D(2026, 4, 6), weekdays)  # 31 March (Tue) to 6 April (Mon)
    assert [o.days_late for o in found] == [4]


def test_pressing_problems_are_unanswered_or_past_their_date():
    day = D(2026, 4, 15)
    unanswered = ProblemFact(1, "1", "a", "A", "L", D(2026, 4, 30), answered=False)
    answered_late = ProblemFact(2, "1", "b", "A", "L", D(2026, 4, 1), answered=True)
    answered_in_time = ProblemFact(3, "1", "c", "A", "L", D(2026, 4, 20), answered=True)
    assert pressing_problems([unanswered, answered_late, answered_in_time], day) == [
        answered_late,
        unanswered,
    ]


def test_a_unit_late_in_two_of_its_last_three_periods_is_listed():
    months = [D(2026, m, 28) for m in (1, 2, 3, 4)]
    reports = [
        ReportFact(1, "城关街道", months[0], False),
        ReportFact(1, "城关街道", months[1], True),
        ReportFact(1, "城关街道", months[2], False),
        ReportFact(1, "城关街道", months[3], True),
        ReportFact(2, "区发改局", months[0], True),  # late long ago, on time since
        ReportFact(2, "区发改局", months[1], True),
        ReportFact(2, "区发改局", months[2], False),
        ReportFact(2, "区发改局", months[3], False),
    ]
    assert [(u.unit, u.late_periods, u.periods) for u in late_units(reports)] == [("城关街道", 2, 3)]


def test_one_late_report_among_several_tasks_makes_the_period_late():
    reports = [ReportFact(1, "A", D(2026, m, 28), late) for m in (1, 2) for late in (False, True)]
    assert [(u.unit, u.late_periods) for u in late_units(reports)] == [("A", 2)]


def test_the_agenda_starts_with_open_decisions_by_deadline():
    decisions = [
        DecisionFact(1, 2, "晚", "A", D(2026, 5, 30)),
        DecisionFact(2, 1, "早", "B", D(2026, 4, 30)),
    ]
    agenda = build_agenda(D(2026, 4, 20), tasks=[task(light=lit("red", "x"))], open_decisions=decisions)
    assert [d.text for d in agenda.open_decisions] == ["早", "晚"]
    assert [o.task.code for o in agenda.off_track] == ["1"]
    assert not agenda.is_empty


def test_an_agenda_with_nothing_to_discuss_is_empty():
    agenda = build_agenda(D(2026, 3, 1), tasks=[task(progress=0, light=lit("green", "按序时推进"))])
    assert agenda.is_empty
