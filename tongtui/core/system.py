"""The account that commands and background jobs act as, so history always names an actor."""

from typing import Any

from django.contrib.auth import get_user_model

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
