"""`Authorization: Token <key>` as DRF reads it, refused once the token is older than its lifetime
(`API_TOKEN_DAYS`, see `tongtui.orgs.tokens`)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from tongtui.orgs import tokens


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if tokens.expired(token):
            day = timezone.localtime(tokens.expires(token)).strftime("%Y-%m-%d %H:%M")
            raise AuthenticationFailed(
                _(
                    "This API token expired at %(time)s. Get a new one at /api/auth/token/ or rotate it on "
                    "your account page."
                )
                % {"time": day}  # fmt: skip
            )
        return user, token
