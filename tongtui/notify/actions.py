"""Every write of notify: sending an event, marking read, preferences, robots, retrying a delivery.

`send` is the one way out. Callers pass words and people, never their own objects; it runs inside the
caller's transaction, so a rolled-back action notifies nobody, and the worker delivers only what committed.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.history import save_with_history
from tongtui.notify.delivery import addresses
from tongtui.notify.kinds import Kind
from tongtui.notify.models import Channel, Delivery, Event, Mode, Notification, Preference, Robot, Status
from tongtui.orgs.roles import roles_of


def _people(users: Iterable[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for u in users:
        if u is not None and u.pk not in seen and getattr(u, "is_active", True):
            seen[u.pk] = u
    return list(seen.values())


def send(
    kind: str,
    users: Iterable[Any],
    title: str,
    *,
    body: str = "",
    url: str = "",
    key: str = "",
    unit: Any = None,
    plan: Any = None,
    email: bool = True,
) -> Event:
    """Notify `users` of one event: in-app at once, e-mail and group robots through the worker.

    `key` names the event: sending the same key again adds only recipients who did not have it yet, and no
    channel ever carries it twice to the same person or group. `unit` and `plan` choose the group robots.
    `email=False` when the event is not to be e-mailed (a 催办 policy that says so).
    """
    now = timezone.now()
    unit_id = getattr(unit, "pk", unit)
    plan_id = getattr(plan, "pk", plan)
    # one upsert, whether the key is new or was sent before: then the stored row keeps its words, its id comes
    # back, and only the recipients added now get a notification (in the words sent now)
    event = Event(key=(key or f"once:{uuid.uuid4().hex}")[:200], kind=kind, title=title[:200], body=body,
                  url=url[:300], unit_id=unit_id, plan_id=plan_id)  # fmt: skip
    Event.objects.bulk_create([event], update_conflicts=True, unique_fields=["key"], update_fields=["key"])
    people = _people(users)
    Notification.objects.bulk_create(
        [
            Notification(recipient=u, event=event, kind=event.kind, title=event.title, body=event.body,
                         url=event.url)
            for u in people
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    rows = []
    if email:
        address = addresses(people)
        mailed = [u for u in people if address.get(u.pk)]  # the settings matter only to those with an address
        prefs = {p.user_id: p for p in Preference.objects.filter(user__in=[u.pk for u in mailed])} if mailed else {}
        for u in mailed:
            pref = prefs.get(u.pk)
            if pref is not None and not pref.email:
                continue
            held = pref is not None and pref.mode == Mode.DIGEST
            rows.append(
                Delivery(event=event, channel=Channel.EMAIL, target=f"user:{u.pk}", recipient=u,
                         status=Status.HELD if held else Status.PENDING, next_attempt_at=now)
            )  # fmt: skip
    for robot in robots_for(event):
        rows.append(
            Delivery(event=event, channel=robot.platform, target=f"robot:{robot.pk}", robot=robot,
                     next_attempt_at=now)
        )  # fmt: skip
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return event


def robots_for(event: Event) -> list[Robot]:
    scope = Q()
    if event.unit_id:
        scope |= Q(unit_id=event.unit_id)
    if event.plan_id:
        scope |= Q(plan_id=event.plan_id)
    if not scope:
        return []
    return [r for r in Robot.objects.filter(scope, active=True) if event.kind in (r.kinds or [])]


def mark_read(user: Any, pk: int) -> int:
    return Notification.objects.filter(pk=pk, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def set_preference(user: Any, *, email: bool, mode: str, by: Any) -> Preference:
    if by != user:
        raise Forbidden(_("People choose their own notification settings."))
    if mode not in Mode.values:
        raise ActionError(_("Choose how e-mails are sent."))
    pref = Preference.objects.select_for_update().filter(user=user).first() or Preference(user=user)
    pref.email, pref.mode = email, mode
    pref.full_clean()
    save_with_history(pref, by=by, reason=_("notification settings changed"))
    if not email:  # what was waiting for the digest is still in the in-app list; it is not mailed any more
        Delivery.objects.filter(recipient=user, channel=Channel.EMAIL, status__in=(Status.HELD, Status.PENDING),
                                in_digest__isnull=True).exclude(event__kind=Kind.DIGEST).delete()  # fmt: skip
    elif mode == Mode.DIGEST:
        Delivery.objects.filter(recipient=user, channel=Channel.EMAIL, status=Status.PENDING).exclude(
            event__kind=Kind.DIGEST
        ).update(status=Status.HELD)
    return pref


def _require_office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can do this."))


@transaction.atomic
def save_robot(robot: Robot, *, by: Any, secret: str | None = None, webhook: str | None = None) -> Robot:
    """Create or change a group robot. A blank `webhook` or `secret` keeps the stored one: they are never shown
    back in full, so a form that leaves them empty does not erase them."""
    _require_office(by)
    if webhook:
        robot.webhook = webhook.strip()
    if secret:
        robot.secret = secret.strip()
    if not robot.webhook:
        raise ActionError(_("Enter the robot's webhook address."))
    if not robot.webhook.startswith(("https://", "http://")):
        raise ActionError(_("The webhook address starts with https://."))
    if not robot.unit_id and not robot.plan_id:
        raise ActionError(_("Choose the unit or the plan year whose messages this robot posts."))
    robot.kinds = [k for k in robot.kinds if k in Kind.values]
    robot.full_clean()
    save_with_history(robot, by=by, reason=_("group robot saved"))
    return robot


@transaction.atomic
def remove_secret(robot: Robot, *, by: Any) -> Robot:
    _require_office(by)
    robot.secret = ""
    save_with_history(robot, by=by, reason=_("signing secret removed"))
    return robot


@transaction.atomic
def set_robot_active(robot: Robot, active: bool, *, by: Any) -> Robot:
    _require_office(by)
    robot.active = active
    save_with_history(
        robot, by=by, reason=_("group robot switched on") if active else _("group robot switched off")
    )
    if not active:
        Delivery.objects.filter(robot=robot, status__in=(Status.PENDING, Status.FAILED)).delete()
    return robot


@transaction.atomic
def test_robot(robot: Robot, *, by: Any) -> Delivery:
    """Queue one test message for this robot only; the worker posts it within a minute."""
    _require_office(by)
    now = timezone.now()
    event = Event.objects.create(
        kind=Kind.TEST,
        key=f"test:{robot.pk}:{uuid.uuid4().hex}",
        title=_("Test message from Tongtui"),
        body=_("If this group sees this message, the robot %(name)s is set up correctly.")
        % {"name": robot.name},
        unit_id=robot.unit_id,
        plan_id=robot.plan_id,
    )
    return Delivery.objects.create(
        event=event, channel=robot.platform, target=f"robot:{robot.pk}", robot=robot, next_attempt_at=now
    )


def retry(delivery: Delivery, *, by: Any) -> bool:
    """Send a failed delivery again from its first attempt. Of two clicks at once one wins (conditional UPDATE)."""
    _require_office(by)
    return (
        Delivery.objects.filter(pk=delivery.pk, status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), lease_until=None
        )
        == 1
    )
