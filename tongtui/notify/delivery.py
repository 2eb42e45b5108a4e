"""The worker's side: send what is due, at most once per (event, channel, target), with retries and back-off.

A delivery is claimed with a conditional UPDATE (pending and due, or sending with an expired lease) that
raises its attempt count; only the claim holding that attempt count may mark it sent. A worker killed while
sending leaves the row `sending`: once the lease expires another worker claims and sends it again — a row
marked sent is never claimed again.

E-mails beyond the daily cap, and everything of people who chose the digest, are held; the digest job puts
them, at the digest hour, into one daily e-mail per person, which is itself a delivery like any other.
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from tongtui.notify import channels
from tongtui.notify.channels import Message
from tongtui.notify.kinds import Kind
from tongtui.notify.models import ROBOT_CHANNELS, Channel, Delivery, Event, Status
from tongtui.orgs.models import Person

logger = logging.getLogger(__name__)
LEASE = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 6
BATCH = 200


def backoff(attempts: int, base: int = 60, cap: int = 6 * 3600) -> datetime.timedelta:
    """Wait before the next attempt after `attempts` failed ones: 1, 2, 4, 8 … minutes, at most six hours."""
    return datetime.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def due(now: datetime.datetime) -> Any:
    return Delivery.objects.filter(
        Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(status=Status.SENDING, lease_until__lt=now)
    )


def claim(pk: int, now: datetime.datetime) -> int | None:
    """Take one delivery for sending; the attempt number this claim holds, or None when someone else has it."""
    taken = (
        due(now)
        .filter(pk=pk)
        .update(status=Status.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1)
    )
    if not taken:
        return None
    return Delivery.objects.filter(pk=pk).values_list("attempts", flat=True).first()


def _mine(pk: int, attempt: int) -> Any:
    return Delivery.objects.filter(pk=pk, status=Status.SENDING, attempts=attempt)


def _day_start(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def over_cap(user_id: int, now: datetime.datetime) -> bool:
    cap = getattr(settings, "NOTIFY_DAILY_CAP", 20)
    sent_today = Delivery.objects.filter(
        recipient_id=user_id,
        channel=Channel.EMAIL,
        status=Status.SENT,
        sent_at__gte=_day_start(now),
        in_digest__isnull=True,
    ).exclude(event__kind=Kind.DIGEST)
    return sent_today.count() >= cap


_person_field = Person._meta.get_field("user").remote_field  # the login's side of Person.user


def addresses(users: list[Any]) -> dict[int, str]:
    """Each login's e-mail address: its own, else the one the office keeps on the person (设置 → people).
    One query, and only when a login has no address of its own and its person was not read with it."""
    found = {u.pk: u.email for u in users}
    for u in users:  # the person read with the login (orgs.recipients reads them together): no query
        person = _person_field.get_cached_value(u) if _person_field.is_cached(u) else None
        if not found[u.pk] and person is not None:
            found[u.pk] = getattr(person, "email", "")
    missing = [u.pk for u in users if not found[u.pk] and not _person_field.is_cached(u)]
    if missing:
        found.update(
            Person.objects.filter(user_id__in=missing).exclude(email="").values_list("user_id", "email")
        )
    return found


def _message(event: Event) -> Message:
    return Message(event.title, event.body, channels.absolute(event.url))


def _digest_message(digest: Delivery) -> Message:
    rows = list(
        Delivery.objects.filter(in_digest=digest).select_related("event").order_by("event__created_at", "pk")
    )
    lines = []
    for row in rows:
        when = timezone.localtime(row.event.created_at).strftime("%m-%d %H:%M")
        link = channels.absolute(row.event.url)
        lines.append(f"· {when} {row.event.title}" + (f"\n  {link}" if link else ""))
    with override(settings.LANGUAGE_CODE):
        title = ngettext(
            "Tongtui: %(count)d message today", "Tongtui: %(count)d messages today", len(rows)
        ) % {"count": len(rows)}
        footer = _("All of them are in your notifications:")
    return Message(title, "\n".join(lines) + f"\n\n{footer}", channels.absolute("/notifications/"))


def _send(delivery: Delivery, now: datetime.datetime) -> None:
    if delivery.channel == Channel.EMAIL:
        if delivery.event.kind == Kind.DIGEST:
            Delivery.objects.filter(
                recipient_id=delivery.recipient_id,
                channel=Channel.EMAIL,
                status=Status.HELD,
                in_digest__isnull=True,
            ).update(in_digest=delivery)
            message = _digest_message(delivery)
            if not Delivery.objects.filter(in_digest=delivery).exists():
                return
        else:
            message = _message(delivery.event)
        address = addresses([delivery.recipient]).get(delivery.recipient.pk) if delivery.recipient else ""
        if not address:
            raise channels.SendError("no e-mail address")
        channels.send_email(address, message)
    elif delivery.channel in ROBOT_CHANNELS:
        robot = delivery.robot
        if robot is None or not robot.active:
            raise channels.SendError("the robot was removed or switched off")
        channels.send_robot(
            robot.platform, robot.webhook, robot.secret, _message(delivery.event), now.timestamp()
        )
    else:
        raise channels.SendError(f"unknown channel {delivery.channel!r}")


def deliver_one(pk: int, now: datetime.datetime | None = None) -> str:
    """Claim and send one delivery; what became of it (sent, held, failed, retry, skipped)."""
    now = now or timezone.now()
    attempt = claim(pk, now)
    if attempt is None:
        return "skipped"
    delivery = Delivery.objects.select_related("event", "recipient", "robot").get(pk=pk)
    if (
        delivery.channel == Channel.EMAIL
        and delivery.event.kind != Kind.DIGEST
        and delivery.recipient_id
        and over_cap(delivery.recipient_id, now)
    ):
        _mine(pk, attempt).update(status=Status.HELD, attempts=attempt - 1, lease_until=None)
        return "held"
    try:
        _send(delivery, now)
    except Exception as exc:  # any failure of a channel is recorded and retried, never lost
        logger.warning("delivery %s (%s) attempt %s failed: %s", pk, delivery.channel, attempt, exc)
        final = attempt >= MAX_ATTEMPTS
        _mine(pk, attempt).update(
            status=Status.FAILED if final else Status.PENDING,
            next_attempt_at=now + backoff(attempt),
            lease_until=None,
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return "failed" if final else "retry"
    done = timezone.now()
    _mine(pk, attempt).update(status=Status.SENT, sent_at=done, lease_until=None, error="")
    if delivery.event.kind == Kind.DIGEST:
        Delivery.objects.filter(in_digest=delivery, status=Status.HELD).update(
            status=Status.SENT, sent_at=done
        )
    return "sent"


def deliver_due(now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for pk in list(due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:BATCH]):
        outcome = deliver_one(pk, now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def build_digests(now: datetime.datetime | None = None) -> int:
    """At the digest hour, one digest delivery per person with held e-mails (once a day: keyed by the date).
    Messages held after today's digest went out wait for tomorrow's."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < getattr(settings, "NOTIFY_DIGEST_HOUR", 17):
        return 0
    waiting = (
        Delivery.objects.filter(channel=Channel.EMAIL, status=Status.HELD, in_digest__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    made = 0
    for user_id in waiting:
        event, _created = Event.objects.get_or_create(
            key=f"digest:{user_id}:{local.date()}",
            defaults={"kind": Kind.DIGEST, "title": f"digest {local.date()}"},
        )
        _row, created = Delivery.objects.get_or_create(
            event=event,
            channel=Channel.EMAIL,
            target=f"user:{user_id}",
            defaults={"recipient_id": user_id, "next_attempt_at": now},
        )
        made += created
    return made
