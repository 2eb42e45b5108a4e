"""A feed's address reset twice at once (a double click) changes it once; the other click is told so."""

import pytest

from tests.race import at_once
from tongtui.calendars import actions
from tongtui.calendars.models import CalendarFeed
from tongtui.core.errors import Conflict


@pytest.mark.django_db(transaction=True)
def test_a_double_reset_changes_the_address_once(cast):
    user = cast.user("liaison_a")
    feed = actions.ensure_feeds(user)[0]
    old = feed.token

    seen = [CalendarFeed.objects.get(pk=feed.pk) for _i in range(2)]  # both clicks loaded the same address
    results = at_once(2, lambda i: actions.reset_feed(seen[i], by=user))
    won = [r for r in results if isinstance(r, CalendarFeed)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == 1, results
    current = CalendarFeed.objects.get(pk=feed.pk)
    assert current.token == won[0].token != old
    assert current.history.count() == 2  # created, reset once


@pytest.mark.django_db(transaction=True)
def test_feeds_made_twice_at_once_are_made_once(cast):
    user = cast.user("liaison_a")
    results = at_once(2, lambda _i: actions.ensure_feeds(user))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert CalendarFeed.objects.filter(user=user).count() == 2  # their own and unit A's
