"""Coordination requests through the actions: who asks and answers, the reply date in working days, accept
with a related task, answer, decline with a reason, withdraw; the sweep tells once."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.collaboration.conftest import ask
from tongtui.collaboration import access, actions_requests
from tongtui.collaboration.models import RequestStatus
from tongtui.core.errors import ActionError, Forbidden
from tongtui.notify.models import Notification

D = datetime.date


def test_a_unit_of_the_task_asks_another_unit_by_five_working_days(d):
    req = ask(d)
    assert req.from_unit == d.unit_a and req.reply_by == D(2026, 3, 13)
    assert Notification.objects.filter(recipient=d.user("liaison_c"), kind="coordination").count() == 1


def test_the_units_a_user_may_ask_for_are_theirs_among_the_tasks(d, django_assert_num_queries):
    """The lead unit's and a co-unit's people ask for their own unit; an outsider for none; the office and a
    leader have no unit to ask for, and the task page does not read the task's co-units to say so."""
    task = d.task_a  # led by unit A, with unit C as co-unit
    assert actions_requests.asking_units(d.user("liaison_a"), task) == {d.unit_a.pk}
    assert actions_requests.asking_units(d.user("head_a"), task) == {d.unit_a.pk}
    assert actions_requests.asking_units(d.user("liaison_c"), task) == {d.unit_c.pk}
    assert actions_requests.asking_units(d.user("liaison_b"), task) == set()
    for who in ("office", "leader"):
        user = d.user(who)
        actions_requests.roles_of(user)  # the roles, read once per request
        with django_assert_num_queries(0):
            assert actions_requests.asking_units(user, task) == set()


def test_only_the_task_units_ask_and_never_themselves(d):
    for who in ("liaison_b", "office", "leader"):
        with pytest.raises(Forbidden):
            actions_requests.ask(d.task_a, by=d.user(who), subject="x", to_unit=d.unit_c)
    with pytest.raises(ValidationError):
        ask(d, to_unit=d.unit_a)


def test_a_unit_may_ask_a_leader(d):
    req = ask(d, to_unit=None, to_leader=d.leader)
    assert req.addressee_label.startswith("王副区长")
    actions_requests.answer(req, by=d.user("leader"), text="同意,由财政局保障。")
    assert req.status == RequestStatus.ANSWERED


def test_the_unit_asked_accepts_with_its_task_then_answers(d):
    req = ask(d)
    with pytest.raises(Forbidden):
        actions_requests.accept(req, by=d.user("liaison_a"))
    actions_requests.accept(req, by=d.user("liaison_c"), related_task=d.task_c, note="本周内提供")
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED and req.related_task == d.task_c
    assert Notification.objects.filter(recipient=d.user("liaison_a"), kind="coordination_answered").count() == 1
    actions_requests.answer(req, by=d.user("liaison_c"), text="数据已提供。")
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED
    with pytest.raises(ActionError):
        actions_requests.decline(req, by=d.user("liaison_c"), reason="x")


def test_declining_needs_a_reason(d, en):
    req = ask(d)
    with pytest.raises(ActionError, match="Say why"):
        actions_requests.decline(req, by=d.user("liaison_c"), reason=" ")
    actions_requests.decline(req, by=d.user("liaison_c"), reason="不属于本单位职责")
    assert req.status == RequestStatus.DECLINED and req.decline_reason == "不属于本单位职责"


def test_the_asking_unit_withdraws(d):
    req = ask(d)
    with pytest.raises(Forbidden):
        actions_requests.withdraw(req, by=d.user("liaison_c"))
    actions_requests.withdraw(req, by=d.user("head_a"))
    assert req.status == RequestStatus.WITHDRAWN


def test_who_sees_a_request(d):
    req = ask(d)
    for who in ("office", "leader", "liaison_a", "head_a", "liaison_c"):
        assert access.requests_visible_to(d.user(who)).filter(pk=req.pk).exists(), who
    assert not access.requests_visible_to(d.user("liaison_b")).exists()


def test_the_sweep_tells_once_past_the_reply_date(d):
    late, answered = ask(d), ask(d)
    actions_requests.accept(answered, by=d.user("liaison_c"))
    assert actions_requests.chase_overdue(D(2026, 3, 13)) == 0
    assert actions_requests.chase_overdue(D(2026, 3, 16)) == 1
    assert actions_requests.chase_overdue(D(2026, 3, 17)) == 0
    told = Notification.objects.filter(kind="coordination_overdue")
    assert told.filter(recipient=d.user("office")).count() == 1
    assert told.filter(recipient=d.user("liaison_c")).count() == 1
    assert late.pk != answered.pk
