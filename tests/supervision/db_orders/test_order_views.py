import datetime

import pytest

from tongtui.supervision import actions_orders as orders
from tongtui.supervision.models import Accountability, Admonition, OrderStatus, RectificationOrder

from .conftest import pdf


@pytest.mark.parametrize("who", ["office", "leader", "head_a", "liaison_a", "liaison_b"])
def test_every_logged_in_user_sees_the_order_list_scoped_to_them(cast, order, who):
    r = cast.client(who).get("/supervision/orders/?state=all")
    assert r.status_code == 200
    assert (f'data-order="{order.pk}"' in r.text) == (who != "liaison_b")


def test_anonymous_users_get_the_login_page(cast, order, accountability, admonition):
    for url in ["/supervision/orders/", f"/supervision/orders/{order.pk}/", "/supervision/desk/",
                "/supervision/admonitions/", f"/supervision/accountability/{accountability.pk}/",
                "/supervision/spot-checks/", "/supervision/orders/new/"]:  # fmt: skip
        r = cast.client("anonymous").get(url)
        assert r.status_code == 302 and "/login" in r["Location"], url


def test_an_outsider_gets_404_on_another_units_order(cast, order):
    assert cast.client("liaison_b").get(f"/supervision/orders/{order.pk}/").status_code == 404
    assert cast.client("liaison_a").get(f"/supervision/orders/{order.pk}/").status_code == 200


def test_overdue_state_lists_only_late_orders(cast, order):
    r = cast.client("office").get("/supervision/orders/?state=overdue")
    assert f'data-order="{order.pk}"' in r.text  # its deadline (2026-10-10) is past by the test date


def test_the_office_issues_an_order_from_the_form(cast):
    c = cast.client("office")
    assert c.get(f"/supervision/orders/new/?unit={cast.unit_b.pk}").status_code == 200
    r = c.post("/supervision/orders/new/", {"unit": cast.unit_b.pk, "problem": "台账缺失", "requirement": "补建台账",
                                            "workdays": 5})  # fmt: skip
    o = RectificationOrder.objects.get(unit=cast.unit_b)
    assert r.status_code == 302 and r["Location"] == f"/supervision/orders/{o.pk}/"
    assert o.workdays == 5 and o.issued_by == cast.user("office")


@pytest.mark.parametrize("who", ["leader", "liaison_a"])
def test_only_the_office_sees_the_order_form(cast, who):
    assert cast.client(who).get("/supervision/orders/new/").status_code == 404


def test_the_liaison_reports_with_a_file_and_the_office_verifies(cast, order):
    c = cast.client("liaison_a")
    assert 'id="report-form"' in c.get(f"/supervision/orders/{order.pk}/").text
    r = c.post(f"/supervision/orders/{order.pk}/", {"step": "report", "text": "已补齐", "evidence": pdf()})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.REPORTED
    f = order.files.get()
    assert c.get(f"/supervision/files/{f.pk}/").status_code == 200
    assert cast.client("liaison_b").get(f"/supervision/files/{f.pk}/").status_code == 404
    office = cast.client("office")
    assert 'id="verify-form"' in office.get(f"/supervision/orders/{order.pk}/").text
    office.post(f"/supervision/orders/{order.pk}/", {"step": "verify", "passed": "0", "note": "未完成"})
    office.post(f"/supervision/orders/{order.pk}/", {"step": "extend", "workdays": "3", "note": ""})
    order.refresh_from_db()
    assert order.status == OrderStatus.EXTENDED and order.extensions == 1


def test_a_refused_step_shows_the_reason_and_changes_nothing(cast, order):
    r = cast.client("liaison_a").post(
        f"/supervision/orders/{order.pk}/", {"step": "verify", "passed": "1"}, follow=True
    )
    assert r.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.ISSUED


