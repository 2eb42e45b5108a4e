"""API tokens: DRF's `Token` (one per login, sent as `Authorization: Token <key>`) with a lifetime
(`API_TOKEN_DAYS` from its creation), rotated by its owner, revoked by the office, and dropped when the
password is reset or changed. The lifetime is enforced by `tongtui.api.authentication`.

Every change locks the login's row first, so two rotations at once run one after the other: the second,
made from the token the first replaced, is refused instead of leaving the first caller's new token dead.
Rotations and revocations are written in the person's history (not the key, which is a secret).
"""

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from tongtui.core.errors import Conflict, Forbidden
from tongtui.core.history import save_with_history
from tongtui.orgs.models import Person
from tongtui.orgs.roles import roles_of


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.API_TOKEN_DAYS)


def expires(token: Token) -> datetime.datetime:
    return token.created + lifetime()


def expired(token: Token, now: datetime.datetime | None = None) -> bool:
    return expires(token) <= (now or timezone.now())


def fingerprint(token: Token | None) -> str:
    """Names a token without showing it: a page's form says which token it saw ("" for none)."""
    return "" if token is None else hashlib.sha256(token.key.encode()).hexdigest()[:16]


def of(user: Any) -> Token | None:
    return Token.objects.filter(user_id=user.pk).first()


def _lock(user: Any) -> None:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _record(user: Any, *, by: Any, reason: str) -> None:
    person = Person.objects.filter(user_id=user.pk).first()
    if person is not None:
        save_with_history(person, by=by, reason=reason)


@transaction.atomic
def obtain(user: Any) -> Token:
    """The token a username and password buy: the live one, or a new one in place of an expired one."""
    _lock(user)
    token = of(user)
    if token is not None and not expired(token):
        return token
    if token is not None:
        token.delete()
    return Token.objects.create(user=user)


@transaction.atomic
def rotate(user: Any, *, by: Any, seen: str | None = None) -> Token:
    """Replace the user's token (or make a first one) with a new key and a new lifetime.

    `seen` is the `fingerprint` of the token the caller saw; when it is no longer the token in place, the
    same rotation has already been made (a second click, a retry) and this one is refused.
    """
    if by is None or getattr(by, "pk", None) != user.pk:
        raise Forbidden(_("Only the user can rotate their own API token."))
    _lock(user)
    old = of(user)
    if seen is not None and fingerprint(old) != seen:
        when = timezone.localtime(old.created).strftime("%H:%M:%S") if old else "—"
        raise Conflict(
            _("The API token was changed at %(time)s, after you loaded it (a second click?).")
            % {"time": when},
            current_version=0,
        )
    if old is not None:
        old.delete()
    token = Token.objects.create(user=user)
    _record(user, by=by, reason=_("API token rotated") if old else _("API token created"))
    return token


@transaction.atomic
def revoke(person: Person, *, by: Any) -> None:
    """The office withdraws a person's token: API calls with it get 401 until the person gets a new one."""
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can do this."))
    if person.user_id is None:
        raise Conflict(_("%(name)s has no login.") % {"name": person.name}, current_version=0)
    _lock(person.user)
    if not Token.objects.filter(user_id=person.user_id).delete()[0]:
        raise Conflict(_("%(name)s has no API token (any more).") % {"name": person.name}, current_version=0)
    save_with_history(Person.objects.get(pk=person.pk), by=by, reason=_("API token revoked"))


def drop(user: Any) -> bool:
    """Inside a password reset or change: the token made under the old password stops working."""
    return bool(Token.objects.filter(user_id=user.pk).delete()[0])
