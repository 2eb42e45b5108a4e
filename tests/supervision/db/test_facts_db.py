import datetime
from decimal import Decimal

from django.utils import timezone

from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Milestone, Task
from tongtui.supervision.facts_db import load_facts
from tongtui.supervision.recompute import evaluate

from .conftest import D, at


def facts_of(task, as_of):
    (facts,) = load_facts([task.pk], as_of).facts
    return facts


def test_a_report_submitted_after_as_of_is_ignored(lights):
    task = lights.cast.task_a
    lights.report(task, 3, 40, submitted=D(2026, 3, 26))
    lights.report(task, 4, 60, submitted=D(2026, 4, 27))
    before = facts_of(task, D(2026, 4, 26))
    after = facts_of(task, D(2026, 4, 27))
    assert [r.progress for r in before.reports] == [40.0]
    assert sorted(r.progress for r in after.reports) == [40.0, 60.0]
    _, (result,) = evaluate([task.pk], D(2026, 4, 26))
    assert result.progress == 40.0


def test_drafts_do_not_count_as_reports(lights):
    from tongtui.dispatch import actions as dispatch_actions

    from .conftest import month

    dispatch_actions.start_or_get_draft(lights.cast.task_a, month(3), by=lights.cast.user("liaison_a"))
    assert facts_of(lights.cast.task_a, D(2026, 11, 1)).reports == ()


def test_a_milestone_done_after_as_of_is_not_done_yet(lights):
    Milestone.objects.filter(pk=lights.milestones[0].pk).update(done_on=D(2026, 4, 10))
    assert facts_of(lights.cast.task_a, D(2026, 4, 9)).milestones[0].done_on is None
    assert facts_of(lights.cast.task_a, D(2026, 4, 10)).milestones[0].done_on == D(2026, 4, 10)


def test_a_past_status_comes_from_history(lights):
    task = lights.cast.task_a
    Task.history.filter(id=task.pk).update(history_date=at(D(2026, 1, 5)))
    plan_actions.suspend_task(task, by=lights.cast.user("office"), reason="暂缓实施")
    Task.history.filter(id=task.pk, status="suspended").update(history_date=at(D(2026, 7, 1)))
    assert facts_of(task, D(2026, 6, 30)).status == "assigned"
    assert facts_of(task, D(2026, 7, 1)).status == "suspended"
    _, (then,) = evaluate([task.pk], D(2026, 6, 30))
    _, (now,) = evaluate([task.pk], D(2026, 7, 2))
    assert then.light != "grey"
    assert now.light == "grey" and now.reasons[0].code == "suspended"


def test_a_task_recorded_later_counts_from_its_assignment(lights):
    task = lights.cast.task_a  # assigned on 5 January, but entered into the system on 1 March
    Task.history.filter(id=task.pk).update(history_date=at(D(2026, 3, 1)))
    assert facts_of(task, D(2026, 2, 1)).status == "assigned"
    assert facts_of(task, D(2026, 1, 4)).status == "draft"


def test_cycles_owed_start_with_the_assignment(lights):
    Task.objects.filter(pk=lights.cast.task_a.pk).update(start=None, assigned_at=at(D(2026, 5, 10)))
    cycles = facts_of(lights.cast.task_a, D(2026, 11, 27)).cycles
    assert cycles[0].period_end == D(2026, 5, 31)
    assert all(c.due_on < D(2026, 11, 27) for c in cycles)


def test_a_task_without_a_start_is_measured_from_its_assignment(lights):
    task = lights.cast.task_c  # no milestones, due 31 December
    Task.objects.filter(pk=task.pk).update(start=None, assigned_at=at(D(2026, 12, 6)))
    # its history says the same, recorded that day: whatever the clock says, the task as known on 7 December
    task.history.update(start=None, assigned_at=at(D(2026, 12, 6)), history_date=at(D(2026, 12, 6)))
    assert facts_of(task, D(2026, 12, 7)).default_start == D(2026, 12, 6)
    _, (result,) = evaluate([task.pk], D(2026, 12, 7))
    assert result.light != "red", [r.code for r in result.reasons]
    assert result.planned is not None and result.planned < 10


def test_a_task_assigned_before_its_plan_year_is_measured_from_1_january(lights):
    task = lights.cast.task_c
    Task.objects.filter(pk=task.pk).update(start=None, assigned_at=at(D(2025, 12, 20)))
    assert facts_of(task, D(2026, 3, 1)).default_start == D(2026, 1, 1)


def test_it_loads_many_tasks_in_the_same_few_queries(lights, django_assert_max_num_queries):
    cast = lights.cast
    office = cast.user("office")
    many = [
        plan_actions.create_task(
            by=office, plan=cast.plan, code=f"9.{i}", title=f"任务{i}", lead_unit=cast.unit_a
        )
        for i in range(30)
    ]
    with django_assert_max_num_queries(8):
        loaded = load_facts([t.pk for t in many] + [cast.task_a.pk], D(2026, 6, 1))
    assert len(loaded.facts) == 31


