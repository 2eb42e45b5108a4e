"""Rectification orders, admonitions, accountability, spot checks and integrity flags: each step sent several
times at once (double clicks, two people) goes through once; the others are refused with 409 and a message
(or 400 when they already saw the new state), and history and notifications change once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.dispatch.test_races_reports import api_client, page_client
from tests.plans.test_task_races import one_wins
from tests.race import at_once, statuses
from tongtui.core.errors import ActionError
from tongtui.dispatch.models import Notification
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import TaskStatus
from tongtui.supervision import actions_orders as orders
from tongtui.supervision import actions_spotchecks as checks
from tongtui.supervision.models import (
    AdmonitionStatus,
    CheckResult,
    FlagStatus,
    IntegrityFlag,
    OrderStatus,
    RectificationOrder,
)

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


@pytest.fixture
def order(cast) -> RectificationOrder:
    return orders.issue_order(
        by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, task=cast.task_a, problem="佐证材料不全",
        requirement="补齐佐证材料", workdays=3, issued_on=D(2026, 9, 30),
    )  # fmt: skip


@pytest.fixture
def reported(cast, order) -> RectificationOrder:
    return orders.report_rectification(order, by=cast.user("liaison_a"), text="已补齐材料")


def post_all(cast, who: str, path: str, body: dict | None = None, n: int = 3) -> list:
    clients = [api_client(cast.user(who)) for _ in range(n)]
    return at_once(n, lambda i: clients[i].post(path, body or {}, format="json"))


def told(order: RectificationOrder) -> int:
    return Notification.objects.filter(url=orders.order_url(order)).count()


def losers_say(responses: list, words: str) -> None:
    for loser in (r for r in responses if r.status_code == 409):
        assert words in loser.json()["detail"]


def test_three_rectification_reports_at_once_report_once(cast, order):
    before, sent = order.history.count(), told(order)
    responses = post_all(
        cast, "liaison_a", f"/api/rectification-orders/{order.pk}/report/", {"text": "已整改"}
    )
    assert one_wins(statuses(responses))
    order.refresh_from_db()
    assert order.status == OrderStatus.REPORTED
    assert order.history.count() == before + 1
    assert told(order) == sent + 1  # the office, once
    losers_say(responses, "The rectification has already been reported.")


@pytest.mark.parametrize("passed", [True, False])
def test_three_verifications_at_once_verify_once(cast, reported, passed):
    before, sent = reported.history.count(), told(reported)
    path = f"/api/rectification-orders/{reported.pk}/verify/"
    responses = post_all(cast, "office", path, {"passed": passed, "note": "现场核查"})
    assert one_wins(statuses(responses))
    reported.refresh_from_db()
    assert reported.status == (OrderStatus.PASSED if passed else OrderStatus.NOT_PASSED)
    assert reported.history.count() == before + 1
    assert told(reported) == sent + 2  # the unit's head and liaison, once each


def test_passed_and_not_passed_at_once_leave_one_verdict(cast, reported):
    before, sent = reported.history.count(), told(reported)
    office = [api_client(cast.user("office")), api_client(cast.user("office"))]
    path = f"/api/rectification-orders/{reported.pk}/verify/"
    verdicts = [{"passed": True}, {"passed": False, "note": "仍有缺项"}]
    responses = at_once(2, lambda i: office[i].post(path, verdicts[i], format="json"))
    assert one_wins(statuses(responses))
    reported.refresh_from_db()
    passed = responses[0].status_code == 200
    assert reported.status == (OrderStatus.PASSED if passed else OrderStatus.NOT_PASSED)
    assert reported.history.count() == before + 1
    assert told(reported) == sent + 2
    losers_say(responses, "The rectification has already been verified as")


def test_three_extensions_at_once_extend_once(cast, order):
    before = order.history.count()
    path = f"/api/rectification-orders/{order.pk}/extend/"
    responses = post_all(cast, "office", path, {"workdays": 5, "note": "延期"})
    assert one_wins(statuses(responses))
    order.refresh_from_db()
    assert order.status == OrderStatus.EXTENDED and order.extensions == 1
    assert order.history.count() == before + 1
    losers_say(responses, "The deadline has already been extended.")


def test_an_extended_order_is_extended_again_by_one_who_saw_the_extension(cast, order):
    office = cast.user("office")
    orders.extend_order(order, by=office, workdays=5)
    order.refresh_from_db()
    with pytest.raises(ActionError, match="already been extended"):  # the same again: a second click
        orders.extend_order(order, by=office, workdays=5)
    orders.extend_order(order, by=office, workdays=8)
    order.refresh_from_db()
    assert order.extensions == 2


def test_three_escalations_at_once_escalate_once(cast, order):
    before, sent = order.history.count(), told(order)
    responses = post_all(cast, "office", f"/api/rectification-orders/{order.pk}/escalate/", {"note": "逾期"})
    assert one_wins(statuses(responses))
    order.refresh_from_db()
    assert order.status == OrderStatus.ESCALATED
    assert order.history.count() == before + 1
    assert told(order) == sent + 2  # the task's leader and the unit's head, once each


def test_extend_and_escalate_at_once_leave_one(cast, order):
    before = order.history.count()
    office = [api_client(cast.user("office")), api_client(cast.user("office"))]
    sends = [
        lambda: office[0].post(
            f"/api/rectification-orders/{order.pk}/extend/", {"workdays": 5}, format="json"
        ),
        lambda: office[1].post(
            f"/api/rectification-orders/{order.pk}/escalate/", {"note": "逾期"}, format="json"
        ),
    ]
    responses = at_once(2, lambda i: sends[i]())
    codes = [r.status_code for r in responses]
    order.refresh_from_db()
    if codes[1] == 200:  # escalated: an escalated order is settled, the extension is refused whenever it came
        assert codes[0] in (200, 400, 409)
        assert order.status == OrderStatus.ESCALATED
    else:  # extended first, then the escalation was refused as not seen: never both at once unseen
        assert codes == [200, 409] and order.status == OrderStatus.EXTENDED
    assert order.history.count() == before + codes.count(200)


def test_verification_double_clicked_on_the_page_answers_409(cast, reported):
    url = reverse("supervision:order-detail", args=[reported.pk])
    clients = [page_client(cast.user("office")) for _ in range(2)]
    responses = at_once(2, lambda i: clients[i].post(url, {"step": "verify", "passed": "1", "note": ""}))
    codes = statuses(responses)
    assert codes[0] == 302 and codes[1] in (200, 409)  # 200: the page shown again with the reason (seen)
    loser = next(r for r in responses if r.status_code != 302)
    if loser.status_code == 409:
        assert "The rectification has already been verified as passed." in loser.content.decode()
    assert reported.history.filter(status=OrderStatus.PASSED).count() == 1


# admonitions and accountability


@pytest.fixture
def admonition(cast):
    return orders.schedule_admonition(
        by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, tasks=[cast.task_a], reason="进度滞后",
        scheduled_for=D(2026, 10, 12), talked_by="王副区长", talked_with="区发改局局长",
    )  # fmt: skip


def test_three_talk_records_at_once_are_saved_once(cast, admonition):
    before = admonition.history.count()
    body = {"held_on": "2026-10-12", "record": "约谈记录", "commitments": "月底前赶上进度"}
    responses = post_all(cast, "office", f"/api/admonitions/{admonition.pk}/held/", body)
    assert one_wins(statuses(responses))
    admonition.refresh_from_db()
    assert admonition.status == AdmonitionStatus.HELD
    assert admonition.history.count() == before + 1
    losers_say(responses, "The record of this talk has already been saved.")


def test_three_follow_ups_at_once_are_recorded_once(cast, admonition):
    orders.record_admonition(admonition, by=cast.user("office"), held_on=D(2026, 10, 12), record="记录",
                             commitments="承诺")  # fmt: skip
    admonition.refresh_from_db()
    before = admonition.history.count()
    path = f"/api/admonitions/{admonition.pk}/follow-up/"
    responses = post_all(cast, "office", path, {"follow_up": "已按期赶上"})
    assert one_wins(statuses(responses))
    admonition.refresh_from_db()
    assert admonition.status == AdmonitionStatus.CLOSED
    assert admonition.history.count() == before + 1


def test_three_publications_at_once_publish_once_and_tell_the_unit_once(cast, order):
    acc = orders.record_accountability(
        by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, task=cast.task_a, order=order,
        kind="criticism", persons="某某", decided_by="区纪委监委", decided_on=D(2026, 11, 2), decision="通报批评",
    )  # fmt: skip
    before = acc.history.count()
    url = reverse("supervision:accountability-detail", args=[acc.pk])
    responses = post_all(cast, "office", f"/api/accountability/{acc.pk}/publish/")
    codes = statuses(responses)
    # Publishing what is published already is answered as done (as before); only the first one publishes.
    assert codes.count(200) >= 1 and all(c in (200, 409) for c in codes)
    acc.refresh_from_db()
    assert acc.published_to_unit
    assert acc.history.count() == before + 1
    assert Notification.objects.filter(url=url).count() == 1


# spot checks and integrity flags


@pytest.fixture
def item(cast):
    office = cast.user("office")
    plan_actions.assign_task(cast.task_a, by=office)
    plan_actions.acknowledge_task(cast.task_a, by=office, unit=cast.unit_a)
    plan_actions.record_progress(cast.task_a, by=office, progress=90, on=D(2026, 9, 1))
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == TaskStatus.IN_PROGRESS
    check = checks.draw_spot_check(
        by=office, plan=cast.plan, title="9月抽查", size=1, seed="s", completed=False,
        advanced_since=D(2026, 8, 1),
    )  # fmt: skip
    return check.items.get()


def test_three_verification_records_at_once_are_saved_once(cast, item):
    before = item.history.count()
    path = f"/api/spot-checks/{item.spot_check_id}/items/{item.pk}/record/"
    responses = post_all(cast, "office", path, {"result": "not_confirmed", "notes": "现场未见施工"})
    assert one_wins(statuses(responses))
    item.refresh_from_db()
    assert item.result == CheckResult.NOT_CONFIRMED
    assert item.history.count() == before + 1
    losers_say(responses, "Someone else recorded this verification a moment ago.")


def test_an_order_opened_three_times_at_once_from_one_result_is_opened_once(cast, item):
    checks.record_check(item, by=cast.user("office"), result=CheckResult.NOT_CONFIRMED, notes="未见施工")
    before = RectificationOrder.objects.count()
    path = f"/api/spot-checks/{item.spot_check_id}/items/{item.pk}/order/"
    responses = post_all(cast, "office", path)
    codes = statuses(responses)
    # The first opens it; a click that saw it open is answered with the same order (as before), one that
    # came at the same moment is refused: never a second order.
    assert codes.count(201) >= 1 and all(c in (201, 409) for c in codes)
    assert RectificationOrder.objects.count() == before + 1
    item.refresh_from_db()
    assert {r.json()["id"] for r in responses if r.status_code == 201} == {item.order_id}
    losers_say(responses, "A rectification order has already been opened from this result.")


def test_three_decisions_on_a_flag_at_once_decide_once(cast):
    flag = IntegrityFlag.objects.create(
        plan=cast.plan, kind="backdated", task=cast.task_a, strength=0.4, reason="r", as_of=D(2026, 5, 1),
        computed_at=timezone.now(), fingerprint="f",
    )  # fmt: skip
    responses = post_all(cast, "office", f"/api/integrity-flags/{flag.pk}/decide/", {"status": "verified"})
    assert one_wins(statuses(responses))
    flag.refresh_from_db()
    assert flag.status == FlagStatus.VERIFIED
    losers_say(responses, "Someone else decided on this flag a moment ago.")
