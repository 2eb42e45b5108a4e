"""Chase notices (督办通知): reply, close and reissue sent several times at once go through once, the others are
refused with 409 and a message (or 400 when they already saw the new state); numbers are never given twice,
not even to the first notices of a year, when there is no row of that year to lock yet. Several races share
a test (see tests/dispatch/test_races_reports)."""

import datetime

import pytest
from django.urls import reverse

from tests.race import api_client, at_once, each_once, losers_say, one_wins, page_client, post_all, statuses
from tongtui.dispatch.models import Notification
from tongtui.plans.models import Plan
from tongtui.supervision import actions_chases as chases
from tongtui.supervision.models import ChaseNotice, ChaseStatus

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


def issue(cast, **kw) -> ChaseNotice:
    return chases.issue_chase(
        by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, tasks=[cast.task_a], subject="9月进度未报送",
        content="请说明原因并立即补报。", issued_on=D(2026, 9, 30), **kw,
    )  # fmt: skip


def told(chase: ChaseNotice) -> int:
    return Notification.objects.filter(url=chases.chase_url(chase)).count()


def test_every_chase_step_clicked_three_times_at_once_runs_once(cast):
    office, liaison = cast.user("office"), cast.user("liaison_a")

    # the unit's reply: once, the office told once
    chase = issue(cast)
    before, sent = chase.history.count(), told(chase)
    responses = post_all(liaison, f"/api/chase-notices/{chase.pk}/reply/", {"text": "已补报"})
    assert one_wins(statuses(responses))
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.REPLIED and chase.reply_text == "已补报"
    assert chase.history.count() == before + 1 and told(chase) == sent + 1
    losers_say(responses, "This notice has already been replied to.")

    # closing: once, the unit's head and liaison told once each
    before, sent = chase.history.count(), told(chase)
    responses = post_all(office, f"/api/chase-notices/{chase.pk}/close/", {"note": "已阅"})
    assert one_wins(statuses(responses))
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.CLOSED
    assert chase.history.count() == before + 1 and told(chase) == sent + 2
    losers_say(responses, "This notice has already been closed.")

    # reissuing: one new notice
    chase = issue(cast)
    before = chase.history.count()
    responses = post_all(office, f"/api/chase-notices/{chase.pk}/reissue/", {"content": "仍未报送"})
    assert one_wins(statuses(responses), won=201)
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.CLOSED and chase.history.count() == before + 1
    assert ChaseNotice.objects.filter(reissued_from=chase).count() == 1
    losers_say(responses, "This notice has already been reissued.")


def test_competing_chase_steps_at_once_leave_one(cast):
    office, liaison = cast.user("office"), cast.user("liaison_a")

    # close and reissue: the notice is closed once, and reissued only if the reissue won
    chase = issue(cast)
    before, path = chase.history.count(), f"/api/chase-notices/{chase.pk}/"
    responses = each_once(
        (api_client(office), "post", f"{path}close/", {"note": "已阅"}),
        (api_client(office), "post", f"{path}reissue/", {"content": "再次督办"}),
    )
    codes = [r.status_code for r in responses]
    assert sorted(codes) in ([200, 400], [200, 409], [201, 400], [201, 409])
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.CLOSED and chase.history.count() == before + 1
    assert ChaseNotice.objects.filter(reissued_from=chase).count() == (1 if codes[1] == 201 else 0)

    # the unit's reply and the office's close: replied then closed is the normal course; closed then
    # replied is refused
    chase = issue(cast)
    before, path = chase.history.count(), f"/api/chase-notices/{chase.pk}/"
    responses = each_once(
        (api_client(liaison), "post", f"{path}reply/", {"text": "已补报"}),
        (api_client(office), "post", f"{path}close/", {"note": "不再需要"}),
    )
    codes = [r.status_code for r in responses]
    chase.refresh_from_db()
    assert codes[1] == 200 and chase.status == ChaseStatus.CLOSED
    assert chase.history.count() == before + codes.count(200)
    if codes[0] != 200:
        assert codes[0] in (400, 409) and chase.reply_text == ""

    # a reply double-clicked on the page
    chase = issue(cast)
    url = reverse("supervision:chase-detail", args=[chase.pk])
    clients = [page_client(liaison) for _ in range(2)]
    responses = at_once(2, lambda i: clients[i].post(url, {"step": "reply", "text": "已补报"}))
    codes = statuses(responses)
    assert codes in ([200, 302], [302, 409])  # 200: shown again with the reason (it saw the reply)
    loser = next(r for r in responses if r.status_code != 302)
    if loser.status_code == 409:
        assert "This notice has already been replied to." in loser.content.decode()
    assert chase.history.filter(status=ChaseStatus.REPLIED).count() == 1


def test_notices_issued_at_once_never_share_a_number(cast):
    office = cast.user("office")

    # the first notices of a year: no row of the year to lock yet, so the plan rows are locked
    body = {"plan": cast.plan.pk, "unit": cast.unit_a.pk, "subject": "进度未报送", "content": "请立即补报。"}
    assert not ChaseNotice.objects.exists()
    assert statuses(post_all(office, "/api/chase-notices/", body, n=4)) == [201, 201, 201, 201]
    assert sorted(ChaseNotice.objects.values_list("seq", flat=True)) == [1, 2, 3, 4]

    # notices of two plans in one year (a plan chasing its late work in the next year)
    other = Plan.objects.create(year=2025, title="2025年重点工作")
    plans = [cast.plan, other, cast.plan, other]
    clients = [api_client(office) for _ in range(4)]
    responses = at_once(
        4,
        lambda i: clients[i].post(
            "/api/chase-notices/", {**body, "plan": plans[i].pk, "subject": f"第{i}次"}, format="json"
        ),
    )
    assert statuses(responses) == [201, 201, 201, 201]
    year = ChaseNotice.objects.values_list("year", flat=True).distinct().get()
    assert sorted(ChaseNotice.objects.filter(year=year).values_list("seq", flat=True)) == list(range(1, 9))