def test_the_office_escalates_and_records_accountability(cast, order):
    c = cast.client("office")
    c.post(f"/supervision/orders/{order.pk}/", {"step": "escalate", "note": "逾期未整改"})
    order.refresh_from_db()
    assert order.status == OrderStatus.ESCALATED
    r = c.post(f"/supervision/accountability/new/?order={order.pk}", {
        "unit": cast.unit_a.pk, "task": cast.task_a.pk, "kind": "criticism", "persons": "某某",
        "decided_by": "区纪委监委", "decided_on": "2026-11-02", "decision": "通报批评"})  # fmt: skip
    acc = Accountability.objects.get()
    assert r["Location"] == f"/supervision/accountability/{acc.pk}/" and acc.order == order


def test_accountability_is_hidden_from_the_unit_until_published(cast, accountability):
    url = f"/supervision/accountability/{accountability.pk}/"
    assert cast.client("office").get(url).status_code == 200
    assert cast.client("leader").get(url).status_code == 200
    assert cast.client("head_a").get(url).status_code == 404
    assert (
        f'data-accountability="{accountability.pk}"'
        not in cast.client("head_a").get("/supervision/accountability/").text
    )
    assert cast.client("leader").post(f"{url}publish/").status_code == 404
    cast.client("office").post(f"{url}publish/")
    assert cast.client("head_a").get(url).status_code == 200
    assert cast.client("liaison_a").get(url).status_code == 200
    assert cast.client("liaison_b").get(url).status_code == 404


def test_the_order_page_does_not_leak_accountability_to_the_unit(cast, accountability):
    r = cast.client("liaison_a").get(f"/supervision/orders/{accountability.order_id}/")
    assert "区纪委监委" not in r.text and "accountability-detail" not in r.text


def test_admonition_pages_follow_the_unit(cast, admonition):
    url = f"/supervision/admonitions/{admonition.pk}/"
    for who, code in [
        ("office", 200),
        ("leader", 200),
        ("head_a", 200),
        ("liaison_a", 200),
        ("liaison_b", 404),
    ]:
        assert cast.client(who).get(url).status_code == code, who
    assert (
        f'data-admonition="{admonition.pk}"'
        not in cast.client("liaison_b").get("/supervision/admonitions/").text
    )


def test_the_office_schedules_records_and_follows_up_an_admonition(cast):
    c = cast.client("office")
    c.post("/supervision/admonitions/new/", {"unit": cast.unit_a.pk, "tasks": [cast.task_a.pk], "reason": "滞后",
                                             "scheduled_for": "2026-10-12", "talked_by": "王副区长",
                                             "talked_with": "李局长"})  # fmt: skip
    adm = Admonition.objects.get()
    assert list(adm.tasks.all()) == [cast.task_a]
    c.post(f"/supervision/admonitions/{adm.pk}/", {"step": "held", "held_on": "2026-10-12", "record": "记录",
                                                   "commitments": "承诺"})  # fmt: skip
    c.post(f"/supervision/admonitions/{adm.pk}/", {"step": "follow_up", "follow_up": "已兑现"})
    adm.refresh_from_db()
    assert adm.status == "closed" and adm.held_on == datetime.date(2026, 10, 12)


def test_a_liaison_cannot_record_the_talk(cast, admonition):
    cast.client("liaison_a").post(f"/supervision/admonitions/{admonition.pk}/",
                                  {"step": "held", "held_on": "2026-10-12", "record": "x", "commitments": ""})  # fmt: skip
    admonition.refresh_from_db()
    assert admonition.status == "scheduled"


def test_an_unknown_step_is_404(cast, order):
    assert cast.client("office").post(f"/supervision/orders/{order.pk}/", {"step": "nope"}).status_code == 404


def test_extension_keeps_history_of_who_did_it(cast, order):
    orders.extend_order(order, by=cast.user("office"), workdays=1)
    assert order.history.first().history_user == cast.user("office")


def test_the_talk_form_starts_on_today_in_the_date_pickers_format(cast, admonition):
    # a date input shows nothing unless its value is YYYY-MM-DD, whatever the page's language
    from django.utils import timezone

    page = cast.client("office").get(f"/supervision/admonitions/{admonition.pk}/").text
    assert f'name="held_on" value="{timezone.localdate():%Y-%m-%d}"' in page