def test_the_assignment_day_stands_in_for_a_missing_start(lights):
    Task.objects.filter(pk=lights.cast.task_a.pk).update(start=None)
    facts = facts_of(lights.cast.task_a, datetime.date(2026, 6, 1))
    assert facts.default_start == D(2026, 1, 5)


def test_the_plan_year_stands_in_for_a_task_never_assigned(lights):
    Task.objects.filter(pk=lights.cast.task_a.pk).update(start=None, assigned_at=None)
    facts = facts_of(lights.cast.task_a, datetime.date(2026, 6, 1))
    assert facts.default_start == D(2026, 1, 1)


def test_a_past_roadmap_comes_from_history(lights):
    cast, office = lights.cast, lights.cast.user("office")
    task = cast.task_a
    Task.history.filter(id=task.pk).update(history_date=at(D(2026, 1, 5)))
    Milestone.history.filter(task_id=task.pk).update(history_date=at(D(2026, 1, 6)))
    plan_actions.update_milestone(lights.milestones[0], by=office, due=D(2026, 4, 30))  # moved in May
    Milestone.history.filter(id=lights.milestones[0].pk, due=D(2026, 4, 30)).update(
        history_date=at(D(2026, 5, 2))
    )
    plan_actions.add_milestone(
        task, by=office, title="追加节点", due=D(2026, 5, 31), planned_progress=Decimal(40)
    )
    plan_actions.delete_milestone(lights.milestones[3], by=office)
    in_april = facts_of(task, D(2026, 4, 1)).milestones
    assert [m.due for m in in_april] == [D(2026, 3, 31), D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 31)]
    now = facts_of(task, timezone.localdate()).milestones
    assert [m.due for m in now] == [D(2026, 4, 30), D(2026, 5, 31), D(2026, 6, 30), D(2026, 9, 30)]


def test_a_task_entered_after_the_fact_keeps_its_roadmap(lights):
    task = lights.cast.task_a  # its history (and its milestones') starts today; assigned on 5 January
    assert len(facts_of(task, D(2026, 4, 1)).milestones) == 4


def test_progress_recorded_on_the_task_counts_as_the_latest_reading(lights):
    task = lights.cast.task_a
    lights.report(task, 3, 40, submitted=D(2026, 3, 26))
    plan_actions.acknowledge_task(task, by=lights.cast.user("liaison_a"))
    plan_actions.record_progress(
        task, by=lights.cast.user("liaison_a"), progress=Decimal(70), on=D(2026, 5, 10)
    )
    facts = facts_of(task, D(2026, 5, 20))
    assert sorted(r.progress for r in facts.reports) == [40.0, 70.0]
    # not before it was recorded, and never for integrity checks, which look at reports alone
    assert [r.progress for r in facts_of(task, D(2026, 5, 9)).reports] == [40.0]
    (only_reports,) = load_facts([task.pk], D(2026, 5, 20), include_recorded=False).facts
    assert [r.progress for r in only_reports.reports] == [40.0]


def test_a_report_newer_than_the_recorded_progress_wins(lights):
    task = lights.cast.task_a
    plan_actions.acknowledge_task(task, by=lights.cast.user("liaison_a"))
    plan_actions.record_progress(
        task, by=lights.cast.user("liaison_a"), progress=Decimal(10), on=D(2026, 2, 10)
    )
    lights.report(task, 3, 40, submitted=D(2026, 3, 26))
    task.refresh_from_db()
    facts = facts_of(task, D(2026, 4, 1))
    assert [r.progress for r in facts.reports] == [40.0]


def test_a_reports_days_are_the_local_days_it_was_submitted_and_edited(lights):
    """Late in the evening in the district is the previous day in UTC: the days are the district's own, as the
    database works them out; a report never changed after submission has no edit day."""
    task = lights.cast.task_a
    evening = lights.report(task, 3, 40, submitted=D(2026, 3, 26))
    plain = lights.report(task, 4, 60, submitted=D(2026, 4, 27))
    type(evening).objects.filter(pk=evening.pk).update(
        first_submitted_at=at(D(2026, 3, 26), hour=23), submitted_at=at(D(2026, 3, 28), hour=7)
    )
    type(plain).objects.filter(pk=plain.pk).update(first_submitted_at=at(D(2026, 4, 27), hour=1))
    type(plain).objects.filter(pk=plain.pk).update(submitted_at=at(D(2026, 4, 27), hour=1))
    facts = facts_of(task, D(2026, 11, 1))
    by_id = {r.report_id: r for r in facts.reports}
    assert (by_id[evening.pk].submitted_at, by_id[evening.pk].edited_at) == (D(2026, 3, 26), D(2026, 3, 28))
    assert (by_id[plain.pk].submitted_at, by_id[plain.pk].edited_at) == (D(2026, 4, 27), None)
    # known on the day of its first submission, not before it
    assert [r.report_id for r in facts_of(task, D(2026, 3, 26)).reports] == [evening.pk]
    assert facts_of(task, D(2026, 3, 25)).reports == ()
