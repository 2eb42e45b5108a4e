"""Publishing clicked three times at once publishes once: one number, one history row."""

import datetime

import pytest

from tests.race import at_once, page_client
from tongtui.publicity import actions
from tongtui.publicity.models import Bulletin

pytestmark = pytest.mark.django_db(transaction=True)


def test_publish_clicked_three_times_at_once_runs_once(cast):
    office = cast.user("office")
    b = actions.generate(
        cast.plan, by=office, start=datetime.date(2026, 1, 1), as_of=datetime.date(2026, 6, 30)
    )
    clients = [page_client(office) for _ in range(3)]
    responses = at_once(3, lambda i: clients[i].post(f"/bulletins/{b.pk}/publish/"))
    assert all(not isinstance(r, Exception) and r.status_code == 302 for r in responses), responses
    # each clerk's page then says what happened to their click (read one after another: the test client
    # gathers the rendered context through a signal every thread would hear)
    said = [m.message for c in clients for m in c.get(f"/bulletins/{b.pk}/").context["messages"]]
    assert said.count("Published: every unit now sees this bulletin.") == 1
    assert said.count("This bulletin is published already.") == 2
    b = Bulletin.objects.get(pk=b.pk)
    assert b.number == 1 and b.history.filter(status="published").count() == 1


def test_two_bulletins_published_at_once_get_two_numbers(cast):
    office = cast.user("office")
    made = [actions.generate(cast.plan, by=office, start=datetime.date(2026, 1, 1),
                             as_of=datetime.date(2026, 6, d)) for d in (29, 30)]  # fmt: skip
    results = at_once(2, lambda i: _publish(made[i].pk, office))
    numbers = sorted(n for n in results if isinstance(n, int))
    refused = [r for r in results if not isinstance(r, int)]
    # both numbered 1 and 2, or one refused with a Conflict to try again: never the same number twice
    assert numbers in ([1, 2], [1]) and all(type(r).__name__ == "Conflict" for r in refused)
    assert len(set(Bulletin.objects.exclude(number=None).values_list("number", flat=True))) == len(numbers)


def _publish(pk: int, office):
    return actions.publish(Bulletin.objects.get(pk=pk), by=office).number
