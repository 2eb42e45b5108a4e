"""Deployment checks of our own, run by `tongtui check --deploy` beside Django's."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


def secret_key_errors() -> list[Error]:
    if getattr(settings, "SECRET_KEY", "") == getattr(settings, "DEVELOPMENT_SECRET_KEY", None):
        return [Error(
            "SECRET_KEY is the public development default.",
            hint="Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value before serving anyone.",
            id="tongtui.E001",
        )]  # fmt: skip
    return []


@register(Tags.security, deploy=True)
def secret_key_set(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return secret_key_errors()
