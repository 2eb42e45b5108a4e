"""待签收: the deadline rule in working days, the list for units and for the office, acknowledging one task
with one click or all of a unit's at once, and who may do what (outsiders get 404)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tongtui.core.workdays import WorkCalendar, calendar
from tongtui.dispatch import actions_requests
from tongtui.dispatch.acknowledging import Deadline, owed
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import CoUnit, Task, TaskStatus

D = datetime.date
CAL = WorkCalendar()
URL = "/acknowledge/"


def client(d, who) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(d.user(who))
    return c


def rows(response) -> list[tuple[int, int]]:
    return [(i.task.pk, i.unit.pk) for i in response.context["items"]]


def due_in(workdays: int) -> datetime.date:
    return calendar().add_workdays(timezone.localdate(), workdays)


# the rule


@pytest.mark.parametrize(
    "today, left, late, label",
    [
        (D(2026, 3, 20), 3, 0, "3 working days left"),  # Friday before a Wednesday deadline
        (D(2026, 3, 24), 1, 0, "1 working day left"),
        (D(2026, 3, 25), 0, 0, "Due today"),
        (D(2026, 3, 26), 0, 1, "1 working day overdue"),
        (D(2026, 3, 30), 0, 3, "3 working days overdue"),  # Thursday, Friday, Monday
    ],
)
def test_the_deadline_counts_working_days(today, left, late, label):
    deadline = Deadline.of(D(2026, 3, 25), today, CAL)
    assert (deadline.left, deadline.late) == (left, late)
    with translation.override("en"):
        assert deadline.label == label


def test_the_national_day_holiday_does_not_count():
    # due Wednesday 30 September 2026; 1–7 October are off: on Thursday 8 October it is one working day late
    assert Deadline.of(D(2026, 9, 30), D(2026, 10, 8), CAL).late == 1


def test_a_day_off_right_after_the_deadline_is_past_it_but_not_yet_a_working_day_late():
    deadline = Deadline.of(D(2026, 3, 27), D(2026, 3, 28), CAL)  # Friday, then Saturday
    assert deadline.passed and deadline.late == 0
    with translation.override("en"):
        assert deadline.label == "Past the deadline"
    assert deadline.css == "text-bg-danger"


def test_a_task_assigned_before_deadlines_were_kept_has_none():
    with translation.override("en"):
        assert Deadline.of(None, D(2026, 3, 28), CAL).label == "No deadline"


# what is owed


def pairs(rows) -> set[tuple[int, int]]:
    return {(row[0], row[1]) for row in rows}


def test_the_lead_and_each_co_unit_owe_their_own_acknowledgement(d):
    assert pairs(owed()) == {
        (d.task_a.pk, d.unit_a.pk),
        (d.task_a.pk, d.unit_c.pk),
        (d.task_c.pk, d.unit_c.pk),
    }
    plan_actions.acknowledge_task(d.task_a, by=d.user("liaison_c"), unit=d.unit_c)
    assert pairs(owed([d.unit_c.pk])) == {(d.task_c.pk, d.unit_c.pk)}


def test_drafts_suspended_tasks_and_closed_plans_owe_nothing(d):
    plan_actions.suspend_task(d.task_a, by=d.user("office"), reason="暂缓")
    assert {task for task, _unit in pairs(owed())} == {d.task_c.pk}
    d.plan.status = "closed"
    d.plan.save()
    assert not owed().exists()


# the page


def test_a_liaison_sees_what_their_unit_must_acknowledge_most_urgent_first(d):
    Task.objects.filter(pk=d.task_a.pk).update(ack_due=due_in(2))
    Task.objects.filter(pk=d.task_c.pk).update(ack_due=due_in(-2))
    response = client(d, "liaison_c").get(URL)
    assert response.status_code == 200
    assert rows(response) == [(d.task_c.pk, d.unit_c.pk), (d.task_a.pk, d.unit_c.pk)]
    first, second = response.context["items"]
    assert first.deadline.late > 0 and first.lead is True
    assert second.deadline.left == 2 and second.lead is False
    page = response.content.decode()
    assert f'data-late="{first.deadline.late}"' in page
    assert first.deadline.label in page and second.deadline.label in page


def test_a_unit_only_sees_its_own(d):
    assert rows(client(d, "liaison_a").get(URL)) == [(d.task_a.pk, d.unit_a.pk)]
    response = client(d, "liaison_b").get(URL)
    assert rows(response) == [] and b'id="nothing-to-acknowledge"' in response.content


def test_a_liaison_acknowledges_with_one_click(d):
    c = client(d, "liaison_c")
    response = c.post(
        reverse("dispatch:acknowledge-one", args=[d.task_c.pk, d.unit_c.pk]), {"next": URL + "?page=1"}
    )
    assert response.status_code == 302 and response.url == URL + "?page=1"
    task = Task.objects.get(pk=d.task_c.pk)
    assert task.status == TaskStatus.ACKNOWLEDGED and task.lead_acknowledged_at is not None
    assert task.history.first().history_user == d.user("liaison_c")
    assert rows(c.get(URL)) == [(d.task_a.pk, d.unit_c.pk)]


def test_acknowledging_twice_is_refused_with_409(d):
    url = reverse("dispatch:acknowledge-one", args=[d.task_a.pk, d.unit_c.pk])
    assert client(d, "liaison_c").post(url).status_code == 302
    assert client(d, "liaison_c").post(url).status_code == 409


def test_acknowledge_all_takes_every_listed_task_after_one_confirmation(d):
    c = client(d, "liaison_c")
    page = c.get(URL)
    all_of = page.context["all_of"]
    assert all_of["unit"] == d.unit_c and sorted(all_of["task_ids"]) == sorted([d.task_a.pk, d.task_c.pk])
    assert b'id="ack-all-confirm"' in page.content
    response = c.post(
        reverse("dispatch:acknowledge-all"), {"unit": d.unit_c.pk, "task": all_of["task_ids"], "next": URL}
    )
    assert response.status_code == 302
    assert CoUnit.objects.get(task=d.task_a, unit=d.unit_c).acknowledged_at is not None
    assert Task.objects.get(pk=d.task_c.pk).status == TaskStatus.ACKNOWLEDGED
    assert rows(c.get(URL)) == []


def test_acknowledge_all_leaves_out_a_task_the_unit_disputes(d):
    actions_requests.ask_lead_change(d.task_c, by=d.user("liaison_c"), reason="不属于本单位职责")
    page = client(d, "liaison_c").get(URL)
    assert page.context["all_of"] is None  # one task left to take at once: its own button does it
    disputed = next(i for i in page.context["items"] if i.task.pk == d.task_c.pk)
    assert disputed.disputed
    client(d, "liaison_c").post(
        reverse("dispatch:acknowledge-all"), {"unit": d.unit_c.pk, "task": [d.task_a.pk, d.task_c.pk]}
    )
    assert Task.objects.get(pk=d.task_c.pk).lead_acknowledged_at is None
    assert CoUnit.objects.get(task=d.task_a, unit=d.unit_c).acknowledged_at is not None


def test_the_office_sees_every_unit_filters_by_one_and_acknowledges_on_its_behalf(d):
    c = client(d, "office")
    everything = c.get(URL)
    assert len(rows(everything)) == 3 and everything.context["all_of"] is None
    one = c.get(URL + f"?unit={d.unit_a.pk}")
    assert rows(one) == [(d.task_a.pk, d.unit_a.pk)]
    assert one.context["all_of"] is None  # a single task has its own button
    assert b"data-acknowledge" in one.content
    two = c.get(URL + f"?unit={d.unit_c.pk}")
    assert two.context["all_of"]["unit"] == d.unit_c and len(two.context["all_of"]["task_ids"]) == 2
    c.post(reverse("dispatch:acknowledge-one", args=[d.task_a.pk, d.unit_a.pk]))
    task = Task.objects.get(pk=d.task_a.pk)
    assert task.lead_acknowledged_at is not None
    assert task.history.first().history_user == d.user("office")  # 代签收, recorded as the office


def test_a_leader_sees_every_unit_but_does_not_acknowledge(d):
    response = client(d, "leader").get(URL)
    assert len(rows(response)) == 3
    assert b"data-acknowledge" not in response.content
    assert response.context["all_of"] is None


@pytest.mark.parametrize("who", ["liaison_b", "leader"])
def test_who_cannot_acknowledge_for_the_unit_is_refused(d, who):
    response = client(d, who).post(reverse("dispatch:acknowledge-one", args=[d.task_a.pk, d.unit_a.pk]))
    assert response.status_code == (404 if who == "liaison_b" else 403)
    assert Task.objects.get(pk=d.task_a.pk).lead_acknowledged_at is None


def test_an_outsider_cannot_acknowledge_all_for_another_unit(d):
    response = client(d, "liaison_b").post(
        reverse("dispatch:acknowledge-all"), {"unit": d.unit_a.pk, "task": [d.task_a.pk]}
    )
    assert response.status_code == 404
    assert Task.objects.get(pk=d.task_a.pk).lead_acknowledged_at is None


def test_a_unit_cannot_slip_in_a_task_it_cannot_see(d):
    client(d, "liaison_a").post(
        reverse("dispatch:acknowledge-all"), {"unit": d.unit_a.pk, "task": [d.task_c.pk, d.task_a.pk]}
    )
    assert Task.objects.get(pk=d.task_a.pk).lead_acknowledged_at is not None
    assert Task.objects.get(pk=d.task_c.pk).lead_acknowledged_at is None


def test_anonymous_gets_the_login_page(d):
    response = client(d, "anonymous").get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def _more_tasks(d, n: int) -> None:
    office = d.user("office")
    for i in range(n):
        task = plan_actions.create_task(
            by=office,
            plan=d.plan,
            code=f"9{i}",
            title=f"补充任务{i}",
            lead_unit=d.unit_c if i % 2 else d.unit_a,
            leader=d.leader,
            owner=d.owner,
            co_units=[d.unit_a] if i % 2 else [d.unit_c],
            due=D(2026, 12, 31),
        )
        plan_actions.assign_task(task, by=office)


@pytest.mark.parametrize("who, query", [("liaison_c", ""), ("office", ""), ("office", "?unit={unit}")])
def test_the_list_takes_the_same_queries_for_3_or_9_rows(d, django_assert_num_queries, who, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client(d, who)
    url = URL + query.format(unit=d.unit_c.pk)
    c.get(url)  # sessions, calendars: warm

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx)

    few = count()
    _more_tasks(d, 6)
    with django_assert_num_queries(few):
        assert c.get(url).status_code == 200


def _counts(d, who) -> str:
    from django.template import Context, Template

    user = d.user(who) if who != "anonymous" else AnonymousUser()
    return Template(
        "{% load dispatch_requests %}{% followup_counts as fc %}{{ fc.to_acknowledge }}/{{ fc.requests_waiting }}"
    ).render(Context({"user": user}))


def test_the_menu_counts_what_waits_for_each_user(d):
    actions_requests.ask_lead_change(d.task_c, by=d.user("liaison_c"), reason="不属于本单位职责")
    assert _counts(d, "liaison_c") == "2/1"
    assert _counts(d, "liaison_a") == "1/0"
    assert _counts(d, "office") == "3/1"
    assert _counts(d, "leader") == "0/0"
    assert _counts(d, "anonymous") == "0/0"
