"""Lists cost the same number of queries whatever their length (no query per row)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.plans.models import Task
from tongtui.supervision import actions_orders as orders
from tongtui.supervision import actions_spotchecks as checks
from tongtui.supervision.models import IntegrityFlag, TaskLight

D = datetime.date


def grow(cast, n, start):
    office = cast.user("office")
    for i in range(start, start + n):
        t = Task.objects.create(
            plan=cast.plan, code=f"5.{i}", title="t", lead_unit=cast.unit_a, status="closed"
        )
        TaskLight.objects.create(task=t, light="red", as_of=D(2026, 11, 1), computed_at=timezone.now(),
                                 reasons=[{"code": "missed_reports", "figures": {"count": 2}}])  # fmt: skip
        IntegrityFlag.objects.create(plan=cast.plan, kind="backdated", task=t, unit=cast.unit_a, strength=0.3,
                                     reason="r", as_of=D(2026, 11, 1), computed_at=timezone.now(), fingerprint=f"f{i}")  # fmt: skip
        orders.issue_order(
            by=office, plan=cast.plan, unit=cast.unit_a, task=t, problem="p", requirement="r", workdays=2
        )
        orders.schedule_admonition(by=office, plan=cast.plan, unit=cast.unit_a, reason="r",
                                   scheduled_for=D(2026, 12, 1), talked_by="a", talked_with="b")  # fmt: skip
        orders.record_accountability(by=office, plan=cast.plan, unit=cast.unit_a, kind="other", persons="p",
                                     decided_by="d", decided_on=D(2026, 11, 2), decision="x")  # fmt: skip
        end = D(2026, 1 + i % 12, 28)
        ProgressReport.objects.create(task=t, unit=cast.unit_a, period_start=end.replace(day=1), period_end=end,
                                      status=ReportStatus.ACCEPTED, late_workdays=2)  # fmt: skip


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


URLS = ["/supervision/desk/", "/supervision/orders/", "/supervision/admonitions/", "/supervision/accountability/",
        "/supervision/spot-checks/"]  # fmt: skip


def test_lists_do_not_query_per_row(cast):
    c = cast.client("office")
    grow(cast, 2, 0)
    checks.draw_spot_check(by=cast.user("office"), plan=cast.plan, title="a", size=2, seed="s")
    few = {u: queries(c, u) for u in URLS}
    grow(cast, 15, 100)
    check = checks.draw_spot_check(by=cast.user("office"), plan=cast.plan, title="b", size=15, seed="s")
    many = {u: queries(c, u) for u in URLS}
    assert many == few
    small = checks.draw_spot_check(by=cast.user("office"), plan=cast.plan, title="c", size=2, seed="s")
    assert queries(c, f"/supervision/spot-checks/{check.pk}/") == queries(
        c, f"/supervision/spot-checks/{small.pk}/"
    )


API = ["/api/rectification-orders/", "/api/admonitions/", "/api/accountability/", "/api/integrity-flags/",
       "/api/spot-checks/"]  # fmt: skip


def test_api_lists_do_not_query_per_row(cast):
    c = cast.client("office")
    grow(cast, 2, 0)
    checks.draw_spot_check(by=cast.user("office"), plan=cast.plan, title="a", size=2, seed="s")
    few = {u: queries(c, u) for u in API}
    grow(cast, 15, 100)
    checks.draw_spot_check(by=cast.user("office"), plan=cast.plan, title="b", size=15, seed="s")
    assert {u: queries(c, u) for u in API} == few
