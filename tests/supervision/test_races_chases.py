"""Chase notices (督办通知): reply, close and reissue sent several times at once go through once, the others are
refused with 409 and a message (or 400 when they already saw the new state); numbers are never given twice,
not even to the first notices of a year, when there is no row of that year to lock yet."""

import datetime

import pytest
from django.urls import reverse

from tests.dispatch.test_races_reports import api_client, page_client
from tests.plans.test_task_races import one_wins
from tests.race import at_once, statuses
from tongtui.dispatch.models import Notification
from tongtui.plans.models import Plan
from tongtui.supervision import actions_chases as chases
from tongtui.supervision.models import ChaseNotice, ChaseStatus

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


@pytest.fixture
def chase(cast) -> ChaseNotice:
    return chases.issue_chase(
        by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, tasks=[cast.task_a], subject="9月进度未报送",
        content="请说明原因并立即补报。", issued_on=D(2026, 9, 30),
    )  # fmt: skip


def post_all(cast, who: str, path: str, body: dict | None = None, n: int = 3) -> list:
    clients = [api_client(cast.user(who)) for _ in range(n)]
    return at_once(n, lambda i: clients[i].post(path, body or {}, format="json"))


def told(chase: ChaseNotice) -> int:
    return Notification.objects.filter(url=chases.chase_url(chase)).count()


def losers_say(responses: list, words: str) -> None:
    for loser in (r for r in responses if r.status_code == 409):
        assert words in loser.json()["detail"]


def test_three_replies_at_once_reply_once_and_tell_the_office_once(cast, chase):
    before, sent = chase.history.count(), told(chase)
    responses = post_all(cast, "liaison_a", f"/api/chase-notices/{chase.pk}/reply/", {"text": "已补报"})
    assert one_wins(statuses(responses))
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.REPLIED and chase.reply_text == "已补报"
    assert chase.history.count() == before + 1
    assert told(chase) == sent + 1
    losers_say(responses, "This notice has already been replied to.")


def test_three_closes_at_once_close_once(cast, chase):
    before, sent = chase.history.count(), told(chase)
    responses = post_all(cast, "office", f"/api/chase-notices/{chase.pk}/close/", {"note": "已阅"})
    assert one_wins(statuses(responses))
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.CLOSED
    assert chase.history.count() == before + 1
    assert told(chase) == sent + 2  # the unit's head and liaison, once each
    losers_say(responses, "This notice has already been closed.")


def test_three_reissues_at_once_give_one_new_notice(cast, chase):
    before = chase.history.count()
    responses = post_all(cast, "office", f"/api/chase-notices/{chase.pk}/reissue/", {"content": "仍未报送"})
    assert one_wins(statuses(responses), won=201)
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.CLOSED
    assert chase.history.count() == before + 1
    assert ChaseNotice.objects.filter(reissued_from=chase).count() == 1
    assert ChaseNotice.objects.count() == 2
    losers_say(responses, "This notice has already been reissued.")


def test_close_and_reissue_at_once_leave_one(cast, chase):
    before = chase.history.count()
    office = [api_client(cast.user("office")), api_client(cast.user("office"))]
    sends = [
        lambda: office[0].post(f"/api/chase-notices/{chase.pk}/close/", {"note": "已阅"}, format="json"),
        lambda: office[1].post(
            f"/api/chase-notices/{chase.pk}/reissue/", {"content": "再次督办"}, format="json"
        ),
    ]
    responses = at_once(2, lambda i: sends[i]())
    codes = [r.status_code for r in responses]
    assert sorted(codes) in ([200, 400], [200, 409], [201, 400], [201, 409])
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.CLOSED
    assert chase.history.count() == before + 1
    reissued = codes[1] == 201
    assert ChaseNotice.objects.filter(reissued_from=chase).count() == (1 if reissued else 0)


def test_reply_and_close_at_once_leave_one(cast, chase):
    before = chase.history.count()
    sends = [
        (api_client(cast.user("liaison_a")), f"/api/chase-notices/{chase.pk}/reply/", {"text": "已补报"}),
        (api_client(cast.user("office")), f"/api/chase-notices/{chase.pk}/close/", {"note": "不再需要"}),
    ]
    responses = at_once(2, lambda i: sends[i][0].post(sends[i][1], sends[i][2], format="json"))
    codes = [r.status_code for r in responses]
    chase.refresh_from_db()
    # Replied then closed is a normal course (the office read the reply); closed then replied is refused.
    assert chase.history.count() == before + codes.count(200)
    if codes[1] == 200:
        assert chase.status == ChaseStatus.CLOSED
    if codes[0] != 200:
        assert codes[0] in (400, 409) and chase.reply_text == ""


def test_the_first_notices_of_a_year_issued_at_once_get_different_numbers(cast):
    body = {"plan": cast.plan.pk, "unit": cast.unit_a.pk, "subject": "进度未报送", "content": "请立即补报。"}
    assert not ChaseNotice.objects.exists()  # no row of the year to lock: the plan's row is locked instead
    responses = post_all(cast, "office", "/api/chase-notices/", body, n=4)
    assert statuses(responses) == [201, 201, 201, 201]
    assert sorted(ChaseNotice.objects.values_list("seq", flat=True)) == [1, 2, 3, 4]


def test_notices_of_two_plans_issued_at_once_in_one_year_get_different_numbers(cast):
    other = Plan.objects.create(year=2025, title="2025年重点工作")
    plans = [cast.plan, other]
    clients = [api_client(cast.user("office")) for _ in range(4)]
    responses = at_once(
        4,
        lambda i: clients[i].post(
            "/api/chase-notices/",
            {"plan": plans[i % 2].pk, "unit": cast.unit_a.pk, "subject": "进度未报送", "content": "请补报。"},
            format="json",
        ),
    )
    assert statuses(responses) == [201, 201, 201, 201]
    year = ChaseNotice.objects.values_list("year", flat=True).distinct().get()
    assert sorted(ChaseNotice.objects.filter(year=year).values_list("seq", flat=True)) == [1, 2, 3, 4]


def test_a_double_clicked_reply_on_the_page_replies_once(cast, chase):
    url = reverse("supervision:chase-detail", args=[chase.pk])
    clients = [page_client(cast.user("liaison_a")) for _ in range(2)]
    responses = at_once(2, lambda i: clients[i].post(url, {"step": "reply", "text": "已补报"}))
    codes = statuses(responses)
    assert codes[0] == 302 and codes[1] in (200, 409)  # 200: shown again with the reason (it saw the reply)
    loser = next(r for r in responses if r.status_code != 302)
    if loser.status_code == 409:
        assert "This notice has already been replied to." in loser.content.decode()
    assert chase.history.filter(status=ChaseStatus.REPLIED).count() == 1
