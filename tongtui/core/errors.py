"""Errors raised by actions. Views and the API turn them into messages and HTTP answers."""

from django.core.exceptions import ValidationError


class ActionError(ValidationError):
    """An action was refused because the object is not in a state that allows it."""


class Forbidden(Exception):
    """The actor may not do this. Shown as 404 when the actor cannot even see the object."""


class Conflict(Exception):
    """Someone else changed the object since the actor loaded it."""

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version
