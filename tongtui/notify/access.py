"""Read scope: a user sees only their own notifications; the office sees deliveries and robots."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tongtui.notify.models import Delivery, Notification, Robot
from tongtui.orgs.roles import roles_of


def notifications_of(user: Any) -> QuerySet[Notification]:
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()


def get_notification_for(user: Any, pk: int) -> Notification:
    found = notifications_of(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def office_only(user: Any) -> None:
    """What only the office sees is a 404 to everyone else, like a page that is not there."""
    if not roles_of(user).is_office:
        raise Http404


def deliveries_for(user: Any) -> QuerySet[Delivery]:
    office_only(user)
    return Delivery.objects.select_related("event", "recipient__person", "robot")


def get_robot_for(user: Any, pk: int) -> Robot:
    office_only(user)
    found = Robot.objects.filter(pk=pk).select_related("unit", "plan").first()
    if found is None:
        raise Http404
    return found
