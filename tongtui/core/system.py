"""The account that commands and background jobs act as, so history always names an actor."""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

SYSTEM_USERNAME = "tongtui-system"


def system_user() -> Any:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_active": False, "is_superuser": True, "first_name": "系统"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def display_name(user: Any, person_name: str | None = None, *, look_up: bool = True) -> str:
    """How someone is named on a page or in a file: the person's name (`person_name` when the caller has it;
    else read from the user unless `look_up` is False), 系统 (System) for the system account, never its login
    name, else the login name; "" for nobody."""
    if user is None:
        return ""
    if getattr(user, "username", None) == SYSTEM_USERNAME:
        return _("System")
    if person_name:
        return person_name
    person = getattr(user, "person", None) if look_up and getattr(user, "pk", None) else None
    return getattr(person, "name", None) or user.get_username()


def actor_for_command(username: str | None) -> Any:
    """The user a management command acts as: --by USERNAME, else the system account."""
    if not username:
        return system_user()
    User = get_user_model()
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        from django.core.management import CommandError

        raise CommandError(f"No user named {username!r}.") from None
