"""Base classes every app's API module builds on, and the token endpoint."""

from typing import Any

from django.db.models import Model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser

from tongtui.api.exceptions import exception_handler
from tongtui.api.filters import FilterBackend
from tongtui.api.permissions import OfficeWrites
from tongtui.api.schema import FIELD_ERRORS, LOCKED_OUT, AutoSchema
from tongtui.orgs.lockout import lockout_response


class ApiViewSet(viewsets.GenericViewSet):
    """JSON in, JSON out; authenticated users read, `office_actions` need the office; errors mapped once."""

    schema = AutoSchema()
    permission_classes = [OfficeWrites]
    parser_classes = [JSONParser]
    filter_backends = [FilterBackend]
    office_actions: tuple[str, ...] = ()

    def get_exception_handler(self) -> Any:
        return exception_handler

    def reloaded(self, obj: Model) -> Any:
        """The object as the list would show it (fresh related rows), after an action changed it."""
        return self.get_queryset().get(pk=obj.pk)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class ObtainToken(ObtainAuthToken):
    """A locked account (django-axes: too many wrong passwords) is answered 429 with until when, not 400."""

    @extend_schema(
        summary="Get an API token",
        description=(
            "Exchange a username and password for the user's API token; send it on every request as "
            "`Authorization: Token <token>`. An administrator can also create one on the server with "
            "`tongtui drf_create_token USERNAME` (add `-r` to replace an existing token)."
        ),
        request=ObtainAuthToken.serializer_class,
        responses={200: TokenSerializer, 400: FIELD_ERRORS, 429: LOCKED_OUT},
        tags=["auth"],
    )
    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False) or getattr(request._request, "axes_locked_out", False):
                return lockout_response(request._request, None, {"username": request.data.get("username", "")})
            raise
