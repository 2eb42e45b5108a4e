"""Rectification orders, admonitions, accountability, spot checks and integrity flags: each step sent several
times at once (double clicks, two people) goes through once; the others are refused with 409 and a message
(or 400 when they already saw the new state), and history and notifications change once. Several races share
a test (see tests/dispatch/test_races_reports)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.race import api_client, at_once, each_once, losers_say, one_wins, page_client, post_all, statuses
from tongtui.core.errors import ActionError
from tongtui.dispatch.models import Notification
from tongtui.plans import actions as plan_actions
from tongtui.supervision import actions_orders as orders
from tongtui.supervision import actions_spotchecks as checks
from tongtui.supervision.models import (
    AdmonitionStatus,
    CheckResult,
    FlagStatus,
    IntegrityFlag,
    OrderStatus,
    RectificationOrder,
    SpotCheckItem,
)

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


def issue(cast) -> RectificationOrder:
    return orders.issue_order(
        by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, task=cast.task_a, problem="佐证材料不全",
        requirement="补齐佐证材料", workdays=3, issued_on=D(2026, 9, 30),
    )  # fmt: skip


def reported(cast) -> RectificationOrder:
    return orders.report_rectification(issue(cast), by=cast.user("liaison_a"), text="已补齐材料")


def told(order: RectificationOrder) -> int:
    return Notification.objects.filter(url=orders.order_url(order)).count()


def test_every_order_step_clicked_three_times_at_once_runs_once(cast):
    office, liaison = cast.user("office"), cast.user("liaison_a")

    # the unit's rectification report: once, the office told once
    order = issue(cast)
    path = f"/api/rectification-orders/{order.pk}/"
    before, sent = order.history.count(), told(order)
    responses = post_all(liaison, f"{path}report/", {"text": "已整改"})
    assert one_wins(statuses(responses))
    order.refresh_from_db()
    assert order.status == OrderStatus.REPORTED
    assert order.history.count() == before + 1 and told(order) == sent + 1
    losers_say(responses, "The rectification has already been reported.")

    # the verdict, passed and not passed: once, the unit's head and liaison told once each
    for passed, verified in ((True, order), (False, reported(cast))):
        before, sent = verified.history.count(), told(verified)
        responses = post_all(
            office, f"/api/rectification-orders/{verified.pk}/verify/", {"passed": passed, "note": "现场核查"}
        )
        assert one_wins(statuses(responses))
        verified.refresh_from_db()
        assert verified.status == (OrderStatus.PASSED if passed else OrderStatus.NOT_PASSED)
        assert verified.history.count() == before + 1 and told(verified) == sent + 2
    order = verified

    # extension (of the order that did not pass): once
    before, path = order.history.count(), f"/api/rectification-orders/{order.pk}/"
    responses = post_all(office, f"{path}extend/", {"workdays": 5, "note": "延期"})
    assert one_wins(statuses(responses))
    order.refresh_from_db()
    assert order.status == OrderStatus.EXTENDED and order.extensions == 1
    assert order.history.count() == before + 1
    losers_say(responses, "The deadline has already been extended.")

    # escalation: once, the task's leader and the unit's head told once each
    before, sent = order.history.count(), told(order)
    responses = post_all(office, f"{path}escalate/", {"note": "逾期未整改"})
    assert one_wins(statuses(responses))
    order.refresh_from_db()
    assert order.status == OrderStatus.ESCALATED
    assert order.history.count() == before + 1 and told(order) == sent + 2
    losers_say(responses, "This order has already been escalated.")


def test_competing_order_steps_at_once_leave_one(cast):
    office = cast.user("office")

    # passed and not passed: one verdict, the unit told once
    order = reported(cast)
    before, sent, path = order.history.count(), told(order), f"/api/rectification-orders/{order.pk}/verify/"
    responses = each_once(
        (api_client(office), "post", path, {"passed": True}),
        (api_client(office), "post", path, {"passed": False, "note": "仍有缺项"}),
    )
    assert one_wins(statuses(responses))
    order.refresh_from_db()
    passed = responses[0].status_code == 200
    assert order.status == (OrderStatus.PASSED if passed else OrderStatus.NOT_PASSED)
    assert order.history.count() == before + 1 and told(order) == sent + 2
    losers_say(responses, "The rectification has already been verified as")

    # extension and escalation: an escalated order is settled; never both from one state unseen
    order = issue(cast)
    before, path = order.history.count(), f"/api/rectification-orders/{order.pk}/"
    responses = each_once(
        (api_client(office), "post", f"{path}extend/", {"workdays": 5}),
        (api_client(office), "post", f"{path}escalate/", {"note": "逾期"}),
    )
    codes = [r.status_code for r in responses]
    order.refresh_from_db()
    if codes[1] == 200:  # escalated, before or after the extension
        assert order.status == OrderStatus.ESCALATED and codes[0] in (200, 400, 409)
    else:
        assert codes == [200, 409] and order.status == OrderStatus.EXTENDED
    assert order.history.count() == before + codes.count(200)

    # the verdict double-clicked on the page
    order = reported(cast)
    url = reverse("supervision:order-detail", args=[order.pk])
    clients = [page_client(office) for _ in range(2)]
    responses = at_once(2, lambda i: clients[i].post(url, {"step": "verify", "passed": "1", "note": ""}))
    codes = statuses(responses)
    assert codes in ([200, 302], [302, 409])  # 200: the page again with the reason (it saw the verdict)
    loser = next(r for r in responses if r.status_code != 302)
    if loser.status_code == 409:
        assert "The rectification has already been verified as passed." in loser.content.decode()
    assert order.history.filter(status=OrderStatus.PASSED).count() == 1

    # an extended order may be extended again, but the same extension again is a second click
    order = issue(cast)
    orders.extend_order(order, by=office, workdays=5)
    order.refresh_from_db()
    with translation.override("en"), pytest.raises(ActionError, match="already been extended"):
        orders.extend_order(order, by=office, workdays=5)
    orders.extend_order(order, by=office, workdays=8)
    order.refresh_from_db()
    assert order.extensions == 2


def test_talks_publications_spot_checks_and_flags_clicked_three_times_at_once_run_once(cast):
    office = cast.user("office")
    plan_actions.assign_task(cast.task_a, by=office)
    plan_actions.acknowledge_task(cast.task_a, by=office, unit=cast.unit_a)
    plan_actions.record_progress(cast.task_a, by=office, progress=90, on=D(2026, 9, 1))
    check = checks.draw_spot_check(
        by=office,
        plan=cast.plan,
        title="9月抽查",
        size=1,
        seed="s",
        completed=False,
        advanced_since=D(2026, 8, 1),
    )
    item = check.items.get()
    path = f"/api/spot-checks/{check.pk}/items/{item.pk}/"

    # the verification's result
    before = item.history.count()
    responses = post_all(office, f"{path}record/", {"result": "not_confirmed", "notes": "现场未见施工"})
    assert one_wins(statuses(responses))
    item.refresh_from_db()
    assert item.result == CheckResult.NOT_CONFIRMED and item.history.count() == before + 1
    losers_say(responses, "Someone else recorded this verification a moment ago.")

    # a rectification order from the result: one order. A click that saw it open gets the same order (as
    # before); one at the same moment is refused.
    orders_before = RectificationOrder.objects.count()
    responses = post_all(office, f"{path}order/")
    codes = statuses(responses)
    assert 201 in codes and all(c in (201, 409) for c in codes)
    assert RectificationOrder.objects.count() == orders_before + 1
    opened = SpotCheckItem.objects.get(pk=item.pk).order_id
    assert {r.json()["id"] for r in responses if r.status_code == 201} == {opened}
    losers_say(responses, "A rectification order has already been opened from this result.")

    # the office's decision on an integrity flag
    flag = IntegrityFlag.objects.create(
        plan=cast.plan, kind="backdated", task=cast.task_a, strength=0.4, reason="r", as_of=D(2026, 5, 1),
        computed_at=timezone.now(), fingerprint="f",
    )  # fmt: skip
    responses = post_all(office, f"/api/integrity-flags/{flag.pk}/decide/", {"status": "verified"})
    assert one_wins(statuses(responses))
    flag.refresh_from_db()
    assert flag.status == FlagStatus.VERIFIED
    losers_say(responses, "Someone else decided on this flag a moment ago.")

    adm = orders.schedule_admonition(
        by=office, plan=cast.plan, unit=cast.unit_a, tasks=[cast.task_a], reason="进度滞后",
        scheduled_for=D(2026, 10, 12), talked_by="王副区长", talked_with="区发改局局长",
    )  # fmt: skip

    # the record of the talk
    before = adm.history.count()
    body = {"held_on": "2026-10-12", "record": "约谈记录", "commitments": "月底前赶上进度"}
    responses = post_all(office, f"/api/admonitions/{adm.pk}/held/", body)
    assert one_wins(statuses(responses))
    adm.refresh_from_db()
    assert adm.status == AdmonitionStatus.HELD and adm.history.count() == before + 1
    losers_say(responses, "The record of this talk has already been saved.")

    # the follow-up of the commitments
    before = adm.history.count()
    responses = post_all(office, f"/api/admonitions/{adm.pk}/follow-up/", {"follow_up": "已按期赶上"})
    assert one_wins(statuses(responses))
    adm.refresh_from_db()
    assert adm.status == AdmonitionStatus.CLOSED and adm.history.count() == before + 1
    losers_say(responses, "The follow-up of this admonition has already been recorded.")

    # publishing an accountability record: published once, the unit's head told once. Publishing what is
    # published already is answered as done (as before); a click at the same moment is refused.
    acc = orders.record_accountability(
        by=office, plan=cast.plan, unit=cast.unit_a, task=cast.task_a, kind="criticism", persons="某某",
        decided_by="区纪委监委", decided_on=D(2026, 11, 2), decision="通报批评",
    )  # fmt: skip
    before = acc.history.count()
    codes = statuses(post_all(office, f"/api/accountability/{acc.pk}/publish/"))
    assert 200 in codes and all(c in (200, 409) for c in codes)
    acc.refresh_from_db()
    assert acc.published_to_unit and acc.history.count() == before + 1
    url = reverse("supervision:accountability-detail", args=[acc.pk])
    assert Notification.objects.filter(url=url).count() == 1
