import datetime
from decimal import Decimal

from tests.dispatch.conftest import APRIL, MARCH
from tongtui.dispatch import actions, due
from tongtui.dispatch.due import CO, LEAD, due_for, period_for
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Task, TaskStatus

D = datetime.date


def keys(items):
    return [(i.task.code, i.period.start, i.role) for i in items]


def test_a_liaison_sees_every_period_due_since_assignment(d):
    items = due_for(d.user("liaison_a"), today=D(2026, 3, 20))
    # January and February are overdue; March (due the 25th) is within the coming week
    assert keys(items) == [("1", D(2026, 1, 1), LEAD), ("1", D(2026, 2, 1), LEAD), ("1", D(2026, 3, 1), LEAD)]
    january = items[0]
    assert january.period.due == D(2026, 1, 23)  # 25 January 2026 is a Sunday
    assert january.is_overdue and january.overdue_workdays > 30
    assert not items[2].is_overdue


def test_a_period_not_yet_close_is_not_listed(d):
    assert [i.period.start for i in due_for(d.user("liaison_a"), today=D(2026, 2, 10))] == [D(2026, 1, 1)]


def test_a_filed_report_leaves_the_list_and_a_draft_or_return_stays(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    items = due_for(d.user("liaison_a"), today=D(2026, 3, 20))
    march = [i for i in items if i.period.start == MARCH.start][0]
    assert march.report_id == report.pk and march.report_status == "draft"
    actions.save_draft(
        report, by=d.user("liaison_a"), version=report.version, progress=Decimal(20), done="开工"
    )
    actions.submit_report(report, by=d.user("liaison_a"))
    assert MARCH.start not in [i.period.start for i in due_for(d.user("liaison_a"), today=D(2026, 3, 20))]
    actions.return_report(report, by=d.user("head_a"), reason="补充")
    assert MARCH.start in [i.period.start for i in due_for(d.user("liaison_a"), today=D(2026, 3, 20))]


def test_a_co_unit_sees_the_lead_units_reports_to_contribute_to(d):
    items = due_for(d.user("liaison_c"), today=D(2026, 3, 20))
    assert ("1", D(2026, 3, 1), CO) in keys(items)
    assert ("2", D(2026, 3, 1), LEAD) in keys(items)  # unit C leads task_c
    actions.add_contribution(d.task_a, MARCH, by=d.user("liaison_c"), text="配合完成")
    march = [
        i
        for i in due_for(d.user("liaison_c"), today=D(2026, 3, 20))
        if i.task == d.task_a and i.period.start == MARCH.start
    ][0]
    assert march.contributed


def test_people_without_a_unit_role_have_nothing_due(d):
    assert due_for(d.user("office"), today=D(2026, 3, 20)) == []
    assert due_for(d.user("leader"), today=D(2026, 3, 20)) == []
    assert due_for(d.user("liaison_b"), today=D(2026, 3, 20)) == []


def test_tasks_not_assigned_closed_or_with_sub_tasks_are_not_due(d):
    Task.objects.filter(pk=d.task_c.pk).update(status=TaskStatus.CLOSED)
    plan_actions.create_task(
        by=d.user("office"), plan=d.plan, code="1.1", title="子任务", parent=d.task_a, lead_unit=d.unit_a
    )
    assert due_for(d.user("liaison_c"), today=D(2026, 3, 20)) == []
    assert (
        due_for(d.user("liaison_a"), today=D(2026, 3, 20)) == []
    )  # task 1 is now reported through 1.1 (draft)


def test_the_task_cycle_wins_over_the_plans(d):
    from tongtui.dispatch import actions_cycles

    actions_cycles.set_report_cycle(
        by=d.user("office"),
        plan=d.plan,
        task=d.task_a,
        frequency="quarterly",
        day_of_month=10,
        starts_on=D(2026, 1, 1),
    )
    items = due_for(d.user("liaison_a"), today=D(2026, 4, 8))
    assert [(i.period.start, i.period.due) for i in items] == [(D(2026, 1, 1), D(2026, 3, 10))]


def test_the_due_list_takes_a_fixed_number_of_queries(d, django_assert_max_num_queries):
    for n in range(3, 13):
        task = plan_actions.create_task(
            by=d.user("office"),
            plan=d.plan,
            code=str(n),
            title=f"任务{n}",
            lead_unit=d.unit_a,
            leader=d.leader,
            owner=d.owner,
        )
        plan_actions.assign_task(task, by=d.user("office"))
    user = d.user("liaison_a")
    due_for(user, today=D(2026, 12, 20))
    user = type(user).objects.get(pk=user.pk)  # fresh: no cached roles
    with django_assert_max_num_queries(7):
        items = due_for(user, today=D(2026, 12, 20))
    assert len(items) > 20


def test_period_for_finds_the_period_and_refuses_a_wrong_start(d):
    assert period_for(d.task_a, APRIL.start) == APRIL
    import pytest

    from tongtui.core.errors import ActionError

    with pytest.raises(ActionError):
        period_for(d.task_a, D(2026, 4, 2))


def test_outstanding_ignores_tasks_without_a_cycle(d):
    d.cycle.delete()
    assert due.outstanding([d.task_a], D(2026, 6, 1)) == []


def test_the_offices_late_pile_reads_the_years_reports_as_keys(d):
    """The office's home counts every unfiled period of the year: filed reports are read as keys only (no texts,
    no join, no sort), and a draft still counts as late."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tongtui.core.workdays import calendar
    from tongtui.dispatch.waiting import late_reports_by_unit

    liaison = d.user("liaison_a")
    march = actions.start_or_get_draft(d.task_a, MARCH, by=liaison)
    actions.save_draft(march, by=liaison, version=march.version, progress=Decimal(20), done="开工")
    actions.submit_report(march, by=liaison)
    actions.start_or_get_draft(d.task_a, APRIL, by=liaison)  # a draft: still late once April's day has passed
    with CaptureQueriesContext(connection) as ctx:
        pile = late_reports_by_unit(D(2026, 5, 20), calendar())
    late = {row["unit"]: row["count"] for row in pile.rows}
    assert late[d.unit_a.label] == 3  # January, February and April; March is filed, May not yet due
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "dispatch_progressreport"' in q["sql"]]
    keys_read = reads[0]
    assert "JOIN" not in keys_read and "ORDER BY" not in keys_read and '"done"' not in keys_read
    assert len(reads) == 2  # the keys, then the one draft read whole
