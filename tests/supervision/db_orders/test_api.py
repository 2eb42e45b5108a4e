import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.plans.models import Task
from tongtui.supervision.models import IntegrityFlag, SpotCheck

D = datetime.date


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def ids(r) -> set[int]:
    return {row["id"] for row in r.json()["results"]}


@pytest.mark.parametrize("url", ["/api/rectification-orders/", "/api/admonitions/", "/api/accountability/",
                                 "/api/integrity-flags/", "/api/spot-checks/"])  # fmt: skip
def test_anonymous_callers_are_refused(cast, url):
    assert cast.client("anonymous").get(url).status_code in (401, 403)


def test_orders_are_scoped_to_the_unit_and_outsiders_get_404(cast, order):
    assert ids(cast.client("liaison_a").get("/api/rectification-orders/")) == {order.pk}
    assert ids(cast.client("liaison_b").get("/api/rectification-orders/")) == set()
    assert cast.client("liaison_b").get(f"/api/rectification-orders/{order.pk}/").status_code == 404
    assert (
        post(
            cast.client("liaison_b"), f"/api/rectification-orders/{order.pk}/report/", {"text": "x"}
        ).status_code
        == 404
    )
    body = cast.client("leader").get(f"/api/rectification-orders/{order.pk}/").json()
    assert body["deadline"] == "2026-10-10" and body["overdue"] is True


def test_the_office_issues_and_the_unit_reports_and_the_office_verifies_through_the_api(cast):
    office = cast.client("office")
    r = post(office, "/api/rectification-orders/", {"plan": cast.plan.pk, "unit": cast.unit_a.pk, "task": cast.task_a.pk,
                                                     "problem": "p", "requirement": "r", "workdays": 3})  # fmt: skip
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert post(cast.client("liaison_a"), "/api/rectification-orders/", {"plan": cast.plan.pk, "unit": cast.unit_a.pk,
                "problem": "p", "requirement": "r", "workdays": 3}).status_code == 403  # fmt: skip
    assert (
        post(
            cast.client("liaison_a"), f"/api/rectification-orders/{pk}/verify/", {"passed": True}
        ).status_code
        == 403
    )
    assert (
        post(
            cast.client("liaison_a"), f"/api/rectification-orders/{pk}/report/", {"text": "已整改"}
        ).status_code
        == 200
    )
    r = post(office, f"/api/rectification-orders/{pk}/verify/", {"passed": False})
    assert r.status_code == 400  # a reason is needed
    r = post(office, f"/api/rectification-orders/{pk}/verify/", {"passed": False, "note": "未完成"})
    assert r.json()["status"] == "not_passed"
    r = post(office, f"/api/rectification-orders/{pk}/extend/", {"workdays": 2})
    assert r.json()["status"] == "extended" and r.json()["extensions"] == 1
    assert (
        post(office, f"/api/rectification-orders/{pk}/escalate/", {"note": "再次逾期"}).json()["status"]
        == "escalated"
    )


def test_admonitions_through_the_api(cast, admonition):
    office = cast.client("office")
    assert ids(cast.client("head_a").get("/api/admonitions/")) == {admonition.pk}
    assert cast.client("liaison_b").get(f"/api/admonitions/{admonition.pk}/").status_code == 404
    r = post(
        office,
        f"/api/admonitions/{admonition.pk}/held/",
        {"held_on": "2026-10-12", "record": "记录", "commitments": "承诺"},
    )
    assert r.json()["status"] == "held"
    assert (
        post(office, f"/api/admonitions/{admonition.pk}/follow-up/", {"follow_up": "已兑现"}).json()["status"]
        == "closed"
    )
    r = post(office, "/api/admonitions/", {"plan": cast.plan.pk, "unit": cast.unit_b.pk, "reason": "r",
                                           "scheduled_for": "2026-12-01", "talked_by": "a", "talked_with": "b"})  # fmt: skip
    assert r.status_code == 201


def test_accountability_is_restricted_until_published(cast, accountability):
    url = f"/api/accountability/{accountability.pk}/"
    assert cast.client("leader").get(url).status_code == 200
    assert cast.client("head_a").get(url).status_code == 404
    assert ids(cast.client("liaison_a").get("/api/accountability/")) == set()
    assert post(cast.client("leader"), f"{url}publish/").status_code == 403
    assert post(cast.client("office"), f"{url}publish/").json()["published_to_unit"] is True
    assert cast.client("head_a").get(url).status_code == 200
    assert cast.client("liaison_b").get(url).status_code == 404


