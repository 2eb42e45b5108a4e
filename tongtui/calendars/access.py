"""Who reads which calendar: a feed is opened by its token alone (a missing, reset or orphaned one is a 404),
and it shows what its owner may see today, narrowed to the feed's person, unit or leader."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tongtui.calendars.events import Mine, Selection
from tongtui.calendars.models import CalendarFeed, FeedKind
from tongtui.orgs.models import Role
from tongtui.orgs.roles import Roles, roles_of

UNIT_ROLES = (Role.UNIT_HEAD, Role.LIAISON, Role.VIEWER)


def mine(roles: Roles) -> Mine:
    return Mine(
        unit_ids=frozenset(roles.units_with(*UNIT_ROLES)), person_id=roles.person_id, office=roles.is_office
    )


def may_follow_unit(roles: Roles, unit_id: int | None) -> bool:
    return unit_id is not None and (roles.sees_all or unit_id in roles.unit_ids)


def may_follow_leader(roles: Roles, person_id: int | None) -> bool:
    return person_id is not None and (roles.sees_all or person_id == roles.person_id)


def feeds_of(user: Any) -> QuerySet[CalendarFeed]:
    if not user.is_authenticated:
        return CalendarFeed.objects.none()
    return CalendarFeed.objects.filter(user=user).select_related("unit", "leader")


def get_feed_for(user: Any, pk: Any) -> CalendarFeed:
    try:
        return feeds_of(user).get(pk=pk)
    except (CalendarFeed.DoesNotExist, ValueError, TypeError):
        raise Http404("No such feed") from None


def feed_by_token(token: str) -> tuple[CalendarFeed, Selection]:
    """The feed and what it selects, or 404: unknown token, inactive owner, or an owner who lost the right."""
    try:
        feed = CalendarFeed.objects.select_related("user", "unit", "leader").get(
            token=token, user__is_active=True
        )
    except CalendarFeed.DoesNotExist:
        raise Http404("No such feed") from None
    roles = roles_of(feed.user)
    if feed.kind == FeedKind.UNIT and may_follow_unit(roles, feed.unit_id):
        return feed, Selection(unit_id=feed.unit_id)
    if feed.kind == FeedKind.LEADER and may_follow_leader(roles, feed.leader_id):
        return feed, Selection(leader_id=feed.leader_id)
    if feed.kind == FeedKind.PERSON:
        return feed, Selection(mine=mine(roles))
    raise Http404("No such feed")
