"""The scope checked on one row read by its key (`may_see_task`, `get_report_to_act_on`) is the scope of the
lists (`tasks_visible_to`, `reports_visible_to`), for every kind of user and task."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404

from tongtui.dispatch.access import get_report_to_act_on, reports_visible_to
from tongtui.dispatch.models import ProgressReport
from tongtui.orgs.models import Membership, Person, Role, Unit
from tongtui.plans.access import may_see_task, tasks_visible_to
from tongtui.plans.models import CoUnit, Task


@pytest.fixture
def everyone(cast):
    """The cast, a co-unit's liaison, a person in two units, a login with no person, a superuser; a task with
    no lead unit and one led by a unit nobody here belongs to, each with a report."""
    User = get_user_model()
    liaison_c = Person.objects.create(user=User.objects.create_user("liaison_c"), name="钱联络", unit=cast.unit_c)
    Membership.objects.create(person=liaison_c, unit=cast.unit_c, role=Role.LIAISON)
    both = Person.objects.create(user=User.objects.create_user("both"), name="孙双岗", unit=cast.unit_b)
    Membership.objects.create(person=both, unit=cast.unit_b, role=Role.LIAISON)
    Membership.objects.create(person=both, unit=cast.unit_c, role=Role.UNIT_HEAD)
    other = Unit.objects.create(name="区教育局", kind="department", parent=cast.district)
    orphan = Task.objects.create(plan=cast.plan, code="3", title="无牵头单位的任务", category=cast.category)
    elsewhere = Task.objects.create(plan=cast.plan, code="4", title="他单位牵头", category=cast.category,
                                    lead_unit=other)  # fmt: skip
    CoUnit.objects.create(task=elsewhere, unit=cast.unit_b)
    tasks = [cast.task_a, cast.task_c, orphan, elsewhere]
    for task in tasks:
        ProgressReport.objects.create(task=task, unit=task.lead_unit or other, period_start=datetime.date(2026, 3, 1),
                                      period_end=datetime.date(2026, 3, 31))  # fmt: skip
    users = [cast.user(w) for w in ("office", "leader", "head_a", "liaison_a", "liaison_b")]
    users += [liaison_c.user, both.user, User.objects.create_user("nobody")]
    users.append(User.objects.create_superuser("root", "root@t.cn", "pw"))
    return users, tasks


def test_one_task_is_seen_exactly_when_the_list_shows_it(everyone):
    users, tasks = everyone
    seen_somewhere = 0
    for user in users:
        listed = set(tasks_visible_to(user).values_list("pk", flat=True))
        for task in Task.objects.filter(pk__in=[t.pk for t in tasks]):
            assert may_see_task(user, task) == (task.pk in listed), (user.username, task.code)
            seen_somewhere += task.pk in listed
    assert 0 < seen_somewhere < len(users) * len(tasks)  # some seen, some hidden


def test_a_step_finds_a_report_exactly_when_the_list_shows_it(everyone):
    users, _ = everyone
    for user in users:
        listed = set(reports_visible_to(user).values_list("pk", flat=True))
        for report in ProgressReport.objects.all():
            try:
                found = get_report_to_act_on(user, report.pk)
            except Http404:
                assert report.pk not in listed, (user.username, report.task.code)
            else:
                assert report.pk in listed and found.pk == report.pk, (user.username, report.task.code)
                assert found.task.pk == report.task_id  # read with its task


@pytest.mark.parametrize("key", [10**9, 2**70, "x", "12.5", None, -1])
def test_a_missing_or_malformed_key_is_404(cast, key):
    with pytest.raises(Http404):
        get_report_to_act_on(cast.user("office"), key)
