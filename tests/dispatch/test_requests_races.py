"""Decisions on requests, sent several times at once (two clerks, a double click): exactly one goes through,
the others are refused (409 when they find the request decided inside the transaction, 400 when they already
saw it decided), and the task changes once."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.race import at_once, statuses
from tongtui.dispatch import actions_requests as requests
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import ChangeRequest, CoUnit, Milestone, RequestStatus, Task

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/change-requests/"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def api_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def one_wins(codes: list[int], won: int = 200, refused: tuple[int, ...] = (400, 409)) -> bool:
    return codes.count(won) == 1 and all(c in refused for c in codes if c != won)


def test_two_clerks_approving_a_dispute_at_once_change_the_lead_once(d):
    change = requests.ask_lead_change(d.task_a, by=d.user("liaison_a"), reason="不属于本单位职责")
    Token.objects.get_or_create(user=d.user("office"))
    before = Task.objects.get(pk=d.task_a.pk).history.count()
    units = [d.unit_b, d.unit_c]
    responses = at_once(
        2,
        lambda i: api_client(d.user("office")).post(
            f"{URL}{change.pk}/approve/", {"unit": units[i].pk}, format="json"
        ),
    )
    assert one_wins(statuses(responses))
    winner = units[[r.status_code for r in responses].index(200)]
    task = Task.objects.get(pk=d.task_a.pk)
    assert task.lead_unit == winner
    assert task.history.count() == before + 1
    assert ChangeRequest.objects.get(pk=change.pk).status == RequestStatus.APPROVED
    assert change.history.count() == 2  # asked, approved once
    for loser in (r for r in responses if r.status_code != 200):
        assert loser.json()  # a 409 with the reason, or a 400 naming the field when it saw the decision already


def test_approve_and_refuse_at_once_leave_one_decision(d):
    Task.objects.filter(pk=d.task_a.pk).update(due=days(365))
    milestone = plan_actions.add_milestone(
        d.task_a, by=d.user("office"), title="完成立项", due=days(30), planned_progress=Decimal(30)
    )
    change = requests.ask_extension(
        d.task_a, by=d.user("liaison_a"), reason="用地审批延后", proposed_due=days(60), milestone=milestone
    )
    Token.objects.get_or_create(user=d.user("office"))
    paths = [(f"{URL}{change.pk}/approve/", {}), (f"{URL}{change.pk}/refuse/", {"note": "不同意"})]
    responses = at_once(
        2, lambda i: api_client(d.user("office")).post(paths[i][0], paths[i][1], format="json")
    )
    assert one_wins(statuses(responses))
    change.refresh_from_db()
    approved = responses[0].status_code == 200
    assert change.status == (RequestStatus.APPROVED if approved else RequestStatus.REFUSED)
    assert Milestone.objects.get(pk=milestone.pk).due == (days(60) if approved else days(30))


def test_a_withdrawal_and_an_approval_at_once_leave_one_end(d):
    change = requests.ask_lead_change(
        d.task_a, by=d.user("liaison_a"), reason="不属于本单位职责", proposed_unit=d.unit_b
    )
    users = [d.user("office"), d.user("liaison_a")]
    for user in users:
        Token.objects.get_or_create(user=user)
    paths = [f"{URL}{change.pk}/approve/", f"{URL}{change.pk}/withdraw/"]
    responses = at_once(2, lambda i: api_client(users[i]).post(paths[i], {}, format="json"))
    assert one_wins(statuses(responses))
    change.refresh_from_db()
    lead = Task.objects.get(pk=d.task_a.pk).lead_unit
    if change.status == RequestStatus.APPROVED:
        assert lead == d.unit_b
    else:
        assert change.status == RequestStatus.WITHDRAWN and lead == d.unit_a


def test_a_double_clicked_decision_on_the_page_decides_once(d):
    change = requests.ask_lead_change(
        d.task_a, by=d.user("liaison_a"), reason="不属于本单位职责", proposed_unit=d.unit_b
    )
    url = reverse("dispatch:request-step", args=[change.pk, "approve"])
    responses = at_once(3, lambda i: d.client("office").post(url, {"unit": d.unit_b.pk, "keep_old": "co"}))
    assert one_wins(statuses(responses), won=302)
    assert CoUnit.objects.filter(task=d.task_a, unit=d.unit_a).count() == 1
    assert ChangeRequest.objects.get(pk=change.pk).history.count() == 2


def test_a_double_clicked_ask_makes_one_request(d):
    Token.objects.get_or_create(user=d.user("liaison_a"))
    body = {"kind": "lead", "task": d.task_a.pk, "reason": "不属于本单位职责"}
    responses = at_once(3, lambda i: api_client(d.user("liaison_a")).post(URL, body, format="json"))
    assert one_wins(statuses(responses), won=201)
    assert ChangeRequest.objects.count() == 1


def test_a_double_clicked_acknowledgement_on_the_list_acknowledges_once(d):
    url = reverse("dispatch:acknowledge-one", args=[d.task_a.pk, d.unit_a.pk])
    before = Task.objects.get(pk=d.task_a.pk).history.count()
    responses = at_once(3, lambda i: d.client("liaison_a").post(url))
    assert one_wins(statuses(responses), won=302, refused=(400, 409))
    assert Task.objects.get(pk=d.task_a.pk).history.count() == before + 1
