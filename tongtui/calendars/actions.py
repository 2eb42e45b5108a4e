"""Writes of the calendar: a user's feeds (made when first asked for) and resetting a feed's secret address."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.calendars import access
from tongtui.calendars.models import CalendarFeed, FeedKind, new_token
from tongtui.core.claims import claim
from tongtui.core.errors import Forbidden
from tongtui.core.history import save_with_history
from tongtui.orgs.models import Person, Unit
from tongtui.orgs.roles import roles_of


def _get_or_make(
    user: Any, kind: str, *, unit: Unit | None = None, leader: Person | None = None
) -> CalendarFeed:
    found = CalendarFeed.objects.filter(user=user, kind=kind, unit=unit, leader=leader).first()
    if found is not None:
        return found
    feed = CalendarFeed(user=user, kind=kind, unit=unit, leader=leader)
    try:
        with transaction.atomic():
            save_with_history(feed, by=user, reason=_("Calendar feed created"))
    except (IntegrityError, ValidationError):  # the same request twice at once: the other one made it
        made = CalendarFeed.objects.filter(user=user, kind=kind, unit=unit, leader=leader).first()
        if made is None:
            raise
        return made
    return feed


def ensure_feeds(user: Any) -> list[CalendarFeed]:
    """The user's own feed, one per unit they work in, their leader's feed if they are a leader; and any others
    they added. Made on first use, so a new user finds their addresses without asking."""
    roles = roles_of(user)
    have = {(f.kind, f.unit_id, f.leader_id) for f in access.feeds_of(user)}
    wanted: list[tuple[str, int | None, int | None]] = [(FeedKind.PERSON, None, None)]
    wanted += [(FeedKind.UNIT, u, None) for u in sorted(access.mine(roles).unit_ids)]
    if roles.is_leader and roles.person_id is not None:
        wanted.append((FeedKind.LEADER, None, roles.person_id))
    for kind, unit_id, leader_id in wanted:
        if (kind, unit_id, leader_id) not in have:
            unit = Unit.objects.get(pk=unit_id) if unit_id else None
            leader = Person.objects.get(pk=leader_id) if leader_id else None
            _get_or_make(user, kind, unit=unit, leader=leader)
    return list(access.feeds_of(user).order_by("kind", "unit__name", "leader__name", "pk"))


def add_feed(user: Any, *, unit: Unit | None = None, leader: Person | None = None) -> CalendarFeed:
    """A feed of one unit's or one leader's calendar, for someone who may see it."""
    roles = roles_of(user)
    if unit is not None and access.may_follow_unit(roles, unit.pk):
        return _get_or_make(user, FeedKind.UNIT, unit=unit)
    if leader is not None and access.may_follow_leader(roles, leader.pk):
        return _get_or_make(user, FeedKind.LEADER, leader=leader)
    raise Forbidden(_("You may not follow this calendar."))


@transaction.atomic
def reset_feed(feed: CalendarFeed, *, by: Any) -> CalendarFeed:
    """A new secret address; the old one answers 404 from now on. Of two resets sent at once one wins."""
    if feed.user_id != by.pk:
        raise Forbidden(_("You may not change this feed."))
    claim(
        feed,
        lambda _now: _("This address was reset a moment ago; the page shows the new one."),
        update={"token": new_token(), "reset_at": timezone.now()},
        token=feed.token,
    )
    save_with_history(feed, by=by, reason=_("Calendar feed address reset"))
    return feed