def test_flags_are_stored_for_the_office_and_computed_for_any_date(cast):
    end = D(2026, 3, 31)
    sub = timezone.make_aware(datetime.datetime(2026, 4, 2, 9))
    ProgressReport.objects.create(task=cast.task_a, unit=cast.unit_a, period_start=end.replace(day=1), period_end=end,
                                  progress=100, status=ReportStatus.ACCEPTED, first_submitted_at=sub, submitted_at=sub)  # fmt: skip
    assert cast.client("office").get("/api/integrity-flags/").json()["results"] == []
    r = cast.client("leader").get("/api/integrity-flags/?plan=2026&as_of=2026-04-30")
    rows = r.json()["results"]
    assert [(x["kind"], x["task_code"]) for x in rows] == [("completion_without_evidence", "1")]
    assert (
        cast.client("leader").get("/api/integrity-flags/?plan=2026&as_of=2026-03-31").json()["results"] == []
    )
    assert (
        cast.client("liaison_a").get("/api/integrity-flags/?plan=2026&as_of=2026-04-30").json()["results"]
        == []
    )
    assert cast.client("office").get("/api/integrity-flags/?plan=2026&as_of=30-04-2026").status_code == 400


def test_the_office_decides_on_a_stored_flag(cast):
    flag = IntegrityFlag.objects.create(plan=cast.plan, kind="backdated", task=cast.task_a, strength=0.4, reason="r",
                                        as_of=D(2026, 5, 1), computed_at=timezone.now(), fingerprint="f")  # fmt: skip
    assert cast.client("liaison_a").get(f"/api/integrity-flags/{flag.pk}/").status_code == 404
    assert (
        post(
            cast.client("leader"), f"/api/integrity-flags/{flag.pk}/decide/", {"status": "verified"}
        ).status_code
        == 403
    )
    r = post(
        cast.client("office"),
        f"/api/integrity-flags/{flag.pk}/decide/",
        {"status": "verified", "note": "核实"},
    )
    assert r.json()["status"] == "verified"
    assert ids(cast.client("office").get("/api/integrity-flags/?status=new")) == set()


def test_spot_checks_through_the_api(cast):
    for i in range(6):
        Task.objects.create(plan=cast.plan, code=f"8.{i}", title="t", lead_unit=cast.unit_a, status="closed")
    office = cast.client("office")
    r = post(office, "/api/spot-checks/", {"plan": cast.plan.pk, "title": "抽查", "size": 3, "seed": "s1"})
    assert r.status_code == 201
    again = post(
        office, "/api/spot-checks/", {"plan": cast.plan.pk, "title": "复核", "size": 3, "seed": "s1"}
    ).json()
    assert [i["task"] for i in r.json()["items"]] == [i["task"] for i in again["items"]]
    check = SpotCheck.objects.order_by("pk").first()
    item = r.json()["items"][0]["id"]
    assert cast.client("liaison_a").get(f"/api/spot-checks/{check.pk}/").status_code == 404
    assert (
        post(
            cast.client("leader"),
            f"/api/spot-checks/{check.pk}/items/{item}/record/",
            {"result": "confirmed"},
        ).status_code
        == 403
    )
    r = post(
        office,
        f"/api/spot-checks/{check.pk}/items/{item}/record/",
        {"result": "not_confirmed", "notes": "未见"},
    )
    assert r.json()["for_assessment"] is True
    r = post(office, f"/api/spot-checks/{check.pk}/items/{item}/order/", {})
    assert r.status_code == 201 and r.json()["for_assessment"] is True
    assert (
        post(office, f"/api/spot-checks/{check.pk}/items/999999/record/", {"result": "confirmed"}).status_code
        == 404
    )


def test_an_unknown_accountability_kind_is_refused(cast):
    r = post(cast.client("office"), "/api/accountability/", {
        "plan": cast.plan.pk, "unit": cast.unit_a.pk, "kind": "fine", "persons": "p", "decided_by": "d",
        "decided_on": "2026-11-02", "decision": "x"})  # fmt: skip
    assert r.status_code == 400 and "kind" in r.json()


def test_a_task_the_caller_cannot_see_does_not_exist_for_the_order(cast):
    r = post(cast.client("office"), "/api/rectification-orders/", {"plan": cast.plan.pk, "unit": cast.unit_a.pk,
             "task": 999999, "problem": "p", "requirement": "r", "workdays": 3})  # fmt: skip
    assert r.status_code == 400 and "task" in r.json()
