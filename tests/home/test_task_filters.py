"""The task list's filters behind the homes' and the cockpit's links: overdue (逾期), milestones overdue or due
this week; an empty status choice is "all", not an error."""

import datetime

from django.utils import timezone

from tongtui.plans.filters import week_of
from tongtui.plans.models import Milestone, Task, TaskStatus

URL = "/tasks/"


def codes(response) -> list[str]:
    assert response.status_code == 200
    return sorted(t.code for t in response.context["page"].object_list)


def test_an_empty_status_is_no_filter_and_no_error(cast):
    c = cast.client("office")
    response = c.get(URL, {"plan": cast.plan.pk, "status": "", "category": ""})
    assert 'id="filter-errors"' not in response.content.decode()
    assert codes(response) == ["1", "2"]


def test_a_real_status_still_filters_and_a_wrong_one_is_reported(cast):
    c = cast.client("office")
    assert codes(c.get(URL, {"plan": cast.plan.pk, "status": ["", "closed"]})) == []
    assert 'id="filter-errors"' in c.get(URL, {"plan": cast.plan.pk, "status": "nonsense"}).content.decode()


def test_overdue_means_open_and_past_its_due_date(cast):
    today = timezone.localdate()
    Task.objects.filter(pk=cast.task_a.pk).update(due=today - datetime.timedelta(days=1))
    Task.objects.filter(pk=cast.task_c.pk).update(
        due=today - datetime.timedelta(days=1), status=TaskStatus.CLOSED
    )
    c = cast.client("office")
    assert codes(c.get(URL, {"plan": cast.plan.pk, "overdue": "true"})) == ["1"]
    assert codes(c.get(URL, {"plan": cast.plan.pk, "overdue": "false"})) == ["2"]


def test_milestone_filters_find_overdue_and_this_weeks_open_milestones(cast):
    today = timezone.localdate()
    monday, sunday = week_of(today)
    Milestone.objects.create(
        task=cast.task_a, title="逾期节点", due=monday - datetime.timedelta(days=3), planned_progress=50
    )
    Milestone.objects.create(task=cast.task_c, title="本周节点", due=sunday, planned_progress=50)
    Milestone.objects.create(task=cast.task_c, title="已完成", due=monday - datetime.timedelta(days=3),
                             done_on=monday, planned_progress=50)  # fmt: skip
    c = cast.client("office")
    assert codes(c.get(URL, {"plan": cast.plan.pk, "milestone": "overdue"})) == ["1"]
    assert codes(c.get(URL, {"plan": cast.plan.pk, "milestone": "week"})) == ["2"]


def test_the_api_takes_the_same_filters(cast):
    today = timezone.localdate()
    Task.objects.filter(pk=cast.task_a.pk).update(due=today - datetime.timedelta(days=1))
    response = cast.client("office").get("/api/tasks/", {"plan": cast.plan.pk, "overdue": "true"})
    assert response.status_code == 200
    assert [t["code"] for t in response.json()["results"]] == ["1"]


def test_week_of_runs_monday_to_sunday():
    assert week_of(datetime.date(2026, 12, 6)) == (datetime.date(2026, 11, 30), datetime.date(2026, 12, 6))
    assert week_of(datetime.date(2026, 11, 30)) == (datetime.date(2026, 11, 30), datetime.date(2026, 12, 6))


def test_the_filter_bar_offers_the_new_filters(cast):
    html = cast.client("liaison_a").get(URL).content.decode()
    assert 'name="overdue"' in html and 'name="milestone"' in html
