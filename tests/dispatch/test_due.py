import datetime
from decimal import Decimal

import pytest

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


@pytest.fixture
def varied(d):
    """Tasks on three cycles (the plan's monthly, a category's quarterly, a task's own weekly), started and handed
    out at different times (one a minute before midnight on a month's last day, one a minute after), with filed,
    draft, returned and off-cycle reports."""
    from zoneinfo import ZoneInfo

    from tongtui.dispatch import actions_cycles
    from tongtui.dispatch.models import ProgressReport
    from tongtui.plans.models import Category

    office = d.user("office")
    shanghai = ZoneInfo("Asia/Shanghai")
    quarterly = Category.objects.create(plan=d.plan, name="季度报送", order=2)
    actions_cycles.set_report_cycle(by=office, plan=d.plan, category=quarterly, frequency="quarterly",
                                    due_kind="before_end", workdays_before_end=3)  # fmt: skip
    made = []
    shapes = [  # (unit, category, start, assigned at)
        (d.unit_a, d.category, None, datetime.datetime(2026, 3, 31, 23, 59, tzinfo=shanghai)),
        (d.unit_a, d.category, D(2026, 5, 10), datetime.datetime(2026, 2, 1, 0, 1, tzinfo=shanghai)),
        (d.unit_b, quarterly, None, datetime.datetime(2026, 1, 3, 8, tzinfo=shanghai)),
        (d.unit_b, None, D(2026, 2, 1), None),
        (d.unit_c, quarterly, D(2026, 7, 1), datetime.datetime(2026, 6, 30, 23, 30, tzinfo=shanghai)),
        (d.unit_c, d.category, None, datetime.datetime(2026, 8, 31, 16, 30, tzinfo=datetime.UTC)),  # 1 Sept local
    ]
    for i, (unit, category, start, assigned) in enumerate(shapes):
        task = Task.objects.create(plan=d.plan, code=f"9.{i}", title=f"变化任务{i}", category=category,
                                   lead_unit=unit, leader=d.leader, owner=d.owner, start=start,
                                   due=D(2026, 12, 31))  # fmt: skip
        plan_actions.assign_task(task, by=office)
        Task.objects.filter(pk=task.pk).update(assigned_at=assigned)
        made.append(task)
    actions_cycles.set_report_cycle(by=office, plan=d.plan, task=made[1], frequency="weekly", due_kind="weekday",
                                    weekday=4)  # fmt: skip
    statuses = ["submitted", "accepted", "draft", "returned", "signed_off"]
    for i, task in enumerate([d.task_a, d.task_c, *made]):
        for month in range(1, 11):
            if (i + month) % 3 == 0:
                continue  # a gap: the period stays late
            start = D(2026, month, 1)
            end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            ProgressReport.objects.create(task=task, unit_id=task.lead_unit_id, period_start=start, period_end=end,
                                          due=end, status=statuses[(i * 7 + month) % 5], done="填报")  # fmt: skip
    # a task with every month filed (the count skips it whole), on the same cycle and hand-out day as task_a
    full = Task.objects.create(plan=d.plan, code="9.9", title="按月报送任务", category=d.category, lead_unit=d.unit_c,
                               leader=d.leader, owner=d.owner, due=D(2026, 12, 31))  # fmt: skip
    plan_actions.assign_task(full, by=office)
    Task.objects.filter(pk=full.pk).update(assigned_at=Task.objects.get(pk=d.task_a.pk).assigned_at)
    for month in range(1, 13):
        start = D(2026, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        ProgressReport.objects.create(task=full, unit_id=d.unit_c.pk, period_start=start, period_end=end, due=end,
                                      status=statuses[month % 2], done="填报")  # fmt: skip
    # off-cycle: a filed report for a half month fills no monthly period
    ProgressReport.objects.create(task=d.task_a, unit_id=d.unit_a.pk, period_start=D(2026, 3, 1),
                                  period_end=D(2026, 3, 15), due=D(2026, 3, 15), status="accepted")  # fmt: skip
    return d


@pytest.mark.parametrize(
    "today", [D(2026, 1, 10), D(2026, 3, 25), D(2026, 3, 31), D(2026, 4, 1), D(2026, 7, 15), D(2026, 11, 30)]
)
def test_the_late_count_by_unit_is_what_each_period_says(varied, today):
    """The office's count of late periods by lead unit equals asking, for every task and every period of its cycle
    due before today and ending after the task was started and handed out, whether a filed report exists."""
    from django.utils import timezone

    from tongtui.dispatch.cycles import TaskKey, cycles_for
    from tongtui.dispatch.due import Scheduler, late_by_unit, reportable_tasks
    from tongtui.dispatch.models import FILED, ProgressReport

    expected: dict[int, list[D]] = {}
    scheduler = Scheduler()
    for task in reportable_tasks():
        cycle = cycles_for([TaskKey(task.pk, task.category_id, task.plan_id)]).get(task.pk)
        if cycle is None:
            continue
        handed_out = [day for day in (task.start, task.assigned_at and timezone.localdate(task.assigned_at)) if day]
        for period in scheduler.periods(cycle, task.plan.year):
            if period.due >= today or any(day > period.end for day in handed_out):
                continue
            filed = ProgressReport.objects.filter(task=task, period_start=period.start, period_end=period.end,
                                                  status__in=FILED).exists()  # fmt: skip
            if not filed:
                expected.setdefault(task.lead_unit_id, []).append(period.due)
    got = late_by_unit(reportable_tasks(), today)
    assert got == {unit: (len(dues), min(dues)) for unit, dues in expected.items()}
    if today.month > 3:
        assert got  # the data leaves periods late: the comparison is not of two empty answers


def test_the_offices_late_pile_reads_reports_as_keys(varied):
    """The office's home reads the year's reports as keys (no texts, no join, no sort) and no draft whole."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tongtui.core.workdays import calendar
    from tongtui.dispatch.waiting import late_reports_by_unit

    with CaptureQueriesContext(connection) as ctx:
        pile = late_reports_by_unit(D(2026, 11, 30), calendar())
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "dispatch_progressreport"' in q["sql"]]
    assert len(reads) == 1
    assert "JOIN" not in reads[0] and "ORDER BY" not in reads[0] and '"done"' not in reads[0]
    tasks = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "plans_task"')]
    assert len(tasks) == 1 and '"goal"' not in tasks[0]  # only what the schedule reads of a task
    assert pile.count == sum(row["count"] for row in pile.rows) > 0


@pytest.mark.parametrize("top", [1, 2, 10])
def test_the_offices_pile_shows_the_units_most_late_first_and_counts_them_all(varied, top, monkeypatch):
    """The pile counts every unit's late reports and lists the first units by count, then by the working days
    since their earliest due date, then by name, each linking to its tasks."""
    from tongtui.core.workdays import calendar
    from tongtui.dispatch import waiting
    from tongtui.dispatch.due import Scheduler, late_by_unit, reportable_tasks
    from tongtui.orgs.models import Unit

    monkeypatch.setattr(waiting, "TOP", top)
    today, cal = D(2026, 11, 30), calendar()
    late = late_by_unit(reportable_tasks(), today, Scheduler(cal))
    assert len(late) == 3
    expected = sorted(
        (
            {"unit": Unit.objects.get(pk=u).label, "count": n, "worst": cal.workdays_between(first, today),
             "url": f"/tasks/?lead_unit={u}"}
            for u, (n, first) in late.items()
        ),  # fmt: skip
        key=lambda r: (-r["count"], -r["worst"], r["unit"]),
    )
    pile = waiting.late_reports_by_unit(today, cal)
    assert pile.rows == expected[:top]
    assert pile.count == pile.urgent == sum(n for n, _first in late.values())
