import datetime

import pytest
from django.core.exceptions import ValidationError

from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.models import WorkdayOverride
from tongtui.dispatch.models import Notification
from tongtui.supervision import actions_orders as orders
from tongtui.supervision.models import OrderStatus, RectificationOrder

from .conftest import pdf

D = datetime.date


def test_the_deadline_counts_working_days_across_the_national_day_holiday(order):
    # 30 Sept + 3 working days: 1–7 Oct are off, 8 and 9 Oct worked, Saturday 10 Oct is an adjusted workday
    assert order.deadline == D(2026, 10, 10)
    assert order.first_deadline == order.deadline


def test_a_day_the_office_declares_off_moves_the_deadline(cast):
    WorkdayOverride.objects.create(date=D(2026, 3, 3), is_workday=False, note="停电")
    o = orders.issue_order(by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, problem="p",
                           requirement="r", workdays=2, issued_on=D(2026, 3, 1))  # fmt: skip
    assert o.deadline == D(2026, 3, 4)  # Sunday 1 March; Monday 2 worked, Tuesday 3 off, Wednesday 4


def test_issuing_tells_the_units_head_and_liaison(cast, order):
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"head_a", "liaison_a"}


def test_only_the_office_issues_orders(cast):
    with pytest.raises(Forbidden):
        orders.issue_order(by=cast.user("leader"), plan=cast.plan, unit=cast.unit_a, problem="p",
                           requirement="r", workdays=5)  # fmt: skip


def test_it_refuses_zero_working_days(cast):
    with pytest.raises(ActionError):
        orders.issue_order(by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, problem="p",
                           requirement="r", workdays=0)  # fmt: skip


def test_the_unit_reports_its_rectification_with_evidence(cast, order):
    orders.report_rectification(order, by=cast.user("liaison_a"), text="已补齐材料", files=[pdf()])
    order.refresh_from_db()
    assert order.status == OrderStatus.REPORTED
    f = order.files.get()
    assert f.original_name == "整改报告.pdf" and len(f.sha256) == 64


def test_a_file_that_is_not_what_its_name_says_is_refused(cast, order):
    with pytest.raises(ValidationError) as refused:
        orders.report_rectification(order, by=cast.user("liaison_a"), text="x", files=[pdf(body=b"hello")])
    assert refused.value.code == "content"
    order.refresh_from_db()
    assert order.status == OrderStatus.ISSUED


def test_another_units_liaison_cannot_report(cast, order):
    with pytest.raises(Forbidden):
        orders.report_rectification(order, by=cast.user("liaison_b"), text="x")


def test_not_passed_needs_a_reason_then_extension_sets_a_new_working_day_deadline(cast, order):
    orders.report_rectification(order, by=cast.user("head_a"), text="已整改")
    with pytest.raises(ActionError):
        orders.verify_order(order, by=cast.user("office"), passed=False)
    orders.verify_order(order, by=cast.user("office"), passed=False, note="现场核查仍未完成")
    assert order.status == OrderStatus.NOT_PASSED
    orders.extend_order(order, by=cast.user("office"), workdays=2, today=D(2026, 10, 9))
    order.refresh_from_db()
    assert order.status == OrderStatus.EXTENDED and order.extensions == 1
    assert order.deadline == D(2026, 10, 12)  # Fri 9 + Sat 10 (adjusted workday), Sun off, Mon 12
    assert order.first_deadline == D(2026, 10, 10)


def test_passed_settles_the_order(cast, order):
    orders.report_rectification(order, by=cast.user("liaison_a"), text="已整改")
    orders.verify_order(order, by=cast.user("office"), passed=True)
    assert not order.is_open
    with pytest.raises(ActionError):
        orders.escalate_order(order, by=cast.user("office"), note="x")


def test_escalation_tells_the_leader_and_marks_for_assessment(cast, order):
    Notification.objects.all().delete()
    orders.escalate_order(order, by=cast.user("office"), note="逾期未整改")
    assert order.status == OrderStatus.ESCALATED and order.for_assessment
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"leader", "head_a"}


def test_the_deadline_sweep_warns_once_before_and_once_after(cast, order):
    Notification.objects.all().delete()
    assert orders.deadline_sweep(D(2026, 10, 8)) == {"approach": 1, "overdue": 0}
    assert orders.deadline_sweep(D(2026, 10, 8)) == {"approach": 0, "overdue": 0}
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"head_a", "liaison_a"}
    Notification.objects.all().delete()
    assert orders.deadline_sweep(D(2026, 10, 12)) == {"approach": 0, "overdue": 1}
    assert orders.deadline_sweep(D(2026, 10, 13)) == {"approach": 0, "overdue": 0}
    overdue = Notification.objects.all()
    assert set(overdue.values_list("recipient__username", flat=True)) == {"head_a", "liaison_a", "office"}


def test_a_reported_order_is_not_overdue(cast, order):
    orders.report_rectification(order, by=cast.user("liaison_a"), text="已整改")
    assert not RectificationOrder.objects.get(pk=order.pk).is_overdue(D(2026, 12, 1))
    assert orders.deadline_sweep(D(2026, 12, 1))["overdue"] == 0


def test_an_admonition_is_held_and_its_commitments_followed_up(cast, admonition):
    with pytest.raises(ActionError):
        orders.follow_up_admonition(admonition, by=cast.user("office"), follow_up="x")
    orders.record_admonition(admonition, by=cast.user("office"), held_on=D(2026, 10, 12), record="谈话记录",
                             commitments="两周内补齐")  # fmt: skip
    orders.follow_up_admonition(admonition, by=cast.user("office"), follow_up="已补齐")
    assert admonition.status == "closed"
    assert Notification.objects.filter(recipient__username="liaison_a", title__contains="2026-10-12").exists()
    assert not Notification.objects.filter(recipient__username="liaison_b").exists()


def test_only_the_office_records_and_publishes_accountability(cast, accountability):
    with pytest.raises(Forbidden):
        orders.publish_accountability(accountability, by=cast.user("leader"))
    orders.publish_accountability(accountability, by=cast.user("office"))
    assert accountability.published_to_unit and accountability.published_at is not None
