"""Request pages for the whole cast: asking from the task page, the request page with the office's decision
and the unit's withdrawal, the list with its counts, the task page's follow-through panel and dates."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tongtui.dispatch import actions_requests as requests
from tongtui.orgs.models import Post
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import ChangeRequest, Milestone, RequestStatus, Task

INSIDERS = ["office", "leader", "head_a", "liaison_a", "liaison_c"]  # liaison_c: unit C is a co-unit
OUTSIDERS = ["liaison_b"]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def client(d, who) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(d.user(who))
    return c


@pytest.fixture
def r(d):
    Task.objects.filter(pk=d.task_a.pk).update(due=days(365))
    d.task_a.refresh_from_db()
    d.milestone = plan_actions.add_milestone(
        d.task_a, by=d.user("office"), title="完成立项", due=days(30), planned_progress=Decimal(30)
    )
    return d


def dispute(r) -> ChangeRequest:
    return requests.ask_lead_change(
        r.task_a, by=r.user("liaison_a"), reason="不属于本单位职责", proposed_unit=r.unit_b
    )


def extension(r) -> ChangeRequest:
    return requests.ask_extension(
        r.task_a, by=r.user("liaison_a"), reason="用地审批延后", proposed_due=days(60), milestone=r.milestone
    )


def detail(change) -> str:
    return reverse("dispatch:request-detail", args=[change.pk])


def step(change, name) -> str:
    return reverse("dispatch:request-step", args=[change.pk, name])


# asking


def test_a_liaison_asks_for_an_extension_of_a_milestone(r):
    c = client(r, "liaison_a")
    url = reverse("dispatch:request-new") + f"?task={r.task_a.pk}&kind=extension&milestone={r.milestone.pk}"
    page = c.get(url)
    assert page.status_code == 200 and page.context["form"].initial["target"] == str(r.milestone.pk)
    response = c.post(
        reverse("dispatch:request-new"),
        {
            "task": r.task_a.pk,
            "kind": "extension",
            "target": r.milestone.pk,
            "proposed_due": days(45).isoformat(),
            "reason": "用地审批延后",
        },
    )
    change = ChangeRequest.objects.get()
    assert response.status_code == 302 and response.url == detail(change)
    assert (change.milestone, change.proposed_due, change.unit) == (r.milestone, days(45), r.unit_a)


def test_a_head_disputes_the_lead_naming_another_unit(r):
    response = client(r, "head_a").post(
        reverse("dispatch:request-new"),
        {"task": r.task_a.pk, "kind": "lead", "reason": "应由城关街道牵头", "proposed_unit": r.unit_b.pk},
    )
    change = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert (change.kind, change.proposed_unit, change.requested_by) == ("lead", r.unit_b, r.user("head_a"))


def test_a_refused_ask_shows_the_form_again_with_the_reason(r):
    response = client(r, "liaison_a").post(
        reverse("dispatch:request-new"),
        {"task": r.task_a.pk, "kind": "extension", "target": "task", "proposed_due": days(10).isoformat(),
         "reason": "x"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("who", ["liaison_c", "leader", "office", "liaison_b"])
def test_who_may_not_ask_gets_404(r, who):
    url = reverse("dispatch:request-new") + f"?task={r.task_a.pk}&kind=lead"
    assert client(r, who).get(url).status_code == 404
    assert (
        client(r, "liaison_a")
        .get(reverse("dispatch:request-new") + f"?task={r.task_a.pk}&kind=x")
        .status_code
        == 404
    )


# the request page


@pytest.mark.parametrize("who", INSIDERS)
def test_insiders_see_the_request(r, who):
    change = dispute(r)
    response = client(r, who).get(detail(change))
    assert response.status_code == 200 and "不属于本单位职责".encode() in response.content
    assert (b'id="approve-form"' in response.content) == (who == "office")
    assert (b'id="withdraw-form"' in response.content) == (who in ("liaison_a", "head_a"))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404(r, who):
    change = dispute(r)
    c = client(r, who)
    assert c.get(detail(change)).status_code == 404
    assert c.post(step(change, "withdraw")).status_code == 404
    assert c.post(step(change, "approve"), {"unit": r.unit_b.pk, "keep_old": "co"}).status_code == 404
    assert ChangeRequest.objects.get(pk=change.pk).status == RequestStatus.PENDING


def test_anonymous_gets_the_login_page(r):
    change = dispute(r)
    for url in (detail(change), reverse("dispatch:request-list"), "/acknowledge/"):
        response = client(r, "anonymous").get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_office_approves_a_dispute_with_another_lead_and_removes_the_old(r):
    change = dispute(r)
    response = client(r, "office").post(
        step(change, "approve"), {"unit": r.unit_c.pk, "keep_old": "remove", "note": "由区财政局牵头"}
    )
    assert response.status_code == 302
    task = Task.objects.get(pk=r.task_a.pk)
    assert task.lead_unit == r.unit_c and not task.co_unit_links.exists()
    change.refresh_from_db()
    assert (change.status, change.decision_note) == (RequestStatus.APPROVED, "由区财政局牵头")


def test_the_office_approves_an_extension_with_another_date(r):
    change = extension(r)
    client(r, "office").post(step(change, "approve"), {"due": days(50).isoformat(), "note": ""})
    milestone = Milestone.objects.get(pk=r.milestone.pk)
    assert (milestone.due, milestone.original_due) == (days(50), days(30))
    page = client(r, "liaison_a").get(detail(change)).content.decode()
    assert 'id="request-outcome"' in page and f"{days(50):%Y-%m-%d}" in page  # the date granted, not asked


def test_refusing_without_a_reason_is_400_and_with_one_is_done(r):
    change = extension(r)
    c = client(r, "office")
    assert c.post(step(change, "refuse"), {"note": ""}).status_code == 400
    assert c.post(step(change, "refuse"), {"note": "节点不宜后延"}).status_code == 302
    assert ChangeRequest.objects.get(pk=change.pk).status == RequestStatus.REFUSED


def test_a_second_decision_is_refused(r):
    change = extension(r)
    c = client(r, "office")
    c.post(step(change, "refuse"), {"note": "节点不宜后延"})
    assert c.post(step(change, "approve"), {"due": days(50).isoformat()}).status_code == 400
    assert Milestone.objects.get(pk=r.milestone.pk).due == days(30)


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "leader", "liaison_c"])
def test_only_the_office_decides_on_the_page(r, who):
    change = extension(r)
    assert client(r, who).post(step(change, "approve"), {"due": days(50).isoformat()}).status_code == 403


def test_the_unit_withdraws_from_the_task_page_and_comes_back_to_it(r):
    change = dispute(r)
    task_url = reverse("task-detail", args=[r.task_a.pk])
    response = client(r, "liaison_a").post(step(change, "withdraw"), {"next": task_url})
    assert response.status_code == 302 and response.url == task_url
    assert ChangeRequest.objects.get(pk=change.pk).status == RequestStatus.WITHDRAWN
    assert client(r, "liaison_c").post(step(dispute(r), "withdraw")).status_code == 403


def test_an_unknown_step_is_404(r):
    assert client(r, "office").post(step(dispute(r), "delete")).status_code == 404


# the list


def test_the_office_sees_what_waits_with_counts_by_kind(r):
    waiting, other = dispute(r), extension(r)
    requests.refuse_request(other, by=r.user("office"), note="不同意")
    response = client(r, "office").get(reverse("dispatch:request-list"))
    assert response.context["tab"] == "waiting"
    assert list(response.context["page"].object_list) == [waiting]
    assert response.context["counts"] == {"lead": 1, "extension": 0, "all": 1}
    everything = client(r, "office").get(reverse("dispatch:request-list") + "?tab=all&kind=extension")
    assert list(everything.context["page"].object_list) == [other]


def test_a_unit_sees_its_own_requests_and_a_co_unit_sees_a_tasks_requests_from_the_task(r):
    change = dispute(r)
    assert list(client(r, "liaison_a").get(reverse("dispatch:request-list")).context["page"].object_list) == [
        change
    ]
    co = client(r, "liaison_c")
    assert list(co.get(reverse("dispatch:request-list")).context["page"].object_list) == []
    on_task = co.get(reverse("dispatch:request-list") + f"?tab=all&task={r.task_a.pk}")
    assert list(on_task.context["page"].object_list) == [change]
    outsider = client(r, "liaison_b").get(reverse("dispatch:request-list") + f"?tab=all&task={r.task_a.pk}")
    assert list(outsider.context["page"].object_list) == []


@pytest.mark.parametrize("who", ["office", "liaison_a"])
def test_the_list_takes_the_same_queries_for_2_or_8_requests(r, who):
    c = client(r, who)
    url = reverse("dispatch:request-list") + "?tab=all"
    dispute(r)
    extension(r)
    c.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx)

    few = count()
    for i in range(3):
        milestone = plan_actions.add_milestone(
            r.task_a, by=r.user("office"), title=f"节点{i}", due=days(40 + i), planned_progress=Decimal(40)
        )
        change = requests.ask_extension(
            r.task_a, by=r.user("head_a"), reason="x", proposed_due=days(90), milestone=milestone
        )
        requests.refuse_request(change, by=r.user("office"), note="不同意")
        requests.ask_extension(
            r.task_a, by=r.user("liaison_a"), reason="y", proposed_due=days(91), milestone=milestone
        )
    assert count() == few


# the task page


def task_page(r, who):
    response = client(r, who).get(reverse("task-detail", args=[r.task_a.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_task_page_shows_each_units_acknowledgement_and_the_deadline(r):
    plan_actions.acknowledge_task(r.task_a, by=r.user("liaison_c"), unit=r.unit_c)
    page = task_page(r, "liaison_a")
    assert 'id="task-followup"' in page
    assert f'data-unit="{r.unit_a.pk}" data-acknowledged="no"' in page
    assert f'data-unit="{r.unit_c.pk}" data-acknowledged="yes"' in page
    assert "data-deadline" in page
    assert 'id="ask-extension"' in page and 'id="ask-lead-change"' in page


@pytest.mark.parametrize("who", ["liaison_c", "leader", "office"])
def test_only_the_lead_unit_is_offered_to_ask(r, who):
    page = task_page(r, who)
    assert 'id="ask-extension"' not in page and 'id="ask-lead-change"' not in page


def test_a_pending_request_shows_on_the_task_with_its_buttons(r):
    change = dispute(r)
    liaison = task_page(r, "liaison_a")
    assert (
        f'data-request="{change.pk}"' in liaison
        and "data-withdraw" in liaison
        and "data-decide" not in liaison
    )
    office = task_page(r, "office")
    assert "data-decide" in office and "data-withdraw" not in office
    co = task_page(r, "liaison_c")
    assert f'data-request="{change.pk}"' in co and "data-withdraw" not in co


def test_an_extended_date_shows_beside_the_original_on_the_task_and_the_roadmap(r):
    change = extension(r)
    requests.approve_request(change, by=r.user("office"))
    page = task_page(r, "liaison_a")
    assert f"{days(60):%Y-%m-%d}" in page and f"{days(30):%Y-%m-%d}" in page
    assert "data-original-due" in page
    task_change = requests.ask_extension(r.task_a, by=r.user("liaison_a"), reason="x", proposed_due=days(400))
    requests.approve_request(task_change, by=r.user("office"))
    page = task_page(r, "liaison_a")
    assert 'id="task-original-due"' in page and f"{days(365):%Y-%m-%d}" in page


def test_an_unfilled_post_is_said_plainly_and_text_as_written_is_shown(r):
    post = Post.objects.create(unit=r.unit_a, title="负责人")
    Task.objects.filter(pk=r.task_a.pk).update(
        owner=None, owner_post=post, owner_text="区发改局负责人", lead_text="区发改局（牵头）"
    )
    page = task_page(r, "office")
    assert (
        f'data-unfilled-post="{post.pk}"' in page
        and "区发展和改革局" not in page.split("task-owner")[1][:200]
    )
    assert "区发改局负责人" in page and 'id="owner-as-written"' in page
    assert 'id="lead-as-written"' in page and "区发改局（牵头）" in page
    post.holder = r.owner
    post.save()
    assert "data-unfilled-post" not in task_page(r, "office")


def test_a_draft_task_has_no_follow_through_panel(cast):
    page = client(cast, "office").get(reverse("task-detail", args=[cast.task_a.pk])).content.decode()
    assert 'id="task-followup"' not in page


def test_a_suspended_task_shows_no_running_deadline(r):
    plan_actions.suspend_task(r.task_a, by=r.user("office"), reason="暂缓")
    page = task_page(r, "office")
    assert 'id="task-followup"' in page and "data-deadline" not in page
