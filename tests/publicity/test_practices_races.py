"""Every practice step and the public texts, sent three times at once: one runs, the others get a 409 (or a
400 when they saw the new state before trying); one history row, one bonus, one notification."""

import pytest

from tests.publicity.conftest import write
from tests.race import api_client, at_once, losers_say, one_wins, post_all, statuses
from tongtui.assessment.models import ManualEntry
from tongtui.notify.models import Notification
from tongtui.plans.models import Task
from tongtui.publicity import actions_practices as a
from tongtui.publicity import actions_public
from tongtui.publicity.models import Practice, PublicEntry

pytestmark = pytest.mark.django_db(transaction=True)


def _at(cast, state):
    p = write(cast)
    office, liaison = cast.user("office"), cast.user("liaison_a")
    if state in ("submitted", "selected", "published"):
        a.submit(p, by=liaison)
    if state in ("selected", "published"):
        a.select(p, by=office)
    if state == "published":
        a.publish(p, by=office)
    return p


@pytest.mark.parametrize(("start", "step", "who", "body", "to"), [
    ("draft", "submit", "liaison_a", {}, "submitted"),
    ("submitted", "select", "office", {}, "selected"),
    ("selected", "publish", "office", {}, "published"),
    ("submitted", "return", "office", {"reason": "补充"}, "returned"),
    ("selected", "reject", "office", {"reason": "不采纳"}, "rejected"),
    ("published", "unpublish", "office", {"reason": "撤回"}, "selected"),
])  # fmt: skip
def test_a_step_sent_three_times_at_once_runs_once(cast, start, step, who, body, to):
    p = _at(cast, start)
    rows = p.history.count()
    responses = post_all(cast.user(who), f"/api/publicity/practices/{p.pk}/{step}/", body)
    assert one_wins(statuses(responses)), [r.content for r in responses]
    losers_say(responses, "Someone else changed this practice a moment ago")
    p = Practice.objects.get(pk=p.pk)
    assert p.status == to and p.history.count() == rows + 1
    if step == "publish":
        assert ManualEntry.objects.filter(withdrawn=False).count() == 1
        assert Notification.objects.filter(recipient=cast.user("leader"), kind="practice").count() == 1
    if step == "unpublish":
        assert ManualEntry.objects.get().withdrawn and ManualEntry.objects.get().history.count() == 2
    if step == "submit":
        assert Notification.objects.filter(recipient=cast.user("office"), kind="practice").count() == 1


def test_the_same_edit_sent_three_times_at_once_is_saved_once(cast):
    p = write(cast)
    body = {"title": "新", "summary": "s", "body": "b", "version": p.version}
    clients = [api_client(cast.user("liaison_a")) for _ in range(3)]
    responses = at_once(3, lambda i: clients[i].patch(f"/api/publicity/practices/{p.pk}/", body, format="json"))
    assert one_wins(statuses(responses))
    assert Practice.objects.get(pk=p.pk).version == p.version + 1


def test_publish_against_unpublish_never_leaves_two_bonuses(cast):
    p = _at(cast, "published")
    office = cast.user("office")
    clients = [api_client(office) for _ in range(2)]
    at_once(2, lambda i: clients[i].post(f"/api/publicity/practices/{p.pk}/unpublish/", {"reason": "x"},
                                         format="json") if i == 0 else
            clients[i].post(f"/api/publicity/practices/{p.pk}/publish/", {}, format="json"))  # fmt: skip
    assert ManualEntry.objects.filter(withdrawn=False).count() == (1 if Practice.objects.get().is_published else 0)


def test_the_first_public_text_written_three_times_at_once_is_one_entry(cast):
    body = {"task": cast.task_a.pk, "title": "民生", "text": "x", "public": True}
    responses = post_all(cast.user("office"), "/api/publicity/public-entries/", body)
    codes = statuses(responses)
    assert codes.count(200) >= 1 and all(c in (200, 409) for c in codes)
    assert PublicEntry.objects.count() == 1 and PublicEntry.objects.get().number == 1
    assert Task.objects.get(pk=cast.task_a.pk).history.filter(is_public=True).count() == 1


def test_an_edit_of_the_public_text_sent_three_times_at_once_runs_once(cast):
    e = actions_public.save_entry(cast.task_a, by=cast.user("office"), title="t", text="x")
    body = {"task": cast.task_a.pk, "title": "新", "text": "y", "version": e.version}
    responses = post_all(cast.user("office"), "/api/publicity/public-entries/", body)
    assert one_wins(statuses(responses))
    assert PublicEntry.objects.get().history.count() == 2


def test_marking_public_three_times_at_once_runs_once(cast):
    actions_public.save_entry(cast.task_a, by=cast.user("office"), title="t", text="x")
    office = cast.user("office")
    results = at_once(3, lambda i: actions_public.set_public(Task.objects.get(pk=cast.task_a.pk), by=office,
                                                             public=True))  # fmt: skip
    won = [r for r in results if isinstance(r, Task)]
    assert len(won) == 1 and all(type(r).__name__ == "Conflict" for r in results if r not in won)
    assert Task.objects.get(pk=cast.task_a.pk).history.filter(is_public=True).count() == 1
