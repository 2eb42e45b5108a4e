"""Helpers so that every write records who made it, also from commands and imports."""

from typing import Any

from django.db import models

REASON_MAX = 100  # simple_history's history_change_reason column


def clip_reason(reason: str) -> str:
    reason = " ".join(str(reason).split())
    return reason if len(reason) <= REASON_MAX else reason[: REASON_MAX - 1] + "…"


def save_with_history(obj: models.Model, *, by: Any, reason: str = "", **kwargs: Any) -> None:
    """Save obj and record `by` and `reason` in its historical row.

    simple_history reads these two attributes at save time; the request middleware only
    covers web requests, so actions always set them explicitly.
    """
    obj._history_user = by  # type: ignore[attr-defined]
    obj._change_reason = clip_reason(reason)  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save(**kwargs)
