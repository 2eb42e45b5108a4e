"""Base classes every app's API module builds on, and the token endpoint."""

from typing import Any

from django.db.models import Model
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tongtui.api.exceptions import exception_handler
from tongtui.api.filters import FilterBackend
from tongtui.api.permissions import OfficeWrites
from tongtui.api.schema import ERROR, FIELD_ERRORS, LOCKED_OUT, AutoSchema, ConflictSerializer
from tongtui.orgs import tokens
from tongtui.orgs.lockout import lockout_response


def prefers_minimal(request: Any) -> bool:
    """Whether the request says `Prefer: return=minimal` (RFC 7240): the client wants only what it needs to take
    the next step, not the whole object echoed back."""
    for preference in request.headers.get("Prefer", "").split(","):
        name, _, value = preference.split(";", 1)[0].partition("=")
        if name.strip().lower() == "return" and value.strip().strip('"').lower() == "minimal":
            return True
    return False


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
    created = serializers.DateTimeField()
    expires = serializers.DateTimeField(
        help_text="After this the token answers 401; get or rotate a new one."
    )


def token_answer(token: Token) -> Response:
    response = Response({"token": token.key, "created": token.created, "expires": tokens.expires(token)})
    response["Cache-Control"] = "no-store"
    return response


class ObtainToken(ObtainAuthToken):
    """A locked account (django-axes: too many wrong passwords) is answered 429 with until when, not 400."""

    @extend_schema(
        summary="Get an API token",
        description=(
            "Exchange a username and password for the user's API token; send it on every request as "
            "`Authorization: Token <token>`. The same token is returned until it expires (`expires`, "
            "API_TOKEN_DAYS after it was made); after that a new one. An administrator can also create one "
            "on the server with `tongtui drf_create_token USERNAME` (add `-r` to replace an existing token)."
        ),
        request=ObtainAuthToken.serializer_class,
        responses={200: TokenSerializer, 400: FIELD_ERRORS, 429: LOCKED_OUT},
        tags=["auth"],
    )
    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            if getattr(request, "axes_locked_out", False) or getattr(
                request._request, "axes_locked_out", False
            ):
                return lockout_response(
                    request._request, None, {"username": request.data.get("username", "")}
                )
            raise
        return token_answer(tokens.obtain(serializer.validated_data["user"]))


class RotateToken(APIView):
    """The caller's token replaced by a new one; the old key stops working at once."""

    schema = AutoSchema()
    permission_classes = [IsAuthenticated]

    def get_exception_handler(self) -> Any:
        return exception_handler

    @extend_schema(
        summary="Rotate your API token",
        description=(
            "Replace your token with a new key and a new lifetime; the old key answers 401 from now on. "
            "Called with a token, that token must still be the one in place: a second call made with the "
            "same old token (a retry racing the first) gets 409 and the first call's new token stays valid."
        ),
        request=None,
        responses={
            200: TokenSerializer,
            409: OpenApiResponse(ConflictSerializer, description="The token used was already rotated."),
            403: ERROR,
        },
        tags=["auth"],
    )
    def post(self, request: Any) -> Response:
        seen = tokens.fingerprint(request.auth) if isinstance(request.auth, Token) else None
        return token_answer(tokens.rotate(request.user, by=request.user, seen=seen))
