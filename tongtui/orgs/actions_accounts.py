"""Logins of people: the office creates an account for a person, resets its password, deactivates or
reactivates it; a user changes their own password.

Passwords go through Django's validators and hashers; a stored password is never shown. A password the
office sets or generates is temporary: the person must change it at the next login. Every step writes a
row in the person's history naming who did it.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import save_with_history
from tongtui.orgs import tokens
from tongtui.orgs.models import Person
from tongtui.orgs.roles import roles_of

# No 0/O, 1/l/I: the office reads a generated password out over the phone.
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12


@dataclass(frozen=True)
class Issued:
    """A login and the temporary password just set, to be shown once and never again."""

    user: Any
    password: str
    generated: bool


def generate_password() -> str:
    return get_random_string(PASSWORD_LENGTH, PASSWORD_ALPHABET)


def _require_office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can manage logins."))


def _locked(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)  # the login is read after, not joined


def _checked_password(password: str, user: Any) -> tuple[str, bool]:
    """The password to set (a generated one when blank), refused when Django's validators refuse it."""
    if not password:
        return generate_password(), True
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    return password, False


@transaction.atomic
def create_login(person: Person, *, by: Any, username: str, password: str = "", reason: str = "") -> Issued:
    """Give the person an account. Without a password one is generated; either way it is temporary."""
    _require_office(by)
    person = _locked(person)
    if person.user_id is not None:
        raise ActionError(
            _("%(name)s already has a login (%(username)s).")
            % {"name": person.name, "username": person.user.get_username()}  # type: ignore[union-attr]
        )
    User = get_user_model()
    user = User(username=username.strip(), email=person.email, first_name=person.name[:150])
    user.full_clean(exclude=["password"])
    password, generated = _checked_password(password, user)
    user.set_password(password)
    user.save()
    person.user = user
    person.must_change_password = True
    save_with_history(
        person, by=by, reason=reason or _("login %(username)s created") % {"username": user.username}
    )
    return Issued(user, password, generated)


@transaction.atomic
def reset_password(person: Person, *, by: Any, password: str = "", reason: str = "") -> Issued:
    """Set a temporary password (generated when blank); the person must change it at the next login.

    Setting it ends the person's open sessions, so a forgotten browser is logged out too, and revokes the
    person's API token.
    """
    _require_office(by)
    person = _locked(person)
    user = person.user
    if user is None:
        raise ActionError(_("%(name)s has no login yet.") % {"name": person.name})
    password, generated = _checked_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    revoked = tokens.drop(user)
    person.must_change_password = True
    reason = reason or _("password reset")
    save_with_history(
        person, by=by, reason=_("%(reason)s; API token revoked") % {"reason": reason} if revoked else reason
    )
    return Issued(user, password, generated)


@transaction.atomic
def set_login_active(person: Person, active: bool, *, by: Any, reason: str = "") -> Person:
    """Deactivate (or reactivate) the person's login; a deactivated login cannot log in. Claimed with a
    conditional UPDATE, so a double click changes it once."""
    _require_office(by)
    person = _locked(person)
    if person.user_id is None:
        raise ActionError(_("%(name)s has no login yet.") % {"name": person.name})
    if not active and person.user_id == getattr(by, "pk", None):
        raise ActionError(_("You cannot deactivate your own login."))
    User = get_user_model()
    if User.objects.filter(pk=person.user_id, is_active=not active).update(is_active=active) == 0:
        message = _("The login is already active.") if active else _("The login is already deactivated.")
        raise Conflict(message, current_version=0)
    person.user.refresh_from_db(fields=["is_active"])  # type: ignore[union-attr]
    default = _("login reactivated") if active else _("login deactivated")
    save_with_history(person, by=by, reason=reason or default)
    return person


@transaction.atomic
def change_own_password(user: Any, new_password: str, *, by: Any) -> None:
    """A user sets a password of their own; the office's temporary one stops being required, and the API
    token made under the old password is revoked."""
    if by is None or getattr(by, "pk", None) != user.pk:
        raise Forbidden(_("Only the user can choose their own password."))
    if user.check_password(new_password):
        raise ValidationError({"new_password1": _("Choose a password different from the current one.")})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    revoked = tokens.drop(user)
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is not None:
        person.must_change_password = False
        reason = _("password changed by its owner")
        save_with_history(
            person,
            by=by,
            reason=_("%(reason)s; API token revoked") % {"reason": reason} if revoked else reason,
        )
