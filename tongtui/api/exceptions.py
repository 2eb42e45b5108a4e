"""The one place where errors raised by actions become HTTP answers.

ActionError / ValidationError -> 400 with field messages, Forbidden -> 403, Conflict -> 409 with the
current version. A user who cannot see an object never reaches its action: the viewsets fetch objects
through the access layer first, so that user gets 404 and Forbidden only ever means "seen but not allowed".
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from tongtui.core.errors import Conflict, Forbidden


def field_messages(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as DRF's error body: {field: [messages]}, non-field errors under one key."""
    if hasattr(exc, "error_dict"):
        return {
            api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: list(messages)
            for field, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Conflict):
        set_rollback()
        return Response(
            {"detail": str(exc), "current_version": exc.current_version}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, Forbidden):
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_messages(exc))
    return drf_exception_handler(exc, context)
