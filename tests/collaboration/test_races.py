"""Each step sent three times at once: exactly one wins, the others are refused (409 with a reason, or 400 when
they already saw the new state); one history row, one reply, one notification. The sweeps run at once chase
once."""

import datetime

import pytest

from tests.collaboration.conftest import ask, instruct
from tests.race import at_once, losers_say, one_wins, page_client, post_all, statuses
from tongtui.collaboration import actions, actions_requests
from tongtui.collaboration.models import InstructionStatus, RequestStatus
from tongtui.notify.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date
INS = "/api/collaboration/instructions/"
R = "/api/collaboration/requests/"


def test_reply_and_close_clicked_three_times_at_once_run_once(d):
    i = instruct(d)
    before = i.history.count()
    responses = post_all(d.user("liaison_a"), f"{INS}{i.pk}/reply/", {"text": "已完成前期手续"})
    assert one_wins(statuses(responses))
    i.refresh_from_db()
    assert i.replies.count() == 1 and i.status == InstructionStatus.REPLIED and i.history.count() == before + 1
    assert Notification.objects.filter(kind="instruction_reply", recipient=d.user("leader")).count() == 1

    before = i.history.count()
    responses = post_all(d.user("leader"), f"{INS}{i.pk}/close/", {})
    assert one_wins(statuses(responses))
    i.refresh_from_db()
    assert i.status == InstructionStatus.CLOSED and i.history.count() == before + 1
    losers_say(responses, "This instruction has just been closed.")


def test_the_leader_closing_while_a_unit_replies_one_of_them_first(d):
    i = instruct(d)
    leader, liaison = page_client(d.user("leader")), page_client(d.user("liaison_a"))
    at_once(2, lambda n: (leader.post(f"/instructions/{i.pk}/close/", {}) if n == 0
                          else liaison.post(f"/instructions/{i.pk}/reply/", {"text": "已办"})))  # fmt: skip
    i.refresh_from_db()
    # either the close came first (the reply is refused, or it came before and the close still holds), or the reply
    # came first and the close, made on a page that had not seen it, is refused as stale: never both half-done
    assert i.status in (InstructionStatus.CLOSED, InstructionStatus.REPLIED), i.status
    assert i.replies.count() <= 1
    if i.status == InstructionStatus.REPLIED:
        assert i.replies.count() == 1
    closed = 1 if i.status == InstructionStatus.CLOSED else 0
    assert i.history.count() == 1 + i.replies.count() + closed


def test_accept_and_decline_clicked_at_once_run_once(d):
    req = ask(d)
    responses = post_all(d.user("liaison_c"), f"{R}{req.pk}/accept/", {"note": "好的"})
    assert one_wins(statuses(responses))
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED and req.history.count() == 2
    assert Notification.objects.filter(kind="coordination_answered", recipient=d.user("liaison_a")).count() == 1

    responses = post_all(d.user("liaison_c"), f"{R}{req.pk}/decline/", {"reason": "无此数据"})
    assert one_wins(statuses(responses))
    req.refresh_from_db()
    assert req.status == RequestStatus.DECLINED and req.history.count() == 3
    losers_say(responses, "This request has just been declined.")


def test_answer_clicked_three_times_at_once_runs_once(d):
    req = ask(d)
    responses = post_all(d.user("liaison_c"), f"{R}{req.pk}/answer/", {"text": "已提供"})
    assert one_wins(statuses(responses))
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED and req.history.count() == 2


def test_the_sweeps_run_three_times_at_once_chase_once(d):
    instruct(d)
    ask(d)
    counts = at_once(3, lambda n: actions.chase_overdue(D(2026, 3, 20)))
    assert sum(counts) == 1
    counts = at_once(3, lambda n: actions_requests.chase_overdue(D(2026, 3, 20)))
    assert sum(counts) == 1
    assert Notification.objects.filter(kind="instruction_overdue", recipient=d.user("liaison_a")).count() == 1
    assert Notification.objects.filter(kind="coordination_overdue", recipient=d.user("liaison_c")).count() == 1
