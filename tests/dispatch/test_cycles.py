import pytest
from django.core.exceptions import ValidationError

from tongtui.core.errors import Forbidden
from tongtui.dispatch import actions_cycles
from tongtui.dispatch.cycles import TaskKey, cycles_for
from tongtui.dispatch.models import DueKind, Frequency, ReportCycle, Weekday
from tongtui.plans.models import Category


def key(task):
    return TaskKey(task.pk, task.category_id, task.plan_id)


def test_the_plans_cycle_applies_to_every_task(cast):
    cycle = actions_cycles.set_report_cycle(by=cast.user("office"), plan=cast.plan, day_of_month=25)
    assert cycles_for([key(cast.task_a), key(cast.task_c)]) == {cast.task_a.pk: cycle, cast.task_c.pk: cycle}


def test_the_most_specific_cycle_wins(cast, django_assert_num_queries):
    office = cast.user("office")
    actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
    by_category = actions_cycles.set_report_cycle(
        by=office,
        plan=cast.plan,
        category=cast.category,
        frequency=Frequency.QUARTERLY,
        day_of_month=20,
    )
    by_task = actions_cycles.set_report_cycle(
        by=office,
        plan=cast.plan,
        task=cast.task_a,
        frequency=Frequency.WEEKLY,
        due_kind=DueKind.WEEKDAY,
        weekday=Weekday.FRIDAY,
    )
    with django_assert_num_queries(1):
        found = cycles_for([key(cast.task_a), key(cast.task_c)])
    assert found == {cast.task_a.pk: by_task, cast.task_c.pk: by_category}


def test_a_task_with_no_cycle_anywhere_has_none(cast):
    assert cycles_for([key(cast.task_a)]) == {}


def test_setting_a_cycle_twice_changes_the_same_row(cast):
    office = cast.user("office")
    first = actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
    second = actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=20)
    assert first.pk == second.pk
    assert ReportCycle.objects.get().day_of_month == 20
    assert ReportCycle.history.count() == 2


def test_it_refuses_a_weekday_for_a_monthly_cycle(cast):
    with pytest.raises(ValidationError) as exc:
        actions_cycles.set_report_cycle(
            by=cast.user("office"), plan=cast.plan, due_kind=DueKind.WEEKDAY, weekday=Weekday.FRIDAY
        )
    assert "due_kind" in exc.value.message_dict


def test_it_refuses_a_category_of_another_plan(cast):
    from tongtui.plans.models import Plan

    other = Category.objects.create(plan=Plan.objects.create(year=2025, title="2025"), name="民生保障")
    with pytest.raises(ValidationError) as exc:
        actions_cycles.set_report_cycle(
            by=cast.user("office"), plan=cast.plan, category=other, day_of_month=25
        )
    assert "category" in exc.value.message_dict


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a"])
def test_only_the_office_sets_cycles(cast, who):
    with pytest.raises(Forbidden):
        actions_cycles.set_report_cycle(by=cast.user(who), plan=cast.plan, day_of_month=25)


def test_the_leader_is_not_told_before_the_head(cast):
    with pytest.raises(ValidationError):
        actions_cycles.set_reminder_policy(
            cast.plan, by=cast.user("office"), escalate_to_head_after=5, escalate_to_leader_after=3
        )
    policy = actions_cycles.set_reminder_policy(cast.plan, by=cast.user("office"), max_per_period=3)
    assert policy.max_per_period == 3 and policy.days_before == 2
