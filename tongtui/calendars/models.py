"""A calendar feed (iCalendar subscription) of one user: their own, a unit's or a leader's, at a secret URL."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.orgs.models import Person, Unit


def new_token() -> str:
    return secrets.token_urlsafe(24)


class FeedKind(models.TextChoices):
    PERSON = "person", _("My calendar")
    UNIT = "unit", _("Unit calendar")
    LEADER = "leader", _("Leader's calendar")


class CalendarFeed(RemembersLoaded, models.Model):
    """The token is the feed's only key: whoever holds the URL reads the feed, so it can be reset, and it is
    kept out of the history (an old token must open nothing)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FeedKind.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    leader = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("leader")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reset_at = models.DateTimeField(_("address reset at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        ordering = ["user", "kind", "pk"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=FeedKind.PERSON, unit__isnull=True, leader__isnull=True)
                    | Q(kind=FeedKind.UNIT, unit__isnull=False, leader__isnull=True)
                    | Q(kind=FeedKind.LEADER, unit__isnull=True, leader__isnull=False)
                ),
                name="calendarfeed_kind_matches_target",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(kind=FeedKind.PERSON), name="calendarfeed_one_person_feed"
            ),
            models.UniqueConstraint(
                fields=["user", "unit"], condition=Q(kind=FeedKind.UNIT), name="calendarfeed_one_per_unit"
            ),
            models.UniqueConstraint(
                fields=["user", "leader"],
                condition=Q(kind=FeedKind.LEADER),
                name="calendarfeed_one_per_leader",
            ),
        ]

    def __str__(self) -> str:
        target = self.unit or self.leader
        return f"{self.get_kind_display()} · {target}" if target else str(self.get_kind_display())
